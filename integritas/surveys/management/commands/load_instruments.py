"""Load the instruments that ship with Integritas (SKM, integrity self-survey, ZI perception
surveys) as published version 1. Instruments that already exist are left alone."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from integritas.audit.context import acting_as
from integritas.surveys.imports.shipped_instruments import load_shipped, shipped_data


class Command(BaseCommand):
    help = "Load the shipped survey instruments as published version 1 (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "codes",
            nargs="*",
            metavar="CODE",
            help="instrument codes to load (default: all shipped instruments)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            shipped = {data.code: data for data in shipped_data()}
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        codes = options["codes"] or list(shipped)
        unknown = [code for code in codes if code not in shipped]
        if unknown:
            raise CommandError(
                f"not a shipped instrument: {', '.join(unknown)} (shipped: {', '.join(shipped)})"
            )
        with acting_as(label="load_instruments"):
            try:
                loaded = {v.instrument.code: v for v in load_shipped(codes=codes)}
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
        for code in codes:
            version = loaded.get(code)
            if version is None:
                self.stdout.write(f"{code}: already exists, left alone")
                continue
            self.stdout.write(
                self.style.SUCCESS(
                    f"{code}: loaded and published version {version.number} "
                    f"({version.questions.count()} questions, {version.dimensions.count()} dimensions)"
                )
            )
