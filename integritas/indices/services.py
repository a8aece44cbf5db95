"""Compute a wave's indices and store them (see docs/compute-indices.md)."""

from __future__ import annotations

import gc
import time

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.indices.engine import Result, compute
from integritas.indices.loader import config_for, load_wave, method_for
from integritas.indices.models import IndexResult, IndexRun
from integritas.surveys.models import Wave

ACTION_LABELS = {"indices.computed": gettext_lazy("Indices computed")}
BATCH_SIZE = 20_000


class NoResponses(ValueError):
    """The wave has no responses, so there is nothing to compute."""


RESULT_FIELDS = (
    "run",
    "node",
    "dimension",
    "respondent_type",
    "score",
    "n",
    "se",
    "ci_low",
    "ci_high",
    "grade",
    "nrr",
    "suppressed",
)


def _insert_results(run: IndexRun, results: list[Result]) -> None:
    """Insert the cells with plain ``executemany`` (a wave has ~200,000 of them; the ORM's
    bulk_create spends seconds building model instances). Suppressed cells get NULL values."""
    meta = IndexResult._meta
    column = {field.name: field.column for field in meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column[name]) for name in RESULT_FIELDS)
    placeholders = ", ".join(["%s"] * len(RESULT_FIELDS))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model, values bound
    collecting = gc.isenabled()
    gc.disable()  # ~200,000 fresh tuples without cycles: skip the collector's passes
    try:
        rows = [
            (
                run.pk,
                r.node,
                r.dimension,
                r.respondent_type,
                None,
                r.n,
                None,
                None,
                None,
                "",
                None,
                True,
            )
            if r.suppressed
            else (
                run.pk,
                r.node,
                r.dimension,
                r.respondent_type,
                r.score,
                r.n,
                r.se,
                r.ci_low,
                r.ci_high,
                r.grade or "",
                r.nrr,
                False,
            )
            for r in results
        ]
    finally:
        if collecting:
            gc.enable()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


def compute_wave(*, wave: Wave) -> IndexRun:
    """Load the wave, run its method and replace its stored results, in one transaction.

    Raises ``NoResponses`` (changing nothing) when the wave has no responses, and
    ``loader.LoadError`` when its instrument kind has no index method.
    """
    start = time.perf_counter()
    method = method_for(wave)
    config = config_for(wave)
    matrix, instrument, tree = load_wave(wave)
    if matrix.n_responses == 0:
        raise NoResponses(f"Wave {wave.code!r} has no responses.")
    results = compute(method, matrix=matrix, instrument=instrument, tree=tree, config=config)
    with transaction.atomic():
        previous = list(IndexRun.objects.filter(wave=wave).values_list("id", "response_count"))
        previous_ids = [pk for pk, _ in previous]
        previous_results = IndexResult.objects.filter(run_id__in=previous_ids).count()
        IndexResult.objects.filter(run_id__in=previous_ids).delete()
        IndexRun.objects.filter(id__in=previous_ids).delete()
        run = IndexRun.objects.create(
            wave=wave,
            method=method,
            computed_at=timezone.now(),
            config=config,
            response_count=matrix.n_responses,
        )
        _insert_results(run, results)
        suppressed = sum(1 for r in results if r.suppressed)
        run.seconds = time.perf_counter() - start
        run.save(update_fields=["seconds"])
        audit.record(
            "indices.computed",
            obj=wave,
            changes={
                "method": [None, method],
                "responses": [previous[0][1] if previous else None, matrix.n_responses],
                "results": [previous_results if previous else None, len(results)],
                "suppressed": [None, suppressed],
            },
        )
    return run
