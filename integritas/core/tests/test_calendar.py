"""The pure working-day calendar, with the real 2024 and 2025 Idul Fitri dates and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integritas.core import calendar_data
from integritas.core.calendar import CalendarDataMissing, WorkingCalendar

D = dt.date


def official(*, collective_leave_is_day_off: bool = True) -> WorkingCalendar:
    """The seeded 2024–2027 lists, exactly as the data migration stores them."""
    return WorkingCalendar.build(
        years=[year.year for year in calendar_data.YEARS],
        holidays=[h.date for h in calendar_data.HOLIDAYS if h.kind == calendar_data.NATIONAL],
        collective_leave=[
            h.date for h in calendar_data.HOLIDAYS if h.kind == calendar_data.COLLECTIVE_LEAVE
        ],
        collective_leave_is_day_off=collective_leave_is_day_off,
    )


CAL = official()
CAL_LEAVE_WORKS = official(collective_leave_is_day_off=False)


# --- Real dates --------------------------------------------------------------------------------


def test_three_working_days_after_friday_5_april_2024_land_after_the_idul_fitri_leave() -> None:
    # 8–9 April cuti bersama, 10–11 Idul Fitri, 12 and 15 cuti bersama: the 16th is day 1.
    assert CAL.add_working_days(D(2024, 4, 5), 1) == D(2024, 4, 16)
    assert CAL.add_working_days(D(2024, 4, 5), 3) == D(2024, 4, 18)


def test_counting_collective_leave_as_working_days_moves_the_2024_deadline_earlier() -> None:
    # Only 10–11 April (Idul Fitri) are closed: Mon 8, Tue 9, Fri 12 are working days.
    assert CAL_LEAVE_WORKS.add_working_days(D(2024, 4, 5), 3) == D(2024, 4, 12)


def test_the_2025_idul_fitri_break_runs_from_friday_28_march_to_monday_7_april() -> None:
    # 28 March cuti Nyepi, 31 March–1 April Idul Fitri, 2, 3, 4 and 7 April cuti bersama.
    assert CAL.add_working_days(D(2025, 3, 27), 1) == D(2025, 4, 8)
    assert CAL.working_days_between(D(2025, 3, 27), D(2025, 4, 8)) == 1
    for closed in [D(2025, 3, 28), D(2025, 3, 31), D(2025, 4, 1), D(2025, 4, 2), D(2025, 4, 7)]:
        assert not CAL.is_working_day(closed)
    assert CAL_LEAVE_WORKS.add_working_days(D(2025, 3, 27), 1) == D(2025, 3, 28)


def test_the_18_august_2025_collective_leave_added_by_the_amending_decree_is_a_day_off() -> None:
    assert not CAL.is_working_day(D(2025, 8, 18))
    assert CAL_LEAVE_WORKS.is_working_day(D(2025, 8, 18))


def test_weekends_are_never_working_days_and_ordinary_weekdays_are() -> None:
    assert not CAL.is_working_day(D(2024, 4, 6))  # Saturday
    assert not CAL.is_working_day(D(2024, 4, 7))  # Sunday
    assert CAL.is_working_day(D(2024, 4, 16))  # Tuesday after the leave


def test_the_start_day_itself_does_not_count_and_zero_days_is_the_start() -> None:
    monday = D(2024, 4, 22)
    assert CAL.add_working_days(monday, 1) == D(2024, 4, 23)
    assert CAL.add_working_days(monday, 0) == monday
    assert CAL.add_working_days(D(2024, 4, 6), 0) == D(2024, 4, 6)  # even on a Saturday


def test_next_working_day_keeps_a_working_day_and_skips_the_idul_fitri_break() -> None:
    assert CAL.next_working_day(D(2024, 4, 16)) == D(2024, 4, 16)
    assert CAL.next_working_day(D(2024, 4, 6)) == D(2024, 4, 16)
    assert CAL.previous_working_day(D(2024, 4, 15)) == D(2024, 4, 5)


def test_counting_backwards_skips_holidays_too() -> None:
    assert CAL.add_working_days(D(2024, 4, 16), -1) == D(2024, 4, 5)
    assert CAL.working_days_between(D(2024, 4, 16), D(2024, 4, 5)) == -1
    # Backwards, the earlier date counts and the later one does not.
    assert CAL.working_days_between(D(2024, 8, 24), D(2024, 8, 23)) == -1


def test_working_days_between_excludes_the_start_and_includes_the_end() -> None:
    monday, friday = D(2024, 4, 22), D(2024, 4, 26)
    assert CAL.working_days_between(monday, friday) == 4
    assert CAL.working_days_between(monday, monday) == 0
    # April 2024 has 22 weekdays, 6 of them closed (8–12 and 15 April).
    assert CAL.working_days_between(D(2024, 3, 31), D(2024, 4, 30)) == 16


def test_a_deadline_crossing_new_year_uses_both_years() -> None:
    # 24 Dec 2026 cuti, 25 Dec Christmas, 1 Jan 2027 New Year.
    assert CAL.add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 28)
    assert CAL.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


# --- Missing years -----------------------------------------------------------------------------


def test_it_refuses_to_count_into_a_year_without_data_and_names_the_year() -> None:
    with pytest.raises(CalendarDataMissing) as raised:
        CAL.add_working_days(D(2027, 12, 20), 30)
    assert raised.value.year == 2028
    assert "2028" in str(raised.value)


def test_every_question_about_a_year_without_data_raises() -> None:
    for ask in (
        lambda: CAL.is_working_day(D(2023, 12, 29)),
        lambda: CAL.next_working_day(D(2028, 1, 3)),
        lambda: CAL.working_days_between(D(2023, 12, 1), D(2024, 1, 10)),
        lambda: CAL.add_working_days(D(2024, 1, 2), -5),
    ):
        with pytest.raises(CalendarDataMissing):
            ask()


def test_an_empty_calendar_knows_no_year() -> None:
    with pytest.raises(CalendarDataMissing):
        WorkingCalendar.build(years=[]).is_working_day(D(2025, 1, 2))


def test_holidays_outside_the_years_with_data_are_rejected() -> None:
    with pytest.raises(ValueError, match="2030"):
        WorkingCalendar.build(years=[2029], holidays=[D(2030, 1, 1)])


# --- Properties --------------------------------------------------------------------------------

starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 10, 31))
counts = st.integers(min_value=0, max_value=40)
leave_settings = st.booleans()


def _cal(leave_is_day_off: bool) -> WorkingCalendar:
    return CAL if leave_is_day_off else CAL_LEAVE_WORKS


@given(starts, st.integers(min_value=1, max_value=40), leave_settings)
def test_adding_one_or_more_working_days_lands_on_a_working_day(
    start: dt.date, n: int, leave: bool
) -> None:
    calendar = _cal(leave)
    assert calendar.is_working_day(calendar.add_working_days(start, n))


@given(starts, counts, leave_settings)
def test_working_days_between_undoes_adding_them(start: dt.date, n: int, leave: bool) -> None:
    calendar = _cal(leave)
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@given(st.dates(min_value=D(2024, 3, 1), max_value=D(2027, 12, 31)), counts, leave_settings)
def test_subtracting_working_days_is_counted_negatively(
    start: dt.date, n: int, leave: bool
) -> None:
    calendar = _cal(leave)
    assert calendar.working_days_between(start, calendar.add_working_days(start, -n)) == -n


@given(starts, counts, leave_settings)
def test_adding_more_working_days_never_gives_an_earlier_date(
    start: dt.date, n: int, leave: bool
) -> None:
    calendar = _cal(leave)
    assert calendar.add_working_days(start, n) < calendar.add_working_days(start, n + 1)


@given(starts, leave_settings)
def test_next_working_day_is_idempotent(day: dt.date, leave: bool) -> None:
    calendar = _cal(leave)
    once = calendar.next_working_day(day)
    assert calendar.next_working_day(once) == once
    assert once >= day


@given(starts, starts)
def test_working_days_between_matches_counting_day_by_day(a: dt.date, b: dt.date) -> None:
    start, end = min(a, b), max(a, b)
    by_hand = sum(
        CAL.is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )
    assert CAL.working_days_between(start, end) == by_hand
    backwards = sum(
        CAL.is_working_day(start + dt.timedelta(days=i)) for i in range((end - start).days)
    )
    assert CAL.working_days_between(end, start) == -backwards


@given(starts, counts)
def test_counting_collective_leave_as_working_never_makes_a_deadline_later(
    start: dt.date, n: int
) -> None:
    assert CAL_LEAVE_WORKS.add_working_days(start, n) <= CAL.add_working_days(start, n)
