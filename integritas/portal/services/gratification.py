"""The gratification statistics the portal shows: only the years the Inspectorate or the UPG's
head published (``prevention.StatisticsPublication``), with the same figures as the staff page,
small groups withheld as "< k" or "≥ k" (``prevention/services/statistics.py``). No report, no
reporter, giver or description ever reaches the portal: only counts and sums by group."""

from __future__ import annotations

from integritas.prevention.services import statistics
from integritas.prevention.services.statistics import Statistics


def years() -> list[int]:
    """The published years, newest first."""
    return statistics.published_years()


def figures(year: int) -> Statistics | None:
    """The statistics of a published ``year``; None for any other year."""
    if year not in years():
        return None
    return statistics.for_year(year)
