"""The data behind the index dashboards, read from stored results (``IndexRun``/``IndexResult``).

Nothing here computes an index: the engine did, and its cells are read back. What this module
decides is *which* cells a person sees and in which order:

- Unit staff see the rows of their own units (``policy.scope(user, Unit)``) and the
  government-wide figures (node ``ALL``); everyone else who can see the wave sees every unit.
- A suppressed cell (fewer respondents than the wave's smallest group, or hidden so that a small
  one cannot be worked out by subtraction) carries no score in the database; here it stays
  ``None`` and every page, chart, export and PDF shows "—" for it. Its count is not shown
  either: "< k" or "≥ k" instead (``withheld_count``).

The colour of a heatmap cell follows the method's year-versioned bands when it has them (SKM
grades, SPI categories), else a linear scale over the scores shown.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from integritas.core import policy
from integritas.core.models import Unit
from integritas.indices.engine import ConfigError, validate_config
from integritas.indices.models import IndexResult, IndexRun, MethodSetting
from integritas.indices.services import dashboard_cache
from integritas.indices.services.settings import wave_year
from integritas.lib import charts, suppression
from integritas.lib.formatting import format_number
from integritas.surveys.models import Dimension, Instrument, RespondentType, Wave
from integritas.surveys.services import waves as survey_waves

OVERALL = "ALL"  # node of the whole government and dimension of the composite index
ALL_TYPES = "all"
GROUP_PREFIX = "group:"
GROUP_LABELS = {
    "internal": gettext_lazy("Internal respondents (employees)"),
    "external": gettext_lazy("External respondents (service users, vendors)"),
    "expert": gettext_lazy("Experts"),
}
# What the SKM grade letters mean (PermenPANRB 14/2017).
GRADE_MEANINGS = {
    "A": gettext_lazy("very good"),
    "B": gettext_lazy("good"),
    "C": gettext_lazy("not good"),
    "D": gettext_lazy("poor"),
}
SORTS = ("-score", "score", "name", "-n")


def withheld_count(n: int, suppressed: bool, k: int) -> str:
    """What a result shows instead of its respondent count, or "" when the count may be shown.

    A withheld result never shows its exact count (with the published counts around it, that
    would tell how many are in the small group it protects): "< k" when it has 1 to k − 1
    respondents, "≥ k" when it was hidden to protect another result. A result of nobody shows 0.
    """
    if not suppressed or n == 0:
        return ""
    return f"< {k}" if n < k else f"≥ {k}"


def shown_count(n: int, suppressed: bool, k: int) -> int | str:
    """The count as exports and JSON give it: the number, or "< k" / "≥ k" when withheld."""
    return withheld_count(n, suppressed, k) or n


@dataclass(frozen=True)
class Cell:
    """One stored result as the pages show it; ``score`` is None when suppressed, and so is ``n``
    (then ``withheld`` says "< k" or "≥ k")."""

    score: float | None
    n: int | None
    ci_low: float | None
    ci_high: float | None
    grade: str
    suppressed: bool
    level: int | None = None  # heat colour step, None when there is no score
    withheld: str = ""

    @property
    def count(self) -> int | str | None:
        """The respondent count to show or export: the number, or the withheld bound."""
        return self.withheld or self.n

    @property
    def grade_meaning(self) -> str:
        meaning = GRADE_MEANINGS.get(self.grade)
        return str(meaning) if meaning else ""


@dataclass(frozen=True)
class Column:
    code: str
    label: str


@dataclass(frozen=True)
class Scale:
    """The heatmap's colour scale: per step, a label and the range it covers."""

    steps: list[tuple[int, str]]
    banded: bool
    bands: list[tuple[float, float]] = field(default_factory=list)
    low: float = 0.0
    high: float = 100.0

    def level(self, score: float | None) -> int | None:
        if self.banded:
            return charts.band_level(score, self.bands)
        return charts.heat_level(score, self.low, self.high)


@dataclass
class UnitRow:
    code: str
    name: str
    overall: Cell | None
    cells: list[Cell | None]
    rank: int | None = None


@dataclass(frozen=True)
class UnitRef:
    """What the responses table shows of a unit (light to keep in the cache)."""

    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class ProgressRow:
    """A unit's responses so far, as the results page shows them: a count that small-group
    suppression hides reads "< k" (or "≥ k"), and then no response rate is given either."""

    unit: UnitRef
    target: int | None
    responses: int | str
    percent: float | None

    @property
    def responses_text(self) -> str:
        return count_text(self.responses)


