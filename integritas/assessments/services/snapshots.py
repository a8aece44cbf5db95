"""Score snapshots of an MCSP desk over time, and the chart that draws them.

A snapshot keeps the desk's projected and verified scores (total and per area, on 0–100) of one
day. It is taken on demand, automatically whenever KPK's verdicts are recorded (one per day,
brought up to date by each later verdict of that day), or entered by hand as KPK's published
score with its date and source. The chart draws the projected and verified lines and KPK's
published points over the year's colour bands; the page shows the same figures in a table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from integritas import audit
from integritas.assessments.models import (
    Assessment,
    ScoreAuditAction,
    ScoreSnapshot,
    SnapshotKind,
)
from integritas.assessments.services import desk, desk_progress
from integritas.core.models import User
from integritas.lib import charts
from integritas.lib.formatting import format_number

CENT = Decimal("0.01")
# Pale fills behind the lines, one per band colour (the badges' backgrounds).
BAND_FILLS = {"red": "#fee2e2", "yellow": "#fef9c3", "blue": "#dbeafe", "green": "#dcfce7"}
KPK_COLOUR = charts.PALETTE[1]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _values(assessment: Assessment) -> dict[str, Any]:
    board = desk_progress.score_board(assessment)
    return {
        "projected": _cents(board["projected"][0]),
        "verified": _cents(board["verified"][0]),
        "areas": {
            row["node"].code: {
                "projected": str(_cents(row["projected"][0])),
                "verified": str(_cents(row["verified"][0])),
            }
            for row in board["areas"]
        },
    }


@transaction.atomic
def take(*, assessment: Assessment, by: User) -> ScoreSnapshot:
    """A snapshot of today's scores, taken by the Inspectorate (audited)."""
    if not desk.is_inspectorate(by):
        raise PermissionDenied
    snapshot = ScoreSnapshot.objects.create(
        assessment=assessment,
        kind=SnapshotKind.ON_DEMAND,
        taken_on=timezone.localdate(),
        created_by=by,
        **_values(assessment),
    )
    audit.record(
        ScoreAuditAction.SNAPSHOT_TAKEN,
        obj=assessment,
        actor=by,
        changes={
            "projected": [None, str(snapshot.projected)],
            "verified": [None, str(snapshot.verified)],
        },
    )
    return snapshot


def after_verdicts(*, assessment: Assessment, by: User | None = None) -> ScoreSnapshot:
    """Today's automatic snapshot, created or brought up to date after KPK's verdicts."""
    snapshot, _created = ScoreSnapshot.objects.update_or_create(
        assessment=assessment,
        kind=SnapshotKind.VERDICT,
        taken_on=timezone.localdate(),
        defaults={**_values(assessment), "created_by": by},
    )
    return snapshot


def on_verdicts_recorded(sender: Any, *, assessment: Assessment, by: Any = None, **_: Any) -> None:
    """Receiver of ``signals.verdicts_recorded``."""
    after_verdicts(assessment=assessment, by=by)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            {"score": _("“%(value)s” is not a number.") % {"value": value}}
        ) from exc


@transaction.atomic
def record_kpk_score(
    *, assessment: Assessment, score: Any, on: dt.date, source: str, by: User
) -> ScoreSnapshot:
    """KPK's published score of ``on``, as read from ``source`` (its portal, a letter…)."""
    if not desk.is_inspectorate(by):
        raise PermissionDenied
    value = _decimal(score)
    errors: dict[str, str] = {}
    if not Decimal(0) <= value <= Decimal(100):
        errors["score"] = _("%(value)s is outside 0–100.") % {"value": value}
    if on > timezone.localdate():
        errors["on"] = _("This date cannot be in the future.")
    if not source.strip():
        errors["source"] = _("Say where KPK published the score.")
    if errors:
        raise ValidationError(errors)
    snapshot = ScoreSnapshot.objects.create(
        assessment=assessment,
        kind=SnapshotKind.KPK,
        taken_on=on,
        verified=_cents(value),
        source=source.strip()[:300],
        created_by=by,
    )
    audit.record(
        ScoreAuditAction.KPK_SCORE_RECORDED,
        obj=assessment,
        actor=by,
        changes={
            "score": [None, str(snapshot.verified)],
            "date": [None, on.isoformat()],
            "source": [None, snapshot.source],
        },
    )
    return snapshot


# --- The chart -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One day of the chart's table: the last computed scores and KPK's published score."""

    on: dt.date
    projected: Decimal | None
    verified: Decimal | None
    kpk: Decimal | None
    kpk_source: str


def rows(assessment: Assessment) -> list[Row]:
    """One row per day with a snapshot, oldest first; a later snapshot of a day wins."""
    days: dict[dt.date, dict[str, Any]] = {}
    for s in ScoreSnapshot.objects.filter(assessment=assessment).order_by("taken_on", "pk"):
        day = days.setdefault(
            s.taken_on, {"projected": None, "verified": None, "kpk": None, "kpk_source": ""}
        )
        if s.kind == SnapshotKind.KPK:
            day["kpk"], day["kpk_source"] = s.verified, s.source
        else:
            day["projected"], day["verified"] = s.projected, s.verified
    return [Row(on=on, **values) for on, values in sorted(days.items())]


def chart(assessment: Assessment, table: list[Row]) -> SafeString | None:
    """The scores over time as an inline SVG over the framework's colour bands (None without
    snapshots)."""
    if not table:
        return None
    lang = (get_language() or "id")[:2]
    ordered = sorted(assessment.framework.bands.all(), key=lambda b: b.lower)
    shaded = [
        charts.Band(
            low=float(band.lower),
            high=100.0 if i == len(ordered) - 1 else float(ordered[i + 1].lower),
            label=band.label or band.get_colour_display(),
            colour=BAND_FILLS.get(band.colour, "#f3f4f6"),
        )
        for i, band in enumerate(ordered)
    ]

    def series(values: list[Decimal | None]) -> list[float | None]:
        return [None if v is None else float(v) for v in values]

    lines = [
        charts.Series(_("Projected score"), series([r.projected for r in table])),
        charts.Series(_("Verified score"), series([r.verified for r in table]), show_values=True),
    ]
    if any(r.kpk is not None for r in table):
        lines.append(
            charts.Series(
                _("KPK's published score"),
                series([r.kpk for r in table]),
                colour=KPK_COLOUR,
                dashed=True,
            )
        )
    svg = charts.line_chart(
        lines,
        [f"{r.on.day:02d}/{r.on.month:02d}" for r in table],  # the year is in the title
        title=_("MCSP %(year)d scores over time") % {"year": assessment.framework.year},
        description=_(
            "Projected and verified scores of each snapshot and KPK's published score, on 0–100, "
            "over the year's colour bands. The same figures are in the table."
        ),
        minimum=0.0,
        maximum=100.0,
        bands=shaded,
        fmt=lambda value: format_number(value, 2, lang),
        tick_fmt=lambda value: format_number(value, 0, lang),
        height=260,
    )
    return mark_safe(svg)  # noqa: S308 - built by lib/charts, every label escaped
