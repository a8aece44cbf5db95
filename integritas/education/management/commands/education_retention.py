"""``manage.py education_retention [--dry-run] [--date YYYY-MM-DD]``: blank the names and contacts
of the participants and invitees of events that ended more than ``EDUCATION_RETENTION_MONTHS``
ago (``services.retention``), keeping counts, test scores and certificates.

Irreversible; each event done leaves one audit event with the counts. Run it from cron (monthly
is enough) or by hand with ``--dry-run`` first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integritas.audit.context import acting_as
from integritas.education.services.retention import cutoff, remove_due


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be a date like 2026-04-08, not {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Blank participants' and invitees' names and contacts of events past the retention "
        "period (EDUCATION_RETENTION_MONTHS). Cannot be undone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only list what would be done; change nothing"
        )
        parser.add_argument(
            "--date", help="act as if today were this date (YYYY-MM-DD); default: today"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        with acting_as(label="education_retention"):
            done = remove_due(today=today, dry_run=options["dry_run"])
        verb = "would anonymise" if options["dry_run"] else "anonymised"
        for item in done:
            ended = timezone.localdate(item.event.ends_at).isoformat()
            self.stdout.write(
                f"{verb} {item.event.code} (ended {ended}): {item.registrations} registration(s), "
                f"{item.invitees} invitee(s)"
            )
        self.stdout.write(
            f"{today.isoformat()}: events ended before {cutoff(today).isoformat()}; "
            f"{verb} {len(done)} event(s)"
        )
