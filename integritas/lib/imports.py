"""The import kit: what every spreadsheet import of the product shares.

An import reads a table (``lib.spreadsheets``), matches its header row to the declared columns
(``Column``, with the Indonesian spellings people write), checks every row and reports every bad
cell (``RowError``) in one ``ImportReport``; only a file without a single problem is applied, in
one transaction. ``run_import`` is that loop; ``import_page`` is the page that uploads a file and
shows the report, with the shared ``_import_report.html`` template listing the problems.

Rows are numbered as the user sees them in a spreadsheet: 1 is the header row, the data starts at
2, and 0 stands for the file (or a sheet) as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from integritas.lib.headers import label_spellings
from integritas.lib.spreadsheets import Row, Table, TableError, read_table

FILE_ROW = 0
HEADER_ROW = 1


@dataclass(frozen=True)
class RowError:
    """One problem: a bad cell (row and column), a bad row (no column) or a bad file (row 0).

    ``sheet`` names the worksheet when a workbook has several.
    """

    row: int
    column: str = ""
    value: str = ""
    message: str = ""
    sheet: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain data, to store as JSON (the sheet only when there is one)."""
        data: dict[str, Any] = {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }
        if self.sheet:
            data["sheet"] = self.sheet
        return data


def file_error(message: str) -> RowError:
    """A problem with the file as a whole (it cannot be read, it has no rows, ...)."""
    return RowError(FILE_ROW, "", "", message)


@dataclass
class ImportReport:
    """What an import did, or would do: nothing is written while ``errors`` is not empty.

    Importers extend it with their own counts. ``error_count`` counts every problem, while
    ``errors`` keeps the first ``max_errors`` of them (all when ``max_errors`` is None), so a
    huge bad file does not fill the memory.
    """

    total_rows: int = 0  # data rows read; blank rows are not counted
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    saved: bool = False  # the changes were written (False after a dry run or with errors)

    max_errors: ClassVar[int | None] = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def problem_count(self) -> int:
        """Every problem found, also those beyond ``max_errors``."""
        return max(self.error_count, len(self.errors))

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if self.max_errors is None or len(self.errors) < self.max_errors:
            self.errors.append(error)

    def fail(self, row: int, column: str, value: str, message: str) -> None:
        """Add a problem with the cell at ``row`` and ``column``."""
        self.add(RowError(row, column, value, message))

    def fail_file(self, message: str) -> None:
        self.add(file_error(message))

    def sort_errors(self) -> None:
        """Problems in row order, keeping the order of each row's problems (the sort is stable)."""
        self.errors.sort(key=lambda error: error.row)


# --- Columns and the header row ----------------------------------------------------------------


