"""Weak points: find where a unit scores badly, and let the Inspectorate act on them.

``detect`` reads a wave's stored run (dimension scores) and the wave's answers (question
scores), flags every unit × dimension or question × respondent type whose score is below the
year's threshold or significantly below the whole government (the 95 % intervals do not
overlap), and brings the stored ``WeakPoint`` rows up to date. ``request_recommendation`` and
``dismiss`` are the two decisions an inspector takes on one. See docs/weak-points.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.core import workflow
from integritas.indices.engine import ALL, ALL_TYPES
from integritas.indices.engine.aggregate import Cells, respondent_means, summarise
from integritas.indices.engine.data import Z95, make_result
from integritas.indices.engine.suppression import Mask, complementary
from integritas.indices.models import IndexResult, IndexRun, WeakPoint
from integritas.indices.services.loader import load_wave
from integritas.indices.services.settings import wave_year, weak_threshold_for
from integritas.surveys.models import Question, Wave, WaveUnit

# Keys of the detection event's changes (not model fields of a wave), with readable labels.
FIELD_LABELS = {
    "weak_points": gettext_lazy("Weak points found"),
    "weak_points_new": gettext_lazy("New weak points"),
    "weak_points_removed": gettext_lazy("Weak points no longer found (removed)"),
    "weak_points_kept": gettext_lazy("Weak points no longer found (kept: already acted on)"),
    "weak_threshold": gettext_lazy("Weak-point threshold"),
}

# The decisions an inspector may take on an open weak point. Requested weak points belong to the
# follow-up process from then on; dismissed ones stay dismissed.
TRANSITIONS = workflow.Table(
    [
        workflow.Transition(
            "request",
            frozenset({WeakPoint.Status.OPEN}),
            WeakPoint.Status.RECOMMENDATION_REQUESTED,
            event="indices.weak_point_requested",
        ),
        workflow.Transition(
            "dismiss",
            frozenset({WeakPoint.Status.OPEN}),
            WeakPoint.Status.DISMISSED,
            needs_reason=True,
            event="indices.weak_point_dismissed",
        ),
    ],
    event="indices.weak_point_{name}",
)

# What the recommendation written for a weak point does to it. The follow-up app fires these
# (``link_recommendation`` when it saves the recommendation, ``follow_recommendation`` when it is
# issued, closed or reopened); nobody takes them on the weak point's page.
#
#   open ─┐
#         ├─ recommend ─▶ requested ─ address ─▶ addressed ─ resolve ─▶ resolved
#   requested ┘                    └──────────── resolve ──────────────┘
#                                     addressed ◀─ reopen ─ resolved (closed by mistake)
FOLLOW = workflow.Table(
    [
        workflow.Transition(
            "recommend",
            frozenset({WeakPoint.Status.OPEN, WeakPoint.Status.RECOMMENDATION_REQUESTED}),
            WeakPoint.Status.RECOMMENDATION_REQUESTED,
            event="indices.weak_point_recommended",
        ),
        workflow.Transition(
            "address",
            frozenset({WeakPoint.Status.RECOMMENDATION_REQUESTED}),
            WeakPoint.Status.ADDRESSED,
            event="indices.weak_point_addressed",
        ),
        workflow.Transition(
            "resolve",
            frozenset({WeakPoint.Status.RECOMMENDATION_REQUESTED, WeakPoint.Status.ADDRESSED}),
            WeakPoint.Status.RESOLVED,
            event="indices.weak_point_resolved",
        ),
        workflow.Transition(
            "reopen",
            frozenset({WeakPoint.Status.RESOLVED}),
            WeakPoint.Status.ADDRESSED,
            event="indices.weak_point_reopened",
        ),
    ],
    event="indices.weak_point_{name}",
)

# Question scores on each method's dimension scale: (rescale items to 0–100, multiply by).
SCALES: dict[str, tuple[bool, float]] = {
    "integrity": (True, 1.0),
    "satisfaction": (False, 25.0),
    "zi_perception": (False, 1.0),
}
BATCH_SIZE = 5000
TOLERANCE = 1e-9  # a score equal to the threshold is not below it, whatever the float rounding

FIGURES = (
    "dimension",
    "reason",
    "score",
    "n",
    "ci_low",
    "ci_high",
    "government_score",
    "government_ci_low",
    "government_ci_high",
    "threshold",
    "severity",
    "still_weak",
)


@dataclass(frozen=True)
class Cell:
    """One published score with its 95 % interval (None when n < 2)."""

    score: float
    n: int
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class Finding:
    """A cell found weak, before it is stored."""

    unit_id: int
    dimension: str
    question_id: int | None
    respondent_type: str
    reason: str
    cell: Cell
    government: Cell | None
    threshold: float | None
    severity: float

    @property
    def key(self) -> tuple[int, str, int | None, str]:
        return (self.unit_id, self.dimension, self.question_id, self.respondent_type)


@dataclass(frozen=True)
class Summary:
    """What one detection found and changed."""

    wave: str
    found: int
    dimensions: int
    questions: int
    created: int
    updated: int
    removed: int
    kept: int
    threshold: float | None


def judge(cell: Cell, government: Cell | None, threshold: float | None) -> tuple[str, float] | None:
    """The reason a cell is weak and its severity, or None when it is not weak.

    Weak: the score is below ``threshold``, or the cell's interval lies wholly below the
    government's (its upper bound under the government's lower bound). Severity is the larger
    of the points below the government's score and the points below the threshold.
    """
    below = threshold is not None and cell.score < threshold - TOLERANCE
    significant = (
        government is not None
        and cell.ci_high is not None
        and government.ci_low is not None
        and cell.ci_high < government.ci_low
    )
    if not below and not significant:
        return None
    reason = (
        WeakPoint.Reason.BOTH
        if below and significant
        else WeakPoint.Reason.THRESHOLD
        if below
        else WeakPoint.Reason.SIGNIFICANT
    )
    gaps = [0.0]
    if threshold is not None:
        gaps.append(threshold - cell.score)
    if government is not None:
        gaps.append(government.score - cell.score)
    return reason, max(gaps)


def _published(result: Any) -> Cell | None:
    """A computed cell as a ``Cell``, or None when its value is suppressed."""
    if result is None or result.suppressed or result.score is None:
        return None
    return Cell(score=result.score, n=result.n, ci_low=result.ci_low, ci_high=result.ci_high)


Stored = tuple[int, Cell | None]
"""A stored dimension cell: its n, and its figures when published."""
NOTHING: Stored = (0, None)


def _dimension_cells(run: IndexRun) -> dict[tuple[str, str, str], Stored]:
    """The run's dimension cells by (node, dimension, respondent type); composites left out.

    Read with a plain cursor: a national run has ~200,000 cells and the ORM's per-value
    converters would double the time."""
    rows = (
        IndexResult.objects.filter(run=run)
        .exclude(dimension=ALL)
        .exclude(dimension__startswith="group:")
        .order_by()
        .values_list(
            "node", "dimension", "respondent_type", "n", "score", "ci_low", "ci_high", "suppressed"
        )
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (node, dimension, type_name): (
                n,
                None if hidden or score is None else Cell(score, n, ci_low, ci_high),
            )
            for node, dimension, type_name, n, score, ci_low, ci_high, hidden in cursor.fetchall()
        }


def _types_to_check(
    cells: dict[tuple[str, str, str], Stored], code: str, dimension: str, types: list[str]
) -> Iterable[str]:
    """Pooled respondents first, then each type whose respondents differ from the pooled ones
    (a type holding every respondent of the cell would repeat the pooled weak point)."""
    pooled = cells.get((code, dimension, ALL_TYPES))
    yield ALL_TYPES
    for name in types:
        cell = cells.get((code, dimension, name))
        if cell is not None and (pooled is None or cell[0] != pooled[0]):
            yield name


def _question_cells(run: IndexRun) -> tuple[Cells, Mask, list[str], list[str], dict[int, int]]:
    """Per-question n/mean/se for every node and type, one column per scored slot, and which
    cells are hidden (n < k, or hidden so that a small group cannot be derived by subtraction).

    Returns the cells, the hidden mask, the node codes (``ALL`` last), the type names (``all``
    last) and column → slot.
    """
    matrix, instrument, tree = load_wave(run.wave)
    rescale, factor = SCALES.get(run.method, (False, 1.0))
    table = instrument.score_table(rescale=rescale) * factor
    slots = [int(s) for s in instrument.scored_slots()]
    columns = [
        respondent_means(matrix.answers, table, np.array([slot], dtype=np.intp)) for slot in slots
    ]
    cells = summarise(columns, matrix, tree)
    k = int(run.config.get("k", run.wave.min_group_size))
    hidden = complementary(cells.n, tree, k)
    types = [*matrix.type_names, ALL_TYPES]
    return cells, hidden, list(tree.codes), types, dict(enumerate(slots))


def find(run: IndexRun) -> list[Finding]:
    """Every weak dimension and question of the run's wave (nothing is stored)."""
    wave = run.wave
    k = int(run.config.get("k", wave.min_group_size))
    threshold = weak_threshold_for(run.method, wave_year(wave))
    units = sorted(
        WaveUnit.objects.filter(wave=wave).values_list("unit__code", "unit_id").order_by()
    )
    dims = _dimension_cells(run)
    types = [t for t in dict.fromkeys(key[2] for key in dims) if t != ALL_TYPES]
    dimensions = list(dict.fromkeys(key[1] for key in dims))
    findings: list[Finding] = []
    # The published (unit, dimension, type) cells: questions are judged only inside them, so a
    # question never shows a figure of a group whose dimension score is suppressed.
    published: set[tuple[str, str, str]] = set()
    for code, unit_id in units:
        for dimension in dimensions:
            for type_name in _types_to_check(dims, code, dimension, types):
                cell = dims.get((code, dimension, type_name), NOTHING)[1]
                if cell is None:
                    continue
                published.add((code, dimension, type_name))
                government = dims.get((ALL, dimension, type_name), NOTHING)[1]
                verdict = judge(cell, government, threshold)
                if verdict is not None:
                    findings.append(
                        Finding(
                            unit_id=unit_id,
                            dimension=dimension,
                            question_id=None,
                            respondent_type=type_name,
                            reason=verdict[0],
                            cell=cell,
                            government=government,
                            threshold=threshold,
                            severity=verdict[1],
                        )
                    )
    if published:
        findings += _find_questions(run, units, published, k, threshold)
    return findings


