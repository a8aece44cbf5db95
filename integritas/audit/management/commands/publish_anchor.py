"""``manage.py publish_anchor [--schedule]``: publish today's audit anchor (the chain head's
sequence number and hash), shown at ``/data/audit-anchors/`` and in its JSON and CSV downloads.

Run once a day from cron or a systemd timer (docs/operations.md), or queue the daily run in the
background worker with ``--schedule``; running it again the same day changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integritas.audit.services import ChainBroken, publish_anchor
from integritas.audit.tasks import schedule_daily


class Command(BaseCommand):
    help = (
        "Publish today's anchor of the audit chain (sequence number and hash of the newest "
        "event), after checking the chain; one per day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="publish nothing here; queue the daily run in the background worker (at once "
            "when today has no anchor, then 00:10 every day) unless it is already queued",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            queued = schedule_daily()
            self.stdout.write(
                "daily audit anchor queued in the background worker"
                if queued
                else "the daily audit anchor is already queued in the background worker"
            )
            return
        today = timezone.localdate()
        try:
            anchor, created = publish_anchor(today=today)
        except ChainBroken as exc:
            raise CommandError(
                f"no anchor published: the audit chain is broken at {exc}; run "
                "manage.py audit_verify"
            ) from exc
        verb = "published" if created else "already published"
        self.stdout.write(
            f"{today.isoformat()}: anchor {verb} at event #{anchor.seq} ({anchor.hash})"
        )
