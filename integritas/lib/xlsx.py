"""XLSX tables written straight into a file, row by row, for downloads of large tables.

``spreadsheets.save_xlsx`` writes the same workbook through openpyxl's write-only mode, whose
pure-Python XML serialiser spends some 8 µs a cell (half a second for the 6,400 × 10 cells of a
national heatmap). This writer formats each row's XML as text and streams it into the zip entry,
several times faster, with the same sheet: the header row bold and kept in view, columns sized
to the first rows, dates and times as real values with their number formats, text as text
(escaped against formula injection by ``spreadsheets.xlsx_value``). Strings are written inline
(no shared-strings table to hold in memory), as streaming writers do; Excel, LibreOffice and
openpyxl read them. ``save_table`` writes one sheet, ``save_sheets`` several (the responses
export and its codebook).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from integritas.lib.spreadsheets import (
    _MAX_WIDTH,
    _MIN_WIDTH,
    _WIDTH_SAMPLE_ROWS,
    Sheet,
    _display_width,
    _escape_formula,
    _sheet_title,
    xlsx_value,
)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_FLUSH_CHARS = 64 * 1024

# Cell styles (cellXfs): 0 plain, 1 bold header, 2 date, 3 date and time, 4 time.
# 5 wrapped text (top-aligned), 6 bold wrapped text.
_HEADER, _DATE, _DATETIME, _TIME, _WRAP, _HEADER_WRAP = 1, 2, 3, 4, 5, 6
_STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="h:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b val="1"/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CONTENT_TYPES_START = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
)
_CONTENT_TYPES_END = (
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_SHEET_REL = (
    '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
)
_STYLES_REL = (
    '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
)
_SHEET_START_UNFROZEN = (
    _XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>'
    '<sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
)
_SHEET_START = (
    _XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>'
    '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
    '</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
)


def _cell(ref: str, raw: object) -> str:
    """One cell's XML (numbers, the most common cells, first)."""
    kind = type(raw)
    if kind is float or kind is int:
        # As openpyxl writes numbers; not-a-number and infinities leave the cell empty.
        return f'<c r="{ref}"><v>{raw:.16g}</v></c>' if math.isfinite(raw) else ""  # type: ignore[arg-type]
    if raw is None or raw == "":
        return ""  # an empty cell, as openpyxl leaves it
    return _typed_cell(ref, xlsx_value(raw))


def _typed_cell(ref: str, value: object, style: int = 0) -> str:
    """One cell's XML; ``value`` has been through ``xlsx_value``."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"><v>{value:.16g}</v></c>' if math.isfinite(value) else ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        kind = (
            _DATETIME
            if isinstance(value, dt.datetime)
            else _DATE
            if isinstance(value, dt.date)
            else _TIME
        )
        return f'<c r="{ref}" s="{kind}"><v>{to_excel(value)}</v></c>'
    text = escape(str(value))
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


@dataclass
class TableSheet:
    """One sheet of ``save_sheets``: a bold header row kept in view, then ``rows`` (read once).

    ``widths`` fixes the width of each column (a column past its end is sized like the last);
    without it the columns are sized to the header and the first ``_WIDTH_SAMPLE_ROWS`` rows.
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    widths: Sequence[float] | None = None


def save_table(
    target: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence[object]], sheet_title: str
) -> None:
    """The table as a one-sheet workbook into ``target`` (a file open for writing); the rows are
    read once, and only the first ``_WIDTH_SAMPLE_ROWS`` are held (to size the columns)."""
    save_sheets(target, [TableSheet(sheet_title, headers, rows)])


def save_sheets(target: IO[bytes], sheets: Sequence[TableSheet]) -> None:
    """A workbook of ``sheets`` (in order) into ``target`` (a file open for writing). Each
    sheet's rows are read once and written as they come; only the first ``_WIDTH_SAMPLE_ROWS``
    of a sheet without fixed widths are held (to size its columns)."""
    _save(target, [(sheet.title, functools.partial(_write_sheet, sheet=sheet)) for sheet in sheets])


def save_workbook(target: IO[bytes], sheets: Sequence[Sheet]) -> None:
    """``spreadsheets.write_workbook``'s workbook (the same cells, text kept as text, wrapped
    multi-line text, bold header rows kept in view, columns sized to all their cells) into
    ``target``, written row by row instead of built whole in memory. Each sheet's rows are read
    twice: once to size the columns, once to write them."""
    _save(
        target,
        [(sheet.title, functools.partial(_write_edit_sheet, sheet=sheet)) for sheet in sheets],
    )