def _find_questions(
    run: IndexRun,
    units: list[tuple[str, int]],
    published: set[tuple[str, str, str]],
    k: int,
    threshold: float | None,
) -> list[Finding]:
    """Weak questions inside published dimension cells; each question cell must be published
    too (n ≥ k and not hidden by complementary suppression).

    Cells are screened with numpy (a national wave has millions of unit × question cells);
    only the screened ones are judged one by one.
    """
    questions = {
        q.slot: q
        for q in Question.objects.filter(version_id=run.wave.version_id, slot__isnull=False)
        .select_related("dimension")
        .order_by()
    }
    cells, hidden, codes, type_names, slot_of = _question_cells(run)
    node_of = {code: i for i, code in enumerate(codes)}
    units = [(code, unit_id) for code, unit_id in units if code in node_of]
    nodes = np.array([node_of[code] for code, _ in units], dtype=np.intp)
    root = len(codes) - 1
    findings: list[Finding] = []
    masks: dict[tuple[str, str], npt.NDArray[np.bool_]] = {}
    for column, slot in slot_of.items():
        question = questions.get(slot)
        if question is None or question.dimension is None:
            continue
        dimension = question.dimension.code
        for t, type_name in enumerate(type_names):
            inside = masks.get((dimension, type_name))
            if inside is None:
                inside = masks[dimension, type_name] = np.array(
                    [(code, dimension, type_name) in published for code, _ in units], dtype=bool
                )
            if not inside.any():
                continue
            government = _question_cell(cells, hidden, root, t, column, k)
            n = cells.n[nodes, t, column]
            mean = cells.mean[nodes, t, column]
            with np.errstate(invalid="ignore"):
                high = mean + Z95 * cells.se[nodes, t, column]
                screened = inside & ~hidden[nodes, t, column] & np.isfinite(mean)
                weak = np.zeros(len(units), dtype=bool)
                if threshold is not None:
                    weak |= mean < threshold - TOLERANCE
                if government is not None and government.ci_low is not None:
                    weak |= (n >= 2) & (high < government.ci_low)
            for i in np.flatnonzero(screened & weak):
                cell = _question_cell(cells, hidden, int(nodes[i]), t, column, k)
                verdict = None if cell is None else judge(cell, government, threshold)
                if cell is None or verdict is None:
                    continue
                findings.append(
                    Finding(
                        unit_id=units[i][1],
                        dimension=dimension,
                        question_id=question.pk,
                        respondent_type=type_name,
                        reason=verdict[0],
                        cell=cell,
                        government=government,
                        threshold=threshold,
                        severity=verdict[1],
                    )
                )
    return findings


