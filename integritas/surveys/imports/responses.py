"""Bulk import of survey responses collected elsewhere (paper forms, other survey tools).

The file layout is documented for users in ``docs/response-import.md``: one row per response with
``unit_code``, ``respondent_type``, ``submitted_on`` (YYYY-MM-DD), optionally ``service_code``,
then one column per question code holding the answer *code* (a choice code; several codes
separated by spaces or semicolons for multiple choice; a number; a date; text). CSV (UTF-8 with or
without a byte order mark, or Windows-1252; comma or semicolon) and XLSX.

Rules:

- **All or nothing.** Every row is checked before anything is written and every bad cell is
  reported (row, column, value, reason); one bad cell and nothing is imported. A good file is
  written in one transaction with one audit event.
- **Once.** A file whose SHA-256 content hash was already imported into the wave changes nothing
  (``ImportBatch`` keeps the hash; a unique constraint holds even for two imports at once).
- Answers are judged exactly as on the respondent pages (``schema.Schema``): answers to questions
  that are not shown to the row's respondent type, or hidden by a condition, are left out;
  required shown questions must be answered. Text that a spreadsheet would run as a formula
  (starting with ``=``, ``+``, ``-`` or ``@``) is refused.

How it keeps up with a national survey (1,000,000 rows × 30 questions; ``bench/surveys_import.py``,
figures in ``docs/performance.md``):

- A plain CSV file (no quote character, LF or CRLF line ends, the usual export) is read whole and
  checked a block of lines at a time with numpy (``response_columns``): each distinct cell is
  looked up once and the answer spread to every row, conditions are applied to whole columns.
  Every line it cannot judge alone (an unknown or odd cell, extra answers, a blank or irregular
  line) goes through the row path below, in file order, so the report is the same.
- Other files (XLSX, CSV with quotes) are streamed row by row. For each respondent type a
  ``Plan`` (``response_plans``) holds, per answer column, a dict from the raw cell text to the
  stored slot value, prepared from the compiled schema. A row whose cells are all found in
  these dicts (the usual case) is packed with one ``map`` call; conditions are then checked on
  the packed values. Any miss sends the row to the careful path, which strips the cells and asks
  ``Schema.encode``, so both paths give the same result (tests compare them) and every problem
  gets its message. Values the careful path accepted are learned by the dicts.
- Only the packed good rows are kept (about 80 bytes a response). They are written in chunks in
  the one transaction by ``response_store``: one ``INSERT … SELECT`` per chunk on SQLite,
  ``COPY`` on PostgreSQL, with no Python object per row. On SQLite a plain CSV file imported
  without a web upload's batch is written block by block while the next blocks are checked, in
  that transaction (``response_saving``); a bad row anywhere rolls it all back.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, ClassVar, Literal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from integritas import audit
from integritas.audit.labels import register_actions, register_field
from integritas.lib.formatting import format_datetime
from integritas.lib.imports import ImportReport as BaseReport
from integritas.lib.imports import RowError, file_error
from integritas.lib.spreadsheets import (
    StreamInfo,
    TableError,
    sniff_stream,
    stream_rows,
)
from integritas.surveys.imports.response_columns import Block, check_plain, plain_lines
from integritas.surveys.imports.response_plans import (
    FORMULA_PREFIXES,
    TEXT_TYPES,
    Plan,
    apply_conditions,
    build_plan,
    pack_extras,
)
from integritas.surveys.imports.response_saving import Check, earlier_import, save
from integritas.surveys.models import (
    ImportBatch,
    RespondentType,
    Wave,
    WaveService,
    WaveUnit,
)
from integritas.surveys.schema import (
    AnswerError,
    QuestionSpec,
    ResponseInvalid,
    Schema,
    SectionSpec,
)

# (column, required, what it holds) in the order the upload page and the docs show them.
FIXED_COLUMNS = ("unit_code", "respondent_type", "submitted_on", "service_code")
REQUIRED_COLUMNS = ("unit_code", "respondent_type", "submitted_on")
MAX_ERRORS_KEPT = 1000  # stored on the batch and shown; all are counted
INSERT_CHUNK = 20_000
PLAIN_MAX_BYTES = 512 * 1024 * 1024  # larger CSV files are streamed row by row
PROGRESS_EVERY = 8192  # rows between progress calls
WRITE_WHILE_CHECKING = True  # see ``writes_while_checking``
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")

# The words accepted in ``respondent_type`` (after trimming and lower-casing): the codes, and the
# Indonesian words people write on paper forms.
RESPONDENT_TYPE_WORDS: dict[str, str] = {
    "internal": RespondentType.INTERNAL,
    "pegawai": RespondentType.INTERNAL,
    "external": RespondentType.EXTERNAL,
    "eksternal": RespondentType.EXTERNAL,
    "expert": RespondentType.EXPERT,
    "ahli": RespondentType.EXPERT,
    "pakar": RespondentType.EXPERT,
    "public": RespondentType.PUBLIC,
    "publik": RespondentType.PUBLIC,
    "masyarakat": RespondentType.PUBLIC,
    "umum": RespondentType.PUBLIC,
}

# Names of this module's events in history tables (registered below and from the app's ready()).
ACTION_LABELS = {
    "wave.import_submitted": gettext_lazy("Responses file uploaded for import"),
    "wave.responses_imported": gettext_lazy("Responses imported"),
    "wave.import_rejected": gettext_lazy("Responses file rejected"),
}
EVENT_FIELDS = {
    "file": gettext_lazy("file"),
    "responses": gettext_lazy("responses"),
    "problems": gettext_lazy("problems"),
}


def register_labels() -> None:
    """Names for this module's events and their fields in the history tables (idempotent)."""
    register_actions(ACTION_LABELS)
    for name, label in EVENT_FIELDS.items():
        register_field(name, label, {})


