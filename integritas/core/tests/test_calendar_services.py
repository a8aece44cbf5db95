"""The calendar built from the database, its edits (each audited) and the import of a year."""

from __future__ import annotations

import datetime as dt

import pytest

from integritas.audit.models import Event
from integritas.core.calendar import CalendarDataMissing
from integritas.core.models import CalendarSettings, Holiday, HolidayYear
from integritas.core.services import calendar as services_calendar
from integritas.lib.spreadsheets import write_xlsx

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


# --- Import ------------------------------------------------------------------------------------

GOOD_2028 = (
    b"date;name;name_en;kind\n"
    b"2028-01-01;Tahun Baru 2028 Masehi;New Year's Day;libur nasional\n"
    b"03/01/2028;Cuti Bersama Tahun Baru;New Year leave;cuti bersama\n"
)


def test_importing_a_new_year_creates_it_and_its_holidays_in_one_audited_step() -> None:
    report = services_calendar.import_holidays(
        data=GOOD_2028, filename="2028.csv", year=2028, decree="SKB 2028", confirmed=True
    )

    assert report.ok, report.errors
    assert report.created == 2
    assert HolidayYear.objects.get(year=2028).decree == "SKB 2028"
    assert Holiday.objects.get(date=D(2028, 1, 3)).kind == Holiday.Kind.COLLECTIVE_LEAVE
    calendar = services_calendar.calendar_for()
    assert calendar.add_working_days(D(2027, 12, 31), 1) == D(2028, 1, 4)
    event = Event.objects.get(action="holiday.imported")
    assert event.changes["created"] == 2


def test_an_xlsx_file_imports_too() -> None:
    data = write_xlsx(
        ["date", "name", "kind"],
        [[D(2028, 1, 1), "Tahun Baru", "national"]],
        sheet_title="2028",
    )
    report = services_calendar.import_holidays(
        data=data, filename="2028.xlsx", year=2028, decree="", confirmed=False
    )
    assert report.ok, report.errors
    assert Holiday.objects.filter(date=D(2028, 1, 1)).exists()


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_problem() -> None:
    data = (
        b"date,name,kind\n"
        b"2028-01-01,Tahun Baru,national\n"
        b"2028-02-30,Tanggal salah,national\n"
        b"2029-01-01,Tahun lain,national\n"
        b"2028-01-01,Dua kali,national\n"
        b"2028-03-01,,hari raya\n"
    )

    report = services_calendar.import_holidays(
        data=data, filename="2028.csv", year=2028, decree="", confirmed=False
    )

    assert not report.ok
    problems = {(error.row, error.field) for error in report.errors}
    assert problems == {(3, "date"), (4, "date"), (5, "date"), (6, "name"), (6, "kind")}
    assert not HolidayYear.objects.filter(year=2028).exists()
    assert not Holiday.objects.filter(date__year=2028).exists()
    assert not Event.objects.filter(action="holiday.imported").exists()


def test_a_year_that_has_holidays_is_only_replaced_when_asked() -> None:
    data = b"date,name,kind\n2027-01-01,Tahun Baru 2027 Masehi,national\n"

    refused = services_calendar.import_holidays(
        data=data, filename="2027.csv", year=2027, decree="SKB 2027", confirmed=True
    )
    assert not refused.ok
    assert Holiday.objects.filter(date__year=2027).count() == 26

    replaced = services_calendar.import_holidays(
        data=data,
        filename="2027.csv",
        year=2027,
        decree="SKB 2027",
        confirmed=True,
        replace=True,
    )
    assert replaced.ok
    assert replaced.replaced == 26
    assert Holiday.objects.filter(date__year=2027).count() == 1
    assert HolidayYear.objects.get(year=2027).confirmed is True


def test_a_file_without_the_required_columns_is_refused() -> None:
    report = services_calendar.import_holidays(
        data=b"tanggal,nama\n2028-01-01,x\n",
        filename="x.csv",
        year=2028,
        decree="",
        confirmed=False,
    )
    assert not report.ok
    assert any("date" in error.field for error in report.errors)


def test_the_import_length_limits_match_the_model() -> None:
    for name, limit in services_calendar._MAX.items():
        assert Holiday._meta.get_field(name).max_length == limit  # type: ignore[union-attr]
