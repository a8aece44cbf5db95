"""Read tables from CSV and XLSX uploads, and write exports that spreadsheet programs open safely.

Staff prepare imports in Excel or LibreOffice and save them as XLSX or as CSV. Indonesian Excel
writes CSV with semicolons and, on older installations, in Windows-1252; both are handled here so
that callers only see a header list and rows of stripped strings, numbered as the user sees them.

Exports are protected against formula injection: a text cell that a spreadsheet would evaluate
(it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_MAGIC = b"PK\x03\x04"
# Signatures of files people upload by mistake: legacy Excel/Word (OLE2), PDF.
_OTHER_BINARY_MAGIC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF")
_TEXT_EXTENSIONS = {"", ".csv", ".txt", ".tsv"}
_DELIMITERS = (",", ";", "\t")
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Column widths are measured on the first rows only, so huge exports are not held in memory.
_WIDTH_SAMPLE_ROWS = 200
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_READ_CHUNK = 1 << 20
# A streamed CSV download is sent in pieces of about this many characters.
CSV_CHUNK_CHARS = 64 * 1024


class TableError(ValueError):
    """The upload cannot be read as a table; ``message`` is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    number: int  # the row number the user sees in the spreadsheet; the header is row 1
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]


def _unsupported() -> TableError:
    return TableError(
        _(
            "This file cannot be read. Upload a CSV file or an Excel workbook (.xlsx); "
            "save older .xls files as .xlsx first."
        )
    )


# --- Reading -----------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> Table:
    """Read the first sheet of an XLSX workbook, or a CSV file, into headers and numbered rows.

    The format is recognised from the content first (an XLSX file is a ZIP archive), so a workbook
    saved with the wrong extension still reads. Rows whose cells are all empty are left out but
    still count for numbering. Raises ``TableError`` with a message for the user.
    """
    if not data.strip():
        raise TableError(_("The file is empty."))
    extension = PurePath(filename or "").suffix.lower()
    if data.startswith(XLSX_MAGIC):
        raw_rows = _xlsx_rows(data)
    elif extension == ".xlsx" or extension not in _TEXT_EXTENSIONS:
        raise _unsupported()
    elif data.startswith(_OTHER_BINARY_MAGIC) or b"\0" in data:
        raise _unsupported()
    else:
        raw_rows = _csv_rows(data)
    return _build_table(raw_rows)


def _decode(data: bytes) -> str:
    # utf-8-sig reads plain UTF-8 too and drops a byte order mark when there is one; Windows-1252
    # is what Excel on older Windows saves as plain "CSV".
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(
        _(
            "The file's text encoding is not recognised. "
            "Save the CSV file as “CSV UTF-8” and upload it again."
        )
    )


def detect_delimiter(header_line: str) -> str:
    """The most frequent of comma, semicolon and tab outside quotes in the header line."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if not text.strip():
        raise TableError(_("The file is empty."))
    first_line, _newline, rest = text.partition("\n")
    first_line = first_line.rstrip("\r")
    # Excel honours (and sometimes writes) a first line "sep=;" that names the delimiter; it is not
    # shown as a row, so it does not count in the numbering either.
    if (
        len(first_line) == 5
        and first_line.lower().startswith("sep=")
        and first_line[4] in _DELIMITERS
    ):
        delimiter, text = first_line[4], rest
    else:
        delimiter = detect_delimiter(first_line)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise TableError(_("The CSV file is malformed: %(problem)s") % {"problem": exc}) from exc


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged or foreign ZIP files
        raise _unsupported() from exc
    try:
        if not workbook.worksheets:
            raise TableError(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; without it openpyxl reads every row there is.
        sheet.reset_dimensions()
        return [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    except TableError:
        raise
    except Exception as exc:
        raise _unsupported() from exc
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """The text a user expects for a cell: 12 not 12.0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _build_table(raw_rows: Iterable[Sequence[str]]) -> Table:
    rows_iter = iter(raw_rows)
    header_cells = [cell.strip().lower() for cell in next(rows_iter, [])]
    while header_cells and not header_cells[-1]:
        header_cells.pop()
    if not header_cells:
        raise TableError(_("The first row must contain the column names, but it is empty."))
    nameless = [get_column_letter(i) for i, name in enumerate(header_cells, start=1) if not name]
    if nameless:
        raise TableError(
            _("Every column needs a name in the first row; these columns have none: %(columns)s.")
            % {"columns": ", ".join(nameless)}
        )
    duplicates = sorted({name for name in header_cells if header_cells.count(name) > 1})
    if duplicates:
        raise TableError(
            _("Each column name may appear only once; repeated: %(names)s.")
            % {"names": ", ".join(duplicates)}
        )
    width = len(header_cells)
    rows: list[Row] = []
    for number, raw in enumerate(rows_iter, start=2):
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            continue
        if any(cells[width:]):
            raise TableError(
                _("Row %(row)d has values in columns that have no name in the first row.")
                % {"row": number}
            )
        cells += [""] * (width - len(cells))
        rows.append(Row(number=number, values=dict(zip(header_cells, cells, strict=False))))
    return Table(headers=header_cells, rows=rows)


