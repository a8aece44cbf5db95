"""``manage.py gratification_reminders [--date YYYY-MM-DD]``: lapse the gratification reports not
completed within their rule set's window, and tell the UPG's head about overdue steps.

Run once a day (beside ``send_reminders`` and ``complaint_alerts``); running it more often is
harmless: a report lapses once, and each overdue step is announced to each head once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integritas.audit.context import acting_as
from integritas.prevention.services.reports import run_daily


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be a date like 2026-04-08, not {value!r}") from exc


class Command(BaseCommand):
    help = "Lapse incomplete gratification reports past their window; escalate overdue steps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="act as if today were this date (YYYY-MM-DD); default: today"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        with acting_as(label="gratification_reminders"):
            run = run_daily(today=today)
        self.stdout.write(
            f"{today.isoformat()}: {len(run.lapsed)} lapsed, {len(run.escalated)} escalated, "
            f"{run.notifications} notifications"
        )
