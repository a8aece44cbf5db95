"""The import kit: row errors, the report, column matching, the all-or-nothing runner, the page."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from integritas.lib.imports import (
    FILE_ROW,
    HEADER_ROW,
    Cells,
    Column,
    Importer,
    ImportReport,
    RowError,
    column_aliases,
    file_error,
    header_key,
    import_page,
    match_headers,
    read_or_report,
    run_import,
)
from integritas.lib.spreadsheets import Row, Table


def table(*lines: str) -> Table:
    """A table as ``read_table`` gives it: lower-case headers, rows numbered from 2."""
    headers = lines[0].split(",")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split(",")
        cells += [""] * (len(headers) - len(cells))
        rows.append(Row(number, dict(zip(headers, cells, strict=True))))
    return Table(headers=headers, rows=rows)


def positive(text: str) -> int:
    value = int(text) if text.isdigit() else -1
    if value <= 0:
        raise ValueError(f"“{text}” is not a positive whole number.")
    return value


COLUMNS = [
    Column("code", True, "Code.", ("kode",)),
    Column("amount", True, "How many.", ("jumlah",), parse=positive),
    Column("note", False, "Anything.", ("catatan", "keterangan")),
]


# --- Errors and the report ---------------------------------------------------------------------


def test_a_cell_error_is_a_row_error_with_a_column() -> None:
    cell = RowError(3, "amount", "x", "Not a number.")
    row = RowError(3, message="Repeated row.")
    assert (cell.row, cell.column, cell.value) == (3, "amount", "x")
    assert row.column == "" and row.sheet == ""
    assert file_error("Empty.") == RowError(FILE_ROW, "", "", "Empty.")


def test_as_dict_keeps_the_sheet_only_when_there_is_one() -> None:
    assert RowError(2, "a", "b", "c").as_dict() == {
        "row": 2,
        "column": "a",
        "value": "b",
        "message": "c",
    }
    assert RowError(2, "a", "b", "c", sheet="survey").as_dict()["sheet"] == "survey"


def test_a_report_with_a_limit_keeps_the_first_errors_and_counts_them_all() -> None:
    class Limited(ImportReport):
        max_errors = 3

    report = Limited()
    for row in range(2, 12):
        report.fail(row, "code", "", "Missing.")
    assert report.error_count == 10 and report.problem_count == 10
    assert [e.row for e in report.errors] == [2, 3, 4]
    assert not report.ok


def test_problem_count_counts_errors_given_as_a_list() -> None:
    report = ImportReport(errors=[RowError(2), RowError(3)])
    assert report.problem_count == 2 and not report.ok


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=30))
def test_sorting_puts_errors_in_row_order_and_keeps_each_rows_order(rows: list[int]) -> None:
    report = ImportReport()
    for index, row in enumerate(rows):
        report.fail(row, "", "", str(index))
    report.sort_errors()
    assert [e.row for e in report.errors] == sorted(rows)
    for row in set(rows):
        order = [int(e.message) for e in report.errors if e.row == row]
        assert order == sorted(order)


# --- Columns and headers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Kode Instansi", "kode_instansi"),
        ("kode-instansi", "kode_instansi"),
        ("  Parent code ", "parent_code"),
        ("Nilai (SPI)", "nilai_spi"),
    ],
)
def test_header_keys_ignore_case_spaces_and_punctuation(written: str, key: str) -> None:
    assert header_key(written) == key


@given(st.text(max_size=40))
def test_a_header_key_is_stable(text: str) -> None:
    key = header_key(text)
    assert header_key(key) == key
    assert key == key.lower() and not key.startswith("_") and not key.endswith("_")


def test_indonesian_aliases_find_their_column() -> None:
    report = ImportReport()
    found = match_headers(["Kode", "JUMLAH", "keterangan"], COLUMNS, report)
    assert found == {"code": "Kode", "amount": "JUMLAH", "note": "keterangan"}
    assert report.ok
    assert column_aliases(COLUMNS)["catatan"] == "note"


def test_unknown_and_repeated_headers_are_reported_on_the_header_row() -> None:
    report = ImportReport()
    found = match_headers(
        ["code", "amount", "colour", "jumlah", "no"], COLUMNS, report, ignored=["No"]
    )
    assert found == {"code": "code", "amount": "amount"}
    assert [(e.row, e.column) for e in report.errors] == [
        (HEADER_ROW, "colour"),
        (HEADER_ROW, "jumlah"),
    ]
    assert "code, amount, note" in report.errors[0].message
    assert "amount" in report.errors[1].message


def test_missing_required_columns_are_one_error_and_stop_the_reading() -> None:
    report = ImportReport()
    assert match_headers(["note"], COLUMNS, report) is None
    assert len(report.errors) == 1
    assert report.errors[0].column == "code, amount"


def test_cells_read_by_column_name_and_report_under_the_header_as_written() -> None:
    report = ImportReport()
    cells = Cells(
        Row(4, {"Kode": " A1 ", "Jumlah": "x"}), {"code": "Kode", "amount": "Jumlah"}, report
    )
    assert cells.get("code") == "A1" and cells.get("note") == ""
    assert "code" in cells and "note" not in cells
    assert cells.parse(COLUMNS[1]) is None
    assert report.errors == [RowError(4, "Jumlah", "x", "“x” is not a positive whole number.")]


# --- The runner --------------------------------------------------------------------------------


class Recorder:
    """An importer whose steps write down what they were given."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.applied: list[tuple[str, int]] | None = None
        self.previewed: list[tuple[str, int]] | None = None

    def parse_row(self, cells: Cells) -> tuple[str, int] | None:
        code = cells.get("code")
        if not code:
            cells.fail("code", "", "The code is required.")
        amount = cells.parse(COLUMNS[1])
        if amount is None and not cells.get("amount"):
            cells.fail("amount", "", "The amount is required.")
        return (code, amount) if code and amount else None

    def check(self, items: list[tuple[str, int]]) -> None:
        seen: set[str] = set()
        for code, _amount in items:
            if code in seen:
                self.report.fail(FILE_ROW, "code", code, "Repeated.")
            seen.add(code)

    def importer(self, **options: Any) -> Importer[tuple[str, int], ImportReport]:
        return Importer(
            columns=COLUMNS,
            parse_row=self.parse_row,
            check=self.check,
            apply=lambda items: setattr(self, "applied", items),
            preview=lambda items: setattr(self, "previewed", items),
            empty_message="No rows.",
            **options,
        )


