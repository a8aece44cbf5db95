"""Response exports too large for a web request, prepared by the database queue's worker
(``manage.py db_worker``, started by ``make run``).

A wave with more than ``settings.EXPORT_INLINE_MAX_RESPONSES`` responses is not exported inside
the request (at national scale the file takes close to a minute, longer than a reverse proxy
waits): ``submit_export`` keeps the request as a pending ``ResponseExport``, records the audit
event of the export (once, here) and queues ``run_export``, which writes the file with the same
function as the inline export (``responses.write_export``: the same rows, suppression and
codebook) into ``settings.EXPORT_DIR``, writing its progress to the export so its page can show
it. The file is downloaded from that page, through the same permission as the export itself.

Exports older than ``settings.EXPORT_RETENTION_DAYS`` are removed with their files by
``remove_expired_exports``; ``purge_exports_daily`` runs it every day at 03:00 and queues itself
again (``manage.py purge_exports --schedule``, and every new export, start the chain).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from integritas.audit.context import acting_as
from integritas.surveys.models import Response, ResponseExport, Wave
from integritas.surveys.services import responses

PROGRESS_SECONDS = 0.5  # at most this often a progress write to the export
DAILY_AT = dt.time(3, 0)

logger = logging.getLogger(__name__)


def in_background(wave: Wave) -> bool:
    """Whether the wave has too many responses to be exported inside a web request."""
    limit: int = settings.EXPORT_INLINE_MAX_RESPONSES
    # Counting one more than the limit is enough to know, and cheaper than counting them all.
    return Response.objects.filter(wave=wave)[: limit + 1].count() > limit


def export_path(export: ResponseExport) -> Path:
    """Where the export's file is kept (a private folder, never served as it is)."""
    return Path(settings.EXPORT_DIR) / export.stored_name


@transaction.atomic
def submit_export(*, wave: Wave, fmt: str, labels: bool, by: Any | None) -> ResponseExport:
    """Keep the request of an export as a pending ``ResponseExport``, record the export in the
    audit trail and queue the background work."""
    if fmt not in responses.FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    hidden = responses.withheld(wave)
    export = ResponseExport.objects.create(
        wave=wave,
        fmt=fmt,
        labels=labels,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        created_by=by,
        rows_total=hidden.total - hidden.responses,
        filename=responses.export_filename(wave, fmt),
    )
    # Recorded once, when it is asked for (as the inline export records it when it is built):
    # the counts are those of this moment; responses still coming in are in the file too.
    responses.record_export(
        wave=wave, fmt=fmt, labels=labels, exported=hidden.total - hidden.responses, hidden=hidden
    )
    # Enqueued in the same transaction: with the database queue, the export and its task exist
    # together or not at all.
    run_export.enqueue(str(export.public_id))
    schedule_daily()
    return export


class _ExportProgress:
    """Writes ``rows_done``/``rows_total`` of an export while it is written, at most every
    ``PROGRESS_SECONDS``, each in a short transaction of its own so its page sees them."""

    def __init__(self, export_id: int) -> None:
        self.export_id = export_id
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_SECONDS and done < total:
            return
        self.last = now
        ResponseExport.objects.filter(pk=self.export_id).update(rows_done=done, rows_total=total)


@task()
def run_export(export_id: str) -> dict[str, Any]:
    """Write a pending export's file (by its public id). Runs once: an export that is no longer
    pending (taken by another worker, finished, or removed) is left alone. A failure marks the
    export failed, with a message for its page, and leaves no file behind."""
    export = (
        ResponseExport.objects.select_related("wave__version", "created_by")
        .filter(public_id=export_id)
        .first()
    )
    if export is None:
        return {"status": "missing"}
    taken = ResponseExport.objects.filter(
        pk=export.pk, status=ResponseExport.Status.PENDING
    ).update(status=ResponseExport.Status.RUNNING)
    if not taken:
        return {"status": export.status}
    target = export_path(export)
    # Written under a temporary name and renamed when complete: a file with the export's name is
    # always whole.
    partial = target.with_name(target.name + ".part")
    user = export.created_by
    label = (user.get_full_name() or user.get_username()) if user else "run_export"
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with translation.override(export.language), acting_as(label=label, user=user):
            with partial.open("wb") as file:
                exported, _hidden = responses.write_export(
                    wave=export.wave,
                    fmt=export.fmt,
                    labels=export.labels,
                    file=file,
                    progress=_ExportProgress(export.pk),
                )
        partial.replace(target)
    except Exception:
        partial.unlink(missing_ok=True)
        with translation.override(export.language):
            message = _(
                "The export stopped because of an unexpected problem; no file was made. Try "
                "again; if it fails again, ask the administrator to look at the background "
                "worker's log."
            )
        ResponseExport.objects.filter(pk=export.pk).update(
            status=ResponseExport.Status.FAILED, error=message, finished_at=timezone.now()
        )
        raise
    ResponseExport.objects.filter(pk=export.pk).update(
        status=ResponseExport.Status.DONE,
        rows_done=exported,
        rows_total=exported,
        finished_at=timezone.now(),
    )
    return {"status": ResponseExport.Status.DONE.value, "exported": exported}


def remove_expired_exports(*, now: dt.datetime | None = None) -> int:
    """Remove the exports older than ``settings.EXPORT_RETENTION_DAYS``, and their files; the
    number removed. Files in the folder that no export names any more (a worker stopped while
    writing one) go too, once they are as old."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    expired = list(ResponseExport.objects.filter(created_at__lt=cutoff))
    for export in expired:
        export_path(export).unlink(missing_ok=True)
    ResponseExport.objects.filter(pk__in=[e.pk for e in expired]).delete()
    folder = Path(settings.EXPORT_DIR)
    if folder.is_dir():
        kept = {e.stored_name for e in ResponseExport.objects.only("public_id", "fmt")}
        for path in folder.iterdir():
            name = path.name.removesuffix(".part")
            old = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC) < cutoff
            if path.is_file() and name not in kept and old:
                path.unlink(missing_ok=True)
    return len(expired)


def next_daily_run(now: dt.datetime) -> dt.datetime:
    """The next 03:00 in the government's time zone strictly after ``now``."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + dt.timedelta(days=1)


def schedule_daily(*, now: dt.datetime | None = None) -> bool:
    """Queue the next daily clean-up unless one is already waiting; True when one was queued.
    A queue that cannot hold a task until a given time (the immediate one of some tests) gets
    no chain."""
    if not purge_exports_daily.get_backend().supports_defer:
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=purge_exports_daily.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    purge_exports_daily.using(run_after=next_daily_run(now or timezone.now())).enqueue()
    return True


@task()
def purge_exports_daily() -> dict[str, Any]:
    """Today's clean-up of expired exports, then the next day's queued (one chain at a time)."""
    try:
        removed = remove_expired_exports()
    finally:
        schedule_daily()
    return {"removed": removed}
