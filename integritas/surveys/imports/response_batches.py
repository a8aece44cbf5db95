"""Web uploads of responses, imported in the background by the database queue's worker
(``manage.py db_worker``, started by ``make run``).

``submit_import`` keeps an upload as a pending ``ImportBatch`` and queues ``run_import``, which
imports it with the same function as the command (``imports.responses.import_responses``),
writing its progress to the batch while it checks the rows so the progress page can show it,
and its outcome (imported count, or every bad cell) when it is done.
"""

from __future__ import annotations

import time
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from integritas import audit
from integritas.audit.context import acting_as
from integritas.lib.imports import RowError
from integritas.surveys.imports.responses import import_responses
from integritas.surveys.models import ImportBatch, Wave

PROGRESS_SECONDS = 0.5  # at most this often a progress write to the batch


class _BatchProgress:
    """Writes ``rows_done``/``rows_total`` of a batch while its rows are checked, in short
    transactions of their own so the progress page sees them."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != "check" or (now - self.last < PROGRESS_SECONDS and done < total):
            return
        self.last = now
        ImportBatch.objects.filter(pk=self.batch_id).update(rows_done=done, rows_total=total)


@task()
def run_import(batch_id: str) -> dict[str, Any]:
    """Import a pending batch (by its public id). Runs once: a batch that is no longer pending
    (already taken by another worker, or finished) is left alone."""
    batch = (
        ImportBatch.objects.select_related("wave__version", "created_by")
        .filter(public_id=batch_id)
        .first()
    )
    if batch is None:
        return {"status": "missing"}
    taken = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING).update(
        status=ImportBatch.Status.RUNNING
    )
    if not taken:
        return {"status": batch.status}
    user = batch.created_by
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    label = (user.get_full_name() or user.get_username()) if user else "run_import"
    try:
        with translation.override(language), acting_as(label=label, user=user):
            if not batch.file:
                raise FileNotFoundError("the uploaded file of this batch is gone")
            with batch.file.open("rb") as stream:
                report = import_responses(
                    wave=batch.wave,
                    path_or_bytes=stream,
                    filename=batch.filename,
                    progress=_BatchProgress(batch.pk),
                    batch=batch,
                    max_bytes=settings.UPLOAD_MAX_BYTES,
                )
    except Exception:
        with translation.override(language):
            problem = RowError(
                0,
                "",
                "",
                _(
                    "The import stopped because of an unexpected problem; nothing was imported. "
                    "Ask the administrator to look at the background worker's log."
                ),
            )
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED,
            errors=[problem.as_dict()],
            error_count=1,
            finished_at=timezone.now(),
        )
        raise
    finally:
        _discard_file(batch)
    return {"status": report.batch.status if report.batch else "", "imported": report.imported}


def _discard_file(batch: ImportBatch) -> None:
    """The responses are in the database now (or were refused): keep no second copy of them."""
    if batch.file:
        batch.file.storage.delete(batch.file.name)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")


@transaction.atomic
def submit_import(
    *, wave: Wave, upload: UploadedFile, content_hash: str, by: Any | None
) -> ImportBatch:
    """Keep an uploaded file as a pending batch and queue the background import of it."""
    name = PurePath(upload.name or "responses.csv").name
    batch = ImportBatch(
        wave=wave,
        filename=name[:255],
        content_hash=content_hash,
        created_by=by,
        status=ImportBatch.Status.PENDING,
    )
    suffix = PurePath(name).suffix.lower()
    # Stored under a name of our own: the user's file name is only shown, never used as a path.
    stored = f"{batch.public_id}{suffix if suffix in ('.csv', '.txt', '.xlsx') else ''}"
    batch.file.save(stored, upload, save=False)
    batch.save()
    audit.record("wave.import_submitted", obj=wave, changes={"file": [None, batch.filename]})
    # Enqueued in the same transaction: with the database queue, the batch and its task exist
    # together or not at all.
    run_import.enqueue(str(batch.public_id))
    return batch
