"""Saving a checked response import (see ``integritas.surveys.imports.responses``): the batch,
the rows (``response_store``) and the audit event in one transaction.

Either the whole file was checked first and the good rows are written at the end, sorted by unit
(``save`` without ``check``), or the rows are checked inside the transaction and each block's
good rows are written as soon as it is checked, sorted by unit within the block, while the
scans of the next blocks go on in their threads (``save`` with ``check``: a plain CSV file on
SQLite). Either way the rows of one unit keep the file's order, a bad row anywhere leaves
nothing written (the transaction is rolled back) and every bad row is reported.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from integritas import audit
from integritas.surveys.imports.response_columns import Block
from integritas.surveys.imports.response_store import (
    check_references,
    sqlite_commit,
    sqlite_tuning,
    write_rows,
)
from integritas.surveys.models import ImportBatch, Wave
from integritas.surveys.signals import announce_responses_changed

if TYPE_CHECKING:
    from integritas.surveys.imports.responses import ResponseImporter

# Checks the rows, handing each block's good rows to the function it is given.
Check = Callable[[Callable[[Block], None]], None]


class Refused(Exception):
    """A bad row was found after rows were written: the transaction is rolled back."""


def earlier_import(wave: Wave, content_hash: str) -> ImportBatch | None:
    """The import of the same content into this wave that was already done, if any."""
    return (
        ImportBatch.objects.filter(
            wave=wave, content_hash=content_hash, status=ImportBatch.Status.DONE
        )
        .order_by("finished_at")
        .first()
    )


def save(
    importer: ResponseImporter, batch: ImportBatch | None, check: Check | None, chunk: int
) -> None:
    """Write the good rows (``chunk`` rows per statement), the batch and the audit event in one
    transaction. With ``check``,
    the rows are checked in it too: ``check(write)`` hands each block's good rows to ``write``
    as it goes, and a bad row anywhere rolls back everything written."""
    report, wave = importer.report, importer.wave
    try:
        with sqlite_commit() as commit, transaction.atomic():
            earlier = earlier_import(wave, report.content_hash)
            if earlier is not None:
                report.duplicate_of = earlier
                return
            if batch is None:
                batch = ImportBatch.objects.create(
                    wave=wave,
                    filename=report.filename[:255],
                    content_hash=report.content_hash,
                    **_outcome(importer),
                )
            else:
                # First, so a concurrent import of the same content fails here, early.
                ImportBatch.objects.filter(pk=batch.pk).update(**_outcome(importer))
            if check is None:
                _insert(importer, batch.pk, chunk)
            else:
                _check_and_insert(importer, batch.pk, check, chunk)
                if not report.ok:
                    raise Refused
                ImportBatch.objects.filter(pk=batch.pk).update(**_outcome(importer))
            if commit.references_unchecked:
                check_references(
                    wave_id=wave.pk,
                    batch_id=batch.pk,
                    unit_ids=importer.unit_ids,
                    service_ids=importer.service_ids,
                )
            announce_responses_changed(
                wave_id=wave.pk, unit_ids=importer.unit_ids, count=importer.count
            )
            audit.record(
                "wave.responses_imported",
                obj=wave,
                changes={"file": [None, report.filename], "responses": [None, importer.count]},
            )
    except Refused:  # every row was checked and every bad one reported; nothing is kept
        return
    except IntegrityError:
        duplicate = earlier_import(wave, report.content_hash)
        if duplicate is None:
            raise
        report.duplicate_of = duplicate
        return
    batch.refresh_from_db()
    report.batch = batch
    report.imported = importer.count


def _outcome(importer: ResponseImporter) -> dict[str, Any]:
    """The fields of a finished batch."""
    total = importer.report.total_rows
    return {
        "status": ImportBatch.Status.DONE,
        "rows_total": total,
        "rows_done": total,
        "imported": importer.count,
        "errors": [],
        "error_count": 0,
        "finished_at": timezone.now(),
    }


def _insert(importer: ResponseImporter, batch_id: int, chunk: int) -> None:
    """Write the packed rows of the whole file (the caller holds the transaction)."""
    answers = np.asarray(importer.answers, dtype="<i2").tobytes()
    importer.answers = array("h")

    def progress(done: int, total: int) -> None:
        if importer.progress is not None:
            importer.progress("save", done, total)

    with connection.cursor() as cursor, sqlite_tuning(cursor):
        _write(
            importer,
            batch_id,
            chunk,
            units=np.asarray(importer.unit_ids, dtype=np.int64),
            services=np.asarray(importer.service_ids, dtype=np.int64),
            ordinals=np.asarray(importer.ordinals, dtype=np.int64),
            rtype_indexes=np.asarray(importer.rtype_indexes, dtype=np.int64),
            answers=answers,
            extras=importer.extras,
            progress=progress,
        )


def _check_and_insert(importer: ResponseImporter, batch_id: int, check: Check, chunk: int) -> None:
    """Check the rows, writing each block's good rows (sorted by unit within the block, so the
    rows of a unit keep their file order) while the next blocks are scanned."""
    units: list[np.ndarray] = []
    services: list[np.ndarray] = []

    def write(block: Block) -> None:
        _write(
            importer,
            batch_id,
            chunk,
            units=block.units,
            services=block.services,
            ordinals=block.ordinals,
            rtype_indexes=block.rtype_indexes,
            answers=block.answers.astype("<i2", copy=False).tobytes(),
            extras=block.extras,
        )
        units.append(np.unique(block.units))
        services.append(np.unique(block.services))
        importer.count += len(block.units)

    with connection.cursor() as cursor, sqlite_tuning(cursor):
        check(write)
    # From here on, the distinct units and services (0: none) of the rows written.
    importer.unit_ids = np.unique(np.concatenate(units)) if units else array("q")
    importer.service_ids = np.unique(np.concatenate(services)) if services else array("q")
    if importer.progress is not None:
        importer.progress("save", importer.count, importer.count)


def _write(importer: ResponseImporter, batch_id: int, chunk: int, **rows: Any) -> None:
    write_rows(
        wave_id=importer.wave.pk,
        batch_id=batch_id,
        rtypes=importer.rtypes,
        width=importer.schema.slot_count * 2,
        chunk=chunk,
        **rows,
    )
