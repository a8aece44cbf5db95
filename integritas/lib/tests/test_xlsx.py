"""The fast XLSX table writer (``lib.xlsx``) gives the workbook ``spreadsheets.write_xlsx``
gives through openpyxl: the same cells, types, number formats, bold header, frozen header row
and column widths."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal

import openpyxl
from openpyxl.utils import get_column_letter

from integritas.lib.spreadsheets import Sheet, write_workbook, write_xlsx
from integritas.lib.xlsx import save_table, save_workbook

HEADERS = ["code", "name", "amount", "due", "at", "time", "done", "note", "n"]
ROWS: list[list[object]] = [
    [
        "A-1",
        'Dinas "Kesehatan" <&> é 漢字',
        Decimal("12.50"),
        dt.date(2026, 1, 31),
        None,
        None,
        True,
        "=1+1",
        3,
    ],
    [
        "A-2",
        "line one\nline two",
        -1.25,
        None,
        dt.datetime(2026, 2, 1, 8, 30, 15),  # noqa: DTZ001 - exports write local wall time
        dt.time(7, 5),
        False,
        "@x",
        10**12,
    ],  # noqa: DTZ001
    ["A-3", "\x01control\x07", None, None, None, None, None, "-5", -3],
    ["A-4", "", 0, None, None, None, None, "+62 812", 0.1],
]


def both(headers: Sequence[str], rows: Sequence[Sequence[object]], title: str = "Table") -> tuple:
    streamed = io.BytesIO()
    save_table(streamed, headers, rows, title)
    fast = openpyxl.load_workbook(io.BytesIO(streamed.getvalue()))
    reference = openpyxl.load_workbook(io.BytesIO(write_xlsx(headers, rows, title)))
    return fast, reference


def test_the_cells_and_their_types_are_those_openpyxl_writes():
    fast, reference = both(HEADERS, ROWS)
    assert fast.sheetnames == reference.sheetnames == ["Table"]
    got, expected = fast.active, reference.active
    assert list(got.iter_rows(values_only=True)) == list(expected.iter_rows(values_only=True))
    assert got["H2"].value == "'=1+1" and got["C2"].value == 12.5
    for row_got, row_expected in zip(got.iter_rows(), expected.iter_rows(), strict=True):
        for a, b in zip(row_got, row_expected, strict=True):
            assert a.number_format == b.number_format
            assert a.data_type == b.data_type or a.value is None


def test_the_header_is_bold_and_kept_in_view_and_columns_are_sized():
    fast, reference = both(HEADERS, ROWS)
    got, expected = fast.active, reference.active
    assert all(cell.font.b for cell in got[1]) and not got["A2"].font.b
    assert got.freeze_panes == expected.freeze_panes == "A2"
    for letter in "ABCDEFGHI":
        assert got.column_dimensions[letter].width == expected.column_dimensions[letter].width


def test_a_large_table_and_a_row_longer_than_the_first_ones_are_written_whole():
    rows: list[list[object]] = [
        [f"U{i}", i, i / 3, float("nan") if i == 7 else ""] for i in range(5_000)
    ]
    rows.append(["late", 1, 2, "one more column"])
    fast, reference = both(["unit", "a", "b"], rows, title="heat/map: [level 2]")
    assert fast.sheetnames == reference.sheetnames
    assert list(fast.active.iter_rows(values_only=True)) == list(
        reference.active.iter_rows(values_only=True)
    )


def test_the_file_is_a_sound_zip_archive():
    streamed = io.BytesIO()
    save_table(streamed, HEADERS, ROWS, "Table")
    with zipfile.ZipFile(io.BytesIO(streamed.getvalue())) as archive:
        assert archive.testzip() is None
        assert "xl/worksheets/sheet1.xml" in archive.namelist()


EDITABLE = [
    Sheet(
        "Questions: [draft]",
        [
            ["code", "text", "score", "note"],
            ["Q1", "Line one\nline two", Decimal("2.5"), "=SUM(A1)"],
            ["Q2", "", 3, None],
            ["Q3", "\x02bell", 1.25, dt.date(2026, 3, 1)],
            [],
            ["note", "a longer note " * 8],
        ],
    ),
    Sheet("summary", [["Assessment", "LKE 2026"], ["Score", 71.5], ["Done", True]], header=False),
]


def test_an_editable_workbook_written_row_by_row_has_the_cells_of_write_workbook():
    streamed = io.BytesIO()
    save_workbook(streamed, EDITABLE)
    fast = openpyxl.load_workbook(io.BytesIO(streamed.getvalue()))
    reference = openpyxl.load_workbook(io.BytesIO(write_workbook(EDITABLE)))
    assert fast.sheetnames == reference.sheetnames == ["Questions draft", "summary"]
    for got, expected in zip(fast.worksheets, reference.worksheets, strict=True):
        assert list(got.iter_rows(values_only=True)) == list(expected.iter_rows(values_only=True))
        assert got.freeze_panes == expected.freeze_panes
        for mine, theirs in zip(got.iter_rows(), expected.iter_rows(), strict=True):
            for a, b in zip(mine, theirs, strict=True):
                if b.value is None:
                    continue
                assert (a.data_type, a.number_format, a.font.bold) == (
                    b.data_type,
                    b.number_format,
                    b.font.bold,
                ), b.coordinate
                assert bool(a.alignment.wrap_text) == bool(b.alignment.wrap_text), b.coordinate
        letters = [get_column_letter(i + 1) for i in range(expected.max_column)]
        assert [got.column_dimensions[x].width for x in letters] == [
            expected.column_dimensions[x].width for x in letters
        ]
    assert fast["Questions draft"]["D2"].value == "'=SUM(A1)"
    assert fast["Questions draft"].freeze_panes == "A2" and fast["summary"].freeze_panes is None
