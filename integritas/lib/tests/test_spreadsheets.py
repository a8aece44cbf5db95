from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from integritas.lib.spreadsheets import (
    Row,
    TableError,
    export_filename,
    read_table,
    write_csv,
    write_xlsx,
)


def wall_clock(*parts: int) -> dt.datetime:
    """A datetime without a zone, as spreadsheet cells hold them."""
    return dt.datetime(*parts)  # noqa: DTZ001 - XLSX has no time zones


def make_xlsx(rows: list[list[object]], title: str = "Sheet") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading CSV -------------------------------------------------------------------------------


def test_it_reads_a_utf8_csv_with_stripped_lower_case_headers() -> None:
    data = b" Code , Name \nKEC-01 , Kecamatan Menteng \n"
    table = read_table(data, "units.csv")
    assert table.headers == ["code", "name"]
    assert table.rows == [Row(number=2, values={"code": "KEC-01", "name": "Kecamatan Menteng"})]


def test_it_removes_the_byte_order_mark_of_utf8_files() -> None:
    data = "code,name\nKEL-01,Kelurahan Cikini — é\n".encode("utf-8-sig")
    table = read_table(data, "units.csv")
    assert table.headers == ["code", "name"]
    assert table.rows[0].values["name"] == "Kelurahan Cikini — é"


def test_it_falls_back_to_windows_1252() -> None:
    data = "code;name\nKEL-01;Kelurahan Cikini — é\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(data, "units.csv")
    assert table.rows[0].values == {"code": "KEL-01", "name": "Kelurahan Cikini — é"}


def test_it_reports_a_file_that_no_encoding_decodes() -> None:
    # 0x81 and 0x8d are undefined in Windows-1252 and invalid on their own in UTF-8.
    data = b"code,name\nA,\x81\x8d\n"
    with pytest.raises(TableError, match="encoding"):
        read_table(data, "units.csv")


def test_it_detects_semicolons_as_written_by_indonesian_excel() -> None:
    data = b"code;name;address\nDIN-01;Dinas Kesehatan;Jl. Merdeka 1, Jakarta\n"
    table = read_table(data, "units.csv")
    assert table.headers == ["code", "name", "address"]
    assert table.rows[0].values["address"] == "Jl. Merdeka 1, Jakarta"


def test_it_detects_tabs() -> None:
    table = read_table(b"code\tname\nA\tB, C\n", "units.txt")
    assert table.rows[0].values == {"code": "A", "name": "B, C"}


def test_it_honours_the_excel_sep_line_without_counting_it_as_a_row() -> None:
    table = read_table(b"sep=;\ncode;name\nA;B,C\n", "units.csv")
    assert table.headers == ["code", "name"]
    assert table.rows == [Row(number=2, values={"code": "A", "name": "B,C"})]


def test_it_handles_quotes_and_newlines_inside_cells() -> None:
    data = b'code,name,address\nA,"Badan ""Satu""","Jl. Satu\nNo. 2"\nB,Dua,\n'
    table = read_table(data, "units.csv")
    assert table.rows[0].values == {
        "code": "A",
        "name": 'Badan "Satu"',
        "address": "Jl. Satu\nNo. 2",
    }
    # The quoted newline belongs to row 2, so the next record is row 3 as in a spreadsheet.
    assert table.rows[1].number == 3


def test_it_skips_blank_rows_but_keeps_counting_them() -> None:
    data = b"code,name\nA,One\n\n , \nB,Two\n"
    table = read_table(data, "units.csv")
    assert [(row.number, row.values["code"]) for row in table.rows] == [(2, "A"), (5, "B")]


def test_it_fills_short_rows_with_empty_strings() -> None:
    table = read_table(b"code,name,address\nA\n", "units.csv")
    assert table.rows[0].values == {"code": "A", "name": "", "address": ""}


def test_it_ignores_trailing_empty_header_cells() -> None:
    table = read_table(b"code;name;;\nA;B;;\n", "units.csv")
    assert table.headers == ["code", "name"]


def test_it_rejects_values_under_columns_without_a_name() -> None:
    with pytest.raises(TableError, match="Row 3"):
        read_table(b"code,name\nA,B\nC,D,extra\n", "units.csv")


def test_it_rejects_a_column_without_a_name_between_named_ones() -> None:
    with pytest.raises(TableError, match="B"):
        read_table(b"code,,name\nA,x,B\n", "units.csv")


def test_it_rejects_an_empty_file() -> None:
    for data in (b"", b"   \n\n", "\ufeff".encode()):
        with pytest.raises(TableError, match="empty"):
            read_table(data, "units.csv")


def test_it_rejects_a_file_without_a_header_row() -> None:
    with pytest.raises(TableError, match="column names"):
        read_table(b",,\nA,B,C\n", "units.csv")


