"""Export of a wave's responses as CSV or XLSX with a codebook, respecting small-group suppression.

One row per response: ``unit_code``, ``service_code``, ``respondent_type``, ``submitted_on``, then
every question by code in questionnaire order. Values are answer codes (the import layout of
docs/response-import.md, so an export can be imported elsewhere) or, with ``labels``, the choice
labels in the active language. Rows are sorted by their content, not by submission, so the file does
not tell in which order people answered.

Suppression (``suppression.suppress_nested``, k = ``Wave.min_group_size``): responses are counted
per unit and, inside each unit, per cell of service × respondent type. Units below k are left out;
inside a unit, cells below k are left out, and when that would let a left-out cell be worked out
from the unit's total, the smallest other cells too. The codebook says how many were withheld.

Formats: XLSX, a workbook with the sheets ``responses`` and ``codebook``; CSV, a ZIP archive
holding ``<wave>-responses.csv`` and ``<wave>-codebook.csv`` (one CSV file holds one table). Both
are protected against formula injection by ``lib.spreadsheets``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.audit.labels import register_actions, register_field
from integritas.lib.spreadsheets import csv_chunks
from integritas.lib.suppression import suppress_nested
from integritas.lib.xlsx import TableSheet, save_sheets
from integritas.surveys.models import Question, RespondentType, Response, Wave
from integritas.surveys.schema import Schema

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PROGRESS_EVERY = 10_000  # rows between two calls of an export's progress callback
FIXED_HEADERS = ["unit_code", "service_code", "respondent_type", "submitted_on"]
CODEBOOK_HEADERS = [
    "question",
    "section",
    "text",
    "type",
    "dimension",
    "required",
    "respondent_types",
    "shown_when",
    "choices",
]

Cell = tuple[int, tuple[int | None, str]]  # (unit id, (service id, respondent type))
ACTION_LABELS = {"wave.responses_exported": gettext_lazy("Responses exported")}
EVENT_FIELDS = {
    "format": gettext_lazy("format"),
    "values": gettext_lazy("answers as"),
    "responses": gettext_lazy("responses"),
    "withheld": gettext_lazy("withheld for anonymity"),
}


EVENT_CHOICES: dict[str, dict[str, Any]] = {
    "format": {"csv": "CSV", "xlsx": "XLSX"},
    "values": {"labels": gettext_lazy("choice labels"), "codes": gettext_lazy("codes")},
}


def register_labels() -> None:
    """Names for the export event and its fields in the history tables (idempotent)."""
    register_actions(ACTION_LABELS)
    for name, label in EVENT_FIELDS.items():
        register_field(name, label, EVENT_CHOICES.get(name, {}))


register_labels()


@dataclass
class Withheld:
    """What suppression leaves out of a wave's export."""

    cells: set[Cell]
    responses: int
    groups: int
    total: int
    k: int


@dataclass
class Export:
    """An export written to ``file``, an unnamed temporary file (nothing is left on disk, even if
    the process dies) positioned at its start; whoever takes it closes it (``close``, or use the
    export as a context manager), as ``FileResponse`` does when the download is closed."""

    filename: str
    content_type: str
    file: IO[bytes]
    exported: int
    withheld: Withheld

    @property
    def content(self) -> bytes:
        """The whole file in memory (small exports and tests); the position is kept."""
        at = self.file.tell()
        self.file.seek(0)
        data = self.file.read()
        self.file.seek(at)
        return data

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def withheld(wave: Wave) -> Withheld:
    """The cells (and their responses) that small-group suppression leaves out."""
    counts: dict[Cell, int] = {
        (unit_id, (service_id, rtype)): n
        for unit_id, service_id, rtype, n in Response.objects.filter(wave=wave)
        .values_list("unit_id", "service_id", "respondent_type")
        .annotate(n=Count("id"))
        .order_by("unit_id", "service_id", "respondent_type")
    }
    k = wave.min_group_size
    cells = suppress_nested(counts, k)
    return Withheld(
        cells=cells,
        responses=sum(counts[cell] for cell in cells),
        groups=len(cells),
        total=sum(counts.values()),
        k=k,
    )


