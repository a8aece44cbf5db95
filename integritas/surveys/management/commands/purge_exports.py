"""``manage.py purge_exports [--schedule]``: remove the response exports prepared in the
background that are older than ``EXPORT_RETENTION_DAYS``, with their files.

Run it once a day from cron, or let the background worker do it: ``--schedule`` queues the daily
run (03:00), which queues the next one itself (docs/operations.md). Running it more often is
harmless.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from integritas.surveys.services.response_exports import (
    next_daily_run,
    remove_expired_exports,
    schedule_daily,
)


class Command(BaseCommand):
    help = "Remove response exports (and their files) older than EXPORT_RETENTION_DAYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="remove nothing now; queue the daily run in the background worker (03:00 every "
            "day from then on) unless it is already queued",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            queued = schedule_daily()
            when = timezone.localtime(next_daily_run(timezone.now()))
            self.stdout.write(
                f"daily clean-up of exports queued for {when:%Y-%m-%d %H:%M}"
                if queued
                else "the daily clean-up of exports is already queued in the background worker"
            )
            return
        removed = remove_expired_exports()
        self.stdout.write(f"removed {removed} expired export(s)")
