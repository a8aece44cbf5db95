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

How it keeps up with a national survey (1,000,000 rows × 30 questions in well under a minute on
SQLite; see ``bench/surveys_import.py``):

- The file is streamed row by row; only the packed result of each good row is kept, in flat
  arrays (about 80 bytes a response), never a table of dicts.
- For each respondent type a ``_Plan`` holds, per answer column, a dict from the raw cell text to
  the stored slot value, prepared from the compiled schema. A row whose cells are all found in
  these dicts (the usual case) is packed with one ``map`` call; conditions are then checked on the
  packed values. Any miss sends the row to the careful path, which strips the cells and asks
  ``Schema.encode``, so both paths give the same result (a test compares them on random rows) and
  every problem gets its message. Values the careful path accepted are learned by the dicts.
- Good rows are inserted with ``executemany`` in chunks, inside the one transaction.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import operator
import re
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO, Any, Literal, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from integritas import audit
from integritas.audit.labels import register_actions, register_field
from integritas.lib.spreadsheets import XLSX_MAGIC, _cell_text, _detect_delimiter
from integritas.surveys.models import (
    ImportBatch,
    RespondentType,
    Response,
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
from integritas.surveys.signals import announce_responses_changed

# (column, required, what it holds) in the order the upload page and the docs show them.
FIXED_COLUMNS = ("unit_code", "respondent_type", "submitted_on", "service_code")
REQUIRED_COLUMNS = ("unit_code", "respondent_type", "submitted_on")
MAX_ERRORS_KEPT = 1000  # stored on the batch and shown; all are counted
INSERT_CHUNK = 20_000
PROGRESS_EVERY = 8192  # rows between progress calls
FORMULA_PREFIXES = ("=", "+", "-", "@")
TEXT_TYPES = frozenset({"text", "longtext"})
_TEXT_EXTENSIONS = {"", ".csv", ".txt"}
_OTHER_BINARY_MAGIC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_READ_CHUNK = 1 << 20

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


@dataclass(frozen=True)
class CellError:
    row: int  # spreadsheet row number: 1 is the header row, 0 the file as a whole
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class ImportReport:
    """What happened. Nothing was written unless ``ok``."""

    filename: str
    content_hash: str = ""
    rows: int = 0  # data rows read (blank rows not counted)
    imported: int = 0
    errors: list[CellError] = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    error_count: int = 0
    duplicate_of: ImportBatch | None = None  # the earlier import of the same content
    batch: ImportBatch | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error_count and self.duplicate_of is None

    def add(self, error: CellError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)


class _FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
                raise _FileProblem(too_large_message(max_bytes))
            sniff = _sniff(stream, filename)
            report.content_hash = sniff.content_hash
            earlier = earlier_import(wave, sniff.content_hash)
            if earlier is not None:
                report.duplicate_of = earlier
            else:
                importer = _Importer(wave, report, progress)
                importer.check(_rows(stream, sniff), sniff)
                if report.ok:
                    importer.save(batch)
        except _FileProblem as problem:
            report.add(CellError(0, "", "", problem.message))
    finally:
        if owned:
            stream.close()
    report.seconds = time.monotonic() - started
    if batch is not None and not report.ok:
        _reject(batch, report)
    return report


def earlier_import(wave: Wave, content_hash: str) -> ImportBatch | None:
    """The import of the same content into this wave that was already done, if any."""
    return (
        ImportBatch.objects.filter(
            wave=wave, content_hash=content_hash, status=ImportBatch.Status.DONE
        )
        .order_by("finished_at")
        .first()
    )


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
    ) % {"date": f"{when:%Y-%m-%d %H:%M}", "file": earlier.filename, "n": earlier.imported}