def test_it_rejects_duplicate_headers_and_names_them() -> None:
    with pytest.raises(TableError) as caught:
        read_table(b"code,Name,name,CODE,address\n", "units.csv")
    assert "code" in caught.value.message
    assert "name" in caught.value.message
    assert "address" not in caught.value.message


def test_it_returns_headers_and_no_rows_for_a_header_only_file() -> None:
    table = read_table(b"code,name\n", "units.csv")
    assert table.headers == ["code", "name"]
    assert table.rows == []


# --- Reading XLSX ------------------------------------------------------------------------------


def test_it_reads_the_first_sheet_of_a_workbook() -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.append(["Code", "Name", "Count", "Ratio", "Since", "Active"])
    first.append(["  A-1 ", "Badan Satu", 12.0, 0.5, wall_clock(2024, 5, 29), True])
    first.append([None, None, None, None, None, None])
    first.append(["B-2", "Dinas Dua", 7, None, wall_clock(2024, 5, 29, 14, 5), False])
    workbook.create_sheet("Other").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table(buffer.getvalue(), "units.xlsx")

    assert table.headers == ["code", "name", "count", "ratio", "since", "active"]
    assert table.rows == [
        Row(
            number=2,
            values={
                "code": "A-1",
                "name": "Badan Satu",
                "count": "12",
                "ratio": "0.5",
                "since": "2024-05-29",
                "active": "TRUE",
            },
        ),
        Row(
            number=4,
            values={
                "code": "B-2",
                "name": "Dinas Dua",
                "count": "7",
                "ratio": "",
                "since": "2024-05-29 14:05:00",
                "active": "FALSE",
            },
        ),
    ]


def test_it_reads_a_workbook_whose_name_says_csv() -> None:
    data = make_xlsx([["code", "name"], ["A", "B"]])
    table = read_table(data, "units.csv")
    assert table.rows[0].values == {"code": "A", "name": "B"}


def test_it_rejects_a_zip_file_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(TableError, match="CSV"):
        read_table(buffer.getvalue(), "units.xlsx")


def test_it_rejects_a_truncated_workbook() -> None:
    data = make_xlsx([["code", "name"], ["A", "B"]])
    with pytest.raises(TableError, match="xlsx"):
        read_table(data[: len(data) // 2], "units.xlsx")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "units.xls"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "units.pdf"),
        (b"%PDF-1.7\n1 0 obj\n", "units.csv"),
        (bytes(range(256)) * 4, "units.csv"),
        (b"code,name\nA,B\n", "units.xlsx"),
        (b"code,name\nA,B\n", "units.ods"),
    ],
)
def test_it_rejects_other_formats_and_names_the_accepted_ones(data: bytes, filename: str) -> None:
    with pytest.raises(TableError) as caught:
        read_table(data, filename)
    assert "CSV" in caught.value.message
    assert ".xlsx" in caught.value.message


def test_it_makes_table_errors_value_errors() -> None:
    with pytest.raises(ValueError):
        read_table(b"", "units.csv")


# --- Writing -----------------------------------------------------------------------------------


