"""The index dashboards of a national wave, timed in process. Prints measurements; asserts only
that every address answers 200.

On the wave of bench/indices_compute.py (1,000,000 responses over 6,400 units under 640
institutions, results computed), each dashboard address — the overview, the fiscal year, the
wave (its ranking and heatmap at both levels of the unit tree, sorted, a later page, one
respondent type) and the downloads of its tables (CSV and XLSX) — is requested through the
Django test client (the whole middleware stack, signed in as the demo administrator) once to
warm up, then ``BENCH_DASHBOARD_REPEATS`` times (30 by default); p50 and p95 are printed with
the target (p95 ≤ 200 ms). Downloads stream and are read from the stream to their last byte.
The process's heap is frozen first, as the WSGI entry point freezes a worker's after start-up,
and the full garbage collections during the timed requests are counted. Then the peak of Python
memory (tracemalloc) while one download of each table is made and read is printed. Before that: a recompute, then the wave page built and kept as the scheduled refresh
and ``compute_indices`` keep it (``indices.tasks.keep_wave_page``), the first request after it,
and the same page built on request with nothing kept.

`make bench PARTS=dashboards` (bench/run.py) calls ``run()``, which reuses the wave the
``import``/``indices`` parts left, else generates one (BENCH_INDICES_ROWS rows, not through the
import path) and computes it. Run alone: `python bench/indices_dashboards.py [--rows N]`.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPEATS = int(os.environ.get("BENCH_DASHBOARD_REPEATS", "30"))
TARGET_MS = 200.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(name: str, value: str) -> None:
    print(f"  {name:<58} {value}")


def _wave_with_results(rows: int) -> Any:
    import indices_compute

    from integritas.audit.context import acting_as
    from integritas.indices.models import IndexRun
    from integritas.indices.services.compute import compute_wave
    from integritas.surveys.models import Wave

    wave = Wave.objects.filter(code="bench-national").first()
    if wave is None:
        start = time.perf_counter()
        wave = indices_compute._generate(rows)
        line(f"generate {rows:,} responses", f"{time.perf_counter() - start:.1f} s")
    if not IndexRun.objects.filter(wave=wave).exists():
        start = time.perf_counter()
        with acting_as(label="bench"):
            compute_wave(wave=wave)
        line("compute_wave", f"{time.perf_counter() - start:.1f} s")
    return wave


def _read(response: Any) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def addresses(wave: Any) -> list[tuple[str, str]]:
    from integritas.indices.services.settings import wave_year

    page = f"/indices/waves/{wave.code}/"
    return [
        ("overview", "/indices/"),
        ("fiscal year", f"/indices/years/{wave_year(wave)}/"),
        ("wave (institutions, by score)", page),
        ("wave, units (level 2)", f"{page}?level=2"),
        ("wave, units by name, page 100", f"{page}?level=2&sort=name&page=100"),
        ("wave, units by respondents", f"{page}?level=2&sort=-n"),
        ("wave, internal respondents, units", f"{page}?type=internal&level=2"),
        ("ranking CSV (6,400 units)", f"{page}?level=2&table=ranking&export=csv"),
        ("heatmap CSV (6,400 units)", f"{page}?level=2&table=heatmap&export=csv"),
        ("heatmap XLSX (6,400 units)", f"{page}?level=2&table=heatmap&export=xlsx"),
        ("responses CSV", f"{page}?table=responses&export=csv"),
        ("dimensions CSV", f"{page}?table=dimensions&export=csv"),
        ("overview CSV", "/indices/?export=csv"),
    ]


def _time(client: Any, url: str, repeats: int) -> tuple[list[float], int]:
    size = 0
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        size = _read(response)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, size


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def run(*, rows: int | None = None) -> None:
    import indices_compute
    from django.db import connection
    from django.test import Client

    from integritas.audit.context import acting_as
    from integritas.core.models import User
    from integritas.indices.services import dashboard_cache
    from integritas.indices.services.compute import compute_wave
    from integritas.indices.tasks import keep_wave_page

    print(f"index dashboards ({connection.vendor}; in process, {REPEATS} requests each)")
    wave = _wave_with_results(rows or indices_compute.DEFAULT_ROWS)
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    urls = addresses(wave)
    # One request first, so that what a fresh process does once (imports, templates) is not
    # counted below. After a recompute the scheduled refresh and the command keep the wave
    # page; the first reader after it finds it kept.
    _read(client.get(urls[2][1]))
    start = time.perf_counter()
    with acting_as(label="bench"):
        compute_wave(wave=wave)
    line("recompute", f"{time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    keep_wave_page(wave)
    line("the wave page built and kept (each language)", f"{time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    _read(client.get(urls[2][1]))
    line("first wave page after a recompute", f"{(time.perf_counter() - start) * 1000:.0f} ms")
    # The same page when nothing is kept (another order, say, is built on its first request).
    dashboard_cache.invalidate()
    start = time.perf_counter()
    _read(client.get(urls[2][1]))
    line(
        "wave page built on request (nothing kept)",
        f"{(time.perf_counter() - start) * 1000:.0f} ms",
    )
    # A web worker starts with the application loaded and frozen (integritas/wsgi.py); this
    # process also holds what generating and computing the wave left, which no worker has.
    # Freezing it here, as the entry point does, keeps the full collections that requests
    # trigger to the objects made since, as in a worker.
    gc.collect()
    gc.freeze()
    line("objects frozen after set-up (as integritas/wsgi.py does)", f"{gc.get_freeze_count():,}")
    full = indices_compute.FullCollections()
    slow = []
    for name, url in urls:
        _read(client.get(url))  # warm-up (builds the board when nothing is kept)
        gc.callbacks.append(full)
        times, size = _time(client, url, REPEATS)
        gc.callbacks.remove(full)
        high = p95(times)
        if high > TARGET_MS:
            slow.append(name)
        line(
            name,
            f"p50 {statistics.median(times):7.1f} ms  p95 {high:7.1f} ms  ({size / 1024:,.0f} KB)",
        )
    line(
        "full garbage collections during the timed requests",
        f"{full.count} ({full.ms:.0f} ms in all)",
    )
    for name, url in urls:
        if "export=" not in url:
            continue
        tracemalloc.start()
        _read(client.get(url))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        line(f"peak Python memory, {name}", f"{peak / 2**20:.1f} MB")
    line("peak memory of this process", f"{peak_mb():,.0f} MB")
    verdict = "met" if not slow else f"NOT met ({', '.join(slow)})"
    line(f"target p95 ≤ {TARGET_MS:.0f} ms", verdict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the database (and VAR_DIR) in DIR and reuse it on the next run",
    )
    args = parser.parse_args()
    from standalone import demo_database

    with demo_database(args.keep):
        run(rows=args.rows)


if __name__ == "__main__":
    main()