register_labels()

# phase ("check" or "save"), rows done, rows in all (an estimate while checking a CSV file)
Progress = Callable[[str, int, int], None]
Source = str | Path | bytes | bytearray | memoryview | IO[bytes]


@dataclass
class ImportReport(BaseReport):
    """What happened. Nothing was written unless ``ok``; ``errors`` keeps the first
    ``MAX_ERRORS_KEPT`` problems and ``error_count`` counts them all."""

    filename: str = ""
    content_hash: str = ""
    imported: int = 0
    duplicate_of: ImportBatch | None = None  # the earlier import of the same content
    batch: ImportBatch | None = None
    seconds: float = 0.0

    max_errors: ClassVar[int | None] = MAX_ERRORS_KEPT

    @property
    def ok(self) -> bool:
        return not self.error_count and self.duplicate_of is None


# --- Public API --------------------------------------------------------------------------------


def import_responses(
    *,
    wave: Wave,
    path_or_bytes: Source,
    filename: str,
    progress: Progress | None = None,
    batch: ImportBatch | None = None,
    max_bytes: int | None = None,
) -> ImportReport:
    """Check a file of responses and, when every cell is good, import it into ``wave``.

    ``path_or_bytes`` is a path, the file's bytes or a binary file object. With ``batch`` (a
    pending upload from the web) the batch records the outcome, good or bad; without it a batch is
    created only for a successful import. ``max_bytes`` refuses larger files (the web passes
    ``settings.UPLOAD_MAX_BYTES``; the command has no limit).
    """
    started = time.monotonic()
    report = ImportReport(filename=filename)
    stream, owned = _open(path_or_bytes)
    try:
        try:
            size = _size(stream)
            if max_bytes is not None and size > max_bytes:
                raise TableError(too_large_message(max_bytes))
            sniff = sniff_stream(stream, filename)
            report.content_hash = sniff.content_hash
            earlier = earlier_import(wave, sniff.content_hash)
            if earlier is not None:
                report.duplicate_of = earlier
            else:
                importer = ResponseImporter(wave, report, progress)
                data = _plain_csv(stream, sniff, size)
                if data is not None and writes_while_checking(batch):
                    importer.save(batch, lambda write: importer.check_plain(data, sniff, write))
                elif data is not None:
                    importer.check_plain(data, sniff)
                else:
                    importer.check(stream_rows(stream, sniff), sniff)
                if report.ok and not importer.saved:
                    importer.save(batch)
        except TableError as problem:
            report.add(file_error(problem.message))
    finally:
        if owned:
            stream.close()
    report.seconds = time.monotonic() - started
    if batch is not None and not report.ok:
        _reject(batch, report)
    return report


def writes_while_checking(batch: ImportBatch | None) -> bool:
    """Whether a plain CSV file's rows are written block by block while the next blocks are
    checked, in the one transaction, rather than after the whole file is checked: on SQLite,
    for an import without a web upload's batch (whose progress, written to the batch row in
    short transactions while the rows are checked, must stay visible). It holds the write lock
    for the check too. On PostgreSQL the write waits for the check, so that the bulk path's
    locks are held for the write only."""
    return WRITE_WHILE_CHECKING and batch is None and connection.vendor == "sqlite"


