"""``manage.py lhkpn_compliance --year YEAR [--json]``: the year's LHKPN compliance per unit and
for the government: obliged, filed, complete, drafts, not filed, rejected, and both rates of
DOMAIN.md §7 (filing rate = filed, statuses 1–7, ÷ obliged; complete rate = verified or published
complete, statuses 3–4, ÷ obliged), as percentages with two decimals."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from integritas.prevention.services.lhkpn_compliance import compliance


class Command(BaseCommand):
    help = "Print a year's LHKPN compliance per unit and for the government."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="the year reported")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        result = compliance(options["year"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        header = "unit obliged filed complete drafts not_filed rejected filing_rate complete_rate"
        self.stdout.write(header.replace(" ", "\t"))
        rows = [("GOVERNMENT", result.government)] + [
            (row.unit.code, row.figures) for row in result.units
        ]
        for code, figures in rows:
            d = figures.as_dict()
            values = [code, *(d[k] for k in header.split()[1:])]
            self.stdout.write("\t".join("-" if v is None else str(v) for v in values))
