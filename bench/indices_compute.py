"""Index computation at national scale. Prints measurements; asserts nothing.

Times ``integritas.indices.services.compute.compute_wave`` end to end — read every response of the wave
from the database, compute, replace the stored results — on a wave of 1,000,000 responses over
6,400 units (640 institutions × 10 units) and 30 Likert questions, and prints seconds, results
written and peak memory (ru_maxrss of the process). Targets: docs/compute-indices.md.

`make bench` (bench/run.py) calls ``run(wave=...)`` with the wave bench/surveys_import.py imported.
Run alone (`python bench/indices_compute.py [--rows N]`), it builds the same instrument, units and
wave and writes the responses straight into the table (not through the import path, which
bench/surveys_import.py measures), in a throwaway SQLite file in WAL mode or in a test database
on DATABASE_URL, then runs the DuckDB reference (bench/duckdb_reference.py) unless given
--no-duckdb. BENCH_INDICES_ROWS changes the row count.

Each ``compute_wave`` prints its own split (read from the database, engine, store), which it
logs at DEBUG. After the two timed runs come an incremental ``update_wave`` (one response added
to one unit) and the full recompute a method-settings change causes (the integrity correction
set for the wave's year); the DuckDB reference then prints every ratio with its target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROWS = int(os.environ.get("BENCH_INDICES_ROWS", "1000000"))
CHUNK = 100_000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(name: str, value: str) -> None:
    print(f"  {name:<44} {value}")


def _generate(rows: int) -> Any:
    """The bench instrument, units and wave, with ``rows`` responses inserted directly."""
    import numpy as np
    import surveys_import
    from django.db import connection, transaction
    from django.utils import timezone

    from integritas.surveys.models import Response, WaveUnit

    today = timezone.localdate()
    wave, _codes = surveys_import._setup_wave(today)
    unit_ids = np.array(
        sorted(WaveUnit.objects.filter(wave=wave).values_list("unit_id", flat=True)),
        dtype=np.int64,
    )
    rng = np.random.default_rng(2026)
    # Every unit a little better or worse than the others (as in bench/surveys_import.py).
    level = rng.integers(0, 4, len(unit_ids))
    weights = np.array([[1, 2 + v, 4 + v, 2 + 2 * v] for v in range(4)], dtype=float)
    cumulative = (weights.cumsum(axis=1) / weights.sum(axis=1, keepdims=True))[:, :3]
    days = [(today - dt.timedelta(days=d)).isoformat() for d in range(90)]
    table = Response._meta.db_table
    sql = (
        f"INSERT INTO {table} (wave_id, unit_id, respondent_type, submitted_on, answers, source)"
        " VALUES (%s, %s, %s, %s, %s, %s)"
    )
    types = ("internal", "external")
    width = 2 * surveys_import.QUESTIONS
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, rows, CHUNK):
            size = min(CHUNK, rows - start)
            pick = rng.integers(0, len(unit_ids), size)
            draws = rng.random((size, surveys_import.QUESTIONS))
            answers = 1 + (draws[:, :, None] > cumulative[level[pick]][:, None, :]).sum(axis=2)
            packed = answers.astype("<i2").tobytes()
            units = unit_ids[pick].tolist()
            cursor.executemany(
                sql,
                [
                    (
                        wave.pk,
                        units[i],
                        types[(start + i) & 1],
                        days[(start + i) % 90],
                        packed[i * width : (i + 1) * width],
                        "import",
                    )
                    for i in range(size)
                ],
            )
    return wave


class _Phases(logging.Handler):
    """Collects the read / engine / store split that ``compute_wave`` logs (at DEBUG)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[dict[str, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        phases = getattr(record, "phases", None)
        if phases:
            self.seen.append(dict(phases))


FIGURES: dict[str, Any] = {}
"""What the last ``run`` measured, for the ratios bench/duckdb_reference.py prints: ``recompute``
(s), ``phases`` (read/engine/store of the recompute, s), ``settings`` (the full recompute after a
method-settings change, s), ``incremental`` (one unit, s) and ``vendor``."""


def _split(phases: dict[str, float]) -> str:
    return " / ".join(f"{phases[name]:.2f}" for name in ("read", "engine", "store")) + " s"


def run(*, wave: Any = None, rows: int = DEFAULT_ROWS) -> tuple[Any, float | None]:
    """Time compute_wave on ``wave``, or on a generated wave of ``rows`` responses.

    Returns the wave and the seconds of the recompute (None when there was nothing to compute);
    the other figures are left in ``FIGURES``.
    """
    from django.db import connection

    from integritas.audit.context import acting_as
    from integritas.indices.services.compute import compute_wave
    from integritas.surveys.models import Response

    FIGURES.clear()
    FIGURES["vendor"] = connection.vendor
    if wave is None:
        print(f"index computation: generate {rows:,} responses ({connection.vendor})")
        start = time.perf_counter()
        wave = _generate(rows)
        line("generate instrument, units and responses", f"{time.perf_counter() - start:.1f} s")
    count = Response.objects.filter(wave=wave).count()
    print(f"index computation: wave {wave.code}, {count:,} responses ({connection.vendor})")
    if not count:
        line("nothing to compute", "the wave has no responses")
        return wave, None
    handler = _Phases()
    compute_logger = logging.getLogger("integritas.indices.services.compute")
    level, propagate = compute_logger.level, compute_logger.propagate
    compute_logger.setLevel(logging.DEBUG)
    compute_logger.propagate = False  # the split is printed below, not logged to the console
    compute_logger.addHandler(handler)
    try:
        before = peak_mb()
        elapsed = 0.0
        for label in ("first run (no stored results)", "recompute (replaces the results)"):
            start = time.perf_counter()
            with acting_as(label="bench"):
                run_ = compute_wave(wave=wave)
            elapsed = time.perf_counter() - start
            line(f"compute_wave, {label}", f"{elapsed:.2f} s")
            line("  read / engine / store", _split(handler.seen[-1]))
        FIGURES["recompute"], FIGURES["phases"] = elapsed, handler.seen[-1]
        line("method, results written", f"{run_.method}, {run_.results.count():,}")
        line(
            "peak memory of this process",
            f"{peak_mb():,.0f} MB (target ≤ 2,048 MB; before computing: {before:,.0f} MB)",
        )
        FIGURES["incremental"] = _incremental(wave)
        line(
            "update_wave, one unit changed (incremental)",
            f"{FIGURES['incremental']:.2f} s (target < 0.2 s)",
        )
        collections, gc_ms, frozen = FIGURES["incremental_gc"]
        line(
            "  full garbage collections in it",
            f"{collections} ({gc_ms:.0f} ms; {frozen:,} objects frozen before, as a worker does)",
        )
        settings_s = _after_settings_change(wave, run_.method)
        if settings_s is not None:
            FIGURES["settings"] = settings_s
            line("update_wave after a method-settings change", f"{settings_s:.2f} s (in full)")
            line("  read / engine / store", _split(handler.seen[-1]))
    finally:
        compute_logger.removeHandler(handler)
        compute_logger.setLevel(level)
        compute_logger.propagate = propagate
    return wave, elapsed


class FullCollections:
    """Counts the garbage collector's full (oldest generation) collections and their time."""

    def __init__(self) -> None:
        self.count = 0
        self.ms = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.count += 1
            self.ms += (time.perf_counter() - self._start) * 1000


def _incremental(wave: Any) -> float:
    """One more response in one unit, as a web submission would add it, then ``update_wave``."""
    from integritas.audit.context import acting_as
    from integritas.indices.services.compute import mark_responses_changed, update_wave
    from integritas.surveys.models import Response

    sample = Response.objects.filter(wave=wave).first()
    assert sample is not None
    Response.objects.create(
        wave=wave,
        unit_id=sample.unit_id,
        respondent_type=sample.respondent_type,
        submitted_on=sample.submitted_on,
        answers=sample.answers,
        source=sample.source,
    )
    mark_responses_changed(wave_id=wave.pk, unit_ids=[sample.unit_id], count=1)
    # A worker freezes what start-up made (integritas/wsgi.py); this process also holds what
    # generating, importing and computing left. Frozen here as in a worker, a full collection
    # that the update's allocations trigger walks only the objects made since; without it one
    # such collection (about 125 ms on the 2-core machine) falls in the update in some runs.
    gc.collect()
    gc.freeze()
    full = FullCollections()
    gc.callbacks.append(full)
    try:
        start = time.perf_counter()
        with acting_as(label="bench"):
            update_wave(wave=wave)
        elapsed = time.perf_counter() - start
    finally:
        gc.callbacks.remove(full)
        frozen = gc.get_freeze_count()
        gc.unfreeze()
    FIGURES["incremental_gc"] = (full.count, full.ms, frozen)
    return elapsed


def _after_settings_change(wave: Any, method: str) -> float | None:
    """A method setting for the wave's year (the integrity correction), then ``update_wave``,
    which must recompute the wave in full. None for other methods."""
    if method != "integrity":
        return None
    from integritas.audit.context import acting_as
    from integritas.indices.services.compute import update_wave
    from integritas.indices.services.settings import setting_create, wave_year

    with acting_as(label="bench"):
        setting_create(method=method, year=wave_year(wave), config={"correction": 1.0})
        start = time.perf_counter()
        update_wave(wave=wave)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument(
        "--no-duckdb",
        action="store_true",
        help="skip the DuckDB reference (bench/duckdb_reference.py)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    tmp = tempfile.mkdtemp(prefix="integritas-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.settings")
    os.environ.setdefault("VAR_DIR", tmp)

    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        # A real file in WAL mode, as `make run` uses, not the test suite's in-memory database.
        connection.settings_dict["TEST"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
    db_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        wave, elapsed = run(rows=args.rows)
        if elapsed is not None and not args.no_duckdb:
            import duckdb_reference

            duckdb_reference.run(wave=wave, end_to_end=elapsed, figures=FIGURES)
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
