"""How long closed reports are kept, and purging them when that time is over."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integritas import audit
from integritas.complaints.models import Report
from integritas.complaints.services.attachments import discard
from integritas.complaints.services.errors import NotDueForPurge


def retention_years() -> int:
    """How long a closed or rejected report is kept (``COMPLAINTS_RETENTION_YEARS``, 5)."""
    years = int(settings.COMPLAINTS_RETENTION_YEARS)
    if years < 1:
        raise ValueError("COMPLAINTS_RETENTION_YEARS must be at least 1")
    return years


@transaction.atomic
def purge_report(*, report: Report, by: Any, today: dt.date | None = None) -> None:
    """Delete a closed report past its retention date, with its keys, messages and files. The
    audit event keeps only the fact, the channel and the dates; nothing can bring it back."""
    if not report.is_due_for_purge(today):
        raise NotDueForPurge
    names = [
        name for a in report.attachments.all() for name in (a.original_file, a.clean_file) if name
    ]
    audit.record(
        "complaints.report_purged",
        object_type="complaints.report",
        object_id=str(report.public_id),
        object_label=str(report),
        changes={
            "channel": [report.channel, None],
            "received_on": [report.received_on.isoformat(), None],
            "closed_on": [report.closed_on.isoformat() if report.closed_on else None, None],
        },
        # A command purges as itself (``acting_as``); a person purges under their name.
        **({"actor": by} if by is not None else {}),
    )
    report.delete()
    transaction.on_commit(lambda: discard(names))


def purge_due(*, by: Any, today: dt.date | None = None, dry_run: bool = False) -> list[Report]:
    """Every report past its retention date; purged one by one (each its own transaction and
    audit event) unless ``dry_run``. Returns the reports found."""
    today = today or timezone.localdate()
    due = [
        r
        for r in Report.objects.finished()
        .filter(retain_until__lt=today)
        .order_by("retain_until", "pk")
        if r.is_due_for_purge(today)
    ]
    if not dry_run:
        for report in due:
            purge_report(report=report, by=by, today=today)
    return due