def test_it_writes_csv_in_utf8_with_a_byte_order_mark_and_commas() -> None:
    data = write_csv(["code", "name"], [["A", "Kelurahan Cikini — é"], ["B", "Satu, Dua"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == 'code,name\r\nA,Kelurahan Cikini — é\r\nB,"Satu, Dua"\r\n'


def test_it_writes_dates_decimals_and_empty_cells_as_text_in_csv() -> None:
    moment = dt.datetime(2024, 5, 29, 14, 5, tzinfo=dt.UTC)
    data = write_csv(
        ["a", "b", "c", "d", "e", "f"],
        [[dt.date(2024, 5, 29), moment, Decimal("1500000.50"), Decimal("1E+3"), None, 1.5]],
    )
    line = data.decode("utf-8-sig").splitlines()[1]
    assert line == "2024-05-29,2024-05-29T14:05:00+00:00,1500000.50,1000,,1.5"


@pytest.mark.parametrize("dangerous", ["=1+1", "+62812", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_it_escapes_formulas_in_csv_text(dangerous: str) -> None:
    data = write_csv(["value"], [[dangerous]])
    table = read_table(data, "export.csv")
    assert table.rows[0].values["value"] == ("'" + dangerous).strip()


def test_it_escapes_formulas_in_csv_headers_but_leaves_numbers_alone() -> None:
    data = write_csv(["=cmd"], [[-5], [Decimal("-1.5")], ["safe - text"]])
    assert data.decode("utf-8-sig").splitlines() == ["'=cmd", "-5", "-1.5", "safe - text"]


def test_it_writes_a_workbook_with_a_bold_frozen_header_and_sized_columns() -> None:
    data = write_xlsx(["code", "name"], [["A", "Badan Perencanaan Pembangunan Daerah"]], "Units")
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    assert sheet.title == "Units"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert not sheet["A2"].font.bold
    assert sheet.column_dimensions["A"].width == 8
    assert sheet.column_dimensions["B"].width == len("Badan Perencanaan Pembangunan Daerah") + 2


def test_it_caps_column_widths() -> None:
    data = write_xlsx(["note"], [["x" * 500]], "Notes")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet.column_dimensions["A"].width == 60


def test_it_writes_native_values_in_xlsx() -> None:
    moment = dt.datetime(2024, 5, 29, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    data = write_xlsx(
        ["date", "moment", "amount", "count", "negative", "empty"],
        [[dt.date(2024, 5, 29), moment, Decimal("1500000.50"), 3, -5, None]],
        "Values",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    values = [cell.value for cell in sheet[2]]
    # A date reads back as a midnight datetime; the moment keeps its local wall-clock time.
    assert values == [
        wall_clock(2024, 5, 29),
        wall_clock(2024, 5, 29, 14, 5),
        1500000.5,
        3,
        -5,
        None,
    ]
    assert sheet["A2"].is_date
    assert sheet["B2"].is_date


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1", "-1", "@x", "\tx", "\rx"])
def test_it_escapes_formulas_in_xlsx_text(dangerous: str) -> None:
    data = write_xlsx(["value", dangerous], [[dangerous, 1]], "Export")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    # XML turns a stored carriage return into a line feed on reading, hence the replace.
    assert sheet["A2"].value == ("'" + dangerous).replace("\r", "\n")
    assert sheet["A2"].data_type == "s"
    assert sheet["B1"].value == ("'" + dangerous).replace("\r", "\n")


def test_it_removes_control_characters_that_xlsx_cannot_hold() -> None:
    data = write_xlsx(["value"], [["a\x00b\x1fc"]], "Export")
    table = read_table(data, "export.xlsx")
    assert table.rows[0].values["value"] == "abc"


def test_it_makes_sheet_titles_acceptable_to_excel() -> None:
    data = write_xlsx(["a"], [], "Units: [2024/2025] of a very long government name")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet.title == "Units 2024 2025 of a very long"


def test_it_reads_back_what_it_writes_as_xlsx() -> None:
    headers = ["Code", "Name", "Since", "Count", "Note"]
    rows = [
        ["A-1", "Kelurahan Cikini — é", dt.date(2024, 5, 29), 12, "=danger"],
        ["B-2", "Dinas Dua", None, Decimal("2.5"), ""],
    ]
    table = read_table(write_xlsx(headers, iter(rows), "Units"), "units.xlsx")
    assert table.headers == ["code", "name", "since", "count", "note"]
    assert table.rows == [
        Row(
            2,
            {
                "code": "A-1",
                "name": "Kelurahan Cikini — é",
                "since": "2024-05-29",
                "count": "12",
                "note": "'=danger",
            },
        ),
        Row(3, {"code": "B-2", "name": "Dinas Dua", "since": "", "count": "2.5", "note": ""}),
    ]


def test_it_writes_rows_beyond_the_width_sample() -> None:
    rows = ([f"U-{i}", i] for i in range(1000))
    table = read_table(write_xlsx(["code", "n"], rows, "Units"), "units.xlsx")
    assert len(table.rows) == 1000
    assert table.rows[-1] == Row(1001, {"code": "U-999", "n": "999"})


safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and not s.startswith(("=", "+", "-", "@")))


@settings(max_examples=50, deadline=None)
@given(cells=st.lists(st.tuples(safe_text, safe_text), min_size=1, max_size=5))
def test_it_reads_back_any_text_it_writes_as_csv(cells: list[tuple[str, str]]) -> None:
    table = read_table(write_csv(["a", "b"], cells), "export.csv")
    assert [(row.values["a"], row.values["b"]) for row in table.rows] == cells


def test_it_names_exports_by_stem_date_and_format() -> None:
    assert export_filename("units", "csv", dt.date(2026, 11, 29)) == "units-2026-11-29.csv"
    assert export_filename("units", "xlsx", dt.date(2026, 1, 2)) == "units-2026-01-02.xlsx"


def test_it_makes_export_names_safe_for_headers() -> None:
    name = export_filename('unit "list"/../é', "csv", dt.date(2026, 11, 29))
    assert name == "unit-list-2026-11-29.csv"


def test_it_uses_the_local_date_when_none_is_given() -> None:
    name = export_filename("units", "csv")
    assert name.startswith("units-20") and name.endswith(".csv")


def test_it_refuses_unknown_export_formats() -> None:
    with pytest.raises(ValueError):
        export_filename("units", "pdf", dt.date(2026, 11, 29))