def _question_cell(
    cells: Cells, hidden: Mask, node: int, t: int, column: int, k: int
) -> Cell | None:
    """The published score of one question cell (None when hidden or nobody answered)."""
    result = make_result(
        node="",
        dimension="",
        respondent_type="",
        score=float(cells.mean[node, t, column]),
        se=float(cells.se[node, t, column]),
        n=int(cells.n[node, t, column]),
        k=k,
        hidden=bool(hidden[node, t, column]),
    )
    return _published(result)


@transaction.atomic
def detect(*, run: IndexRun) -> Summary:
    """Find the weak points of the run's wave and bring the stored ones up to date.

    New findings are stored as open; findings already stored get the new figures (their status
    is kept); stored weak points no longer found are deleted when still open, and kept with
    ``still_weak=False`` when an inspector already acted on them. One audit event on the wave.

    Rows are written with prepared statements, not model instances: a national wave can have
    tens of thousands of weak points (see docs/weak-points.md for timings).
    """
    wave = run.wave
    findings = find(run)
    existing: dict[tuple[int, str, int | None, str], tuple[int, str, bool]] = {
        (unit_id, dimension, question_id, type_name): (pk, status, still_weak)
        for pk, unit_id, dimension, question_id, type_name, status, still_weak in (
            WeakPoint.objects.filter(wave=wave)
            .order_by()
            .values_list(
                "pk",
                "unit_id",
                "dimension",
                "question_id",
                "respondent_type",
                "status",
                "still_weak",
            )
            .iterator(chunk_size=BATCH_SIZE)
        )
    }
    before = sum(1 for _, _, still in existing.values() if still) if existing else None
    created: list[Finding] = []
    updated: list[list[Any]] = []
    for finding in findings:
        hit = existing.pop(finding.key, None)
        if hit is None:
            created.append(finding)
        else:
            updated.append([*_figures(finding), hit[0]])
    gone = list(existing.values())
    removed = [pk for pk, status, _ in gone if status == WeakPoint.Status.OPEN]
    kept = [pk for pk, status, _ in gone if status != WeakPoint.Status.OPEN]
    for start in range(0, max(len(removed), len(kept)), BATCH_SIZE):
        WeakPoint.objects.filter(pk__in=removed[start : start + BATCH_SIZE]).delete()
        WeakPoint.objects.filter(pk__in=kept[start : start + BATCH_SIZE]).update(still_weak=False)
    _insert(wave, created)
    _update(updated)
    threshold = weak_threshold_for(run.method, wave_year(wave))
    summary = Summary(
        wave=wave.code,
        found=len(findings),
        dimensions=sum(1 for f in findings if f.question_id is None),
        questions=sum(1 for f in findings if f.question_id is not None),
        created=len(created),
        updated=len(updated),
        removed=len(removed),
        kept=len(kept),
        threshold=threshold,
    )
    audit.record(
        "indices.weak_points_detected",
        obj=wave,
        changes={
            "weak_points": [before, summary.found],
            "weak_points_new": [None, summary.created],
            "weak_points_removed": [None, summary.removed],
            "weak_points_kept": [None, summary.kept],
            "weak_threshold": [None, threshold],
        },
    )
    return summary