@transaction.atomic
def submit_import(
    *, wave: Wave, upload: UploadedFile, content_hash: str, by: Any | None
) -> ImportBatch:
    """Keep an uploaded file as a pending batch and queue the background import of it."""
    from integritas.surveys.tasks import run_import

    name = PurePath(upload.name or "responses.csv").name
    batch = ImportBatch(
        wave=wave,
        filename=name[:255],
        content_hash=content_hash,
        created_by=by,
        status=ImportBatch.Status.PENDING,
    )
    suffix = PurePath(name).suffix.lower()
    # Stored under a name of our own: the user's file name is only shown, never used as a path.
    stored = f"{batch.public_id}{suffix if suffix in ('.csv', '.txt', '.xlsx') else ''}"
    batch.file.save(stored, upload, save=False)
    batch.save()
    audit.record("wave.import_submitted", obj=wave, changes={"file": [None, batch.filename]})
    # Enqueued in the same transaction: with the database queue, the batch and its task exist
    # together or not at all.
    run_import.enqueue(str(batch.public_id))
    return batch


# --- Reading the file --------------------------------------------------------------------------


@dataclass
class _Sniff:
    content_hash: str
    kind: str  # "csv" or "xlsx"
    encoding: str
    rows_estimate: int


def _open(source: Source) -> tuple[IO[bytes], bool]:
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source)), True
    if isinstance(source, str | Path):
        return open(source, "rb"), True  # noqa: SIM115 - closed by the caller
    return source, False


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _unsupported() -> _FileProblem:
    return _FileProblem(
        _(
            "This file cannot be read. Upload a CSV file or an Excel workbook (.xlsx); "
            "save older .xls files as .xlsx first."
        )
    )


