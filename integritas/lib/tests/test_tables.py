"""Export columns: declared once, they give the same headers and rows as written by hand; and
the downloads they make, which stream (``export_response``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from integritas.core.testing import body
from integritas.lib.imports import Column as ImportColumn
from integritas.lib.imports import ImportReport, match_headers
from integritas.lib.tables import Column, column_headers, column_rows, export_response


@dataclass
class Unit:
    code: str


@dataclass
class Thing:
    code: str
    name: str
    unit: Unit | None
    amount: Decimal
    due: dt.date


COLUMNS: list[Column[Thing]] = [
    Column("code", "code"),
    Column("name", "name"),
    Column("unit_code", lambda t: t.unit.code if t.unit else ""),
    Column("amount", "amount"),
    Column("due", "due"),
]

THINGS = [
    Thing("R-1", "First", Unit("U1"), Decimal("12.50"), dt.date(2025, 1, 31)),
    Thing("R-2", "=cmd()", None, Decimal("0"), dt.date(2025, 2, 1)),
]


# Known column names get their label in the reader's language; "amount" and "due" are not names
# of lib.headers and stay as written.
ENGLISH = ["Code", "Name", "Unit code", "amount", "due"]
INDONESIAN = ["Kode", "Nama", "Kode unit kerja", "amount", "due"]


def test_columns_produce_the_rows_written_by_hand():
    by_hand = [[t.code, t.name, t.unit.code if t.unit else "", t.amount, t.due] for t in THINGS]
    with translation.override("en"):
        assert column_headers(COLUMNS) == ENGLISH
    assert list(column_rows(COLUMNS, THINGS)) == by_hand


def test_a_lazy_header_is_written_in_the_active_language():
    columns = [Column(gettext_lazy("Unit code"), "code")]
    for language in ("id", "en"):
        with translation.override(language):
            assert column_headers(columns) == [gettext("Unit code")]
            assert type(column_headers(columns)[0]) is str


def test_rows_are_read_lazily():
    def things():
        yield THINGS[0]
        raise AssertionError("read too far")

    assert next(column_rows(COLUMNS, things())) == [
        "R-1",
        "First",
        "U1",
        Decimal("12.50"),
        THINGS[0].due,
    ]


@translation.override("id")
def test_an_export_from_columns_equals_one_from_headers_and_rows():
    by_hand = export_response(
        fmt="csv",
        stem="things",
        headers=["code", "name", "unit_code", "amount", "due"],
        rows=([t.code, t.name, t.unit.code if t.unit else "", t.amount, t.due] for t in THINGS),
    )
    declared = export_response(fmt="csv", stem="things", columns=COLUMNS, objects=THINGS)
    declared_bytes = body(declared)
    assert declared_bytes == body(by_hand)
    assert declared["Content-Disposition"] == by_hand["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(declared_bytes.decode("utf-8-sig"))))
    assert lines[0] == INDONESIAN
    assert lines[2][1] == "'=cmd()"


def test_an_xlsx_export_from_columns_has_the_headers_and_cells():
    with translation.override("en"):
        response = export_response(fmt="xlsx", stem="things", columns=COLUMNS, objects=THINGS)
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(ENGLISH)
    assert rows[1][:3] == ("R-1", "First", "U1")


def test_an_import_reads_back_the_headers_of_a_download_in_either_language():
    columns = [ImportColumn("code", True), ImportColumn("unit_code"), ImportColumn("name")]
    for header_row in (INDONESIAN[:3], ENGLISH[:3], ["code", "name", "unit_code"]):
        report = ImportReport()
        found = match_headers(header_row, columns, report)
        assert report.ok and found == dict(
            zip(["code", "name", "unit_code"], header_row, strict=True)
        )


def test_it_refuses_a_mix_of_columns_and_rows():
    with pytest.raises(TypeError):
        export_response(fmt="csv", stem="x", columns=COLUMNS, rows=[])
    with pytest.raises(TypeError):
        export_response(fmt="csv", stem="x", headers=["a"])
