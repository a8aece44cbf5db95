"""Background tasks of the follow-up app, run by the database queue's worker (``manage.py
db_worker``).

The daily reminders can run from cron (``manage.py send_reminders``) or in the worker:
``send_reminders_daily`` sends today's reminders and queues itself again for 07:00 the next day
(the database queue holds the task until then), so one ``manage.py send_reminders --schedule``
starts a chain that runs every day while a worker is up. Both ways are safe together: a day's
reminders are never sent twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from integritas.audit.context import acting_as
from integritas.followup.services.reminders import send_reminders

DAILY_AT = dt.time(7, 0)


def _run(today: dt.date) -> dict[str, Any]:
    with acting_as(label="send_reminders"):
        report = send_reminders(today=today)
    return {
        "date": today.isoformat(),
        "notifications": dict(report.notifications),
        "emails": report.emails,
        "digests": report.digests,
        "warnings": report.warnings,
        "failures": report.failures,
    }


@task()
def send_reminders_today() -> dict[str, Any]:
    """The same run as ``manage.py send_reminders`` for today's date. Safe to repeat."""
    return _run(timezone.localdate())


def next_daily_run(now: dt.datetime) -> dt.datetime:
    """The next 07:00 in the government's time zone strictly after ``now``."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + dt.timedelta(days=1)


def schedule_daily(*, now: dt.datetime | None = None) -> bool:
    """Queue the next daily run unless one is already waiting; True when one was queued."""
    waiting = DBTaskResult.objects.filter(
        task_path=send_reminders_daily.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    send_reminders_daily.using(run_after=next_daily_run(now or timezone.now())).enqueue()
    return True


@task()
def send_reminders_daily() -> dict[str, Any]:
    """Today's reminders, then the next day's run queued for 07:00 (one chain at a time)."""
    result = _run(timezone.localdate())
    schedule_daily()
    return result