def content_hash(stream: Iterable[bytes]) -> str:
    """SHA-256 of a file given as chunks (e.g. ``upload.chunks()``)."""
    digest = hashlib.sha256()
    for chunk in stream:
        digest.update(chunk)
    return digest.hexdigest()


def too_large_message(max_bytes: int) -> str:
    return _("The file is larger than the limit of %(mb)s MB.") % {
        "mb": f"{max_bytes / (1024 * 1024):g}"
    }


def duplicate_message(earlier: ImportBatch) -> str:
    when = timezone.localtime(earlier.finished_at or earlier.created_at)
    return _(
        "This file was already imported on %(date)s (as “%(file)s”, %(n)d responses); "
        "importing it again would change nothing."
    ) % {
        "date": format_datetime(when, get_language() or "id"),
        "file": earlier.filename,
        "n": earlier.imported,
    }


# --- Reading the file --------------------------------------------------------------------------


def _open(source: Source) -> tuple[IO[bytes], bool]:
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source)), True
    if isinstance(source, str | Path):
        return open(source, "rb"), True  # noqa: SIM115 - closed by the caller
    return source, False


def _plain_csv(stream: IO[bytes], sniff: StreamInfo, size: int) -> bytes | None:
    """The whole file when it is a CSV file that ``check_plain`` can read (and not too large
    to hold in memory), else None."""
    if sniff.kind != "csv" or size > PLAIN_MAX_BYTES:
        return None
    stream.seek(0)
    data = stream.read()
    return data if plain_lines(data) else None


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


# --- Checking and saving -----------------------------------------------------------------------


_getitem = dict.__getitem__