def read_sheets(
    data: bytes,
    names: Collection[str],
    *,
    max_rows: int,
    cell: Callable[[Any], str] = cell_text,
) -> dict[str, list[list[str]]]:
    """The rows of a workbook's sheets named in ``names`` (in any case), header row first.

    Each cell is turned into text by ``cell``; formula cells come back as their formula text, so
    the caller can refuse them. Raises ``TableError`` when the workbook cannot be read or a
    sheet has more than ``max_rows`` rows.
    """
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged or foreign files
        raise TableError(_("The workbook is damaged and cannot be read.")) from exc
    sheets: dict[str, list[list[str]]] = {}
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower()
            if name not in names or name in sheets:
                continue
            sheet.reset_dimensions()
            rows: list[list[str]] = []
            for values in sheet.iter_rows(values_only=True):
                if len(rows) > max_rows:
                    raise TableError(
                        _("The sheet “%(sheet)s” has more than %(max)d rows.")
                        % {"sheet": name, "max": max_rows}
                    )
                rows.append([cell(v) for v in values])
            sheets[name] = rows
    except TableError:
        raise
    except Exception as exc:
        raise TableError(_("The workbook is damaged and cannot be read.")) from exc
    finally:
        workbook.close()
    return sheets


def read_layout_workbook(
    data: bytes,
    names: Collection[str],
    *,
    max_bytes: int,
    max_unpacked: int,
    max_rows: int,
    not_workbook: str,
    too_large_unpacked: str,
    cell: Callable[[Any], str] = cell_text,
) -> dict[str, list[list[str]]]:
    """``read_sheets`` behind the guards every uploaded layout workbook passes first: not empty,
    at most ``max_bytes``, an XLSX (zip) file, a readable archive and at most ``max_unpacked``
    bytes once unpacked (a zip bomb is refused before openpyxl opens it).

    ``not_workbook`` and ``too_large_unpacked`` are the caller's own messages, which name what
    the workbook should be (an instrument, a framework). Raises ``TableError``.
    """
    if not data.strip():
        raise TableError(_("The file is empty."))
    if len(data) > max_bytes:
        raise TableError(
            _("The file is larger than the limit of %(mb)d MB.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data.startswith(XLSX_MAGIC):
        raise TableError(not_workbook)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise TableError(_("The workbook is damaged and cannot be read.")) from exc
    if unpacked > max_unpacked:
        raise TableError(too_large_unpacked)
    return read_sheets(data, names, max_rows=max_rows, cell=cell)


# --- Reading a large file as a stream ----------------------------------------------------------


@dataclass
class StreamInfo:
    """What one pass over an upload found out, for ``stream_rows``."""

    content_hash: str  # SHA-256 of the bytes
    kind: str  # "csv" or "xlsx"
    encoding: str  # of a CSV file
    rows_estimate: int  # data rows (lines after the header); set from the sheet for XLSX


def sniff_stream(stream: IO[bytes], filename: str) -> StreamInfo:
    """One streaming pass over a seekable upload: content hash, line count, format, encoding.

    Nothing but a few counters is kept in memory, so files of any size can be checked. Raises
    ``TableError`` with a message for the user when the file is empty or not a table.
    """
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
        raise TableError(_("The file is empty."))
    extension = PurePath(filename or "").suffix.lower()
    if head.startswith(XLSX_MAGIC):
        return StreamInfo(digest.hexdigest(), "xlsx", "", 0)
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
            raise TableError(
                _(
                    "The file's text encoding is not recognised. "
                    "Save the CSV file as “CSV UTF-8” and upload it again."
                )
            ) from exc
        encoding = "cp1252"
    return StreamInfo(digest.hexdigest(), "csv", encoding, max(lines - 1, 0))


def stream_rows(stream: IO[bytes], info: StreamInfo) -> Iterator[list[str]]:
    """The rows of a sniffed upload one at a time, header row first, as lists of cell text.

    CSV cells come as written (not stripped); XLSX cells as ``cell_text`` gives them, with
    formulas read as written ("=...") rather than as their last computed value, so that an
    import can refuse them instead of storing a number nobody typed. A malformed CSV file raises
    ``csv.Error`` while iterating; a damaged workbook raises ``TableError``.
    """
    stream.seek(0)
    if info.kind == "xlsx":
        yield from _xlsx_stream(stream, info)
        return
    text = io.TextIOWrapper(stream, encoding=info.encoding, newline="")
    try:
        first = text.readline()
        line = first.rstrip("\r\n")
        # Excel honours (and sometimes writes) a first line "sep=;" naming the delimiter; it is not
        # shown as a row, so it does not count in the numbering either.
        if len(line) == 5 and line.lower().startswith("sep=") and line[4] in _DELIMITERS:
            delimiter, lines = line[4], iter(text)
        else:
            delimiter, lines = detect_delimiter(line), itertools.chain([first], text)
        yield from csv.reader(lines, delimiter=delimiter)
    finally:
        text.detach()


def _xlsx_stream(stream: IO[bytes], info: StreamInfo) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged or foreign ZIP files
        raise _unsupported() from exc
    try:
        if not workbook.worksheets:
            raise TableError(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        info.rows_estimate = max((sheet.max_row or 1) - 1, 0)
        # Some programs write a wrong sheet size; without it openpyxl reads every row there is.
        sheet.reset_dimensions()
        try:
            for values in sheet.iter_rows(values_only=True):
                yield [cell_text(value) for value in values]
        except TableError:
            raise
        except Exception as exc:
            raise _unsupported() from exc
    finally:
        workbook.close()


# --- Writing -----------------------------------------------------------------------------------


def _escape_formula(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    return _escape_formula(str(value))


def csv_chunks(
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, chunk_chars: int = CSV_CHUNK_CHARS
) -> Generator[bytes, None, None]:
    """The bytes of ``write_csv`` in pieces of about ``chunk_chars`` characters (whole rows), the
    rows read one at a time, so a download streams without the whole file in memory."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in headers])
    encoding = "utf-8-sig"  # the first piece starts with the byte order mark
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        if buffer.tell() >= chunk_chars:
            yield buffer.getvalue().encode(encoding)
            encoding = "utf-8"
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode(encoding)


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A comma-separated file in UTF-8 with a byte order mark, so Excel shows accents correctly."""
    return b"".join(csv_chunks(headers, rows))


def xlsx_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        # Excel has no time zones: callers pass local time, and the wall-clock time is kept.
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date | dt.time):
        return value
    # Control characters are illegal in XLSX and would make openpyxl refuse the whole file.
    return _escape_formula(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _display_width(value: object) -> int:
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    text = "" if value is None else str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _sheet_title(title: str) -> str:
    """Excel allows at most 31 characters and none of []:*?/\\ in a sheet name."""
    cleaned = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", title).split()).strip("'")
    return cleaned[:31].strip() or "Sheet1"


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    sheet_title: str,
    *,
    stamp: dt.datetime | None = None,
) -> bytes:
    """One-sheet workbook: bold header row kept in view while scrolling, columns sized to content.

    Dates, datetimes and decimals are stored as real spreadsheet values so users can sort and sum.
    With ``stamp`` the workbook's creation and change dates and its zip entries' dates are that
    moment, so the same table gives the same bytes every time (a published checksum holds).
    """
    rows_iter = iter(rows)
    sample = [
        [xlsx_value(v) for v in row] for row in itertools.islice(rows_iter, _WIDTH_SAMPLE_ROWS)
    ]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    columns = max([len(headers), *(len(row) for row in sample)])
    for index in range(columns):
        values: list[object] = [headers[index] if index < len(headers) else ""]
        values += [row[index] for row in sample if index < len(row)]
        width = max(_display_width(v) for v in values) + 2
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(
            max(width, _MIN_WIDTH), _MAX_WIDTH
        )
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=xlsx_value(header))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for sampled in sample:
        sheet.append(sampled)
    for row in rows_iter:
        sheet.append([xlsx_value(v) for v in row])
    if stamp is not None:
        wall = stamp.replace(tzinfo=None, microsecond=0)
        workbook.properties.created = workbook.properties.modified = wall
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue() if stamp is None else _restamped(buffer.getvalue(), stamp)


def _restamped(data: bytes, stamp: dt.datetime) -> bytes:
    """The workbook ``data`` with its change date and every zip entry's date ``stamp`` (openpyxl
    writes the moment of saving there; zip dates start in 1980)."""
    when = max(stamp.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    iso = dt.datetime(*when, tzinfo=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + iso.encode() + rb"\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


@dataclass
class Sheet:
    """One sheet for ``write_workbook``: its title and rows; with ``header`` the first row is
    the bold column names, kept in view while scrolling."""

    title: str
    rows: Sequence[Sequence[Any]]
    header: bool = True


def write_workbook(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of several sheets meant to be edited and read back (such as a questionnaire).

    Every text cell is stored as text, never as a formula (text a spreadsheet would evaluate
    gets a leading ``'``, as in ``write_xlsx``); multi-line text wraps; columns are sized to
    their content. Empty strings are left as empty cells.
    """
    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    for sheet_data in sheets:
        sheet = workbook.create_sheet(_sheet_title(sheet_data.title))
        if sheet_data.header:
            sheet.freeze_panes = "A2"
        widths: dict[int, int] = {}
        for r, row in enumerate(sheet_data.rows, start=1):
            for c, raw in enumerate(row, start=1):
                value = (
                    _escape_formula(ILLEGAL_CHARACTERS_RE.sub("", raw))
                    if isinstance(raw, str)
                    else raw
                )
                cell = sheet.cell(row=r, column=c, value=value if value != "" else None)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                    if "\n" in value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                if sheet_data.header and r == 1:
                    cell.font = Font(bold=True)
                text = "" if value is None else str(value)
                longest = max((len(line) for line in text.splitlines()), default=0)
                widths[c] = max(widths.get(c, 0), longest)
        for c, width in widths.items():
            sheet.column_dimensions[get_column_letter(c)].width = min(
                max(width + 2, _MIN_WIDTH), _MAX_WIDTH
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(stem: str, fmt: str, today: dt.date | None = None) -> str:
    """Name an export like "units-2026-11-29.csv": stem, export date (local by default), format.

    Characters other than ASCII letters, digits, dots, dashes and underscores are replaced so the
    name is safe in a Content-Disposition header.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format {fmt!r}")
    safe_stem = _FILENAME_UNSAFE.sub("-", stem).strip("-.") or "export"
    day = today if today is not None else timezone.localdate()
    return f"{safe_stem}-{day.isoformat()}.{fmt}"
