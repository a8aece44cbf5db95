"""Create a survey wave from the command line, so yearly waves can be scripted."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)

from integritas.audit.context import acting_as
from integritas.core.models import Unit
from integritas.surveys.models import Instrument, InstrumentVersion, RespondentType, Wave
from integritas.surveys.services import waves


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date in YYYY-MM-DD form") from exc


EXAMPLE = """example (with the instruments that ship with Integritas):
  manage.py wave_create --instrument skm --code skm-2027 --title "SKM 2027" \\
      --units all --opens 2027-02-01 --closes 2027-03-31 --types public
  manage.py wave_create --instrument integrity-self-survey --code integritas-2027 \\
      --title "Survei integritas 2027" --units top --opens 2027-05-01 --closes 2027-05-31 \\
      --types internal,external,expert"""


class ExampleHelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's order of options, with the example's lines kept as written (argparse would
    reflow them into one paragraph)."""


class Command(BaseCommand):
    help = "Create a survey wave: instrument, code, title, units (codes or `all`), dates."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = EXAMPLE
        parser.formatter_class = ExampleHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--instrument",
            required=True,
            help="instrument code, e.g. skm or integrity-self-survey (the shipped ones)",
        )
        parser.add_argument(
            "--instrument-version",
            dest="instrument_version",
            type=int,
            help="version number (default: the latest published)",
        )
        parser.add_argument("--code", required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument(
            "--units",
            required=True,
            help="comma-separated unit codes, `all` (every active unit) or `top` (top-level units)",
        )
        parser.add_argument("--opens", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument("--closes", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument(
            "--types",
            default="public",
            help="respondent types, comma-separated: " + ", ".join(RespondentType.values),
        )
        parser.add_argument("--margin", default="0.05", help="margin of error, e.g. 0.05")
        parser.add_argument(
            "--method", default=Wave.SampleMethod.KREJCIE_MORGAN, choices=Wave.SampleMethod.values
        )
        parser.add_argument("--min-group", type=int, default=10, help="smallest group shown (k)")
        parser.add_argument(
            "--open", action="store_true", help="open the wave for answers right away"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        instrument = Instrument.objects.filter(code=options["instrument"]).first()
        if instrument is None:
            known = ", ".join(Instrument.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(
                f"no instrument with code {options['instrument']!r}; "
                f"the instruments are: {known or '(none yet: manage.py load_instruments)'}"
            )
        versions = instrument.versions.filter(status=InstrumentVersion.Status.PUBLISHED)
        version = (
            versions.filter(number=options["instrument_version"]).first()
            if options["instrument_version"]
            else versions.order_by("-number").first()
        )
        if version is None:
            raise CommandError("that instrument has no such published version")
        spec = options["units"].strip()
        if spec == "all":
            units = list(Unit.objects.filter(is_active=True))
        elif spec == "top":
            units = list(Unit.objects.filter(is_active=True, parent__isnull=True))
        else:
            codes = [c.strip().upper() for c in spec.split(",") if c.strip()]
            units = list(Unit.objects.filter(code__in=codes))
            missing = sorted(set(codes) - {u.code for u in units})
            if missing:
                raise CommandError(f"unknown unit codes: {', '.join(missing)}")
        types = [t.strip() for t in options["types"].split(",") if t.strip()]
        try:
            margin = Decimal(options["margin"])
        except InvalidOperation as exc:
            raise CommandError(f"{options['margin']!r} is not a number") from exc
        with acting_as(label="wave_create"):
            try:
                wave = waves.wave_create(
                    version=version,
                    code=options["code"],
                    title=options["title"],
                    opens_on=options["opens"],
                    closes_on=options["closes"],
                    respondent_types=types,
                    units=units,
                    margin_of_error=margin,
                    sample_method=options["method"],
                    min_group_size=options["min_group"],
                )
                if options["open"]:
                    waves.wave_set_status(wave=wave, status=Wave.Status.OPEN)
            except ValidationError as exc:
                problems = "; ".join(
                    f"{field}: {' '.join(msgs)}"
                    for field, msgs in getattr(exc, "message_dict", {"": exc.messages}).items()
                )
                raise CommandError(problems) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"wave {wave.code} created ({wave.get_status_display()}) over {len(units)} units"
            )
        )