def header_key(text: str) -> str:
    """A header or a word as a lookup key: "Kode Instansi", "kode-instansi" → "kode_instansi"."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


@dataclass(frozen=True)
class Column:
    """One column of an import file, as the upload page and the docs describe it.

    ``aliases`` are the other spellings accepted in the header row (Indonesian words, older
    names); ``parse`` turns a non-empty cell into its value and raises ``ValueError`` with a
    message for the user when it cannot.
    """

    name: str
    required: bool = False
    help: str | Promise = ""
    aliases: tuple[str, ...] = ()
    parse: Callable[[str], Any] | None = None


def column_aliases(columns: Iterable[Column]) -> dict[str, str]:
    """{header key: column name} for the names and aliases of ``columns``, and the labels that
    downloads write for the names (``lib.headers``, in every language)."""
    columns = list(columns)
    aliases: dict[str, str] = {}
    for column in columns:
        for spelling in (column.name, *column.aliases):
            aliases.setdefault(header_key(spelling), column.name)
    for column in columns:  # after every declared spelling, which wins over a label
        for spelling in label_spellings(column.name):
            aliases.setdefault(header_key(spelling), column.name)
    return aliases


def match_headers(
    headers: Sequence[str],
    columns: Sequence[Column],
    report: ImportReport,
    *,
    ignored: Iterable[str] = (),
    required: bool = True,
) -> dict[str, str] | None:
    """{column name: header as written} for the headers that name a column of ``columns``.

    Unknown headers, and a second header for a column already found, are reported on row 1.
    Headers in ``ignored`` (after ``header_key``) are read past. With ``required`` the required
    columns that no header names are reported in one error, and the result is None: the rows
    cannot be read without them.
    """
    aliases = column_aliases(columns)
    skip = {header_key(spelling) for name in ignored for spelling in (name, *label_spellings(name))}
    names = ", ".join(column.name for column in columns)
    found: dict[str, str] = {}
    for header in headers:
        key = header_key(header)
        name = aliases.get(key)
        if name is None:
            if key not in skip:
                message = _("Unknown column “%(column)s”. The columns are: %(columns)s.") % {
                    "column": header,
                    "columns": names,
                }
                report.fail(HEADER_ROW, header, header, message)
        elif name in found:
            message = _(
                "The columns “%(first)s” and “%(second)s” mean the same thing; keep one."
            ) % {"first": found[name], "second": header}
            report.fail(HEADER_ROW, header, header, message)
        else:
            found[name] = header
    if required:
        missing = [
            column.name for column in columns if column.required and column.name not in found
        ]
        if missing:
            report_missing(report, missing)
            return None
    return found


def report_missing(report: ImportReport, missing: Sequence[Any]) -> None:
    """Report required columns that the header row does not name."""
    names = ", ".join(str(name) for name in missing)
    report.fail(
        HEADER_ROW, names, "", _("Required columns are missing: %(columns)s.") % {"columns": names}
    )


class Cells:
    """One row's cells by column name, and a way to report a bad cell of the row.

    ``parse`` applies the column's parser, reporting its ``ValueError`` and returning None.
    """

    __slots__ = ("headers", "number", "report", "values")

    def __init__(self, row: Row, headers: Mapping[str, str], report: ImportReport) -> None:
        self.number = row.number
        self.values = row.values
        self.headers = headers
        self.report = report

    def __contains__(self, name: str) -> bool:
        return name in self.headers

    def get(self, name: str) -> str:
        """The stripped text of the cell, "" when the file has no such column."""
        header = self.headers.get(name)
        return self.values.get(header, "").strip() if header is not None else ""

    def fail(self, name: str, value: str, message: str) -> None:
        """Report the cell of column ``name`` (named as the file's header, when there is one)."""
        self.report.fail(self.number, self.headers.get(name, name), value, message)

    def parse(self, column: Column) -> Any:
        text = self.get(column.name)
        if not text or column.parse is None:
            return text or None
        try:
            return column.parse(text)
        except ValueError as exc:
            self.fail(column.name, text, str(exc))
            return None


# --- The all-or-nothing runner -----------------------------------------------------------------

Item = TypeVar("Item")
Report = TypeVar("Report", bound=ImportReport)


@dataclass
class Importer(Generic[Item, Report]):
    """The steps of one import, for ``run_import``.

    ``parse_row`` checks one row (reporting through ``Cells.fail``) and returns what to apply, or
    None; ``check`` looks across the parsed rows (repeated codes, references, ...); ``apply``
    writes them, and ``preview`` works out what ``apply`` would do, for a dry run.

    ``headers`` replaces the standard header matching when a file has columns named by the data
    (such as one column per dimension); it returns None when the rows cannot be read. With
    ``strict_headers`` any problem with the header row stops the check; without it only missing
    required columns do, and the rows are still checked so one upload shows every problem.
    """

    columns: Sequence[Column]
    parse_row: Callable[[Cells], Item | None]
    apply: Callable[[list[Item]], None]
    empty_message: str | Promise
    check: Callable[[list[Item]], None] | None = None
    preview: Callable[[list[Item]], None] | None = None
    headers: Callable[[Sequence[str]], dict[str, str] | None] | None = None
    ignored: Iterable[str] = ()
    strict_headers: bool = True


def read_or_report(data: bytes, filename: str, report: ImportReport) -> Table | None:
    """The table of an upload, or None with the reason reported."""
    try:
        return read_table(data, filename)
    except TableError as exc:
        report.fail_file(exc.message)
        return None


def run_import(
    *,
    table: Table | None,
    report: Report,
    importer: Importer[Item, Report],
    write: bool = True,
) -> Report:
    """Check every row of ``table`` and apply them all, or nothing when there is any problem.

    Problems with the header row may stop the check (see ``Importer.strict_headers``);
    otherwise every row is checked, so the report lists every bad cell. ``apply`` runs inside
    one transaction and only for a file without problems; without ``write`` (a dry run) it is
    not called: ``preview`` is, and the report says what would be done.
    """
    if table is None:
        return report
    report.total_rows = len(table.rows)
    if importer.headers is not None:
        headers = importer.headers(table.headers)
    else:
        headers = match_headers(table.headers, importer.columns, report, ignored=importer.ignored)
    if headers is None or (importer.strict_headers and report.errors):
        return report
    if not table.rows:
        report.fail_file(str(importer.empty_message))
        report.sort_errors()
        return report
    items = [
        item
        for row in table.rows
        if (item := importer.parse_row(Cells(row, headers, report))) is not None
    ]
    if importer.check is not None:
        importer.check(items)
    report.sort_errors()
    if report.errors:
        return report
    if not write:
        if importer.preview is not None:
            importer.preview(items)
        return report
    with transaction.atomic():
        importer.apply(items)
    report.saved = True
    return report


# --- The import page ---------------------------------------------------------------------------


def import_page(
    request: HttpRequest,
    *,
    form: Form,
    template: str,
    run: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse | None] | None = None,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The page of an import: GET shows the form; POST validates it and runs the import.

    ``run`` gets the form's cleaned data and returns the report (or a response, for an import
    that goes on in the background). A good report goes to ``done``, which returns the response
    to send (usually a redirect with a message) or None to show the report on the page (after a
    dry run). An invalid form or a report with problems shows the page again with status 400.
    ``context`` is read after ``run``, so ``run`` may add to it.
    """
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = run(form.cleaned_data)
            if isinstance(result, HttpResponse):
                return result
            report = result
            if report.ok:
                response = done(report) if done is not None else None
                if response is not None:
                    return response
            else:
                status = 400
        else:
            status = 400
    return render(
        request, template, {**(context or {}), "form": form, "report": report}, status=status
    )
