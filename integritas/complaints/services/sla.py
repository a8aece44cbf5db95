"""Service-level clocks of a report, in working days of the shared calendar (DOMAIN.md §5).

Two clocks, one after the other:

- **decision**: from the day the report was received, the handlers have ``verify`` working days
  (3 by default) to accept or reject it. It stops on the day of that decision.
- **handling**: from the day it was accepted, ``simple`` / ``no_field_check`` / ``field_check``
  working days (5, 14, 60 by default) by the kind of handling chosen on acceptance. It stops
  when the report is forwarded to another authority or closed.

The limits are **settings** (``COMPLAINTS_SLA_WORKING_DAYS``, a mapping with any of the four keys;
missing keys keep their default): they are set by the local regulation, change rarely, and apply
to every report the same way. A deadline counts the working days after the start day
(``WorkingCalendar.add_working_days``). A year without holiday data gives no due date rather than a
wrong one.

A running clock is *due soon* when it is not overdue and its due date is at most
``DUE_SOON_WORKING_DAYS`` working days away (``deadline_of``); the handlers' list and home page
filter on it.

``due_alerts`` (on the due date) and ``overdue_alerts`` (after it) notify the assigned handlers
(or, when nobody is assigned, every handler holding the report's key) once per report and clock;
run them daily (``manage.py complaint_alerts``). The notifications name the step and its date,
nothing that identifies the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.complaints.access import readers
from integritas.complaints.models import Report
from integritas.core.calendar import CalendarDataMissing, WorkingCalendar
from integritas.core.services.calendar import calendar_for
from integritas.core.services.notifications import language_of, notify
from integritas.lib.formatting import format_date

DEFAULT_WORKING_DAYS: dict[str, int] = {
    "verify": 3,
    "simple": 5,
    "no_field_check": 14,
    "field_check": 60,
}
# Two working days ahead: "soon" must leave time to act even on the three-day decision clock.
DUE_SOON_WORKING_DAYS = 2
OVERDUE = "overdue"
DUE_SOON = "soon"
CLOCK_LABELS = {
    "decision": gettext_lazy("Accept or reject"),
    "handling": gettext_lazy("Finish handling"),
}


def limits() -> dict[str, int]:
    """The working-day limits in force: the defaults overridden by the setting."""
    configured: Mapping[str, Any] = settings.COMPLAINTS_SLA_WORKING_DAYS or {}
    unknown = set(configured) - set(DEFAULT_WORKING_DAYS)
    if unknown:
        raise ValueError(f"COMPLAINTS_SLA_WORKING_DAYS has unknown keys: {sorted(unknown)}")
    merged = {**DEFAULT_WORKING_DAYS, **{k: int(v) for k, v in configured.items()}}
    if any(v < 1 for v in merged.values()):
        raise ValueError("COMPLAINTS_SLA_WORKING_DAYS must be at least 1 working day each")
    return merged


@dataclass(frozen=True)
class Clock:
    name: str  # "decision" or "handling"
    limit: int  # working days
    start: dt.date
    due: dt.date | None  # None when the calendar has no data for the years involved
    stopped_on: dt.date | None

    @property
    def label(self) -> str:
        return str(CLOCK_LABELS[self.name])

    def is_overdue(self, today: dt.date) -> bool:
        """Running past its due date (a clock that stopped late is ``was_late`` instead)."""
        return self.stopped_on is None and self.due is not None and today > self.due

    @property
    def was_late(self) -> bool:
        return self.stopped_on is not None and self.due is not None and self.stopped_on > self.due

    def days_left(self, calendar: WorkingCalendar, today: dt.date) -> int | None:
        """Working days from today to the due date (negative when overdue); None when stopped
        or unknown."""
        if self.stopped_on is not None or self.due is None:
            return None
        try:
            return calendar.working_days_between(today, self.due)
        except CalendarDataMissing:
            return None


def _due(calendar: WorkingCalendar, start: dt.date, days: int) -> dt.date | None:
    try:
        return calendar.add_working_days(start, days)
    except CalendarDataMissing:
        return None


def clocks(report: Any, calendar: WorkingCalendar, days: Mapping[str, int]) -> list[Clock]:
    """The report's clocks so far (the handling clock exists once the report was accepted).

    ``report`` needs ``received_on``, ``decided_on``, ``status``, ``tier``, ``forwarded_on`` and
    ``closed_on``; nothing else is read, so plain objects do for tests.
    """
    result = [
        Clock(
            "decision",
            days["verify"],
            report.received_on,
            _due(calendar, report.received_on, days["verify"]),
            report.decided_on,
        )
    ]
    if report.tier and report.decided_on and report.status != "rejected":
        stopped = report.forwarded_on or report.closed_on
        result.append(
            Clock(
                "handling",
                days[report.tier],
                report.decided_on,
                _due(calendar, report.decided_on, days[report.tier]),
                stopped,
            )
        )
    return result


def running_clock(report: Any, calendar: WorkingCalendar, days: Mapping[str, int]) -> Clock | None:
    """The clock still running for the report (the latest one), or None when every clock has
    stopped."""
    running = [c for c in clocks(report, calendar, days) if c.stopped_on is None]
    return running[-1] if running else None


def deadline_of(clock: Clock | None, calendar: WorkingCalendar, today: dt.date) -> str | None:
    """``OVERDUE``, ``DUE_SOON`` or None for a report's running clock on ``today``."""
    if clock is None:
        return None
    if clock.is_overdue(today):
        return OVERDUE
    left = clock.days_left(calendar, today)
    return DUE_SOON if left is not None and left <= DUE_SOON_WORKING_DAYS else None


