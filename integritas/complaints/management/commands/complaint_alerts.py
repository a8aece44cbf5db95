"""``manage.py complaint_alerts [--date YYYY-MM-DD]``: alerts about reports with a step due today
or overdue.

Run once a day (beside ``send_reminders``); running it more often is harmless, since each report's
due or overdue step is announced to each person once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integritas.audit.context import acting_as
from integritas.complaints.services.sla import due_alerts, overdue_alerts


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be a date like 2026-04-08, not {value!r}") from exc


class Command(BaseCommand):
    help = "Notify the handlers of reports whose decision or handling deadline is today or passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="act as if today were this date (YYYY-MM-DD); default: today"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        with acting_as(label="complaint_alerts"):
            sent = due_alerts(today=today) + overdue_alerts(today=today)
        self.stdout.write(f"{today.isoformat()}: {sent} alerts sent")
