"""Gratification statistics of a year: reports (and their estimated values) by the reporter's
unit, occasion, kind of object, value band and month of report, with small numbers withheld;
and the decision to publish a year's statistics on the portal.

Small numbers are withheld as the whistleblowing statistics withhold them (``lib.suppression``):
in each breakdown a group of 1 to k − 1 reports shows "< k", and since the total is shown,
further small groups show "≥ k" until subtraction cannot recover the hidden ones. A withheld
group's value is withheld with its count. k is ``GRATIFICATION_STATS_MIN_GROUP`` (5 by default):
a unit with one report in a month says who reported. The same figures serve the staff page, its
XLSX and the portal, so the portal never shows more than the staff page.

Publishing is a decision of the Inspectorate or the UPG's head, audited; unpublishing needs a
reason and keeps the row (``StatisticsPublication``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from integritas.core import policy
from integritas.core.models import INSPECTORATE_ROLES, Role
from integritas.core.services import publication as decisions
from integritas.lib.formatting import format_month
from integritas.lib.suppression import suppress
from integritas.prevention.models import (
    AuditAction,
    EventKind,
    GratificationReport,
    ObjectKind,
    StatisticsPublication,
)

#: Who decides what the portal shows of the register.
PUBLISHERS: frozenset[str] = INSPECTORATE_ROLES | {Role.UPG_HEAD}

# Value bands in whole Rupiah: (upper bound exclusive, label). The last band has no upper bound.
VALUE_BANDS: list[tuple[int | None, Any]] = [
    (500_000, gettext_lazy("Below Rp500,000")),
    (1_500_000, gettext_lazy("Rp500,000 to below Rp1,500,000")),
    (5_000_000, gettext_lazy("Rp1,500,000 to below Rp5,000,000")),
    (25_000_000, gettext_lazy("Rp5,000,000 to below Rp25,000,000")),
    (None, gettext_lazy("Rp25,000,000 or more")),
]


def min_group() -> int:
    return int(settings.GRATIFICATION_STATS_MIN_GROUP)


def value_band(value: int) -> str:
    """The band of ``value`` as its index, a string key ("0", "1", ...)."""
    for index, (upper, _label) in enumerate(VALUE_BANDS):
        if upper is None or value < upper:
            return str(index)
    return str(len(VALUE_BANDS) - 1)


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    count: int | None  # None: withheld
    value: int | None  # the sum of estimated values; None with a withheld count
    withheld: str = ""  # "< k" or "≥ k"


@dataclass(frozen=True)
class Breakdown:
    name: str
    title: str
    lines: list[Line]
    total: int
    total_value: int


@dataclass(frozen=True)
class Statistics:
    year: int
    k: int
    total: int
    total_value: int
    breakdowns: list[Breakdown]

    def rows(self) -> list[list[Any]]:
        """The table as exported: one row per line, withheld figures left empty."""
        rows: list[list[Any]] = []
        for b in self.breakdowns:
            rows += [[b.title, line.label, line.count, line.value] for line in b.lines]
            rows.append([b.title, _("Total"), b.total, b.total_value])
        return rows


def _breakdown(
    name: str,
    title: str,
    reports: Sequence[GratificationReport],
    key: Callable[[GratificationReport], str],
    order: Sequence[str],
    label: Callable[[str], str],
    k: int,
) -> Breakdown:
    counts: Counter[str] = Counter()
    values: dict[str, int] = defaultdict(int)
    for report in reports:
        counts[key(report)] += 1
        values[key(report)] += report.value
    rank = {v: i for i, v in enumerate(order)}
    ordered = {v: counts[v] for v in sorted(counts, key=lambda v: (rank.get(v, len(rank)), v))}
    hidden = suppress(ordered, k)
    lines = [
        Line(v, label(v), None, None, f"< {k}" if n < k else f"≥ {k}")
        if v in hidden
        else Line(v, label(v), n, values[v])
        for v, n in ordered.items()
    ]
    return Breakdown(name, title, lines, sum(counts.values()), sum(values.values()))


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return format_month(dt.date(int(year), int(month), 1), get_language() or "id")


def compute(
    reports: Iterable[GratificationReport], year: int, *, k: int | None = None
) -> Statistics:
    """The breakdowns of ``reports`` (give it one year's)."""
    k = k or min_group()
    rows = list(reports)
    units: dict[str, str] = {}
    for r in rows:
        if r.reporter_unit is not None:
            units[r.reporter_unit.code] = f"{r.reporter_unit.code} — {r.reporter_unit.name}"
    no_unit = _("No unit named")
    bands = [str(i) for i in range(len(VALUE_BANDS))]
    breakdowns = [
        _breakdown(
            "unit",
            _("Reporter's unit"),
            rows,
            lambda r: r.reporter_unit.code if r.reporter_unit else "",
            [*sorted(units), ""],
            lambda v: units.get(v, no_unit),
            k,
        ),
        _breakdown(
            "event",
            _("Occasion"),
            rows,
            lambda r: r.event,
            EventKind.values,
            lambda v: str(EventKind(v).label),
            k,
        ),
        _breakdown(
            "object_kind",
            _("Kind of object"),
            rows,
            lambda r: r.object_kind,
            ObjectKind.values,
            lambda v: str(ObjectKind(v).label),
            k,
        ),
        _breakdown(
            "value_band",
            _("Estimated value"),
            rows,
            lambda r: value_band(r.value),
            bands,
            lambda v: str(VALUE_BANDS[int(v)][1]),
            k,
        ),
        _breakdown(
            "month",
            _("Month reported"),
            rows,
            lambda r: r.reported_on.strftime("%Y-%m"),
            [],
            _month_label,
            k,
        ),
    ]
    return Statistics(
        year=year,
        k=k,
        total=len(rows),
        total_value=sum(r.value for r in rows),
        breakdowns=breakdowns,
    )


def for_year(year: int) -> Statistics:
    """The statistics of the reports made in ``year``."""
    reports = GratificationReport.objects.filter(reported_on__year=year).select_related(
        "reporter_unit"
    )
    return compute(reports, year)


def years() -> list[int]:
    """The years with reports, newest first."""
    dates = GratificationReport.objects.dates("reported_on", "year", order="DESC")
    return [d.year for d in dates]


# Publishing ---------------------------------------------------------------------------------


def may_publish(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and policy.grants(user).has_global(
        *PUBLISHERS
    )


def published_years() -> list[int]:
    """The years whose statistics are on the portal now, newest first."""
    return list(
        StatisticsPublication.objects.live().order_by("-year").values_list("year", flat=True)
    )


def live(year: int) -> StatisticsPublication | None:
    return StatisticsPublication.objects.live().filter(year=year).first()


def _check(user: Any) -> None:
    if not may_publish(user):
        raise PermissionDenied(_("Only the Inspectorate and the UPG's head publish on the portal."))


@transaction.atomic
def publish(*, year: int, by: Any) -> StatisticsPublication:
    """Put ``year``'s statistics on the portal; refused for a year without reports or one
    already published."""
    _check(by)
    if not GratificationReport.objects.filter(reported_on__year=year).exists():
        raise ValidationError(_("There is no gratification report in this year to publish."))
    if year > timezone.localdate().year:
        raise ValidationError(_("This year has not begun."))
    return decisions.publish(
        StatisticsPublication,
        key={"year": year},
        by=by,
        event=AuditAction.STATISTICS_PUBLISHED,
        changes={"year": [None, year]},
        object_label=str(year),
    )


@transaction.atomic
def unpublish(*, year: int, by: Any, reason: str) -> StatisticsPublication:
    """Take ``year``'s statistics off the portal, with the reason the record keeps."""
    _check(by)
    return decisions.unpublish(
        StatisticsPublication,
        key={"year": year},
        by=by,
        reason=reason,
        event=AuditAction.STATISTICS_UNPUBLISHED,
        changes={"year": [year, None]},
        object_label=str(year),
    )