def _figures(finding: Finding) -> list[Any]:
    """The values of ``FIGURES`` for a finding (still weak, since it was found)."""
    cell, government = finding.cell, finding.government
    return [
        finding.dimension,
        str(finding.reason),
        cell.score,
        cell.n,
        cell.ci_low,
        cell.ci_high,
        government.score if government else None,
        government.ci_low if government else None,
        government.ci_high if government else None,
        finding.threshold,
        finding.severity,
        True,
    ]


def _executemany(sql: str, rows: list[list[Any]]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


def _insert(wave: Wave, findings: list[Finding]) -> None:
    """Insert new, open weak points: every column at its model default, prepared once, except
    the key, the figures and a fresh public id per row."""
    if not findings:
        return
    meta = WeakPoint._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    template = WeakPoint(wave=wave, detected_at=timezone.now())
    defaults = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields]
    position = {f.attname: i for i, f in enumerate(fields)}
    public_id = meta.get_field("public_id")
    keys = [position[name] for name in ("unit_id", "question_id", "respondent_type")]
    figures = [position[meta.get_field(name).attname] for name in FIGURES]  # type: ignore[union-attr]
    rows = []
    for finding in findings:
        row = list(defaults)
        row[position["public_id"]] = public_id.get_db_prep_save(uuid.uuid4(), connection)
        for index, value in zip(
            keys, (finding.unit_id, finding.question_id, finding.respondent_type), strict=True
        ):
            row[index] = value
        for index, value in zip(figures, _figures(finding), strict=True):
            row[index] = value
        rows.append(row)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    _executemany(
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})",  # noqa: S608 - names from the model, values bound
        rows,
    )


