"""The import of a year's holidays (``core.imports.calendar``): all or nothing, audited."""

from __future__ import annotations

import datetime as dt

import pytest

from integritas.audit.models import Event
from integritas.core.imports.calendar import MAX_LENGTHS, import_holidays
from integritas.core.models import Holiday, HolidayYear
from integritas.core.services.calendar import calendar_for
from integritas.lib.spreadsheets import write_xlsx

D = dt.date
pytestmark = pytest.mark.django_db


GOOD_2028 = (
    b"date;name;name_en;kind\n"
    b"2028-01-01;Tahun Baru 2028 Masehi;New Year's Day;libur nasional\n"
    b"03/01/2028;Cuti Bersama Tahun Baru;New Year leave;cuti bersama\n"
)


def test_importing_a_new_year_creates_it_and_its_holidays_in_one_audited_step() -> None:
    report = import_holidays(
        data=GOOD_2028, filename="2028.csv", year=2028, decree="SKB 2028", confirmed=True
    )

    assert report.ok, report.errors
    assert report.created == 2
    assert HolidayYear.objects.get(year=2028).decree == "SKB 2028"
    assert Holiday.objects.get(date=D(2028, 1, 3)).kind == Holiday.Kind.COLLECTIVE_LEAVE
    calendar = calendar_for()
    assert calendar.add_working_days(D(2027, 12, 31), 1) == D(2028, 1, 4)
    event = Event.objects.get(action="holiday.imported")
    assert event.changes["created"] == 2


def test_an_xlsx_file_imports_too() -> None:
    data = write_xlsx(
        ["date", "name", "kind"],
        [[D(2028, 1, 1), "Tahun Baru", "national"]],
        sheet_title="2028",
    )
    report = import_holidays(data=data, filename="2028.xlsx", year=2028, decree="", confirmed=False)
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

    report = import_holidays(data=data, filename="2028.csv", year=2028, decree="", confirmed=False)

    assert not report.ok
    problems = {(error.row, error.column) for error in report.errors}
    assert problems == {(3, "date"), (4, "date"), (5, "date"), (6, "name"), (6, "kind")}
    assert not HolidayYear.objects.filter(year=2028).exists()
    assert not Holiday.objects.filter(date__year=2028).exists()
    assert not Event.objects.filter(action="holiday.imported").exists()


def test_a_year_that_has_holidays_is_only_replaced_when_asked() -> None:
    data = b"date,name,kind\n2027-01-01,Tahun Baru 2027 Masehi,national\n"

    refused = import_holidays(
        data=data, filename="2027.csv", year=2027, decree="SKB 2027", confirmed=True
    )
    assert not refused.ok
    assert Holiday.objects.filter(date__year=2027).count() == 26

    replaced = import_holidays(
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
    report = import_holidays(
        data=b"hari,nama\n2028-01-01,x\n",  # "tanggal" would be the date column
        filename="x.csv",
        year=2028,
        decree="",
        confirmed=False,
    )
    assert not report.ok
    assert any("date" in error.column for error in report.errors)


def test_the_import_length_limits_match_the_model() -> None:
    for name, limit in MAX_LENGTHS.items():
        assert Holiday._meta.get_field(name).max_length == limit  # type: ignore[union-attr]
