"""The calendar built from the database and its edits (each audited)."""

from __future__ import annotations

import datetime as dt

import pytest

from integritas.audit.models import Event
from integritas.core.calendar import CalendarDataMissing
from integritas.core.models import CalendarSettings, Holiday, HolidayYear
from integritas.core.services import calendar as services_calendar

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_migration_seeds_2024_to_2027_with_2027_provisional() -> None:
    years = {row.year: row.confirmed for row in HolidayYear.objects.all()}
    assert years == {2024: True, 2025: True, 2026: True, 2027: False}
    assert Holiday.objects.get(date=D(2024, 4, 10)).kind == Holiday.Kind.NATIONAL
    assert Holiday.objects.get(date=D(2025, 4, 7)).kind == Holiday.Kind.COLLECTIVE_LEAVE
    assert CalendarSettings.load().collective_leave_is_day_off is True


def test_calendar_for_counts_the_seeded_idul_fitri_2024_leave() -> None:
    assert services_calendar.calendar_for().add_working_days(D(2024, 4, 5), 3) == D(2024, 4, 18)


def test_turning_the_collective_leave_setting_off_moves_the_deadline_and_is_audited() -> None:
    services_calendar.calendar_for()  # warm the cache: the change must invalidate it

    services_calendar.calendar_settings_save(collective_leave_is_day_off=False)

    assert services_calendar.calendar_for().add_working_days(D(2024, 4, 5), 3) == D(2024, 4, 12)
    assert CalendarSettings.load().collective_leave_is_day_off is False
    event = Event.objects.get(action="calendar.settings_changed")
    assert event.changes == {"collective_leave_is_day_off": [True, False]}


def test_saving_the_same_setting_again_records_nothing() -> None:
    services_calendar.calendar_settings_save(collective_leave_is_day_off=True)
    assert not Event.objects.filter(action="calendar.settings_changed").exists()


def test_a_new_holiday_is_used_at_once_and_audited() -> None:
    services_calendar.calendar_for()
    services_calendar.holiday_save(
        holiday=Holiday(),
        values={
            "date": D(2024, 4, 16),
            "name": "Cuti tambahan",
            "name_en": "Extra leave",
            "kind": Holiday.Kind.COLLECTIVE_LEAVE,
            "source": "Keputusan uji",
        },
    )
    assert services_calendar.calendar_for().add_working_days(D(2024, 4, 5), 1) == D(2024, 4, 17)
    assert Event.objects.filter(action="holiday.created").count() == 1


def test_a_deleted_holiday_becomes_a_working_day_and_the_deletion_is_audited() -> None:
    holiday = Holiday.objects.get(date=D(2024, 4, 15))
    services_calendar.calendar_for()

    services_calendar.holiday_delete(holiday=holiday, reason="Dibatalkan")

    assert services_calendar.calendar_for().is_working_day(D(2024, 4, 15))
    event = Event.objects.get(action="holiday.deleted")
    assert event.reason == "Dibatalkan"
    assert event.changes["date"] == ["2024-04-15", None]


def test_a_holiday_in_a_year_the_calendar_lacks_is_refused() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services_calendar.holiday_save(
            holiday=Holiday(),
            values={"date": D(2030, 1, 1), "name": "Tahun Baru", "kind": Holiday.Kind.NATIONAL},
        )
    assert not Holiday.objects.filter(date=D(2030, 1, 1)).exists()


def test_calendar_for_raises_for_a_year_without_data() -> None:
    with pytest.raises(CalendarDataMissing) as raised:
        services_calendar.calendar_for().add_working_days(D(2027, 12, 24), 10)
    assert raised.value.year == 2028
