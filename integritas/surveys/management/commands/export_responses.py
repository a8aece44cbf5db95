"""Export a wave's responses with their codebook, respecting small-group suppression.

``--format xlsx`` writes a workbook with the sheets ``responses`` and ``codebook``; ``--format csv``
writes a ZIP archive holding ``<wave>-responses.csv`` and ``<wave>-codebook.csv``. Answers are
choice codes unless ``--labels`` is given (labels in ``--language``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from integritas.audit.context import acting_as
from integritas.surveys.models import Wave
from integritas.surveys.services.responses import FORMATS, export_responses


class Command(BaseCommand):
    help = "Export a wave's responses as CSV (in a ZIP with the codebook) or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wave", required=True, help="code of the wave")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument(
            "--labels", action="store_true", help="choice labels instead of answer codes"
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of labels and of the codebook",
        )
        parser.add_argument(
            "--output",
            help="file to write (default: <wave>-responses-<date>.zip or .xlsx here)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wave = Wave.objects.select_related("version").filter(code=options["wave"]).first()
        if wave is None:
            raise CommandError(f"no wave with code {options['wave']!r}")
        with translation.override(options["language"]), acting_as(label="export_responses"):
            export = export_responses(wave=wave, fmt=options["fmt"], labels=options["labels"])
        path = Path(options["output"] or export.filename)
        with export:
            try:
                with path.open("wb") as target:
                    shutil.copyfileobj(export.file, target)
            except OSError as exc:
                raise CommandError(f"cannot write {str(path)!r}: {exc.strerror}") from exc
        held = export.withheld
        self.stdout.write(
            self.style.SUCCESS(
                f"exported {export.exported:,} responses of {wave.code} to {path}"
                + (
                    f"; {held.responses:,} withheld in {held.groups:,} groups "
                    f"smaller than {held.k} (or needed to protect them)"
                    if held.responses
                    else ""
                )
            )
        )