@pytest.mark.django_db
def test_a_good_file_is_applied_once_in_a_transaction() -> None:
    report = ImportReport()
    recorder = Recorder(report)
    run_import(
        table=table("code,amount", "A,1", "B,2"), report=report, importer=recorder.importer()
    )
    assert report.ok and report.saved and report.total_rows == 2
    assert recorder.applied == [("A", 1), ("B", 2)]


@pytest.mark.django_db
def test_every_bad_cell_is_reported_and_nothing_is_applied() -> None:
    report = ImportReport()
    recorder = Recorder(report)
    data = table("code,amount", ",1", "B,x", "C,0", "D,4", "D,5")
    run_import(table=data, report=report, importer=recorder.importer())
    assert [(e.row, e.column) for e in report.errors] == [
        (FILE_ROW, "code"),
        (2, "code"),
        (3, "amount"),
        (4, "amount"),
    ]
    assert recorder.applied is None and not report.saved


def test_a_dry_run_previews_and_applies_nothing() -> None:
    report = ImportReport()
    recorder = Recorder(report)
    run_import(
        table=table("code,amount", "A,1"), report=report, importer=recorder.importer(), write=False
    )
    assert recorder.previewed == [("A", 1)] and recorder.applied is None
    assert report.ok and not report.saved


def test_header_problems_stop_a_strict_import_before_the_rows() -> None:
    report = ImportReport()
    recorder = Recorder(report)
    run_import(table=table("code,amount,colour", ",x"), report=report, importer=recorder.importer())
    assert [(e.row, e.column) for e in report.errors] == [(HEADER_ROW, "colour")]