def with_deadline(reports: Iterable[Report], deadline: str, today: dt.date) -> list[Report]:
    """The reports whose running clock is ``deadline`` (``OVERDUE`` or ``DUE_SOON``) today."""
    calendar, days = calendar_for(), limits()
    return [
        r
        for r in reports
        if deadline_of(running_clock(r, calendar, days), calendar, today) == deadline
    ]


def overdue_clocks(report: Any, calendar: WorkingCalendar, today: dt.date) -> list[Clock]:
    return [c for c in clocks(report, calendar, limits()) if c.is_overdue(today)]


def _recipients(report: Any) -> Iterable[Any]:
    """The assigned handlers who may still read the report, or else every reader: never someone
    routing keeps away from it (an assignee who has since moved into the unit concerned)."""
    allowed = readers(report)
    assigned = [user for user in report.assignees.filter(is_active=True) if user in allowed]
    return assigned or allowed


def overdue_alerts(*, today: dt.date | None = None) -> int:
    """Notify the people handling every overdue report, once per report and clock; returns how
    many notifications were sent. One audit event for the run when any were sent."""
    today = today or timezone.localdate()
    return _alerts(
        today=today,
        kind="overdue",
        due=lambda report, calendar: overdue_clocks(report, calendar, today),
        title=gettext_lazy("A report is overdue: %(step)s"),
        body=gettext_lazy("The step was due on %(due)s."),
    )


def due_alerts(*, today: dt.date | None = None) -> int:
    """Notify the people handling every report with a step due today, once per report and
    clock (the day before it becomes overdue); returns how many notifications were sent."""
    today = today or timezone.localdate()
    return _alerts(
        today=today,
        kind="due",
        due=lambda report, calendar: [
            c for c in clocks(report, calendar, limits()) if c.stopped_on is None and c.due == today
        ],
        title=gettext_lazy("A report is due today: %(step)s"),
        body=gettext_lazy("The step is due on %(due)s."),
    )


def _alerts(
    *,
    today: dt.date,
    kind: str,
    due: Callable[[Report, WorkingCalendar], list[Clock]],
    title: Any,
    body: Any,
) -> int:
    calendar = calendar_for()
    sent = 0
    with transaction.atomic():
        for report in Report.objects.open().order_by("received_on", "pk"):
            for clock in due(report, calendar):
                for user in _recipients(report):
                    lang = language_of(user)
                    with translation.override(lang):
                        made = notify(
                            user=user,
                            key=f"complaints-{kind}:{report.public_id}:{clock.name}",
                            title=str(title) % {"step": clock.label},
                            # Nothing that identifies the report (it may be emailed): the step
                            # and the date only; the link opens it for those who may read it.
                            body=str(body)
                            % {"due": format_date(clock.due, lang) if clock.due else ""},
                            url=reverse("complaints-report", args=[report.public_id]),
                        )
                    sent += made is not None
        if sent:
            audit.record(
                f"complaints.{kind}_alerts_sent",
                object_type="complaints.report",
                changes={"notifications": [None, sent]},
                actor_label="complaint_alerts",
            )
    return sent
