"""``manage.py lhkpn_reminders [--date YYYY-MM-DD]``: remind the officials who have not filed
their LHKPN (from 1 January for the periodic report, a month and a week before the due date, and
once it has passed) and tell the unit heads as the due date approaches.

Run once a day (beside ``gratification_reminders``); running it more often is harmless: each
reminder is sent once (``services/lhkpn_compliance.run_reminders``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integritas.audit.context import acting_as
from integritas.prevention.services.lhkpn_compliance import run_reminders


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be a date like 2026-03-20, not {value!r}") from exc


class Command(BaseCommand):
    help = "Remind officials who have not filed their LHKPN; tell unit heads near the due date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="act as if today were this date (YYYY-MM-DD); default: today"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        with acting_as(label="lhkpn_reminders"):
            run = run_reminders(today=today)
        self.stdout.write(
            f"{today.isoformat()}: {run.reminded} reminders, {run.escalated} escalations"
        )
