"""Working days for deadlines: Monday to Friday minus national holidays and collective leave.

Pure Python with no Django imports, so it is tested with plain dates. The database side
(``integritas.core.services.calendar.calendar_for``) builds a ``WorkingCalendar`` from the holidays
an administrator keeps per year.

Conventions, as Indonesian offices count a deadline of "n working days":

- ``add_working_days(start, n)``: day 1 is the first working day *after* ``start``; the start day
  itself never counts, even when it is a working day. ``n == 0`` returns ``start`` unchanged.
  A negative ``n`` counts backwards: day -1 is the last working day before ``start``.
- ``working_days_between(start, end)``: the working days after ``start`` up to and including
  ``end`` (start exclusive, end inclusive). When ``end`` is before ``start`` it is negative and
  counts from ``end`` (included) up to ``start`` (excluded). So
  ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n``.
- ``next_working_day(d)``: ``d`` itself when it is a working day, otherwise the first working day
  after it (so applying it twice changes nothing).

A deadline must never silently ignore holidays: every date the calculation looks at must fall in a
year the calendar has data for, or ``CalendarDataMissing`` is raised naming that year.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

SATURDAY, SUNDAY = 5, 6
_ONE_DAY = dt.timedelta(days=1)


class CalendarDataMissing(LookupError):
    """The calendar has no holiday list for ``year``, so working days there are unknown."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"No holiday data for {year}: enter that year's national holidays and collective "
            "leave days before computing working days in it."
        )
        self.year = year


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days, for the years in ``years``.

    ``holidays`` are national public holidays; ``collective_leave`` are the government's collective
    leave days (cuti bersama), which are days off only while ``collective_leave_is_day_off``.
    Dates on weekends may be listed; they change nothing.
    """

    years: frozenset[int]
    holidays: frozenset[dt.date] = frozenset()
    collective_leave: frozenset[dt.date] = frozenset()
    collective_leave_is_day_off: bool = True
    # Weekday holidays in date order, for counting with bisect instead of walking day by day.
    _closed: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        closed = set(self.holidays)
        if self.collective_leave_is_day_off:
            closed |= self.collective_leave
        outside = sorted({day.year for day in closed} - self.years)
        if outside:
            raise ValueError(f"holidays given for years without data: {outside}")
        weekdays = sorted(day for day in closed if day.weekday() < SATURDAY)
        object.__setattr__(self, "_closed", tuple(weekdays))

    @classmethod
    def build(
        cls,
        *,
        years: Iterable[int],
        holidays: Iterable[dt.date] = (),
        collective_leave: Iterable[dt.date] = (),
        collective_leave_is_day_off: bool = True,
    ) -> WorkingCalendar:
        return cls(
            years=frozenset(years),
            holidays=frozenset(holidays),
            collective_leave=frozenset(collective_leave),
            collective_leave_is_day_off=collective_leave_is_day_off,
        )

    # --- Single days ----------------------------------------------------------------------------

    def check(self, day: dt.date) -> None:
        """Raise ``CalendarDataMissing`` unless the calendar has data for ``day``'s year."""
        if day.year not in self.years:
            raise CalendarDataMissing(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        self.check(day)
        if day.weekday() >= SATURDAY:
            return False
        index = bisect.bisect_left(self._closed, day)
        return not (index < len(self._closed) and self._closed[index] == day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` when it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        """``day`` when it is a working day, otherwise the last working day before it."""
        while not self.is_working_day(day):
            day -= _ONE_DAY
        return day

    # --- Counting -------------------------------------------------------------------------------

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (before it when ``n`` is negative).

        ``start`` itself does not count; ``n == 0`` returns ``start`` unchanged.
        """
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        day = start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``.

        When ``end`` is before ``start`` the count is negative: minus the working days from
        ``end`` (included) up to ``start`` (excluded), mirroring ``add_working_days`` with a
        negative ``n``.
        """
        if end < start:
            return -self._count(end - _ONE_DAY, start - _ONE_DAY)
        return self._count(start, end)

    def _count(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end], for ``start <= end``."""
        if end == start:
            return 0
        for year in range((start + _ONE_DAY).year, end.year + 1):
            if year not in self.years:
                raise CalendarDataMissing(year)
        weekdays = _weekdays_through(end) - _weekdays_through(start)
        closed = bisect.bisect_right(self._closed, end) - bisect.bisect_right(self._closed, start)
        return weekdays - closed


def _weekdays_through(day: dt.date) -> int:
    """Monday-to-Friday days from an arbitrary fixed Monday up to and including ``day``."""
    ordinal = day.toordinal() - 1  # date(1, 1, 1) is a Monday, ordinal 1
    weeks, rest = divmod(ordinal + 1, 7)
    return weeks * 5 + min(rest, 5)