class ResponseImporter:
    def __init__(self, wave: Wave, report: ImportReport, progress: Progress | None) -> None:
        self.wave = wave
        self.report = report
        self.progress = progress
        self.schema = Schema.from_version(wave.version)
        self.sections: dict[str, SectionSpec] = {s.code: s for s in self.schema.sections}
        self.today = timezone.localdate()
        self.rtypes: list[str] = [t for t in RespondentType.values if t in wave.respondent_types]
        self.units: dict[str, int] = dict(
            WaveUnit.objects.filter(wave=wave).values_list("unit__code", "unit_id")
        )
        self.services: dict[tuple[int, str], int] = {
            (unit_id, code): service_id
            for unit_id, code, service_id in WaveService.objects.filter(
                wave_unit__wave=wave
            ).values_list("wave_unit__unit_id", "service__code", "service_id")
        }
        self.unit_codes = {unit_id: code for code, unit_id in self.units.items()}
        # Every acceptable day as written in the file, to its ordinal.
        last = min(wave.closes_on, self.today)
        self.days: dict[str, int] = {}
        day = wave.opens_on
        while day <= last:
            self.days[day.isoformat()] = day.toordinal()
            day += dt.timedelta(days=1)
        # Packed good rows.
        # (arrays from the row path, numpy arrays from ``check_plain``)
        self.unit_ids: Any = array("q")
        self.service_ids: Any = array("q")  # 0: none
        self.rtype_indexes: Any = bytearray()
        self.ordinals: Any = array("i")
        self.answers: Any = array("h")
        self.encoding = "utf-8"
        self.extras: dict[int, dict[str, Any]] = {}
        self.count = 0
        self.saved = False  # ``save`` was called (it checks the rows too when writing as it goes)

    # -- header ---------------------------------------------------------------------------

    def _header(self, raw: list[str]) -> bool:
        """Read the column names; False when the rows cannot be checked at all."""
        headers = [cell.strip() for cell in raw]
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            raise TableError(_("The first row must contain the column names, but it is empty."))
        problems: list[tuple[str, str, str]] = []  # fatal: the rows cannot be read without them
        for index, name in enumerate(headers, start=1):
            if not name:
                message = _("Every column needs a name in the first row; this one has none.")
                problems.append((get_column_letter(index), "", message))
        folded = [h.casefold() for h in headers]
        for name in sorted({h for h in headers if h and folded.count(h.casefold()) > 1}):
            problems.append((name, name, _("Each column name may appear only once in the file.")))
        self.width, self.headers = len(headers), headers
        position = {h.casefold(): i for i, h in enumerate(headers) if h}
        self.fixed: dict[str, int | None] = {name: position.get(name) for name in FIXED_COLUMNS}
        for name in REQUIRED_COLUMNS:
            if self.fixed[name] is None:
                problems.append((name, "", _("The column %(name)s is missing.") % {"name": name}))
        self.i_unit = self.fixed["unit_code"] or 0
        self.i_type = self.fixed["respondent_type"] or 0
        self.i_date = self.fixed["submitted_on"] or 0
        by_fold = {code.casefold(): code for code in self.schema.questions}
        self.question_positions: dict[str, int] = {}
        for index, name in enumerate(headers):
            if not name or name.casefold() in FIXED_COLUMNS:
                continue
            code = by_fold.get(name.casefold())
            if code is not None:
                self.question_positions[code] = index
                continue
            # Not fatal: the rows are still checked, so one upload shows every problem.
            message = _(
                "There is no question %(code)s in %(version)s. The columns after the fixed ones "
                "must be question codes."
            ) % {"code": name, "version": self.wave.version}
            self.report.add(RowError(1, name, name, message))
        for code, question in self.schema.questions.items():
            if code in self.question_positions or not question.required or question.condition:
                continue
            if any(self._applies(question, t) for t in self.rtypes):
                message = _("The column %(code)s is missing; this question must be answered.")
                problems.append((code, "", message % {"code": code}))
        for column, value, message in problems:
            self.report.add(RowError(1, column, value, message))
        return not problems

    def _applies(self, question: QuestionSpec, rtype: str) -> bool:
        section = self.sections.get(question.section)
        return question.applies_to(rtype) and (section is None or section.applies_to(rtype))

    # -- fast-path plans ------------------------------------------------------------------

    def _plans(self) -> dict[str, Plan]:
        plans: dict[str, Plan] = {}
        for index, rtype in enumerate(self.rtypes):
            plan = build_plan(
                self.schema,
                rtype,
                index,
                applies=self._applies,
                question_positions=self.question_positions,
                width=self.width,
            )
            if plan is not None:
                plans[rtype] = plan
        return plans

    # -- rows -----------------------------------------------------------------------------

    def check(self, rows: Iterator[list[str]], sniff: StreamInfo) -> None:
        """Check every row; keep the packed good rows while there is no error."""
        report = self.report
        try:
            header = next(rows, None)
            if header is None or not self._header(header):
                if header is None:
                    raise TableError(_("The file is empty."))
                return
            self._prepare_rows()
            self._check_rows(rows, sniff)
        except csv.Error as exc:
            raise TableError(
                _("The CSV file is malformed near row %(row)d: %(problem)s")
                % {"row": report.total_rows + 2, "problem": exc}
            ) from exc

    def check_plain(
        self, data: bytes, sniff: StreamInfo, write: Callable[[Block], None] | None = None
    ) -> None:
        """``check`` for a plain CSV file given whole (``response_columns.plain_lines``): the
        same outcome, the data lines checked a block at a time by ``ColumnChecker`` (with
        ``write``, each block's good rows are written as soon as it is checked)."""
        self.encoding = sniff.encoding
        check_plain(self, data, sniff, PROGRESS_EVERY, write)

    def _prepare_rows(self) -> None:
        """The fast-path plans, and the dicts from raw cell text to plan, unit id and day ordinal
        (filled with the exact forms, and learned while checking)."""
        self.plans = plans = self._plans()
        self.plan_of: dict[str, Plan] = {}
        for word, rtype in RESPONDENT_TYPE_WORDS.items():
            if rtype in plans:
                self.plan_of[word] = plans[rtype]
        self.learned_units = dict(self.units)
        self.learned_days = dict(self.days)
        self.learned_services = dict(self.services)
        self.pad = any(p == self.width for plan in plans.values() for p in plan.positions)
        self.i_service = self.fixed["service_code"]

    def _check_rows(self, rows: Iterator[list[str]], sniff: StreamInfo) -> None:
        report = self.report
        progress = self.progress
        unit_ids, service_ids, ordinals = self.unit_ids, self.service_ids, self.ordinals
        rtype_indexes, answers, extras = self.rtype_indexes, self.answers, self.extras
        big_endian = sys.byteorder == "big"
        number = 1
        seen = 0
        for row in rows:
            number += 1
            seen += 1
            if progress is not None and seen % PROGRESS_EVERY == 0:
                progress("check", seen, max(sniff.rows_estimate, seen))
            good = self.row(row, number)
            if good is None:  # a blank row
                continue
            report.total_rows += 1
            if good is False or report.error_count:  # a bad row (reported), or one after it
                continue
            plan, unit_id, ordinal, service_id, values, extra = good
            index = self.count
            self.count += 1
            unit_ids.append(unit_id)
            service_ids.append(service_id)
            ordinals.append(ordinal)
            rtype_indexes.append(plan.rtype_index)
            if big_endian:  # pragma: no cover - the stored vector is little-endian
                values.byteswap()
            answers.extend(values)
            if extra:
                extras[index] = extra
        if progress is not None:
            progress("check", seen, seen)

    def row(
        self, row: list[str], number: int
    ) -> tuple[Plan, int, int, int, array[int], dict[str, Any] | None] | Literal[False] | None:
        """One row packed (None: a blank row; False: a bad row, its problems reported).

        A row whose cells are all found in the plan's dicts is packed with one ``map`` call;
        any miss sends it to ``_careful``.
        """
        width = self.width
        appended = False
        try:
            if len(row) != width:
                # Spreadsheet programs leave out trailing empty cells, or add empty ones.
                if len(row) < width:
                    row.extend([""] * (width - len(row)))
                elif any(row[width:]):
                    raise KeyError
                else:
                    del row[width:]
            plan = self.plan_of[row[self.i_type]]
            unit_id = self.learned_units[row[self.i_unit]]
            ordinal = self.learned_days[row[self.i_date]]
            service_code = row[self.i_service] if self.i_service is not None else ""
            service_id = self.learned_services[(unit_id, service_code)] if service_code else 0
            if self.pad:
                row.append("")
                appended = True
            values = array("h", map(_getitem, plan.maps, plan.getter(row)))
            extra = pack_extras(plan, row, self.schema.clean) if plan.extras else None
            if plan.conditions:
                extra = apply_conditions(plan, values, extra)
        except KeyError:
            if appended:
                row.pop()
            return self._careful(
                row, number, self.plan_of, self.learned_units, self.learned_days,
                self.learned_services,
            )  # fmt: skip
        return plan, unit_id, ordinal, service_id, values, extra

    def _careful(
        self,
        row: list[str],
        number: int,
        plan_of: dict[str, Plan],
        units: dict[str, int],
        days: dict[str, int],
        services: dict[tuple[int, str], int],
    ) -> tuple[Plan, int, int, int, array[int], dict[str, Any] | None] | Literal[False] | None:
        """Check one row cell by cell and say what is wrong; learn what was right.

        None for a blank row, False for a bad one (its problems are reported), otherwise the
        packed row.
        """
        cells = [cell.strip() for cell in row]
        if not any(cells):
            return None
        width, fixed = self.width, self.fixed
        errors: list[RowError] = []

        def bad(column: str, value: str, message: str) -> None:
            errors.append(RowError(number, column, value, message))

        if len(cells) > width and any(cells[width:]):
            bad("", "", _("This row has values in columns that have no name in the first row."))
        cells += [""] * (width - len(cells))

        def cell(name: str) -> str:
            index = fixed[name]
            return cells[index] if index is not None else ""

        unit_raw = cell("unit_code")
        unit_id = self.units.get(unit_raw) or self.units.get(unit_raw.upper())
        if not unit_raw:
            bad("unit_code", "", _("The unit code is missing."))
        elif unit_id is None:
            message = _("“%(value)s” is not a unit of this wave.")
            bad("unit_code", unit_raw, message % {"value": unit_raw})
        service_raw = cell("service_code")
        service_id = 0
        if service_raw and unit_id is not None:
            service_id = self.services.get((unit_id, service_raw), 0)
            if not service_id:
                message = _("“%(value)s” is not a service of unit %(unit)s in this wave.")
                unit_code = self.unit_codes[unit_id]
                bad(
                    "service_code", service_raw, message % {"value": service_raw, "unit": unit_code}
                )
        type_raw = cell("respondent_type")
        rtype = RESPONDENT_TYPE_WORDS.get(type_raw.lower())
        if not type_raw:
            bad("respondent_type", "", _("The respondent type is missing."))
        elif rtype is None:
            message = _(
                "“%(value)s” is not a respondent type; use internal, external, expert or public."
            )
            bad("respondent_type", type_raw, message % {"value": type_raw})
        elif rtype not in self.rtypes:
            message = _("This wave does not survey %(type)s respondents; it surveys: %(types)s.")
            bad(
                "respondent_type",
                type_raw,
                message % {"type": rtype, "types": ", ".join(self.rtypes)},
            )
            rtype = None
        ordinal = self._ordinal(cell("submitted_on"), bad)
        answers: dict[str, str] = {}
        formulas: set[str] = set()
        for code, position in self.question_positions.items():
            raw = cells[position]
            if not raw:
                continue
            if raw.startswith("=") or (
                self.schema.questions[code].type in TEXT_TYPES and raw.startswith(FORMULA_PREFIXES)
            ):
                message = _(
                    "This cell starts with %(char)s, which spreadsheet programs run as a formula; "
                    "type the value itself, or start the text differently."
                )
                bad(self.headers[position], raw, message % {"char": raw[0]})
                formulas.add(code)
            else:
                answers[code] = raw
        answer_errors: list[AnswerError] = []
        vector: list[int] = []
        extra: dict[str, Any] = {}
        if rtype is not None:
            try:
                vector, extra = self.schema.encode(answers, rtype)
            except ResponseInvalid as exc:
                answer_errors = exc.errors
        else:  # the answers can still be checked on their own
            for code, raw in answers.items():
                try:
                    self.schema.clean(self.schema.questions[code], raw)
                except AnswerError as exc:
                    answer_errors.append(exc)
        # ``encode`` counts a bad answer as missing too: one message per question is enough.
        first = {e.question: e for e in reversed(answer_errors)}
        for e in answer_errors:
            if first[e.question] is e and e.question not in formulas:
                at = self.question_positions.get(e.question)
                if at is None:
                    bad(e.question, "", e.message)
                else:
                    bad(self.headers[at], cells[at], e.message)
        if errors:
            for error in errors:
                self.report.add(error)
            return False
        assert rtype is not None and unit_id is not None and ordinal is not None
        plan = self.plans.get(rtype)
        if plan is None:  # no fast plan for this respondent type
            plan = Plan(rtype, self.rtypes.index(rtype), [], [], [], [], [])
        elif len(row) == width:
            # What was right in this row is right in every row: remember the raw forms, so the
            # next row written the same way takes the fast path.
            plan_of.setdefault(row[self.i_type], plan)
            units.setdefault(row[self.i_unit], unit_id)
            days.setdefault(row[self.i_date], ordinal)
            i_service = fixed["service_code"]
            if service_id and i_service is not None:
                services.setdefault((unit_id, row[i_service]), service_id)
            for slot, position in enumerate(plan.positions):
                if position < width and plan.learnable[slot]:
                    plan.maps[slot].setdefault(row[position], vector[slot])
        return plan, unit_id, ordinal, service_id, array("h", vector), (extra or None)

    def _ordinal(self, raw: str, bad: Callable[[str, str, str], None]) -> int | None:
        day: dt.date | None = None
        if not raw:
            bad("submitted_on", "", _("The date is missing."))
            return None
        if _DATE_RE.fullmatch(raw):
            try:
                day = dt.date.fromisoformat(raw)
            except ValueError:
                day = None
        wave = self.wave
        if day is None:
            message = _("Write the date as YYYY-MM-DD, for example %(example)s.")
            bad("submitted_on", raw, message % {"example": wave.opens_on.isoformat()})
            return None
        if day < wave.opens_on:
            message = _("%(date)s is before the wave opened (%(opens)s).")
        elif day > wave.closes_on:
            message = _("%(date)s is after the wave closed (%(closes)s).")
        elif day > self.today:
            message = _("%(date)s is in the future.")
        else:
            return day.toordinal()
        values = {
            "date": raw,
            "opens": wave.opens_on.isoformat(),
            "closes": wave.closes_on.isoformat(),
        }
        bad("submitted_on", raw, message % values)
        return None

    # -- saving ---------------------------------------------------------------------------

    def save(
        self,
        batch: ImportBatch | None,
        check: Check | None = None,
    ) -> None:
        """Write the good rows in one transaction (``response_saving.save``; with ``check``,
        the rows are checked in it too and written block by block)."""
        self.saved = True
        save(self, batch, check, INSERT_CHUNK)


def _reject(batch: ImportBatch, report: ImportReport) -> None:
    """Record on a web upload's batch why nothing was imported."""
    if report.duplicate_of is not None:
        errors = [RowError(0, "", "", duplicate_message(report.duplicate_of))]
        count = 1
    else:
        errors, count = report.errors, report.error_count
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED,
            rows_total=report.total_rows,
            rows_done=report.total_rows,
            imported=0,
            errors=[e.as_dict() for e in errors],
            error_count=count,
            finished_at=timezone.now(),
        )
        audit.record(
            "wave.import_rejected",
            obj=batch.wave,
            changes={"file": [None, batch.filename], "problems": [None, count]},
        )
    batch.refresh_from_db()
    report.batch = batch
