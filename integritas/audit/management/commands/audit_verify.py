"""Check the audit chain: exit 0 when intact, 1 naming the first bad event otherwise."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from integritas.audit.models import ChainHead
from integritas.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify that no audit event was edited, deleted or inserted."

    def handle(self, *args: Any, **options: Any) -> None:
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
