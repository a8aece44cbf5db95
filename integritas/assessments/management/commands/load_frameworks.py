"""``manage.py load_frameworks``: load the shipped assessment frameworks (the LKE of
PermenPANRB 90/2021 as amended by 5/2024, with its WBK/WBBM thresholds) and activate them.
Frameworks already loaded are left alone. ``--example`` also loads the example MCSP indicators of
the demo city (its units must exist), which are never KPK's official list."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from integritas.assessments import imports
from integritas.audit.context import acting_as


class Command(BaseCommand):
    help = "Load the shipped assessment frameworks (LKE; with --example the demo MCSP set)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--example", action="store_true", help="also load the demo city's example MCSP set"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = [imports.SHIPPED_LKE]
        if options["example"]:
            names.append(imports.SHIPPED_MCSP_EXAMPLE)
        with acting_as(label="load_frameworks"):
            for name in names:
                framework, loaded = imports.load_shipped(name=name)
                verb = "loaded" if loaded else "already there"
                self.stdout.write(f"{framework} — {verb}")
