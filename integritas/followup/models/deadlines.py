"""The follow-up deadlines that are rules rather than records: BPK's answer period, "due soon",
and the time a unit has to submit its plan, counted in working days (``core/calendar.py``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from integritas.core.calendar import CalendarDataMissing
from integritas.core.services.calendar import calendar_for


def bpk_answer_days() -> int:
    """Calendar days the audited government has to answer a BPK audit report after receiving it
    (UU 15/2004 art. 20(3); Peraturan BPK 2/2017 art. 3(3))."""
    return int(settings.FOLLOWUP_BPK_ANSWER_DAYS)


def due_soon_working_days() -> int:
    """How many working days ahead a plan counts as "due soon" (today included)."""
    return int(settings.FOLLOWUP_DUE_SOON_WORKING_DAYS)


def working_days_after(start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start`` (``core/calendar.py``); without holiday data for
    the years involved, Monday to Friday only, rather than no date at all."""
    try:
        return calendar_for().add_working_days(start, days)
    except CalendarDataMissing:
        day, left = start, days
        while left:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day


def due_soon_limit(today: dt.date | None = None) -> dt.date:
    """The last date that still counts as "due soon" from ``today``, in working days
    (``core/calendar.py``)."""
    return working_days_after(today or timezone.localdate(), due_soon_working_days())


def plan_draft_working_days() -> int:
    """How many working days a unit has, from the day a recommendation is issued, to submit its
    action plan (``FOLLOWUP_PLAN_DRAFT_WORKING_DAYS``)."""
    return int(settings.FOLLOWUP_PLAN_DRAFT_WORKING_DAYS)


def plan_draft_due(issued_on: dt.date) -> dt.date:
    """The last day to submit a plan for a recommendation issued on ``issued_on``."""
    return working_days_after(issued_on, plan_draft_working_days())
