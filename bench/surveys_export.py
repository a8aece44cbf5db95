"""The responses export of a national wave (the ZIP of CSV files and the XLSX workbook, each with
its codebook), timed in process with its memory. Prints measurements; asserts only that every
export holds every response.

On the wave of bench/indices_compute.py (1,000,000 responses × 30 questions over 6,400 units),
``surveys.services.responses.export_responses`` is called for each format and the file it gives
is read to its last byte, as a download is. For each: the wall-clock and CPU time, the file's
size, and the resident memory the process gained while the export ran (sampled every 10 ms from
/proc, above the resident memory before it). With ``--trace`` (or BENCH_EXPORT_TRACE=1) a second
run of each format is made under tracemalloc for the peak of Python memory (several times
slower). The load average is printed before and after.

With ``--report`` the wave's signed PDF report (``indices-wave-report``, its ranking of the 640
institutions and heat map; the wave is computed first when it has no results) is requested
through the Django test client as the demo administrator and read to its last byte, with the
same figures.

`make bench PARTS=exports` (bench/run.py) calls ``run()``, which reuses the wave the
``import``/``indices`` parts left, else generates one (BENCH_INDICES_ROWS rows, not through the
import path). Run alone: `python bench/surveys_export.py [--rows N] [--keep DIR] [--format F]
[--trace] [--repeats N] [--report] [--no-exports]`; ``--keep`` reuses the generated wave between runs.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("csv", "xlsx")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def line(name: str, value: str) -> None:
    print(f"  {name:<50} {value}", flush=True)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _rss() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except OSError:  # not Linux: no sampling
        return 0


class _PeakRSS:
    """The highest resident memory of this process while the block runs, sampled every 10 ms."""

    def __enter__(self) -> _PeakRSS:
        self.base = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())


def _export(wave: Any, fmt: str) -> tuple[int, int]:
    """One export read to its last byte, as a download is: (responses written or withheld,
    bytes)."""
    from integritas.surveys.services.responses import export_responses

    export = export_responses(wave=wave, fmt=fmt)
    file = getattr(export, "file", None)
    counted = export.exported + export.withheld.responses
    if file is None:  # an export built whole in memory (before it was written to a file)
        return counted, len(export.content)
    size = 0
    try:
        file.seek(0)
        while chunk := file.read(1 << 16):  # FileResponse's block size
            size += len(chunk)
    finally:
        file.close()
    return counted, size


def _wave(rows: int) -> Any:
    import indices_compute

    from integritas.surveys.models import Wave

    wave = Wave.objects.filter(code="bench-national").first()
    if wave is None:
        start = time.perf_counter()
        wave = indices_compute._generate(rows)
        line(f"generate {rows:,} responses", f"{time.perf_counter() - start:.1f} s")
    return wave


def _report(wave: Any, *, trace: bool, repeats: int) -> None:
    """The wave's PDF report through the test client, read to its last byte."""
    from django.test import Client
    from django.urls import reverse

    from integritas.audit.context import acting_as
    from integritas.core.models import User
    from integritas.indices.models import IndexRun
    from integritas.indices.services.compute import compute_wave

    if not IndexRun.objects.filter(wave=wave).exists():
        start = time.perf_counter()
        with acting_as(label="bench"):
            compute_wave(wave=wave)
        line("compute_wave", f"{time.perf_counter() - start:.1f} s")
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    url = reverse("indices-wave-report", args=[wave.code])

    def fetch() -> int:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        if getattr(response, "streaming", False):
            return sum(len(chunk) for chunk in response.streaming_content)
        return len(response.content)

    fetch()  # templates, fonts and the kept dashboard, once
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        with _PeakRSS() as rss:
            size = fetch()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        line(
            "PDF report",
            f"{wall:6.1f} s (CPU {cpu:.1f} s), {size / 2**20:,.1f} MB, "
            f"RSS +{(rss.peak - rss.base) / 2**20:,.0f} MB (load {load()})",
        )
    if trace:
        tracemalloc.start()
        fetch()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        line("PDF report, peak Python memory (tracemalloc)", f"{peak / 2**20:,.1f} MB")


def run(
    *,
    rows: int | None = None,
    formats: tuple[str, ...] = FORMATS,
    trace: bool | None = None,
    repeats: int = 1,
    report: bool = False,
) -> None:
    import indices_compute
    from django.db import connection

    from integritas.audit.context import acting_as
    from integritas.surveys.models import Response

    if trace is None:
        trace = os.environ.get("BENCH_EXPORT_TRACE", "") == "1"
    wave = _wave(rows or indices_compute.DEFAULT_ROWS)
    total = Response.objects.filter(wave=wave).count()
    print(f"responses export ({connection.vendor}; {total:,} responses; load {load()})")
    with acting_as(label="bench"):
        for fmt in formats:
            for _ in range(repeats):
                wall, cpu = time.perf_counter(), time.process_time()
                with _PeakRSS() as rss:
                    counted, size = _export(wave, fmt)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                assert counted == total, (fmt, counted, total)
                line(
                    f"{fmt} export",
                    f"{wall:6.1f} s (CPU {cpu:.1f} s), {size / 2**20:,.0f} MB, "
                    f"RSS +{(rss.peak - rss.base) / 2**20:,.0f} MB (load {load()})",
                )
            if trace:
                tracemalloc.start()
                _export(wave, fmt)
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                line(f"{fmt} export, peak Python memory (tracemalloc)", f"{peak / 2**20:,.1f} MB")
    if report:
        _report(wave, trace=trace, repeats=repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--format", choices=FORMATS, action="append", dest="formats")
    parser.add_argument("--no-exports", action="store_true", help="only the PDF report")
    parser.add_argument("--trace", action="store_true", help="also the tracemalloc peak")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--report", action="store_true", help="also the wave's PDF report")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the database (and VAR_DIR) in DIR and reuse it on the next run",
    )
    args = parser.parse_args()
    from standalone import demo_database

    with demo_database(args.keep):
        run(
            rows=args.rows,
            formats=() if args.no_exports else tuple(args.formats or FORMATS),
            trace=args.trace or None,
            repeats=args.repeats,
            report=args.report,
        )


if __name__ == "__main__":
    main()
