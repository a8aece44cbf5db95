"""Performance figures for `make bench`. Prints measurements; fails only when the audit chain
does not verify or the DuckDB reference disagrees with the index engine.

Runs against a throwaway SQLite database under a temporary VAR_DIR, or against the database in
DATABASE_URL when it is set (its test database is created and dropped like in the test suite).

Parts: ``audit`` (the audit trail), ``pages`` (six staff pages in process), ``portal`` (the
portal over HTTP, bench/portal_http.py), ``checkin`` (check-in at an event's door over HTTP,
bench/education_checkin.py), ``import`` (1,000,000 survey responses), ``indices``
(the index computation and its DuckDB reference, on the imported wave) and ``dashboards``
(the index dashboards of that wave in process, bench/indices_dashboards.py; alone, it
generates and computes the wave itself) and ``exports`` (the responses export of that wave,
CSV in a ZIP and XLSX, with its time and memory, bench/surveys_export.py). All run by default;
``bench/run.py portal`` (or ``make bench PARTS=portal``) runs the ones named.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.settings")
TMP = tempfile.mkdtemp(prefix="integritas-bench-")
os.environ.setdefault("VAR_DIR", TMP)
os.environ["DEMO_MODE"] = "true"
os.environ["REQUIRE_2FA"] = "false"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

EVENTS = int(os.environ.get("BENCH_AUDIT_EVENTS", "20000"))
PARTS = ("audit", "pages", "portal", "checkin", "import", "indices", "dashboards", "exports")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(name: str, value: str) -> None:
    print(f"  {name:<44} {value}")


def main() -> None:
    chosen = set(sys.argv[1:]) or set(PARTS)
    unknown = chosen - set(PARTS)
    if unknown:
        sys.exit(f"unknown bench parts: {', '.join(sorted(unknown))} (known: {', '.join(PARTS)})")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("collectstatic", "--noinput", verbosity=0)
    if connection.vendor == "sqlite":
        # A real file in WAL mode, as `make run` uses, not the test suite's in-memory database.
        connection.settings_dict["TEST"]["NAME"] = str(Path(TMP) / "bench.sqlite3")
    db_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    print(f"Integritas bench — database: {connection.vendor} ({db_name})")
    try:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        if "audit" in chosen:
            audit_trail()
        if "pages" in chosen:
            staff_pages()
        if "portal" in chosen:
            import portal_http

            portal_http.run()
        if "checkin" in chosen:
            import education_checkin

            education_checkin.run()
        if "import" in chosen or "indices" in chosen:
            national_scale(indices="indices" in chosen)
        if "dashboards" in chosen:
            import indices_dashboards

            indices_dashboards.run()
        if "exports" in chosen:
            import surveys_export

            surveys_export.run()
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0)
        shutil.rmtree(TMP, ignore_errors=True)
        shutil.rmtree(settings.CACHE_DIR, ignore_errors=True)


def audit_trail() -> None:
    from integritas import audit
    from integritas.audit.services import verify_chain

    print("audit trail")
    start = time.perf_counter()
    for i in range(EVENTS):
        with transaction.atomic():
            audit.record(
                "bench.event",
                object_type="bench.thing",
                object_id=str(i),
                changes={"n": [i, i + 1]},
            )
    elapsed = time.perf_counter() - start
    line(
        f"append {EVENTS:,} events (one transaction each)",
        f"{elapsed:.2f} s = {EVENTS / elapsed:,.0f} events/s",
    )
    start = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - start
    line(
        f"verify chain of {result.checked:,} events",
        f"{elapsed:.2f} s = {result.checked / elapsed:,.0f} events/s",
    )
    assert result.ok


def staff_pages() -> None:
    from integritas.core.models import User

    print("pages (Django test client, in process; median of 20)")
    admin = User.objects.get(username="admin")
    officer = User.objects.get(username="operator.dinkes")
    for who, url in [
        (admin, "/"),
        (admin, "/units/"),
        (admin, "/people/"),
        (admin, "/audit/"),
        (officer, "/"),
        (officer, "/units/DINKES/"),
    ]:
        client = Client()
        client.force_login(who)
        client.get(url)
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (url, response.status_code)
        line(f"GET {url} as {who.username}", f"{statistics.median(times) * 1000:.1f} ms")
    line("peak memory of this process", f"{peak_mb():.0f} MB")


def national_scale(*, indices: bool) -> None:
    # Survey responses: 1,000,000 rows imported through the import path (bench/surveys_import.py).
    import surveys_import

    surveys_import.run()
    if not indices:
        return

    # --- Index computation (bench/indices_compute.py) ----------------------------------------
    # compute_wave end to end on the wave surveys_import.run() just imported (it does not
    # return it; it is found by its code), or on a generated wave when that one is absent.
    import duckdb_reference
    import indices_compute

    from integritas.surveys.models import Wave

    wave, recompute = indices_compute.run(wave=Wave.objects.filter(code="bench-national").first())

    # --- DuckDB reference (bench/duckdb_reference.py) ----------------------------------------
    # The same wave exported to Parquet and aggregated by DuckDB: timed against our engine,
    # and the numbers must agree (skipped with a message when duckdb is not installed).
    if recompute is not None:
        duckdb_reference.run(wave=wave, end_to_end=recompute, figures=indices_compute.FIGURES)


if __name__ == "__main__":
    main()
