"""The working-day calendar on the database side: building it and editing it.

Every deadline in the product is computed with ``calendar_for()``, which returns the pure
``integritas.core.calendar.WorkingCalendar`` built from the holidays an administrator keeps.
Each edit below is atomic, writes one audit event and changes ``CalendarSettings.version``, so
every process rebuilds its cached calendar on its next call. The import of a year's list is in
``integritas.core.imports.calendar``.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from integritas import audit
from integritas.audit.services import save_with_event
from integritas.core.calendar import WorkingCalendar
from integritas.core.models import CalendarSettings, Holiday, HolidayYear

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


def calendar_changed() -> None:
    """Mark every process's cached calendar stale (inside the caller's transaction)."""
    CalendarSettings.load()
    CalendarSettings.objects.filter(pk=1).update(version=uuid.uuid4())
    with _lock:
        _cached.clear()


@transaction.atomic
def holiday_year_save(*, holiday_year: HolidayYear, values: Mapping[str, Any]) -> HolidayYear:
    saved = save_with_event(holiday_year, values, fields=HOLIDAY_YEAR_FIELDS, kind="holiday_year")
    calendar_changed()
    return saved


@transaction.atomic
def holiday_save(*, holiday: Holiday, values: Mapping[str, Any]) -> Holiday:
    saved = save_with_event(holiday, values, fields=HOLIDAY_FIELDS, kind="holiday")
    calendar_changed()
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
    calendar_changed()


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
        calendar_changed()
    return settings
