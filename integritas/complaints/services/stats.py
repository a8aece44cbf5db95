"""Statistics of reports for the Inspectorate, from the plain routing fields
only: counts by channel, category, unit, status and month of receipt, and the median days to the
first response and to closure.

Small numbers are suppressed like survey figures (``surveys/suppression.py``): in each breakdown a
group of 1 to k − 1 reports is withheld, and since the total is shown, further small groups are
withheld until subtraction cannot recover the hidden ones. k is ``COMPLAINTS_STATS_MIN_GROUP``
(5 by default): a report about a unit of five people on a given day can be telling (docs/security.md,
"Limits of this protection"). A median over fewer than k reports is withheld too.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from integritas.complaints.models import Category, Channel, Report, Status
from integritas.lib.formatting import format_month
from integritas.lib.suppression import suppress


def min_group() -> int:
    k = int(settings.COMPLAINTS_STATS_MIN_GROUP)
    if k < 2:
        raise ValueError("COMPLAINTS_STATS_MIN_GROUP must be at least 2")
    return k


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    count: int | None  # None: withheld
    withheld: str = ""  # a withheld count's bound: "< k" (1 to k − 1) or "≥ k" (hidden to protect)

    @property
    def shown(self) -> int | str:
        """The count as the public sees it: the number, or its bound when withheld."""
        return self.withheld if self.count is None else self.count


@dataclass(frozen=True)
class Breakdown:
    name: str  # "channel", "category", ...
    title: str
    lines: list[Line]
    total: int

    @property
    def withheld(self) -> bool:
        return any(line.count is None for line in self.lines)


@dataclass(frozen=True)
class Median:
    title: str
    days: float | None  # None: withheld (fewer than k reports) or none yet
    n: int


@dataclass(frozen=True)
class Statistics:
    k: int
    total: int
    breakdowns: list[Breakdown]
    medians: list[Median]

    def rows(self) -> list[list[Any]]:
        """The table as exported: one row per line, withheld counts left empty."""
        rows: list[list[Any]] = []
        for b in self.breakdowns:
            rows += [[b.title, line.label, line.count] for line in b.lines]
            rows.append([b.title, _("Total"), b.total])
        for m in self.medians:
            rows.append([m.title, _("Median (days)"), m.days])
        return rows


def _breakdown(
    name: str,
    title: str,
    keys: Iterable[str],
    labels: Callable[[str], str],
    k: int,
    *,
    total_published: bool = True,
) -> Breakdown:
    counts = Counter(keys)
    hidden = suppress(dict(counts), k, total_published=total_published)
    lines = [
        Line(key, labels(key), None, f"< {k}" if n < k else f"≥ {k}")
        if key in hidden
        else Line(key, labels(key), n)
        for key, n in counts.items()
    ]
    return Breakdown(name, title, lines, sum(counts.values()))


def _median(title: str, days: Sequence[int], k: int) -> Median:
    value = float(statistics.median(days)) if len(days) >= k else None
    return Median(title, value, len(days))


def _month_label(key: str) -> str:
    """ "2026-10" as "Oktober 2026", in the reader's language."""
    year, month = key.split("-")
    return format_month(dt.date(int(year), int(month), 1), get_language() or "id")


def compute(reports: Iterable[Report], *, k: int | None = None) -> Statistics:
    """Counts and medians over ``reports`` (give it the reports of a period)."""
    k = k or min_group()
    rows = list(reports)
    units: dict[str, str] = {}
    for r in rows:
        if r.unit is not None:
            units[r.unit.code] = f"{r.unit.code} — {r.unit.name}"
    no_unit = _("No unit named")

    def by_order(values: Sequence[str], key: Callable[[Report], str]) -> list[str]:
        present = {key(r) for r in rows}
        return [v for v in values if v in present]

    def ordered(key: Callable[[Report], str], order: Sequence[str]) -> list[str]:
        rank = {v: i for i, v in enumerate(order)}
        return sorted((key(r) for r in rows), key=lambda v: rank.get(v, len(rank)))

    channel_order = by_order(Channel.values, lambda r: r.channel)
    category_order = by_order(Category.values, lambda r: r.category)
    status_order = by_order(Status.values, lambda r: r.status)
    unit_order = sorted(units) + [""]
    months = sorted({r.received_on.strftime("%Y-%m") for r in rows})
    breakdowns = [
        _breakdown(
            "channel",
            _("Channel"),
            ordered(lambda r: r.channel, channel_order),
            lambda v: str(Channel(v).label),
            k,
        ),
        _breakdown(
            "category",
            _("Category"),
            ordered(lambda r: r.category, category_order),
            lambda v: str(Category(v).label),
            k,
        ),
        _breakdown(
            "unit",
            _("Unit concerned"),
            ordered(lambda r: r.unit.code if r.unit else "", unit_order),
            lambda v: units.get(v, no_unit),
            k,
        ),
        _breakdown(
            "status",
            _("Status"),
            ordered(lambda r: r.status, status_order),
            lambda v: str(Status(v).label),
            k,
        ),
        _breakdown(
            "month",
            _("Month received"),
            ordered(lambda r: r.received_on.strftime("%Y-%m"), months),
            _month_label,
            k,
        ),
    ]
    first = [
        (r.first_response_on - r.received_on).days for r in rows if r.first_response_on is not None
    ]
    closure = [(r.closed_on - r.received_on).days for r in rows if r.closed_on is not None]
    medians = [
        _median(_("Days to the first response"), first, k),
        _median(_("Days to closure"), closure, k),
    ]
    return Statistics(k=k, total=len(rows), breakdowns=breakdowns, medians=medians)


def for_period(
    reports: QuerySet[Report], start: dt.date | None = None, end: dt.date | None = None
) -> Statistics:
    """The statistics of ``reports`` (those the reader may count) received in a period."""
    reports = reports.select_related("unit")
    if start:
        reports = reports.filter(received_on__gte=start)
    if end:
        reports = reports.filter(received_on__lte=end)
    return compute(reports)
