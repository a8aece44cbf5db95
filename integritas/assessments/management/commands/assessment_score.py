"""``manage.py assessment_score --assessment ID [--json]``: an assessment's scores (projected and
verified, per area and in total, with their colour bands) and, where its framework has threshold
sets, its eligibility. ``ID`` is the assessment's number or public id. ``--json`` prints the
shape documented in docs/assessments.md; without it, a short text for people."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from integritas.assessments.services import score_report


class Command(BaseCommand):
    help = "Print an assessment's scores (and eligibility where it applies)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--assessment", required=True, help="the assessment's number or public id"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        report = score_report.report_for(options["assessment"])
        if report is None:
            raise CommandError(f"No assessment {options['assessment']!r}.")
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        framework = report["framework"]
        self.stdout.write(f"{framework['title']} (v{framework['version']})")
        names = [n for n in ("projected", "verified", "self_assessed", "reviewed") if n in report]
        for name in names:
            total = report[name]
            self.stdout.write(f"  {name}: {total['score']} ({total['band'] or '-'})")
        for area in report["areas"]:
            values = ", ".join(f"{n} {area[n]['score']}" for n in names)
            self.stdout.write(f"  {area['code']} {area['name_id']}: {values}")
        for entry in report["eligibility"] or []:
            verdict = "eligible" if entry["eligible"] else "not eligible"
            basis = f" ({entry['scores']})" if "scores" in entry else ""
            self.stdout.write(f"  {entry['set']}{basis}: {verdict}")
            for failure in entry["failures"]:
                if failure["predicate"]:
                    self.stdout.write(f"    - {failure['predicate']} must already be held")
                    continue
                self.stdout.write(
                    f"    - {failure['label']}: {failure['actual']} < {failure['minimum']}"
                    f" (gap {failure['gap']})"
                )