def progress_rows(progress: Sequence[survey_waves.UnitProgress], k: int) -> list[ProgressRow]:
    """Rows of the responses table, with the counts suppressed as any breakdown of the wave:
    small counts, and (since the page gives the total) the smallest others until the hidden
    ones hold at least k together (``lib.suppression``)."""
    counts = {row.wave_unit.unit_id: row.responses for row in progress}
    hidden = suppression.suppress(counts, k, total_published=True)
    rows = []
    for row in progress:
        unit_id = row.wave_unit.unit_id
        withheld = unit_id in hidden
        rows.append(
            ProgressRow(
                unit=UnitRef(unit_id, row.wave_unit.unit.code, row.wave_unit.unit.name),
                target=row.wave_unit.target,
                responses=withheld_count(row.responses, True, k) if withheld else row.responses,
                percent=None if withheld else row.percent,
            )
        )
    return rows


@dataclass
class WaveDashboard:
    wave: Wave
    run: IndexRun | None
    method_label: str
    precision: int
    respondent_type: str
    respondent_types: list[tuple[str, str]]
    headline: Cell | None
    dimensions: list[Column]
    dimension_cells: list[tuple[Column, Cell | None]]
    units: list[UnitRow]
    scale: Scale | None
    progress: list[ProgressRow]
    # Ranks are government-wide positions; someone who sees only some units gets none, since a
    # rank among their own units would mislead and a rank among all would tell about the others.
    ranked: bool = True
    total: Cell | None = None  # the government's overall result over all respondents
    # The ranking lists one level of the unit tree (1 = directly under the government): a
    # unit's result covers its sub-units, so units of different levels are not comparable, and
    # a parent that answered only through one sub-unit would stand beside it with its figures.
    level: int = 1
    levels: list[tuple[int, str]] = field(default_factory=list)
    # Points the integrity index subtracts from the government's overall result (only there).
    correction: float = 0.0

    @property
    def responses(self) -> int | str | None:
        return responses_shown(self.run, self.total)

    @property
    def responses_text(self) -> str:
        return count_text(self.responses)

    @property
    def has_results(self) -> bool:
        return self.run is not None


def type_label(code: str) -> str:
    if code == ALL_TYPES:
        return _("All respondents")
    try:
        return str(RespondentType(code).label)
    except ValueError:
        return code


def method_label(method: str) -> str:
    try:
        return str(MethodSetting.Method(method).label)
    except ValueError:
        return method


def dimension_columns(wave: Wave) -> list[Column]:
    """The instrument's scored dimensions in questionnaire order, named in the active language."""
    return [
        Column(d.code, d.text("name"))
        for d in Dimension.objects.filter(version_id=wave.version_id).order_by("order", "code")
    ]


def dimension_label(code: str, names: dict[str, str]) -> str:
    if code == OVERALL:
        return _("Overall index")
    if code.startswith(GROUP_PREFIX):
        group = code[len(GROUP_PREFIX) :]
        return str(GROUP_LABELS.get(group, group))
    return names.get(code, code)


def latest_run(user: Any, wave: Wave) -> IndexRun | None:
    """The wave's stored computation, if the user may see it."""
    return (
        policy.scope(user, IndexRun)
        .filter(wave=wave)
        .defer("node_digests")
        .order_by("-computed_at")
        .first()
    )


def full_config(run: IndexRun) -> dict[str, Any]:
    try:
        return validate_config(run.method, run.config)
    except (ConfigError, LookupError):
        return dict(run.config)


def k_of(run: IndexRun) -> int:
    """The smallest group the run's results were computed with."""
    return int(full_config(run).get("k", run.wave.min_group_size))


def precision_of(run: IndexRun | None) -> int:
    if run is None:
        return 2
    return int(full_config(run).get("precision", 2))


def _bands(run: IndexRun) -> list[tuple[str, float, float]]:
    config = full_config(run)
    raw = config.get("grades") or config.get("categories") or ()
    bands = [(str(label), float(low), float(high)) for label, low, high in raw]
    return sorted(bands, key=lambda band: band[1])


def _short(value: float) -> str:
    """A cut-off as written in the rules ("72,9", "76,61"), with the reader's decimal sign."""
    text = f"{value:g}"
    return text.replace(".", ",") if (get_language() or "id")[:2] != "en" else text


