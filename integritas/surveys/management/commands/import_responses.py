"""Import survey responses collected elsewhere (paper forms, other tools) from a CSV or XLSX file.

The layout is in docs/response-import.md. All or nothing: when any cell is bad, every bad cell is
listed (row, column, value, problem), nothing is imported and the command exits with status 1.
Importing the same file into the same wave again changes nothing and exits with status 0.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from integritas.audit.context import acting_as
from integritas.surveys.imports.responses import duplicate_message, import_responses
from integritas.surveys.models import Wave

BAR_WIDTH = 30
PHASES = {"check": "checking", "save": "saving  "}


class ProgressBar:
    """A plain-text bar on one line, redrawn in place with a carriage return."""

    def __init__(self, stream: OutputWrapper, *, min_interval: float = 0.2) -> None:
        self.stream = stream
        self.min_interval = min_interval
        self.last = 0.0
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if phase == self.phase and not finished and now - self.last < self.min_interval:
            return
        if self.phase and phase != self.phase:
            self._write("\n")
        self.phase, self.last = phase, now
        share = done / total if total else 1.0
        filled = int(share * BAR_WIDTH)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self._write(f"\r{PHASES.get(phase, phase)} [{bar}] {share:4.0%} {done:,}/{total:,} rows")

    def close(self) -> None:
        if self.phase:
            self._write("\n")
            self.phase = ""

    def _write(self, text: str) -> None:
        # Plain text (no error colouring) and no line ending: the next draw overwrites this one.
        self.stream.write(text, style_func=lambda x: x, ending="")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import survey responses from a CSV or XLSX file into a wave (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file in the documented layout")
        parser.add_argument("--wave", required=True, help="code of the wave")
        parser.add_argument(
            "--show-errors",
            type=int,
            default=100,
            help="how many bad cells to list (default 100; all are counted)",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="do not draw the progress bar on stderr"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wave = Wave.objects.select_related("version").filter(code=options["wave"]).first()
        if wave is None:
            raise CommandError(f"no wave with code {options['wave']!r}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no file {str(path)!r}")
        bar = None if options["no_progress"] else ProgressBar(self.stderr)
        try:
            with acting_as(label="import_responses"):
                report = import_responses(
                    wave=wave, path_or_bytes=path, filename=path.name, progress=bar
                )
        finally:
            if bar is not None:
                bar.close()
        if report.duplicate_of is not None:
            self.stdout.write(duplicate_message(report.duplicate_of))
            return
        if report.error_count:
            shown = report.errors[: max(options["show_errors"], 0)]
            for error in shown:
                where = f"row {error.row}" if error.row else "file"
                column = f", column {error.column}" if error.column else ""
                value = f" ({error.value!r})" if error.value else ""
                self.stderr.write(f"{where}{column}{value}: {error.message}")
            if report.error_count > len(shown):
                self.stderr.write(f"... and {report.error_count - len(shown):,} more problems")
            raise CommandError(
                f"nothing was imported: {report.error_count:,} problem(s) in {path.name}"
            )
        rate = report.total_rows / report.seconds if report.seconds else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"imported {report.imported:,} responses into {wave.code} "
                f"in {report.seconds:.1f} s ({rate:,.0f} rows/s)"
            )
        )
