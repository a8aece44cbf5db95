"""Background tasks of the follow-up app, run by the database queue's worker (``manage.py
db_worker``).

The worker runs what is enqueued; it has no clock of its own. ``send_reminders_today`` is there so
that code (or ``manage.py shell``) can hand the daily run to the worker; the daily schedule itself
comes from cron or a systemd timer (docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from integritas.audit.context import acting_as
from integritas.followup.reminders import send_reminders


@task()
def send_reminders_today() -> dict[str, Any]:
    """The same run as ``manage.py send_reminders`` for today's date. Safe to repeat."""
    today = timezone.localdate()
    with acting_as(label="send_reminders"):
        report = send_reminders(today=today)
    return {
        "date": today.isoformat(),
        "notifications": dict(report.notifications),
        "emails": report.emails,
        "warnings": report.warnings,
        "failures": report.failures,
    }