def scale_for(run: IndexRun, scores: Iterable[float | None]) -> Scale:
    """Bands of the method when it has them, else five equal steps over the scores shown."""
    bands = _bands(run)
    if bands:
        plain = [(low, high) for _label, low, high in bands]
        steps = [
            (
                charts.band_level((low + high) / 2, plain) or 0,
                f"{label} ({_short(low)}–{_short(high)})",
            )
            for label, low, high in bands
        ]
        return Scale(steps=steps, banded=True, bands=plain)
    values = [s for s in scores if s is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    steps = [
        (step, f"{_short(round(start, 2))}–{_short(round(end, 2))}")
        for step, start, end in charts.linear_legend(low, high)
    ]
    return Scale(steps=steps, banded=False, low=low, high=high)


Raw = tuple[str, str, float | None, int, float | None, float | None, str, bool]


def _cells(run: IndexRun, respondent_type: str, nodes: set[str] | None) -> list[Raw]:
    qs = IndexResult.objects.filter(run=run, respondent_type=respondent_type)
    if nodes is not None:
        qs = qs.filter(node__in=nodes)
    return list(
        qs.values_list(
            "node", "dimension", "score", "n", "ci_low", "ci_high", "grade", "suppressed"
        )
    )


def _cell(raw: Raw, scale: Scale | None, k: int) -> Cell:
    _node, _dim, score, n, ci_low, ci_high, grade, suppressed = raw
    if suppressed:
        # Stored as NULL already; never trust a value on a suppressed row, nor show its count.
        withheld = withheld_count(n, True, k)
        return Cell(None, None if withheld else n, None, None, "", True, None, withheld)
    return Cell(score, n, ci_low, ci_high, grade, False, scale.level(score) if scale else None)


def visible_unit_codes(user: Any) -> dict[str, str] | None:
    """Code → name of the units whose rows the user may see; None = every unit."""
    seen = policy.scope(user, Unit)
    counts = Unit.objects.aggregate(
        every=Count("pk"), seen=Count("pk", filter=Q(pk__in=seen.values("pk")))
    )
    if counts["seen"] == counts["every"]:
        return None
    return dict(seen.values_list("code", "name"))


def respondent_types_of(run: IndexRun) -> list[str]:
    present = set(
        IndexResult.objects.filter(run=run, node=OVERALL, dimension=OVERALL).values_list(
            "respondent_type", flat=True
        )
    )
    return [ALL_TYPES, *sorted(t for t in present if t != ALL_TYPES)]


def unit_levels() -> dict[str, int]:
    """Unit code → level in the unit tree: 1 for a unit directly under the government, 2 for
    one under such a unit, and so on."""
    parents: dict[str, str | None] = dict(Unit.objects.values_list("code", "parent__code"))
    levels: dict[str, int] = {}
    for code in parents:
        chain: list[str] = []
        node: str | None = code
        while node is not None and node not in levels and node not in chain:
            chain.append(node)
            node = parents.get(node)
        base = levels.get(node, 0) if node is not None else 0
        for depth, member in enumerate(reversed(chain), start=1):
            levels[member] = base + depth
    return levels


def level_label(level: int) -> str:
    if level == 1:
        return _("Top-level units (directly under the government)")
    return _("Units at level %(level)d") % {"level": level}


def sort_units(rows: list[UnitRow], sort: str) -> list[UnitRow]:
    """Rank by overall score (1 = best, ties share a rank), then order as asked.

    Rows without a score (suppressed or missing) always come last.
    """
    scored = sorted(
        (r for r in rows if r.overall and r.overall.score is not None),
        key=lambda r: -(r.overall.score or 0.0),  # type: ignore[union-attr]
    )
    previous: float | None = None
    for position, row in enumerate(scored, start=1):
        score = row.overall.score if row.overall else None
        row.rank = position if score != previous else scored[position - 2].rank
        previous = score
    unscored = sorted((r for r in rows if r not in scored), key=lambda r: r.name)
    if sort == "score":
        scored = list(reversed(scored))
    elif sort == "name":
        return sorted(rows, key=lambda r: (r.name, r.code))
    elif sort == "-n":
        return sorted(rows, key=lambda r: (-((r.overall.n if r.overall else 0) or 0), r.name))
    return scored + unscored


def wave_dashboard(
    *,
    user: Any,
    wave: Wave,
    respondent_type: str = ALL_TYPES,
    sort: str = "-score",
    level: int | None = None,
) -> WaveDashboard:
    """Everything the wave page, its exports and its PDF show, for this user; the ranking and
    the heatmap list the units of ``level`` (the highest level with results when not given or
    when no unit of the wave is at that level)."""
    return _board(
        wave=wave,
        run=latest_run(user, wave),
        visible=visible_unit_codes(user),
        unit_ids=policy.scope(user, Unit).values_list("pk", flat=True),
        respondent_type=respondent_type,
        sort=sort,
        level=level,
    )


def whole_government_dashboard(
    wave: Wave, *, respondent_type: str = ALL_TYPES, sort: str = "-score", level: int | None = None
) -> WaveDashboard:
    """The wave's dashboard as someone who sees every unit sees it, for pages shown to no
    particular person (the public portal, once the wave's results are published there): the
    same cells, suppression and withheld counts as ``wave_dashboard``."""
    return _board(
        wave=wave,
        run=IndexRun.objects.filter(wave=wave)
        .defer("node_digests")
        .order_by("-computed_at")
        .first(),
        visible=None,
        unit_ids=Unit.objects.values_list("pk", flat=True),
        respondent_type=respondent_type,
        sort=sort,
        level=level,
    )


def _board(
    *,
    wave: Wave,
    run: IndexRun | None,
    visible: dict[str, str] | None,
    unit_ids: Any,
    respondent_type: str,
    sort: str,
    level: int | None,
) -> WaveDashboard:
    if run is None:
        return WaveDashboard(
            wave=wave,
            run=None,
            method_label="",
            precision=2,
            respondent_type=ALL_TYPES,
            respondent_types=[],
            headline=None,
            dimensions=dimension_columns(wave),
            dimension_cells=[],
            units=[],
            scale=None,
            progress=progress_rows(
                survey_waves.progress(wave, units=unit_ids), wave.min_group_size
            ),
        )
    return dashboard_cache.board(
        wave=wave,
        run=run,
        visible=visible,
        parts=("wave", wave.pk, respondent_type, sort, level),
        pack=_packed_board,
        build=lambda: _built_board(
            wave=wave,
            run=run,
            visible=visible,
            progress=progress_rows(
                survey_waves.progress(wave, units=unit_ids), wave.min_group_size
            ),
            columns=dimension_columns(wave),
            respondent_type=respondent_type,
            sort=sort,
            level=level,
        ),
    )


def _packed_board(board: WaveDashboard) -> WaveDashboard:
    """The board as the cache keeps it: no wave or run, its rows as tuples."""
    return dataclasses.replace(
        board,
        wave=None,  # type: ignore[arg-type]
        run=None,
        units=dashboard_cache.Packed([_row_tuple(r) for r in board.units], _unpack_row),  # type: ignore[arg-type]
        progress=dashboard_cache.Packed(  # type: ignore[arg-type]
            [
                (r.unit.pk, r.unit.code, r.unit.name, r.target, r.responses, r.percent)
                for r in board.progress
            ],
            _unpack_progress,
        ),
    )


def _cell_tuple(cell: Cell | None) -> tuple[Any, ...] | None:
    return None if cell is None else dataclasses.astuple(cell)


def _row_tuple(row: UnitRow) -> tuple[Any, ...]:
    cells = tuple(_cell_tuple(c) for c in row.cells)
    return (row.code, row.name, _cell_tuple(row.overall), cells, row.rank)


def unit_tuples(board: WaveDashboard) -> Iterable[tuple[Any, ...]]:
    """The board's unit rows as kept (``_row_tuple``), for downloads that read every row: no
    object is made per cell."""
    units = board.units
    if isinstance(units, dashboard_cache.Packed):
        return units.packed()
    return (_row_tuple(row) for row in units)


def _unpack_row(packed: tuple[Any, ...]) -> UnitRow:
    code, name, overall, cells, rank = packed
    unpacked = [None if c is None else Cell(*c) for c in cells]
    return UnitRow(code, name, None if overall is None else Cell(*overall), unpacked, rank)


def _unpack_progress(packed: tuple[Any, ...]) -> ProgressRow:
    pk, code, name, target, responses, percent = packed
    return ProgressRow(UnitRef(pk, code, name), target, responses, percent)


def _built_board(
    *,
    wave: Wave,
    run: IndexRun,
    visible: dict[str, str] | None,
    progress: list[ProgressRow],
    columns: list[Column],
    respondent_type: str,
    sort: str,
    level: int | None,
) -> WaveDashboard:
    types = respondent_types_of(run)
    if respondent_type not in types:
        respondent_type = ALL_TYPES
    nodes = None if visible is None else {*visible, OVERALL}
    raw = _cells(run, respondent_type, nodes)
    shown_scores = [r[2] for r in raw if r[0] != OVERALL and not r[7]]
    scale = scale_for(run, shown_scores)
    names = {c.code: c.label for c in columns}
    by_node: dict[str, dict[str, Cell]] = defaultdict(dict)
    k = k_of(run)
    for r in raw:
        by_node[r[0]][r[1]] = _cell(r, scale, k)
    government = by_node.pop(OVERALL, {})
    total = government.get(OVERALL)
    if respondent_type != ALL_TYPES:
        overall = _cells(run, ALL_TYPES, {OVERALL})
        total = next((_cell(r, None, k) for r in overall if r[1] == OVERALL), None)
    dimension_codes = [c.code for c in columns]
    extra = sorted(
        d for d in government if d not in names and d != OVERALL and d.startswith(GROUP_PREFIX)
    )
    dimension_cells = [(c, government.get(c.code)) for c in columns] + [
        (Column(code, dimension_label(code, names)), government.get(code)) for code in extra
    ]
    unit_names = visible if visible is not None else dict(Unit.objects.values_list("code", "name"))
    rows = [
        UnitRow(
            code=node,
            name=unit_names.get(node, node),
            overall=cells.get(OVERALL),
            cells=[cells.get(code) for code in dimension_codes],
        )
        for node, cells in by_node.items()
        if node in unit_names
    ]
    levels = unit_levels()
    present = sorted({levels.get(r.code, 1) for r in rows})
    chosen = level if level in present else (present[0] if present else 1)
    rows = [r for r in rows if levels.get(r.code, 1) == chosen]
    units = sort_units(rows, sort if sort in SORTS else "-score")
    if visible is not None:
        for unit_row in units:
            unit_row.rank = None
    return WaveDashboard(
        wave=wave,
        run=run,
        method_label=method_label(run.method),
        precision=precision_of(run),
        respondent_type=respondent_type,
        respondent_types=[(t, type_label(t)) for t in types],
        headline=government.get(OVERALL),
        dimensions=columns,
        dimension_cells=dimension_cells,
        units=units,
        scale=scale,
        progress=progress,
        ranked=visible is None,
        total=total,
        level=chosen,
        levels=[(number, level_label(number)) for number in present],
        correction=float(full_config(run).get("correction") or 0.0)
        if run.method == "integrity" and respondent_type == ALL_TYPES
        else 0.0,
    )


# --- charts -------------------------------------------------------------------------------------


def number_formatter(precision: int, lang: str) -> Any:
    return lambda value: format_number(value, precision, lang)


def dimension_chart(board: WaveDashboard, lang: str) -> str:
    """Bars of the government's score per dimension (suppressed dimensions draw "—")."""
    scores = [cell.score for _column, cell in board.dimension_cells if cell and cell.score]
    top = max(scores, default=100.0)
    # Indices on 0–100, or perception scores on 1–4 (or 1–6) scales (zi_perception).
    maximum = 100.0 if top > 10 else 4.0 if top <= 4 else 6.0
    bars = [
        charts.Bar(column.label, cell.score if cell else None)
        for column, cell in board.dimension_cells
    ]
    return charts.bar_chart(
        bars,
        title=_("Score per dimension, whole government"),
        maximum=maximum,
        minimum=0.0,
        fmt=number_formatter(board.precision, lang),
    )


# --- overview and year pages ---------------------------------------------------------------------


@dataclass
class WaveSummary:
    wave: Wave
    year: int
    run: IndexRun | None
    headline: Cell | None
    method_label: str
    precision: int = 2

    @property
    def responses(self) -> int | str | None:
        return responses_shown(self.run, self.headline)

    @property
    def responses_text(self) -> str:
        return count_text(self.responses)


def count_text(count: int | str | None) -> str:
    """A count in the reader's number format, a withheld bound as it is, None as ""."""
    if count is None or isinstance(count, str):
        return count or ""
    return format_number(count, 0, (get_language() or "id")[:2])


def responses_shown(run: IndexRun | None, total: Cell | None) -> int | str | None:
    """The number of responses a run was computed from, as pages and exports show it: withheld
    ("< k" or "≥ k") like the government's overall result when that is withheld, since the two
    counts are (nearly) the same."""
    if run is None:
        return None
    if total is not None and total.withheld:
        return total.withheld
    return run.response_count


def waves_with_results(user: Any) -> QuerySet[Wave]:
    return (
        policy.scope(user, Wave)
        .filter(index_runs__isnull=False)
        .distinct()
        .select_related("version__instrument", "fiscal_year")
        .order_by("-opens_on", "code")
    )


def summaries(user: Any, waves: Sequence[Wave]) -> list[WaveSummary]:
    """Each wave with its run and headline index (government-wide, all respondents)."""
    runs: dict[int, IndexRun] = {}
    stored_runs = policy.scope(user, IndexRun).filter(wave__in=waves).defer("node_digests")
    for stored in stored_runs.order_by("computed_at"):
        runs[stored.wave_id] = stored  # the latest wins
    government = dashboard_cache.government_results(
        list(runs.values()), node=OVERALL, respondent_type=ALL_TYPES
    )
    headlines = {pk: cells[OVERALL] for pk, cells in government.items() if OVERALL in cells}
    result = []
    for wave in waves:
        run = runs.get(wave.pk)
        headline = None
        if run is not None and run.pk in headlines:
            score, n, ci_low, ci_high, grade, suppressed = headlines[run.pk]
            raw: Raw = (OVERALL, OVERALL, score, n, ci_low, ci_high, grade, suppressed)
            scale = Scale([], True, [(b[1], b[2]) for b in _bands(run)])
            headline = _cell(raw, scale, k_of(run))
        result.append(
            WaveSummary(
                wave=wave,
                year=wave_year(wave),
                run=run,
                headline=headline,
                method_label=method_label(run.method) if run else "",
                precision=precision_of(run),
            )
        )
    return result


def waves_of_year(user: Any, year: int) -> list[Wave]:
    return list(
        policy.scope(user, Wave)
        .filter(Q(fiscal_year__year=year) | Q(fiscal_year__isnull=True, opens_on__year=year))
        .select_related("version__instrument", "fiscal_year")
        .order_by("version__instrument__code", "opens_on", "code")
    )


@dataclass
class Trend:
    """One instrument's government-wide scores across its waves, oldest first."""

    instrument: Instrument
    points: list[WaveSummary]
    overall: list[float | None]
    dimensions: list[tuple[Column, list[float | None]]]
    precision: int

    @property
    def labels(self) -> list[str]:
        years = [p.year for p in self.points]
        return [
            str(p.year) if years.count(p.year) == 1 else f"{p.year} {p.wave.code}"
            for p in self.points
        ]


def trend(user: Any, instrument: Instrument) -> Trend:
    """Overall and per-dimension scores (node ALL, all respondents) of every visible wave of the
    instrument that has results; dimensions are matched across versions by code."""
    waves = list(
        policy.scope(user, Wave)
        .filter(version__instrument=instrument, index_runs__isnull=False)
        .distinct()
        .select_related("fiscal_year", "version")
    )
    points = sorted(summaries(user, waves), key=lambda s: (s.year, s.wave.opens_on, s.wave.code))
    latest = points[-1].wave if points else None
    columns = dimension_columns(latest) if latest else []
    runs = [p.run for p in points if p.run]
    values: dict[tuple[int, str], float | None] = {
        (run_id, dim): None if suppressed else score
        for run_id, cells in dashboard_cache.government_results(
            runs, node=OVERALL, respondent_type=ALL_TYPES
        ).items()
        for dim, (score, _n, _low, _high, _grade, suppressed) in cells.items()
    }

    def series(code: str) -> list[float | None]:
        return [values.get((p.run.pk, code)) if p.run else None for p in points]

    return Trend(
        instrument=instrument,
        points=points,
        overall=series(OVERALL),
        dimensions=[(c, series(c.code)) for c in columns],
        precision=precision_of(points[-1].run if points else None),
    )


def trend_charts(t: Trend, lang: str) -> tuple[str, str]:
    """The overall line and the per-dimension lines of a trend, as two SVG charts."""
    fmt = number_formatter(t.precision, lang)
    overall = charts.line_chart(
        [charts.Series(_("Overall index"), t.overall)],
        t.labels,
        title=_("Overall index over the years"),
        fmt=fmt,
    )
    per_dimension = charts.line_chart(
        [charts.Series(column.label, values) for column, values in t.dimensions],
        t.labels,
        title=_("Score per dimension over the years"),
        fmt=fmt,
    )
    return overall, per_dimension
