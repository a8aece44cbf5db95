"""Check the audit chain: exit 0 when intact, 1 naming the first bad event otherwise.

With ``--anchors FILE_OR_URL`` the chain is also compared with anchors published earlier (the
JSON download of ``/data/audit-anchors.json``, or a copy of it): that catches a rewrite of the
whole chain and its head, or a cut-off end, which the chain alone cannot show.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from integritas.audit.anchors import AnchorSourceError, parse_anchors, read_source
from integritas.audit.models import ChainHead
from integritas.audit.services import check_anchors, verify_chain


class Command(BaseCommand):
    help = "Verify that no audit event was edited, deleted or inserted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchors",
            metavar="FILE_OR_URL",
            help="also check the chain against published anchors: a JSON file, or an http(s) "
            "address such as https://HOST/data/audit-anchors.json",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        published = None
        if options["anchors"]:
            # Read first: a bad file is reported before the (long) walk of the chain.
            source = options["anchors"]
            try:
                data = read_source(
                    source,
                    timeout=settings.AUDIT_ANCHORS_TIMEOUT_SECONDS,
                    max_bytes=settings.AUDIT_ANCHORS_MAX_BYTES,
                )
                published = parse_anchors(data, source=source)
            except AnchorSourceError as exc:
                raise CommandError(str(exc)) from exc
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"audit chain BROKEN at event #{result.first_bad_seq}: {result.problem} "
                f"({result.checked} events verified before it)"
            )
        head = ChainHead.objects.filter(pk=1).first()
        head_hash = head.hash if head else "-"
        self.stdout.write(
            self.style.SUCCESS(f"audit chain intact: {result.checked} events; head {head_hash}")
        )
        if published is None:
            return
        check = check_anchors(published)
        if not check.ok:
            for problem in check.problems:
                self.stderr.write(f"anchor mismatch: {problem}")
            raise CommandError(
                f"audit chain does NOT match {len(check.problems)} of {check.checked} published "
                f"anchors: {check.problems[0]}"
            )
        latest = check.latest
        assert latest is not None  # parse_anchors refuses an empty list
        self.stdout.write(
            self.style.SUCCESS(
                f"audit chain matches all {check.checked} published anchors (latest: event "
                f"#{latest.seq} of {latest.date.isoformat()})"
            )
        )