def _save(target: IO[bytes], sheets: Sequence[tuple[str, Callable[[IO[bytes]], None]]]) -> None:
    titles = [_sheet_title(title) for title, _write in sheets]
    count = len(titles)
    # The fastest deflate: a download is made once, for one reader, and mostly of numbers.
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES_START
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
                for n in range(1, count + 1)
            )
            + _CONTENT_TYPES_END,
        )
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml",
            _XML
            + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
                for n, title in enumerate(titles, start=1)
            )
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            _XML
            + f'<Relationships xmlns="{_PKG}">'
            + "".join(_SHEET_REL.format(n=n) for n in range(1, count + 1))
            + _STYLES_REL.format(n=count + 1)
            + "</Relationships>",
        )
        archive.writestr("xl/styles.xml", _STYLES)
        for n, (_title, write) in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as part:
                write(part)


def _edit_value(raw: object) -> object:
    """A cell of ``write_workbook``: text cleaned and kept as text, "" an empty cell."""
    if isinstance(raw, str):
        value = _escape_formula(ILLEGAL_CHARACTERS_RE.sub("", raw))
        return value if value != "" else None
    return raw


def _write_edit_sheet(part: IO[bytes], sheet: Sheet) -> None:
    widths: dict[int, int] = {}
    for row in sheet.rows:
        for c, raw in enumerate(row):
            value = _edit_value(raw)
            text = "" if value is None else str(value)
            longest = max((len(line) for line in text.splitlines()), default=0)
            widths[c] = max(widths.get(c, 0), longest)
    cols = "".join(
        f'<col min="{c + 1}" max="{c + 1}" '
        f'width="{min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)}" customWidth="1"/>'
        for c, width in sorted(widths.items())
    )
    start = _SHEET_START if sheet.header else _SHEET_START_UNFROZEN
    head = [start, f"<cols>{cols}</cols>" if cols else "", "<sheetData>"]
    _write_sheet_rows(part, head, _edit_rows(sheet))


def _edit_rows(sheet: Sheet) -> Iterator[str]:
    """The ``<row>`` elements of a ``write_workbook`` sheet."""
    letters: list[str] = []
    for number, row in enumerate(sheet.rows, start=1):
        while len(letters) < len(row):
            letters.append(get_column_letter(len(letters) + 1))
        bold = sheet.header and number == 1
        cells = []
        for i, raw in enumerate(row):
            value = _edit_value(raw)
            style = _HEADER if bold else 0
            if isinstance(value, str) and "\n" in value:
                style = _HEADER_WRAP if bold else _WRAP
            cells.append(_typed_cell(f"{letters[i]}{number}", value, style))
        yield f'<row r="{number}">{"".join(cells)}</row>'


def _write_sheet_rows(part: IO[bytes], head: list[str], rows: Iterable[str]) -> None:
    """A worksheet part: ``head`` (up to ``<sheetData>``), the rows, the end; written in pieces
    of about ``_FLUSH_CHARS`` characters."""
    parts, size = list(head), 0
    for line in rows:
        parts.append(line)
        size += len(line)
        if size >= _FLUSH_CHARS:
            part.write("".join(parts).encode())
            parts, size = [], 0
    parts.append("</sheetData></worksheet>")
    part.write("".join(parts).encode())


def _write_sheet(part: IO[bytes], sheet: TableSheet) -> None:
    headers = sheet.headers
    rows_iter = iter(sheet.rows)
    if sheet.widths is None:
        first = list(itertools.islice(rows_iter, _WIDTH_SAMPLE_ROWS))
        sample = [[xlsx_value(v) for v in row] for row in first]
    else:
        first, sample = [], []
    labels = [xlsx_value(h) for h in headers]
    columns = max([len(headers), *(len(row) for row in sample)])
    letters = [get_column_letter(i + 1) for i in range(columns)]
    cols = []
    for index in range(columns):
        if sheet.widths is not None:
            if not sheet.widths:
                break
            width: float = sheet.widths[min(index, len(sheet.widths) - 1)]
        else:
            values: list[object] = [headers[index] if index < len(headers) else ""]
            values += [row[index] for row in sample if index < len(row)]
            width = min(max(max(_display_width(v) for v in values) + 2, _MIN_WIDTH), _MAX_WIDTH)
        cols.append(f'<col min="{index + 1}" max="{index + 1}" width="{width}" customWidth="1"/>')
    parts = [_SHEET_START, *(["<cols>", *cols, "</cols>"] if cols else []), "<sheetData>"]
    header = "".join(
        _typed_cell(f"{letters[i]}1", label, _HEADER) for i, label in enumerate(labels)
    )
    parts.append(f'<row r="1">{header}</row>')

    def rows() -> Iterator[str]:
        for number, row in enumerate(itertools.chain(first, rows_iter), start=2):
            while len(letters) < len(row):  # a row longer than the first ones
                letters.append(get_column_letter(len(letters) + 1))
            cells = "".join(_cell(f"{letters[i]}{number}", v) for i, v in enumerate(row))
            yield f'<row r="{number}">{cells}</row>'

    _write_sheet_rows(part, parts, rows())