def _sniff(stream: IO[bytes], filename: str) -> _Sniff:
    """One streaming pass: content hash, line count, format and text encoding."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    lines = 0
    head = b""
    has_nul = False
    has_text = False
    stream.seek(0)
    while chunk := stream.read(_READ_CHUNK):
        if not head:
            head = chunk[:16]
        digest.update(chunk)
        lines += chunk.count(b"\n")
        has_nul = has_nul or b"\0" in chunk
        has_text = has_text or bool(chunk.strip())
        if utf8_ok:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                utf8_ok = False
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    if not has_text:
        raise _FileProblem(_("The file is empty."))
    extension = PurePath(filename or "").suffix.lower()
    if head.startswith(XLSX_MAGIC):
        return _Sniff(digest.hexdigest(), "xlsx", "", 0)
    if extension not in _TEXT_EXTENSIONS or head.startswith(_OTHER_BINARY_MAGIC) or has_nul:
        raise _unsupported()
    encoding = "utf-8-sig"
    if not utf8_ok:
        # Excel on older Windows saves plain "CSV" in Windows-1252; it leaves a few bytes
        # undefined, and a file using them is neither.
        stream.seek(0)
        cp1252 = codecs.getincrementaldecoder("cp1252")()
        try:
            while chunk := stream.read(_READ_CHUNK):
                cp1252.decode(chunk)
        except UnicodeDecodeError as exc:
            raise _FileProblem(
                _(
                    "The file's text encoding is not recognised. "
                    "Save the CSV file as “CSV UTF-8” and upload it again."
                )
            ) from exc
        encoding = "cp1252"
    return _Sniff(digest.hexdigest(), "csv", encoding, max(lines - 1, 0))


def _rows(stream: IO[bytes], sniff: _Sniff) -> Iterator[list[str]]:
    stream.seek(0)
    if sniff.kind == "xlsx":
        yield from _xlsx_rows(stream, sniff)
        return
    text = io.TextIOWrapper(stream, encoding=sniff.encoding, newline="")
    try:
        first = text.readline()
        line = first.rstrip("\r\n")
        # Excel honours (and sometimes writes) a first line "sep=;" naming the delimiter; it is not
        # shown as a row, so it does not count in the numbering either.
        if len(line) == 5 and line.lower().startswith("sep=") and line[4] in ",;\t":
            delimiter, lines = line[4], iter(text)
        else:
            delimiter, lines = _detect_delimiter(line), itertools.chain([first], text)
        yield from csv.reader(lines, delimiter=delimiter)
    finally:
        text.detach()


def _xlsx_rows(stream: IO[bytes], sniff: _Sniff) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        # Formulas are read as written ("=..."), not as their last computed value, so that the
        # import refuses them instead of storing a number nobody typed.
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged or foreign ZIP files
        raise _unsupported() from exc
    try:
        if not workbook.worksheets:
            raise _FileProblem(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        sniff.rows_estimate = max((sheet.max_row or 1) - 1, 0)
        # Some programs write a wrong sheet size; without it openpyxl reads every row there is.
        sheet.reset_dimensions()
        try:
            for values in sheet.iter_rows(values_only=True):
                yield [_cell_text(value) for value in values]
        except _FileProblem:
            raise
        except Exception as exc:
            raise _unsupported() from exc
    finally:
        workbook.close()


# --- Checking and saving -----------------------------------------------------------------------


@dataclass
class _Condition:
    """One conditional question of a plan, checked on the packed values of a row."""

    index: int  # position in the plan's list of conditions (its "shown" flag)
    slot: int | None
    extra: int | None  # index into the plan's extra columns
    required: bool
    source_slot: int
    source_condition: int | None  # the source's own condition, when it has one
    source_shown: bool  # the source is asked of this respondent type
    multiple: bool
    hits: frozenset[int]  # slot values that satisfy "in" (single choice)
    mask: int  # choice bits that satisfy "in" (multiple choice)
    op_in: bool


@dataclass
class _ExtraColumn:
    position: int
    question: QuestionSpec
    applies: bool
    required: bool  # required, shown unconditionally
    condition: int | None


@dataclass
class _Plan:
    """How rows of one respondent type are packed on the fast path."""

    rtype: str
    rtype_index: int
    maps: list[dict[str, int]]  # per slot: raw cell text -> stored value
    positions: list[int]  # per slot: the column holding it (``width`` when absent)
    learnable: list[bool]  # per slot: a value learned from one row holds for every row
    conditions: list[_Condition]
    extras: list[_ExtraColumn]
    getter: Callable[[list[str]], tuple[str, ...]] = field(init=False)

    def __post_init__(self) -> None:
        if len(self.positions) == 1:
            only = self.positions[0]
            self.getter = lambda row: (row[only],)
        elif self.positions:
            self.getter = operator.itemgetter(*self.positions)
        else:
            self.getter = lambda row: ()


_getitem = dict.__getitem__


class _Importer:
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
        self.unit_ids = array("q")
        self.service_ids = array("q")  # 0: none
        self.rtype_indexes = bytearray()
        self.ordinals = array("i")
        self.answers = array("h")
        self.extras: dict[int, dict[str, Any]] = {}
        self.count = 0

    # -- header ---------------------------------------------------------------------------

    def _header(self, raw: list[str]) -> bool:
        """Read the column names; False when the rows cannot be checked at all."""
        headers = [cell.strip() for cell in raw]
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            raise _FileProblem(_("The first row must contain the column names, but it is empty."))
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
            self.report.add(CellError(1, name, name, message))
        for code, question in self.schema.questions.items():
            if code in self.question_positions or not question.required or question.condition:
                continue
            if any(self._applies(question, t) for t in self.rtypes):
                message = _("The column %(code)s is missing; this question must be answered.")
                problems.append((code, "", message % {"code": code}))
        for column, value, message in problems:
            self.report.add(CellError(1, column, value, message))
        return not problems

    def _applies(self, question: QuestionSpec, rtype: str) -> bool:
        section = self.sections.get(question.section)
        return question.applies_to(rtype) and (section is None or section.applies_to(rtype))

    # -- fast-path plans ------------------------------------------------------------------

    def _plans(self) -> dict[str, _Plan]:
        plans: dict[str, _Plan] = {}
        for index, rtype in enumerate(self.rtypes):
            plan = self._plan(rtype, index)
            if plan is not None:
                plans[rtype] = plan
        return plans

    def _plan(self, rtype: str, rtype_index: int) -> _Plan | None:
        schema = self.schema
        absent = self.width  # rows get one empty cell appended when a column is absent
        maps: list[dict[str, int]] = []
        positions: list[int] = []
        learnable: list[bool] = []
        for code in schema.slot_codes:
            q = schema.questions[code]
            applies = self._applies(q, rtype)
            values: dict[str, int] = {}
            if applies:
                if q.type == "multiple":
                    values = {c: 1 << i for i, c in enumerate(q.choices)}
                else:
                    values = {c: i + 1 for i, c in enumerate(q.choices)}
                if not q.required or q.condition:
                    values[""] = 0  # conditional required questions are checked after packing
            else:
                values[""] = 0
            maps.append(values)
            positions.append(self.question_positions.get(code, absent))
            learnable.append(not (applies and q.condition))
        conditions: list[_Condition] = []
        condition_of: dict[str, int] = {}
        extras: list[_ExtraColumn] = []
        extra_of: dict[str, int] = {}
        for section in schema.sections:
            for code in section.questions:
                q = schema.questions[code]
                applies = self._applies(q, rtype)
                if q.slot is None:
                    if code not in self.question_positions:
                        if applies and q.required and q.condition:
                            return None  # every shown row would be an error: let the careful path say so
                        continue
                    extra_of[code] = len(extras)
                    extras.append(
                        _ExtraColumn(
                            self.question_positions[code],
                            q,
                            applies,
                            applies and q.required and not q.condition,
                            None,
                        )
                    )
                if not (applies and q.condition):
                    continue
                source = schema.questions.get(q.condition.get("question", ""))
                if source is None or source.slot is None:
                    return None
                if (
                    self._applies(source, rtype)
                    and source.condition
                    and source.code not in condition_of
                ):
                    return (
                        None  # a condition on a later question: unusual, left to the careful path
                    )
                wanted = {str(v) for v in q.condition.get("values", [])}
                positions_wanted = [i for i, c in enumerate(source.choices) if c in wanted]
                condition = _Condition(
                    index=len(conditions),
                    slot=q.slot,
                    extra=extra_of.get(code),
                    required=q.required,
                    source_slot=source.slot,
                    source_condition=condition_of.get(source.code),
                    source_shown=self._applies(source, rtype),
                    multiple=source.type == "multiple",
                    hits=frozenset(i + 1 for i in positions_wanted),
                    mask=sum(1 << i for i in positions_wanted),
                    op_in=q.condition.get("op", "in") == "in",
                )
                condition_of[code] = condition.index
                conditions.append(condition)
                if condition.extra is not None:
                    extras[condition.extra].condition = condition.index
        return _Plan(rtype, rtype_index, maps, positions, learnable, conditions, extras)

    # -- rows -----------------------------------------------------------------------------

    def check(self, rows: Iterator[list[str]], sniff: _Sniff) -> None:
        """Check every row; keep the packed good rows while there is no error."""
        report = self.report
        try:
            header = next(rows, None)
            if header is None or not self._header(header):
                if header is None:
                    raise _FileProblem(_("The file is empty."))
                return
            self._check_rows(rows, sniff)
        except csv.Error as exc:
            raise _FileProblem(
                _("The CSV file is malformed near row %(row)d: %(problem)s")
                % {"row": report.rows + 2, "problem": exc}
            ) from exc

    def _check_rows(self, rows: Iterator[list[str]], sniff: _Sniff) -> None:
        report = self.report
        progress = self.progress
        self.plans = plans = self._plans()
        # Raw cell text -> plan, unit id, day ordinal: filled with the exact forms and learned.
        plan_of: dict[str, _Plan] = {}
        for word, rtype in RESPONDENT_TYPE_WORDS.items():
            if rtype in plans:
                plan_of[word] = plans[rtype]
        units = dict(self.units)
        days = dict(self.days)
        services = dict(self.services)
        width = self.width
        pad = any(p == width for plan in plans.values() for p in plan.positions)
        i_unit, i_type, i_date = self.i_unit, self.i_type, self.i_date
        i_service = self.fixed["service_code"]
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
                plan = plan_of[row[i_type]]
                unit_id = units[row[i_unit]]
                ordinal = days[row[i_date]]
                service_code = row[i_service] if i_service is not None else ""
                service_id = services[(unit_id, service_code)] if service_code else 0
                if pad:
                    row.append("")
                    appended = True
                values = array("h", map(_getitem, plan.maps, plan.getter(row)))
                extra = self._fast_extras(plan, row) if plan.extras else None
                if plan.conditions:
                    extra = self._fast_conditions(plan, values, extra)
            except KeyError:
                if appended:
                    row.pop()
                good = self._careful(row, number, plan_of, units, days, services)
                if good is None:  # a blank row
                    continue
                if good is False:  # a bad row, reported
                    report.rows += 1
                    continue
                plan, unit_id, ordinal, service_id, values, extra = good
            report.rows += 1
            if report.error_count:
                continue
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

    def _fast_extras(self, plan: _Plan, row: list[str]) -> dict[str, Any] | None:
        """The non-slot answers of a row (numbers, dates, text); KeyError sends the row to the
        careful path."""
        extra: dict[str, Any] | None = None
        clean = self.schema.clean
        for column in plan.extras:
            raw = row[column.position]
            if not raw:
                if column.required:
                    raise KeyError
                continue
            try:
                value = clean(column.question, raw)
            except AnswerError:
                raise KeyError from None
            if value in (None, "") or (
                column.question.type in TEXT_TYPES and str(value).startswith(FORMULA_PREFIXES)
            ):
                raise KeyError  # blank after trimming, or formula-like: the careful path decides
            if column.applies:
                if extra is None:
                    extra = {}
                extra[column.question.code] = value
        return extra

    def _fast_conditions(
        self, plan: _Plan, values: array[int], extra: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        shown: list[bool] = []
        for c in plan.conditions:
            ok = c.source_shown and (c.source_condition is None or shown[c.source_condition])
            if ok:
                value = values[c.source_slot]
                hit = bool(value & c.mask) if c.multiple else value in c.hits
                ok = hit if c.op_in else not hit
            shown.append(ok)
            if c.slot is not None:
                if not ok:
                    values[c.slot] = 0
                elif c.required and not values[c.slot]:
                    raise KeyError
            elif c.extra is not None:
                code = plan.extras[c.extra].question.code
                if not ok:
                    if extra:
                        extra.pop(code, None)
                elif c.required and not (extra and code in extra):
                    raise KeyError
        return extra or None

    def _careful(
        self,
        row: list[str],
        number: int,
        plan_of: dict[str, _Plan],
        units: dict[str, int],
        days: dict[str, int],
        services: dict[tuple[int, str], int],
    ) -> tuple[_Plan, int, int, int, array[int], dict[str, Any] | None] | Literal[False] | None:
        """Check one row cell by cell and say what is wrong; learn what was right.

        None for a blank row, False for a bad one (its problems are reported), otherwise the
        packed row.
        """
        cells = [cell.strip() for cell in row]
        if not any(cells):
            return None
        width, fixed = self.width, self.fixed
        errors: list[CellError] = []

        def bad(column: str, value: str, message: str) -> None:
            errors.append(CellError(number, column, value, message))

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
            plan = _Plan(rtype, self.rtypes.index(rtype), [], [], [], [], [])
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

    def save(self, batch: ImportBatch | None) -> None:
        report = self.report
        wave = self.wave
        try:
            with transaction.atomic():
                earlier = earlier_import(wave, report.content_hash)
                if earlier is not None:
                    report.duplicate_of = earlier
                    return
                now = timezone.now()
                values = {
                    "status": ImportBatch.Status.DONE,
                    "rows_total": report.rows,
                    "rows_done": report.rows,
                    "imported": self.count,
                    "errors": [],
                    "error_count": 0,
                    "finished_at": now,
                }
                if batch is None:
                    batch = ImportBatch.objects.create(
                        wave=wave,
                        filename=report.filename[:255],
                        content_hash=report.content_hash,
                        **values,
                    )
                else:
                    # First, so a concurrent import of the same content fails here, early.
                    ImportBatch.objects.filter(pk=batch.pk).update(**values)
                self._insert(batch.pk)
                announce_responses_changed(
                    wave_id=wave.pk, unit_ids=self.unit_ids, count=self.count
                )
                audit.record(
                    "wave.responses_imported",
                    obj=wave,
                    changes={"file": [None, report.filename], "responses": [None, self.count]},
                )
        except IntegrityError:
            duplicate = earlier_import(wave, report.content_hash)
            if duplicate is None:
                raise
            report.duplicate_of = duplicate
            return
        batch.refresh_from_db()
        report.batch = batch
        report.imported = self.count

    def _insert(self, batch_id: int) -> None:
        """Insert the packed rows with ``executemany`` in chunks (the caller holds the transaction).

        Rows go in sorted by unit: the unit indexes then grow in order, which makes the insert
        about a third faster on SQLite, a wave is stored unit by unit for the index engine's scans,
        and the file's row order is not kept.
        """
        meta = Response._meta
        qn = connection.ops.quote_name
        names = ["wave", "unit", "service", "respondent_type", "submitted_on", "answers"]
        names += ["extra", "source", "batch"]
        columns = ", ".join(qn(cast(Any, meta.get_field(name)).column) for name in names)
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({columns}) "  # noqa: S608 - names from the model
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
        copy_sql = f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN"
        n, width = self.count, self.schema.slot_count * 2
        blob = self.answers.tobytes()
        self.answers = array("h")
        ops = connection.ops
        days = {o: ops.adapt_datefield_value(dt.date.fromordinal(o)) for o in set(self.ordinals)}
        extras = {i: ops.adapt_json_value(v, None) for i, v in self.extras.items()}
        units, services, ordinals = self.unit_ids, self.service_ids, self.ordinals
        rtypes, rtype_of = self.rtypes, self.rtype_indexes
        source, wave_id = Response.Source.IMPORT.value, self.wave.pk
        order = sorted(range(n), key=units.__getitem__)
        with connection.cursor() as cursor, _sqlite_tuning(cursor):
            for start in range(0, n, INSERT_CHUNK):
                params = [
                    (
                        wave_id,
                        units[i],
                        services[i] or None,
                        rtypes[rtype_of[i]],
                        days[ordinals[i]],
                        blob[i * width : (i + 1) * width],
                        extras.get(i),
                        source,
                        batch_id,
                    )
                    for i in order[start : start + INSERT_CHUNK]
                ]
                if connection.vendor == "postgresql":
                    # COPY is several times faster than executemany there; one per chunk, so
                    # the connection is free again when progress is reported.
                    with cursor.cursor.copy(copy_sql) as copy:
                        for values in params:
                            copy.write_row(values)
                else:
                    cursor.executemany(sql, params)
                if self.progress is not None:
                    self.progress("save", min(start + INSERT_CHUNK, n), n)


class _sqlite_tuning:  # noqa: N801 - used like a function
    """A larger page cache while SQLite builds the indexes of a big insert, then the old size."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.old: Any = None

    def __enter__(self) -> None:
        if connection.vendor == "sqlite":
            self.cursor.execute("PRAGMA cache_size")
            self.old = self.cursor.fetchone()[0]
            self.cursor.execute("PRAGMA cache_size = -262144")  # 256 MB

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            self.cursor.execute(f"PRAGMA cache_size = {int(self.old)}")


def _reject(batch: ImportBatch, report: ImportReport) -> None:
    """Record on a web upload's batch why nothing was imported."""
    if report.duplicate_of is not None:
        errors = [CellError(0, "", "", duplicate_message(report.duplicate_of))]
        count = 1
    else:
        errors, count = report.errors, report.error_count
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED,
            rows_total=report.rows,
            rows_done=report.rows,
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
