"""``manage.py purge_reports [--dry-run] [--date YYYY-MM-DD]``: delete closed and rejected reports
whose retention period (``COMPLAINTS_RETENTION_YEARS`` after closure) has ended.

Irreversible: the report, its key copies, messages, notes and encrypted files are deleted; each
purge leaves one audit event with the channel and the dates, nothing of the content. Run it from
cron (monthly is enough) or by hand with ``--dry-run`` first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integritas.audit.context import acting_as
from integritas.complaints.services.retention import purge_due


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be a date like 2026-04-08, not {value!r}") from exc


class Command(BaseCommand):
    help = "Purge closed or rejected reports past their retention date. Cannot be undone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only list what would be purged; delete nothing"
        )
        parser.add_argument(
            "--date", help="act as if today were this date (YYYY-MM-DD); default: today"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        with acting_as(label="purge_reports"):
            due = purge_due(by=None, today=today, dry_run=options["dry_run"])
        verb = "would purge" if options["dry_run"] else "purged"
        for report in due:
            self.stdout.write(
                f"{verb} {report} (closed {report.closed_on}, kept until {report.retain_until})"
            )
        self.stdout.write(f"{today.isoformat()}: {verb} {len(due)} report(s)")
