"""Bulk import of survey responses at national scale. Prints measurements; asserts nothing.

Generates a synthetic instrument (30 Likert questions on the 4-point scale, in five dimensions), a
wave over 6,400 units (640 institutions × 10 units), writes 1,000,000 responses to a CSV file in a
temporary directory, and imports it through the same function as `manage.py import_responses` and
the web upload. Prints rows, seconds, responses per second, peak memory and database size.

Run alone (`python bench/surveys_import.py [--rows N]`) against a throwaway SQLite file in WAL
mode, or against PostgreSQL when DATABASE_URL points to it (a test database is created and dropped
there); `make bench` calls ``run()`` from bench/run.py. BENCH_SURVEY_ROWS changes the row count;
BENCH_WRITE_WHILE_CHECKING=0 makes a SQLite import check the whole file before it writes (as it
did before rows were written while checked), for comparisons.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INSTITUTIONS = 640
UNITS_PER_INSTITUTION = 10
QUESTIONS = 30
DIMENSIONS = 5
DEFAULT_ROWS = int(os.environ.get("BENCH_SURVEY_ROWS", "1000000"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(name: str, value: str) -> None:
    print(f"  {name:<44} {value}")


def _spec() -> dict:
    likert = [
        ("1", "Tidak baik", 1),
        ("2", "Kurang baik", 2),
        ("3", "Baik", 3),
        ("4", "Sangat baik", 4),
    ]
    per_section = QUESTIONS // 3
    return {
        "code": "bench-national",
        "kind": "integrity",
        "title": "Survei nasional (bench)",
        "dimensions": [(f"D{d + 1}", f"Dimensi {d + 1}") for d in range(DIMENSIONS)],
        "sections": [
            {
                "code": f"s{s + 1}",
                "title": f"Bagian {s + 1}",
                "questions": [
                    {
                        "code": f"Q{q + 1:02d}",
                        "type": "likert4",
                        "dimension": f"D{q % DIMENSIONS + 1}",
                        "choices": likert,
                    }
                    for q in range(s * per_section, (s + 1) * per_section)
                ],
            }
            for s in range(3)
        ],
    }


def _setup_wave(today: dt.date) -> tuple[Any, list[str]]:
    """The instrument, 6,400 units and a wave over all of them."""
    from integritas.core.models import Unit
    from integritas.surveys.models import Wave, WaveUnit
    from integritas.surveys.testing import build_version

    version = build_version(_spec())
    parents = Unit.objects.bulk_create(
        Unit(code=f"N{i:03d}", name=f"Instansi {i:03d}", type=Unit.Type.AGENCY)
        for i in range(1, INSTITUTIONS + 1)
    )
    children = Unit.objects.bulk_create(
        (
            Unit(
                code=f"{parent.code}.U{j:02d}",
                name=f"Unit {j:02d} {parent.name}",
                type=Unit.Type.DIVISION,
                parent=parent,
            )
            for parent in parents
            for j in range(1, UNITS_PER_INSTITUTION + 1)
        ),
        batch_size=2000,
    )
    if not children or children[0].pk is None:  # backends that return no ids
        children = list(Unit.objects.filter(parent__isnull=False).order_by("code"))
    wave = Wave.objects.create(
        code="bench-national",
        title="Survei nasional (bench)",
        version=version,
        opens_on=today - dt.timedelta(days=90),
        closes_on=today,
        status=Wave.Status.CLOSED,
        respondent_types=["internal", "external"],
    )
    WaveUnit.objects.bulk_create(
        (WaveUnit(wave=wave, unit=unit, public_code=f"bench{unit.pk:09d}") for unit in children),
        batch_size=2000,
    )
    return wave, [unit.code for unit in children]


def _write_csv(path: Path, rows: int, unit_codes: list[str], today: dt.date) -> None:
    """Rows with every unit a little better or worse than the others, written as a stream."""
    rng = random.Random(2026)
    days = [(today - dt.timedelta(days=d)).isoformat() for d in range(90)]
    # A pool of answer patterns per quality level, so the file has realistic variety without
    # drawing 30 random numbers per row.
    pools = []
    for level in range(4):
        weights = [1, 2 + level, 4 + level, 2 + 2 * level]
        pools.append([",".join(rng.choices("1234", weights, k=QUESTIONS)) for _ in range(2000)])
    unit_level = {code: rng.randrange(4) for code in unit_codes}
    header = ",".join(
        ["unit_code", "respondent_type", "submitted_on"]
        + [f"Q{q + 1:02d}" for q in range(QUESTIONS)]
    )
    types = ("internal", "external")
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(header + "\r\n")
        choice = rng.choice
        buffer = []
        for i in range(rows):
            unit = choice(unit_codes)
            buffer.append(
                f"{unit},{types[i & 1]},{choice(days)},{choice(pools[unit_level[unit]])}\r\n"
            )
            if len(buffer) == 10000:
                f.write("".join(buffer))
                buffer.clear()
        f.write("".join(buffer))


def _db_size_mb() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        total = sum(p.stat().st_size for p in (name, Path(f"{name}-wal")) if p.exists())
        return f"{total / 1024 / 1024:,.0f} MB (database file and write-ahead log)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('surveys_response')")
        (size,) = cursor.fetchone()
    return f"{size / 1024 / 1024:,.0f} MB (responses table with its indexes)"


def run(rows: int = DEFAULT_ROWS) -> None:
    """Generate, import and report, in the database Django is connected to."""
    from django.db import connection
    from django.utils import timezone

    from integritas.audit.context import acting_as
    from integritas.surveys.imports import responses as imports
    from integritas.surveys.models import Response

    print(
        f"survey responses: import {rows:,} rows × {QUESTIONS} questions over "
        f"{INSTITUTIONS * UNITS_PER_INSTITUTION:,} units ({connection.vendor})"
    )
    today = timezone.localdate()
    start = time.perf_counter()
    wave, unit_codes = _setup_wave(today)
    with tempfile.TemporaryDirectory(prefix="integritas-bench-csv-") as tmp:
        path = Path(tmp) / "responses.csv"
        _write_csv(path, rows, unit_codes, today)
        line(
            "generate instrument, units and CSV",
            f"{time.perf_counter() - start:.1f} s, file {path.stat().st_size / 1024 / 1024:,.0f} MB",
        )
        before = peak_mb()
        phases: dict[str, float] = {}

        def progress(phase: str, done: int, total: int) -> None:
            phases[phase] = time.perf_counter()  # the last call of each phase

        if os.environ.get("BENCH_WRITE_WHILE_CHECKING") == "0":
            imports.WRITE_WHILE_CHECKING = False
        start, cpu = time.perf_counter(), time.process_time()
        with acting_as(label="bench"):
            report = imports.import_responses(
                wave=wave, path_or_bytes=path, filename=path.name, progress=progress
            )
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert report.ok, report.errors[:5]
    stored = Response.objects.filter(wave=wave).count()
    line("import (check every cell, then insert)", f"{elapsed:.1f} s (CPU {cpu:.1f} s)")
    if "check" in phases:
        # Written while checked (SQLite): the check's time includes the writes of every block
        # but the last, and the write's is the last block and the commit.
        meanwhile = imports.writes_while_checking(None)
        line(
            "  of which read and check / write" + (" (written while checked)" if meanwhile else ""),
            f"{phases['check'] - start:.1f} / {start + elapsed - phases['check']:.1f} s",
        )
    line("rows imported", f"{report.imported:,} (stored: {stored:,})")
    line(
        "responses per second",
        f"{report.imported / elapsed:,.0f} (target ≥ 150,000 on SQLite, "
        f"≥ 100,000 on PostgreSQL; per CPU second: {report.imported / cpu:,.0f})",
    )
    line("load average (1 min) after the import", f"{os.getloadavg()[0]:.1f}")
    line(
        "peak memory of this process", f"{peak_mb():,.0f} MB (before the import: {before:,.0f} MB)"
    )
    line("database size", _db_size_mb())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
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
        run(args.rows)
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