def test_without_strict_headers_the_rows_are_still_checked() -> None:
    report = ImportReport()
    recorder = Recorder(report)
    importer = recorder.importer(strict_headers=False)
    run_import(table=table("code,amount,colour", ",x"), report=report, importer=importer)
    assert [(e.row, e.column) for e in report.errors] == [
        (HEADER_ROW, "colour"),
        (2, "code"),
        (2, "amount"),
    ]


def test_a_file_without_rows_says_so() -> None:
    report = ImportReport()
    run_import(table=table("code,amount"), report=report, importer=Recorder(report).importer())
    assert report.errors == [file_error("No rows.")]


def test_an_unreadable_file_is_one_error_on_the_file() -> None:
    report = ImportReport()
    assert read_or_report(b"", "x.csv", report) is None
    assert [e.row for e in report.errors] == [FILE_ROW]
    assert run_import(table=None, report=report, importer=Recorder(report).importer()) is report


@pytest.mark.django_db
@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "C", ""]), st.sampled_from(["1", "2", "0", "x", ""])),
        min_size=1,
        max_size=8,
    )
)
def test_it_applies_all_rows_or_none(rows: list[tuple[str, str]]) -> None:
    report = ImportReport()
    recorder = Recorder(report)
    data = table("code,amount", *(f"{code},{amount}" for code, amount in rows))
    run_import(table=data, report=report, importer=recorder.importer())
    codes = [code for code, _amount in rows]
    good = all(code and amount in ("1", "2") for code, amount in rows) and len(set(codes)) == len(
        codes
    )
    assert report.ok is good
    assert (recorder.applied is not None) is good
    if good:
        assert recorder.applied is not None and len(recorder.applied) == len(rows)


# --- The page ----------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField()


def page(method: str, *, ok: bool = True, done: Any = None) -> HttpResponse:
    factory = RequestFactory()
    if method == "GET":
        request = factory.get("/import/")
    else:
        upload = SimpleUploadedFile("x.csv", b"code\nA\n")
        request = factory.post("/import/", {"file": upload} if method == "POST" else {})
    request.user = AnonymousUser()  # the project's context processors read it

    def run(data: dict[str, Any]) -> ImportReport:
        report = ImportReport(total_rows=1)
        if not ok:
            report.fail(2, "code", "A", "Bad.")
        return report

    return import_page(
        request,
        form=UploadForm(request.POST or None, request.FILES or None),
        template="_import_report.html",
        run=run,
        done=done,
        context={"errors": [], "count": 0},
    )


@pytest.mark.django_db
def test_the_page_shows_the_form_on_get() -> None:
    assert page("GET").status_code == 200


@pytest.mark.django_db
def test_an_invalid_form_is_a_bad_request() -> None:
    assert page("POST-empty").status_code == 400


@pytest.mark.django_db
def test_a_report_with_problems_is_a_bad_request() -> None:
    assert page("POST", ok=False).status_code == 400


@pytest.mark.django_db
def test_a_good_report_goes_to_done_or_is_shown() -> None:
    redirected = page("POST", done=lambda report: HttpResponseRedirect("/done/"))
    assert redirected.status_code == 302 and redirected["Location"] == "/done/"
    assert page("POST", done=lambda report: None).status_code == 200


def test_the_report_template_lists_every_problem_and_names_sheets_when_there_are_some() -> None:
    errors = [RowError(2, "code", "A", "Bad."), RowError(0, "", "", "Whole file.")]
    html = render_to_string("_import_report.html", {"errors": errors, "count": 2})
    assert 'id="import-errors"' in html and "Bad." in html and "Whole file." in html
    assert "Sheet" not in html
    sheets = render_to_string(
        "_import_report.html", {"errors": [RowError(2, "code", "", "Bad.", sheet="survey")]}
    )
    assert "<td>survey</td>" in sheets