def export_responses(*, wave: Wave, fmt: str, labels: bool = False) -> Export:
    """Build the export file (in the active language, for labels) and record who took it."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    extension = "xlsx" if fmt == "xlsx" else "zip"
    # Unnamed on POSIX: nothing is left behind on disk, even if the process dies.
    file = tempfile.TemporaryFile(prefix="integritas-export-", suffix=f".{extension}")  # noqa: SIM115
    try:
        exported, hidden = write_export(wave=wave, fmt=fmt, labels=labels, file=file)
        file.seek(0)
        record_export(wave=wave, fmt=fmt, labels=labels, exported=exported, hidden=hidden)
    except BaseException:
        file.close()
        raise
    return Export(export_filename(wave, fmt), CONTENT_TYPES[fmt], file, exported, hidden)


def export_filename(wave: Wave, fmt: str) -> str:
    """The name a download of the export is given: the wave and today's date."""
    extension = "xlsx" if fmt == "xlsx" else "zip"
    return f"{wave.code}-responses-{timezone.localdate().isoformat()}.{extension}"


def record_export(*, wave: Wave, fmt: str, labels: bool, exported: int, hidden: Withheld) -> None:
    """The audit event of an export: who took how many responses, in which form."""
    audit.record(
        "wave.responses_exported",
        obj=wave,
        changes={
            "format": [None, fmt],
            "values": [None, "labels" if labels else "codes"],
            "responses": [None, exported],
            "withheld": [None, hidden.responses],
        },
    )


