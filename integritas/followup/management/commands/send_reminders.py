"""``manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]``: the daily follow-up reminders.

Run once a day (cron or a systemd timer, see docs/operations.md); running it more often is
harmless, since each reminder is sent once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integritas.audit.context import acting_as
from integritas.followup.services.reminders import send_reminders
from integritas.followup.tasks import next_daily_run, schedule_daily


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be a date like 2025-04-08, not {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Email and notify unit officers before and on the due date of follow-up activities, "
        "escalate overdue activities to the unit heads and send the weekly digest to leadership."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="act as if today were this date (YYYY-MM-DD); default: today"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="only count what would be sent; send nothing"
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="send nothing now; queue the daily run in the background worker (07:00 every "
            "day from then on) unless it is already queued",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            queued = schedule_daily()
            when = timezone.localtime(next_daily_run(timezone.now()))
            self.stdout.write(
                f"daily reminders queued for {when:%Y-%m-%d %H:%M}"
                if queued
                else "daily reminders are already queued in the background worker"
            )
            return
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        with acting_as(label="send_reminders"):
            report = send_reminders(today=today, dry_run=options["dry_run"])
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        for failure in report.failures:
            self.stderr.write(f"failed: {failure}")
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.notifications.items()))
        verb = "would send" if report.dry_run else "sent"
        self.stdout.write(
            f"{today.isoformat()}: {verb} {report.total} notification(s)"
            f"{f' ({kinds})' if kinds else ''} in {report.emails} email(s)"
            f"{f', and {report.digests} daily digest(s)' if report.digests else ''}"
        )
        if report.failures:
            raise CommandError(f"{len(report.failures)} email(s) could not be sent; see above")
