"""List-page helpers shared by every app: pagination, export columns and CSV/XLSX export, and
the open-data files (CSV, XLSX, JSON) of a table (``table_bytes``).

Exports stream: a CSV download is sent in pieces as its rows are read, an XLSX download is
written to a temporary file (removed when the response is closed) and sent from there, so no
download is held whole in memory."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.paginator import Page, Paginator
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise

from integritas.lib.headers import header_label
from integritas.lib.spreadsheets import csv_chunks, write_csv, write_xlsx
from integritas.lib.xlsx import save_table

PER_PAGE = 25
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# The open-data downloads: the export formats and a JSON file of the same table.
DATA_FORMATS = {**EXPORT_FORMATS, "json": "application/json"}

T = TypeVar("T")


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of an export: its header and how to read its cell from an object.

    ``value`` is an attribute name (``"code"``) or a function of the object
    (``lambda unit: unit.parent.code if unit.parent else ""``). A header is a column name of
    ``lib.headers`` (the name an import of the table reads) or a lazy translation; either is
    turned into text when the file is written, in the active language.
    """

    header: str | Promise
    value: str | Callable[[T], Any]

    def cell(self, obj: T) -> Any:
        if isinstance(self.value, str):
            return getattr(obj, self.value)
        return self.value(obj)


def column_headers(columns: Sequence[Column[Any]]) -> list[str]:
    """The header row in the active language (see ``lib.headers``)."""
    return [header_label(column.header) for column in columns]


def column_rows(columns: Sequence[Column[T]], objects: Iterable[T]) -> Iterator[list[Any]]:
    """One row of cells per object, lazily, so a large queryset streams through ``iterator()``."""
    for obj in objects:
        yield [column.cell(obj) for column in columns]


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> tuple[Page[Any], str]:
    """The requested page (out-of-range numbers give the last page) and the query string
    without ``page``, for building page links that keep the filters."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("export", "")
    return fmt if fmt in EXPORT_FORMATS else None


def export_response(
    *,
    fmt: str,
    stem: str,
    columns: Sequence[Column[T]] | None = None,
    objects: Iterable[T] | None = None,
    headers: Sequence[str] | None = None,
    rows: Iterable[Sequence[Any]] | None = None,
) -> StreamingHttpResponse | FileResponse:
    """A download of ``objects`` in ``columns`` as CSV or XLSX; cells are escaped against
    formula injection.

    Tables that are not one object per row (dashboard aggregates) pass ``headers`` and ``rows``
    instead of ``columns`` and ``objects``. Headers are written in the active language, column
    names through ``lib.headers``; cells keep plain values (numbers, ISO dates) that a spreadsheet
    computes with and an import reads back.

    The response streams (read it with ``streaming_content``): a CSV is sent in pieces of about
    64 KB as the rows are read, in the language and time zone active now; its first piece is
    written before this returns, so a table that fails at once fails here. An XLSX is written
    whole (``lib.xlsx``) to a temporary file first (a workbook cannot be sent before it is
    finished), which the response sends and closes, and so removes, when it is closed.
    """
    if columns is not None and objects is not None and headers is None and rows is None:
        headers, rows = column_headers(columns), column_rows(columns, objects)
    elif headers is None or rows is None or columns is not None or objects is not None:
        raise TypeError("export_response() takes either columns and objects or headers and rows")
    else:
        headers = [header_label(header) for header in headers]
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response: StreamingHttpResponse | FileResponse
    if fmt == "xlsx":
        # Unnamed on POSIX: nothing is left behind on disk, even if the process dies.
        file = tempfile.TemporaryFile(prefix="integritas-export-", suffix=".xlsx")  # noqa: SIM115
        try:
            save_table(file, list(headers), rows, sheet_title=stem[:31])
            file.seek(0)
        except BaseException:
            file.close()
            raise
        response = FileResponse(file, content_type=EXPORT_FORMATS[fmt])
    else:
        chunks = csv_chunks(list(headers), rows)
        first = next(chunks)
        response = StreamingHttpResponse(
            _in_this_context(first, chunks), content_type=EXPORT_FORMATS[fmt]
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _in_this_context(first: bytes, rest: Generator[bytes, None, None]) -> Iterator[bytes]:
    """``first``, then ``rest`` read in the language and time zone active when this is called:
    a streamed body is read after the view has returned, when another language may be active.
    Closed early (the reader went away), it closes ``rest`` and so the rows it reads."""
    language = translation.get_language()
    zone = timezone.get_current_timezone()

    def read() -> Iterator[bytes]:
        try:
            yield first
            while True:
                with translation.override(language), timezone.override(zone):
                    chunk = next(rest, None)
                if chunk is None:
                    return
                yield chunk
        finally:
            rest.close()

    return read()


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def table_bytes(
    fmt: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str,
    stamp: dt.datetime | None = None,
    about: dict[str, Any] | None = None,
) -> bytes:
    """A table as one of ``DATA_FORMATS``, the same bytes each time for the same table.

    ``headers`` are column names of ``lib.headers``: CSV and XLSX write their labels in the
    active language (as every export does); JSON keys each row by the names themselves, which
    stay the same in every language, and lists the labels under ``columns``. ``about`` adds
    keys to the JSON document (the dataset's name, say). ``stamp`` dates the XLSX workbook.
    """
    if fmt == "json":
        document = {
            **(about or {}),
            "columns": [{"name": h, "title": header_label(h)} for h in headers],
            "rows": [
                {h: _json_value(v) for h, v in zip(headers, row, strict=True)} for row in rows
            ],
        }
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()
    labels = [header_label(h) for h in headers]
    if fmt == "xlsx":
        return write_xlsx(labels, rows, sheet_title=title[:31], stamp=stamp)
    if fmt == "csv":
        return write_csv(labels, rows)
    raise ValueError(f"unknown format {fmt!r}")