def write_export(
    *,
    wave: Wave,
    fmt: str,
    labels: bool,
    file: IO[bytes],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, Withheld]:
    """Write the export into ``file`` (records nothing): the number of responses exported and
    what was withheld. ``progress(done, total)`` is called every ``PROGRESS_EVERY`` rows and at
    the end, ``total`` being the number of responses the file will hold."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    hidden = withheld(wave)
    table = _ResponseTable(
        wave, labels=labels, numbers=fmt == "xlsx", hidden=hidden, progress=progress
    )
    codebook = codebook_rows(wave, hidden=hidden, labels=labels)
    if fmt == "xlsx":
        # Columns of a fixed width: a million rows are not held to measure them.
        widths = [14 if index < 20 else 8 for index in range(len(table.headers))]
        save_sheets(
            file,
            [
                TableSheet("responses", table.headers, table.rows(), widths=widths),
                TableSheet("codebook", CODEBOOK_HEADERS, codebook, widths=[14] * 9),
            ],
        )
    else:
        with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            _write_member(archive, f"{wave.code}-responses.csv", table.headers, table.rows())
            _write_member(archive, f"{wave.code}-codebook.csv", CODEBOOK_HEADERS, codebook)
    return table.count, hidden


def _write_member(
    archive: zipfile.ZipFile, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """A CSV file (``write_csv``'s bytes) into the archive as its rows are read, in pieces,
    dated and permitted as ``ZipFile.writestr`` dates and permits a member."""
    entry = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
    entry.compress_type = archive.compression
    entry.external_attr = 0o600 << 16
    with archive.open(entry, "w", force_zip64=True) as member:
        for chunk in csv_chunks(headers, rows):
            member.write(chunk)


class _ResponseTable:
    """The rows of the export, decoded from the packed answer vectors as they stream by."""

    def __init__(
        self,
        wave: Wave,
        *,
        labels: bool,
        numbers: bool,
        hidden: Withheld,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.wave = wave
        self.progress = progress
        self.total = hidden.total - hidden.responses
        self.labels = labels
        self.numbers = numbers  # spreadsheet cells: numeric codes and numbers as numbers
        self.hidden = hidden.cells
        self.schema = Schema.from_version(wave.version)
        self.codes = [code for section in self.schema.sections for code in section.questions]
        self.headers = FIXED_HEADERS + self.codes
        self.count = 0
        questions = {
            q.code: q for q in wave.version.questions.prefetch_related("choices").order_by("code")
        }
        self.decoders: dict[str, Callable[[int], Any]] = {}
        for code in self.schema.slot_codes:
            self.decoders[code] = self._slot_decoder(questions[code])
        self.rtype_labels = {
            value: (str(label) if labels else value) for value, label in RespondentType.choices
        }

    def _slot_decoder(self, question: Question) -> Callable[[int], Any]:
        choices = sorted(question.choices.all(), key=lambda c: (c.order, c.code))
        if self.labels:
            outputs: list[Any] = [c.text("label") for c in choices]
        else:
            outputs = [
                int(c.code) if self.numbers and c.code.isdigit() else c.code for c in choices
            ]
        if question.type == Question.Type.MULTIPLE:
            joiner = "; " if self.labels else " "
            cache: dict[int, str] = {}

            def multiple(mask: int) -> str:
                if mask not in cache:
                    cache[mask] = joiner.join(
                        str(o) for i, o in enumerate(outputs) if mask & (1 << i)
                    )
                return cache[mask]

            return multiple
        by_value: list[Any] = ["", *outputs]

        def single(value: int) -> Any:
            return by_value[value] if 0 <= value < len(by_value) else ""

        return single

    def _extra_value(self, code: str, value: Any) -> Any:
        if value is None or not self.numbers:
            return value
        question_type = self.schema.questions[code].type
        try:
            if question_type == "number":
                return Decimal(str(value))
            if question_type == "date":
                return dt.date.fromisoformat(str(value))
        except (InvalidOperation, ValueError):
            return value
        return value

    def rows(self) -> Iterator[Sequence[Any]]:
        slot_of = {code: self.schema.questions[code].slot for code in self.codes}
        plan = [(code, slot_of[code], self.decoders.get(code)) for code in self.codes]
        responses = (
            Response.objects.filter(wave=self.wave)
            .order_by("unit__code", "service__code", "respondent_type", "submitted_on", "answers")
            .values_list(
                "unit_id",
                "service_id",
                "unit__code",
                "service__code",
                "respondent_type",
                "submitted_on",
                "answers",
                "extra",
            )
        )
        hidden = self.hidden
        progress = self.progress
        for (
            unit_id,
            service_id,
            unit_code,
            service_code,
            rtype,
            day,
            answers,
            extra,
        ) in responses.iterator(chunk_size=5000):
            if (unit_id, (service_id, rtype)) in hidden:
                continue
            self.count += 1
            if progress is not None and self.count % PROGRESS_EVERY == 0:
                progress(self.count, self.total)
            vector = Response.unpack(answers)
            row: list[Any] = [
                unit_code,
                service_code or "",
                self.rtype_labels.get(rtype, rtype),
                day,
            ]
            for code, slot, decode in plan:
                if slot is not None and decode is not None:
                    row.append(decode(vector[slot]) if slot < len(vector) else "")
                else:
                    row.append(self._extra_value(code, (extra or {}).get(code)))
            yield row
        if progress is not None:
            progress(self.count, self.total)


def codebook_rows(wave: Wave, *, hidden: Withheld, labels: bool) -> list[list[Any]]:
    """One row per question (in the active language), then notes on coding and suppression."""
    rows: list[list[Any]] = []
    questions = (
        wave.version.questions.select_related("section", "dimension")
        .prefetch_related("choices")
        .order_by("section__order", "section__code", "order", "code")
    )
    for q in questions:
        choices = sorted(q.choices.all(), key=lambda c: (c.order, c.code))
        condition = q.condition or {}
        shown_when = ""
        if condition:
            op = "in" if condition.get("op", "in") == "in" else "not in"
            values = ", ".join(str(v) for v in condition.get("values", []))
            shown_when = f"{condition.get('question', '')} {op} ({values})"
        rows.append(
            [
                q.code,
                q.section.code,
                q.text("text"),
                q.type,
                q.dimension.code if q.dimension is not None else "",
                "yes" if q.required else "no",
                " ".join(q.respondent_types or []),
                shown_when,
                "; ".join(
                    "=".join(
                        [c.code, c.text("label")]
                        + ([format(c.score.normalize(), "f")] if c.score is not None else [])
                    )
                    for c in choices
                ),
            ]
        )
    version = wave.version
    notes = [
        _("Wave %(code)s: %(title)s; instrument %(version)s; %(opens)s to %(closes)s.")
        % {
            "code": wave.code,
            "title": wave.title,
            "version": version,
            "opens": wave.opens_on.isoformat(),
            "closes": wave.closes_on.isoformat(),
        },
        _("Answers are given as choice labels.")
        if labels
        else _(
            "Answers are given as choice codes (see the choices column: code=label=score); "
            "several codes of a multiple-choice question are separated by spaces."
        ),
        _("An empty cell means no answer, or a question not shown to that respondent."),
        _(
            "Rows are sorted by unit, service, respondent type, day and answers, not in the "
            "order people answered; times are not stored, only the day."
        ),
        _(
            "Withheld to protect anonymity: %(n)d of %(total)d responses, in %(groups)d groups. "
            "A group (a unit, or a service and respondent type within a unit) with fewer than "
            "%(k)d responses is left out, and so are the smallest other groups needed so that a "
            "left-out group cannot be worked out from a published total."
        )
        % {
            "n": hidden.responses,
            "total": hidden.total,
            "groups": hidden.groups,
            "k": hidden.k,
        },
        _("Exported on %(day)s.") % {"day": timezone.localdate().isoformat()},
    ]
    rows.append([])
    rows.extend(["note", note] for note in notes)
    return rows
