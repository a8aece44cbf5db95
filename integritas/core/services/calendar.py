"""The working-day calendar on the database side: building it, editing it, importing a year.

Every deadline in the product is computed with ``calendar_for()``, which returns the pure
``integritas.core.calendar.WorkingCalendar`` built from the holidays an administrator keeps.
Each edit below is atomic, writes one audit event and changes ``CalendarSettings.version``, so
every process rebuilds its cached calendar on its next call.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.audit.services import save_with_event
from integritas.core.calendar import WorkingCalendar
from integritas.core.models import CalendarSettings, Holiday, HolidayYear
from integritas.lib.spreadsheets import TableError, read_table

HOLIDAY_FIELDS = ["date", "name", "name_en", "kind", "source"]
HOLIDAY_YEAR_FIELDS = ["year", "decree", "confirmed", "note"]

_lock = threading.Lock()
_cached: dict[str, tuple[uuid.UUID, WorkingCalendar]] = {}


def calendar_for() -> WorkingCalendar:
    """The working calendar as the database has it now.

    Costs one small query while nothing changed (the calendar is cached per process and rebuilt
    when ``CalendarSettings.version`` moves). Code that computes many deadlines in a loop calls it
    once and reuses the result.
    """
    settings = CalendarSettings.load()
    with _lock:
        cached = _cached.get("calendar")
    if cached is not None and cached[0] == settings.version:
        return cached[1]
    years = list(HolidayYear.objects.values_list("year", flat=True))
    rows = list(Holiday.objects.filter(date__year__in=years).values_list("date", "kind"))
    calendar = WorkingCalendar.build(
        years=years,
        holidays=[day for day, kind in rows if kind == Holiday.Kind.NATIONAL],
        collective_leave=[day for day, kind in rows if kind == Holiday.Kind.COLLECTIVE_LEAVE],
        collective_leave_is_day_off=settings.collective_leave_is_day_off,
    )
    with _lock:
        _cached["calendar"] = (settings.version, calendar)
    return calendar


def _changed() -> None:
    """Mark every process's cached calendar stale (inside the caller's transaction)."""
    CalendarSettings.load()
    CalendarSettings.objects.filter(pk=1).update(version=uuid.uuid4())
    with _lock:
        _cached.clear()


@transaction.atomic
def holiday_year_save(*, holiday_year: HolidayYear, values: Mapping[str, Any]) -> HolidayYear:
    saved = save_with_event(holiday_year, values, fields=HOLIDAY_YEAR_FIELDS, kind="holiday_year")
    _changed()
    return saved


@transaction.atomic
def holiday_save(*, holiday: Holiday, values: Mapping[str, Any]) -> Holiday:
    saved = save_with_event(holiday, values, fields=HOLIDAY_FIELDS, kind="holiday")
    _changed()
    return saved


@transaction.atomic
def holiday_delete(*, holiday: Holiday, reason: str = "") -> None:
    audit.record(
        "holiday.deleted",
        obj=holiday,
        changes={
            "date": [holiday.date.isoformat(), None],
            "name": [holiday.name, None],
            "kind": [holiday.kind, None],
        },
        reason=reason,
    )
    holiday.delete()
    _changed()


@transaction.atomic
def calendar_settings_save(*, collective_leave_is_day_off: bool) -> CalendarSettings:
    settings = CalendarSettings.load()
    before = settings.collective_leave_is_day_off
    if before != collective_leave_is_day_off:
        settings.collective_leave_is_day_off = collective_leave_is_day_off
        settings.save(update_fields=["collective_leave_is_day_off"])
        audit.record(
            "calendar.settings_changed",
            obj=settings,
            changes={"collective_leave_is_day_off": [before, collective_leave_is_day_off]},
        )
        _changed()
    return settings


# --- Import of a year's list -------------------------------------------------------------------

# (column, required, description) in the order the page and the docs show them.
HOLIDAY_IMPORT_COLUMNS: list[tuple[str, bool, Promise]] = [
    ("date", True, gettext_lazy("The day, as YYYY-MM-DD or DD/MM/YYYY; all in the chosen year.")),
    ("name", True, gettext_lazy("Name in Indonesian, as in the decree.")),
    ("kind", True, gettext_lazy("national or collective_leave (libur nasional, cuti bersama).")),
    ("name_en", False, gettext_lazy("Name in English.")),
    ("source", False, gettext_lazy("Decree for this day, when it is not the year's decree.")),
]
_COLUMNS = [name for name, _required, _description in HOLIDAY_IMPORT_COLUMNS]
_REQUIRED = [name for name, required, _description in HOLIDAY_IMPORT_COLUMNS if required]
_KIND_WORDS = {
    "national": Holiday.Kind.NATIONAL,
    "nasional": Holiday.Kind.NATIONAL,
    "libur_nasional": Holiday.Kind.NATIONAL,
    "libur": Holiday.Kind.NATIONAL,
    "collective_leave": Holiday.Kind.COLLECTIVE_LEAVE,
    "cuti_bersama": Holiday.Kind.COLLECTIVE_LEAVE,
    "cuti": Holiday.Kind.COLLECTIVE_LEAVE,
}
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MAX = {"name": 200, "name_en": 200, "source": 300}  # the model's max_length, checked in tests


@dataclass
class RowError:
    row: int  # spreadsheet row number; 1 is the header row, 0 means the file as a whole
    field: str
    value: str
    message: str


@dataclass
class HolidayImportReport:
    """What was imported; nothing is written when there is any error."""

    total_rows: int
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    replaced: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _words(value: str) -> str:
    return "_".join(value.lower().replace("-", " ").split())


def _parse_date(text: str) -> dt.date | None:
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
    try:
        table = read_table(data, filename)
    except TableError as exc:
        return HolidayImportReport(total_rows=0, errors=[RowError(0, "", "", exc.message)])
    errors: list[RowError] = []
    columns: dict[str, str] = {}
    for header in table.headers:
        name = _words(header)
        if name in _COLUMNS and name not in columns:
            columns[name] = header
        else:
            errors.append(
                RowError(
                    1,
                    header,
                    header,
                    _("Unknown or repeated column “%(column)s”. The columns are: %(columns)s.")
                    % {"column": header, "columns": ", ".join(_COLUMNS)},
                )
            )
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        errors.append(
            RowError(
                1,
                ", ".join(missing),
                "",
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
        return HolidayImportReport(total_rows=len(table.rows), errors=errors)
    if not table.rows:
        errors.append(RowError(0, "", "", _("The file has no holidays below the header row.")))

    parsed: list[Holiday] = []
    first_row: dict[dt.date, int] = {}
    for row in table.rows:

        def cell(column: str, row: Any = row) -> str:
            return str(row.values.get(columns[column], "")) if column in columns else ""

        def fail(column: str, value: str, message: str, row: Any = row) -> None:
            errors.append(RowError(row.number, column, value, message))

        raw_date = cell("date")
        day = _parse_date(raw_date)
        if not raw_date:
            fail("date", "", _("The date is required."))
        elif day is None:
            fail("date", raw_date, _("Not a date. Write it as YYYY-MM-DD, e.g. 2028-01-01."))
        elif day.year != year:
            fail(
                "date",
                raw_date,
                _("This date is not in %(year)d, the year being imported.") % {"year": year},
            )
        elif day in first_row:
            fail(
                "date",
                raw_date,
                _("This date already appears in row %(row)d.") % {"row": first_row[day]},
            )
            day = None
        else:
            first_row[day] = row.number
        name = cell("name")
        if not name:
            fail("name", "", _("The name is required."))
        raw_kind = cell("kind")
        kind = _KIND_WORDS.get(_words(raw_kind))
        if kind is None:
            fail(
                "kind",
                raw_kind,
                _("Use national or collective_leave (libur nasional or cuti bersama)."),
            )
        for column, limit in _MAX.items():
            value = cell(column)
            if len(value) > limit:
                fail(
                    column,
                    value,
                    _("This text has %(count)d characters; at most %(max)d are allowed.")
                    % {"count": len(value), "max": limit},
                )
        if day is not None and day.year == year:
            parsed.append(
                Holiday(
                    date=day,
                    name=name,
                    name_en=cell("name_en"),
                    kind=kind or "",
                    source=cell("source"),
                )
            )

    existing = Holiday.objects.filter(date__year=year).count()
    if existing and not replace:
        errors.append(
            RowError(
                0,
                "",
                "",
                _(
                    "The calendar already has %(count)d holidays in %(year)d. Tick “replace the "
                    "year's list” to replace them with this file."
                )
                % {"count": existing, "year": year},
            )
        )
    errors.sort(key=lambda error: error.row)
    report = HolidayImportReport(total_rows=len(table.rows), errors=errors)
    if errors:
        return report

    with transaction.atomic():
        holiday_year, created_year = HolidayYear.objects.get_or_create(
            year=year, defaults={"decree": decree, "confirmed": confirmed}
        )
        if not created_year:
            holiday_year.decree = decree or holiday_year.decree
            holiday_year.confirmed = confirmed
            holiday_year.save(update_fields=["decree", "confirmed"])
        replaced, _by_model = Holiday.objects.filter(date__year=year).delete()
        Holiday.objects.bulk_create(parsed)
        audit.record(
            "holiday.imported",
            obj=holiday_year,
            changes={
                "file": filename,
                "rows": len(table.rows),
                "created": len(parsed),
                "replaced": replaced,
                "decree": decree,
                "confirmed": confirmed,
            },
        )
        _changed()
    report.created, report.replaced = len(parsed), replaced
    return report