def _update(rows: list[list[Any]]) -> None:
    """Write ``FIGURES`` of stored weak points; each row is the figures, then the primary key.
    (``bulk_update`` builds a CASE expression per field and row: minutes for a national wave.)"""
    if not rows:
        return
    meta = WeakPoint._meta
    quote = connection.ops.quote_name
    assignments = ", ".join(
        f"{quote(str(meta.get_field(name).column))} = %s"  # type: ignore[union-attr]
        for name in FIGURES
    )
    pk = quote(str(meta.pk.column))
    _executemany(
        f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {pk} = %s",  # noqa: S608 - names from the model, values bound
        rows,
    )


def _decide(
    weak_point: WeakPoint,
    name: str,
    *,
    by: Any,
    fields: dict[str, Any],
    reason: str = "",
    changes: dict[str, list[Any]] | None = None,
    table: workflow.Table[workflow.Transition] = TRANSITIONS,
) -> None:
    """Take step ``name`` of ``table`` on a locked weak point: set ``fields``, save, write one
    event."""

    def effects(transition: workflow.Transition) -> list[str]:
        for field, value in fields.items():
            setattr(weak_point, field, value)
        return list(fields)

    try:
        workflow.apply(
            weak_point,
            name,
            table=table,
            reason=reason,
            effects=effects,
            changes=changes,
            actor=by,
        )
    except workflow.TransitionError as exc:
        raise ValidationError(
            _("This weak point is %(status)s; that decision is no longer possible.")
            % {"status": WeakPoint.Status(weak_point.status).label.lower()}
        ) from exc


@transaction.atomic
def request_recommendation(*, weak_point: WeakPoint, by: Any, note: str = "") -> WeakPoint:
    """Ask for a recommendation on an open weak point; the follow-up app picks it up later
    and fills ``recommendation_ref``."""
    weak_point = WeakPoint.objects.select_for_update().get(pk=weak_point.pk)
    note = note.strip()
    _decide(
        weak_point,
        "request",
        by=by,
        fields={"requested_at": timezone.now(), "requested_by": by, "request_note": note},
        changes={"request_note": ["", note]},
    )
    return weak_point


@transaction.atomic
def dismiss(*, weak_point: WeakPoint, by: Any, reason: str) -> WeakPoint:
    """Close an open weak point without a recommendation; the reason is required."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why this weak point needs no recommendation."))
    weak_point = WeakPoint.objects.select_for_update().get(pk=weak_point.pk)
    _decide(
        weak_point,
        "dismiss",
        by=by,
        reason=reason,
        fields={"dismissed_at": timezone.now(), "dismissed_by": by, "dismiss_reason": reason},
    )
    return weak_point


@transaction.atomic
def link_recommendation(*, weak_point: WeakPoint, ref: str, by: Any) -> WeakPoint:
    """Record that the recommendation ``ref`` (its code) was written for an open or requested
    weak point: it becomes "recommendation requested" (by ``by``, now, when nobody had asked
    yet) and keeps ``ref``. A weak point answers to one recommendation only."""
    weak_point = WeakPoint.objects.select_for_update().get(pk=weak_point.pk)
    if weak_point.recommendation_ref:
        raise ValidationError(
            {"weak_point": _("A recommendation was already made for this weak point.")}
        )
    fields: dict[str, Any] = {"recommendation_ref": ref}
    if weak_point.status == WeakPoint.Status.OPEN:
        fields.update(requested_at=timezone.now(), requested_by=by)
    _decide(
        weak_point,
        "recommend",
        by=by,
        fields=fields,
        changes={"recommendation_ref": ["", ref]},
        table=FOLLOW,
    )
    return weak_point


@transaction.atomic
def follow_recommendation(*, weak_point_id: int, step: str) -> WeakPoint | None:
    """Move a weak point along with its recommendation: ``address`` when the recommendation is
    issued, ``resolve`` when it is closed, ``reopen`` when a closed one is reopened. Nothing
    happens when the weak point is already there or cannot get there from where it is (for
    example resolved before); the event's actor is whoever acts on the recommendation. Returns the weak point when it moved."""
    weak_point = WeakPoint.objects.select_for_update().filter(pk=weak_point_id).first()
    if weak_point is None:
        return None
    transition = FOLLOW[step]
    if weak_point.status not in transition.sources:
        return None
    _decide(weak_point, step, by=None, fields={}, table=FOLLOW)
    return weak_point
