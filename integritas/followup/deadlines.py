"""Follow-up deadlines in working days (``core/calendar.py``): whether a due date is a working
day, and which open plans are due soon or overdue.

A plan is due when its last activity is. "Due soon" means due within the next
``FOLLOWUP_DUE_SOON_WORKING_DAYS`` working days (default 5), today included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.core.calendar import CalendarDataMissing
from integritas.core.services.calendar import calendar_for
from integritas.lib.formatting import format_date


def due_soon_working_days() -> int:
    return int(settings.FOLLOWUP_DUE_SOON_WORKING_DAYS)


def _lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "id")[:2]


def check_due_date(day: dt.date) -> None:
    """Raise a ValidationError on ``due_on`` unless ``day`` is a working day.

    The message names the next working day so the user can simply take it.
    """
    calendar = calendar_for()
    try:
        if calendar.is_working_day(day):
            return
        following = calendar.next_working_day(day)
    except CalendarDataMissing as missing:
        raise ValidationError(
            {
                "due_on": _(
                    "The working-day calendar has no holidays for %(year)d yet, so this due date "
                    "cannot be checked. Ask the administrator to add that year."
                )
                % {"year": missing.year}
            }
        ) from missing
    raise ValidationError(
        {
            "due_on": _(
                "%(day)s is not a working day (weekend, public holiday or collective leave). "
                "The next working day is %(next)s."
            )
            % {"day": format_date(day, _lang()), "next": format_date(following, _lang())}
        }
    )


def due_soon_limit(today: dt.date | None = None) -> dt.date:
    """The last date that still counts as "due soon" from ``today``."""
    today = today or timezone.localdate()
    days = due_soon_working_days()
    try:
        return calendar_for().add_working_days(today, days)
    except CalendarDataMissing:
        # Without holiday data, count Monday to Friday only rather than not warning at all.
        day, left = today, days
        while left:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day


def _open(plans: QuerySet[Any]) -> QuerySet[Any]:
    from integritas.followup.models import ActionPlan

    return plans.exclude(status__in=[ActionPlan.Status.VERIFIED, ActionPlan.Status.CANCELLED])


def with_due(plans: QuerySet[Any]) -> QuerySet[Any]:
    """Plans annotated with ``due`` (their last activity's due date)."""
    return plans.annotate(due=Max("activities__due_on"))


def overdue(plans: QuerySet[Any], today: dt.date | None = None) -> QuerySet[Any]:
    """Open plans past the due date of their last activity."""
    today = today or timezone.localdate()
    return with_due(_open(plans)).filter(due__lt=today)


def due_soon(plans: QuerySet[Any], today: dt.date | None = None) -> QuerySet[Any]:
    """Open plans due between today and ``due_soon_limit`` (both included)."""
    today = today or timezone.localdate()
    return with_due(_open(plans)).filter(due__gte=today, due__lte=due_soon_limit(today))
