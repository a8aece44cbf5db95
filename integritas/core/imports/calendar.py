"""Import a year's holidays from a CSV or XLSX file: the list as the government's decree has it.

All or nothing: every row is checked and every problem reported; a good file replaces the year's
list (when asked to) in one transaction with one audit event, and moves the calendar's version
so every process rebuilds its cached calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.core.models import Holiday, HolidayYear
from integritas.core.services.calendar import calendar_changed
from integritas.lib.imports import (
    Cells,
    Column,
    Importer,
    ImportReport,
    header_key,
    read_or_report,
    run_import,
)

HOLIDAY_IMPORT_COLUMNS = [
    Column(
        "date",
        True,
        gettext_lazy("The day, as YYYY-MM-DD or DD/MM/YYYY; all in the chosen year."),
    ),
    Column("name", True, gettext_lazy("Name in Indonesian, as in the decree.")),
    Column(
        "kind",
        True,
        gettext_lazy("national or collective_leave (libur nasional, cuti bersama)."),
        ("jenis",),
    ),
    Column("name_en", False, gettext_lazy("Name in English.")),
    Column(
        "source",
        False,
        gettext_lazy("Decree for this day, when it is not the year's decree."),
        ("sumber",),
    ),
]
KIND_WORDS = {
    "national": Holiday.Kind.NATIONAL,
    "nasional": Holiday.Kind.NATIONAL,
    "libur_nasional": Holiday.Kind.NATIONAL,
    "libur": Holiday.Kind.NATIONAL,
    "collective_leave": Holiday.Kind.COLLECTIVE_LEAVE,
    "cuti_bersama": Holiday.Kind.COLLECTIVE_LEAVE,
    "cuti": Holiday.Kind.COLLECTIVE_LEAVE,
}
MAX_LENGTHS = {"name": 200, "name_en": 200, "source": 300}  # the model's, checked in tests
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass
class HolidayImportReport(ImportReport):
    """What was imported; nothing is written when there is any error."""

    created: int = 0
    replaced: int = 0


def parse_date(text: str) -> dt.date | None:
    """A day written as YYYY-MM-DD or DD/MM/YYYY (also with dots or dashes); None otherwise."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def import_holidays(
    *,
    data: bytes,
    filename: str,
    year: int,
    decree: str,
    confirmed: bool,
    replace: bool = False,
) -> HolidayImportReport:
    """Check every row of a year's holiday list and, when nothing is wrong, save it.

    The year is created when the calendar does not have it. A year that already has holidays is
    refused unless ``replace`` is set, in which case its whole list is replaced by the file.
    """
    report = HolidayImportReport()
    first_row: dict[dt.date, int] = {}

    def parse_row(cells: Cells) -> Holiday | None:
        fail = cells.fail
        raw_date = cells.get("date")
        day = parse_date(raw_date)
        if not raw_date:
            fail("date", "", _("The date is required."))
        elif day is None:
            fail("date", raw_date, _("Not a date. Write it as YYYY-MM-DD, e.g. 2028-01-01."))
        elif day.year != year:
            message = _("This date is not in %(year)d, the year being imported.")
            fail("date", raw_date, message % {"year": year})
        elif day in first_row:
            message = _("This date already appears in row %(row)d.")
            fail("date", raw_date, message % {"row": first_row[day]})
            day = None
        else:
            first_row[day] = cells.number
        name = cells.get("name")
        if not name:
            fail("name", "", _("The name is required."))
        raw_kind = cells.get("kind")
        kind = KIND_WORDS.get(header_key(raw_kind))
        if kind is None:
            message = _("Use national or collective_leave (libur nasional or cuti bersama).")
            fail("kind", raw_kind, message)
        for column, limit in MAX_LENGTHS.items():
            value = cells.get(column)
            if len(value) > limit:
                message = _("This text has %(count)d characters; at most %(max)d are allowed.")
                fail(column, value, message % {"count": len(value), "max": limit})
        if day is None or day.year != year:
            return None
        return Holiday(
            date=day,
            name=name,
            name_en=cells.get("name_en"),
            kind=kind or "",
            source=cells.get("source"),
        )

    def check(holidays: list[Holiday]) -> None:
        existing = Holiday.objects.filter(date__year=year).count()
        if existing and not replace:
            report.fail_file(
                _(
                    "The calendar already has %(count)d holidays in %(year)d. Tick “replace the "
                    "year's list” to replace them with this file."
                )
                % {"count": existing, "year": year}
            )

    def apply(holidays: list[Holiday]) -> None:
        holiday_year, created_year = HolidayYear.objects.get_or_create(
            year=year, defaults={"decree": decree, "confirmed": confirmed}
        )
        if not created_year:
            holiday_year.decree = decree or holiday_year.decree
            holiday_year.confirmed = confirmed
            holiday_year.save(update_fields=["decree", "confirmed"])
        replaced, _by_model = Holiday.objects.filter(date__year=year).delete()
        Holiday.objects.bulk_create(holidays)
        audit.record(
            "holiday.imported",
            obj=holiday_year,
            changes={
                "file": filename,
                "rows": report.total_rows,
                "created": len(holidays),
                "replaced": replaced,
                "decree": decree,
                "confirmed": confirmed,
            },
        )
        calendar_changed()
        report.created, report.replaced = len(holidays), replaced

    importer: Importer[Holiday, HolidayImportReport] = Importer(
        columns=HOLIDAY_IMPORT_COLUMNS,
        parse_row=parse_row,
        check=check,
        apply=apply,
        empty_message=gettext_lazy("The file has no holidays below the header row."),
        strict_headers=False,
    )
    return run_import(
        table=read_or_report(data, filename, report), report=report, importer=importer
    )
