"""``manage.py import_lhkpn FILE --year YEAR``: the e-LHKPN status export (CSV or XLSX) into the
register's obligations of YEAR, all or nothing: every problem is printed with its row, the
officials the register does not list are named, and nothing is stored unless the whole file is
good (the command then fails)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from integritas.audit.context import acting_as
from integritas.prevention.services.lhkpn_status import import_statuses


class Command(BaseCommand):
    help = "Import e-LHKPN statuses (CSV or XLSX) for a year's obligations, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the e-LHKPN export, .csv or .xlsx")
        parser.add_argument("--year", type=int, required=True, help="the year reported")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        with acting_as(label="import_lhkpn"):
            report = import_statuses(data=data, filename=path.name, year=options["year"], by=None)
        if not report.ok:
            for error in report.errors:
                where = f"row {error.row}" if error.row else "file"
                column = f", {error.column}" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            if report.unknown:
                self.stderr.write("not in the register: " + "; ".join(report.unknown))
            raise CommandError(f"{report.problem_count} problem(s); nothing was imported")
        counts = ", ".join(f"status {s}: {n}" for s, n in report.statuses.items())
        self.stdout.write(f"{report.updated} statuses imported for {options['year']} ({counts})")
