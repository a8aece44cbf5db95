"""Frameworks as XLSX workbooks: export, the round trip export → edit → import, and every kind
of bad cell (each reported with its sheet, row and column; nothing saved)."""

from __future__ import annotations

import io
from decimal import Decimal as D
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from integritas.assessments import imports
from integritas.assessments.models import Framework, FrameworkStatus, Node
from integritas.assessments.services import framework_workbook, frameworks
from integritas.assessments.tests.conftest import make_framework, small_data
from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.lib.imports import RowError

Sheets = dict[str, list[list[Any]]]


def workbook(sheets: Sheets) -> bytes:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes) -> Sheets:
    book = load_workbook(io.BytesIO(data))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


@pytest.fixture
def sheets(world: World) -> Sheets:
    """The small framework's export, to spoil in each test (the framework itself is deleted)."""
    framework = make_framework()
    data = read(framework_workbook.export(framework))
    Framework.objects.all().delete()
    # Audit events are append-only (PostgreSQL refuses to delete them): later checks look only
    # at the events written after this point.
    LAST_EVENT["pk"] = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return data


LAST_EVENT: dict[str, int] = {"pk": 0}


def imported_events() -> Any:
    return Event.objects.filter(action="assessments.framework_imported", pk__gt=LAST_EVENT["pk"])


def set_cell(sheets: Sheets, sheet: str, code: str, name: str, value: Any) -> int:
    """Set the cell of column ``name`` on the row whose first cell is ``code``; its row number."""
    header = sheets[sheet][0]
    for number, row in enumerate(sheets[sheet], start=1):
        if row[0] == code:
            row[header.index(name)] = value
            return number
    raise AssertionError(code)


def upload(sheets: Sheets, world: World) -> imports.ImportResult:
    return imports.import_framework(
        data=workbook(sheets), filename="kerangka.xlsx", by=world.inspector
    )


def errors(result: imports.ImportResult) -> list[tuple[str, int, str]]:
    assert not result.ok and result.framework is None
    assert not Framework.objects.exists()
    assert not imported_events().exists()
    return [(e.sheet, e.row, e.column) for e in result.errors]


def test_the_export_has_the_sheets_of_the_layout_and_a_help_sheet(world: World) -> None:
    book = load_workbook(io.BytesIO(framework_workbook.export(make_framework())))
    assert book.sheetnames == ["settings", "structure", "choices", "thresholds", "bands", "help"]
    structure = list(book["structure"].iter_rows(values_only=True))
    assert list(structure[0]) == list(framework_workbook.STRUCTURE_COLUMNS)
    assert structure[1][:3] == ("P", None, "component")
    assert [r[:5] for r in book["choices"].iter_rows(values_only=True)][1] == (
        "MP.1",
        "A",
        "Sudah sepenuhnya",
        None,
        1,
    )


def test_export_edit_import_round_trips_into_a_new_draft_version(world: World) -> None:
    original = make_framework()
    sheets = read(framework_workbook.export(original))
    set_cell(sheets, "structure", "MP.1", "weight", 12.5)
    set_cell(sheets, "structure", "MP.2", "weight", 7.5)
    set_cell(sheets, "structure", "MP.2", "name_en", "A work plan exists")

    result = upload(sheets, world)

    assert result.ok, result.errors
    new = result.framework
    assert new is not None and (new.year, new.version, new.status) == (
        2026,
        2,
        FrameworkStatus.DRAFT,
    )
    before = frameworks.framework_data(original)
    after = frameworks.framework_data(new)
    changed = {n.code: n for n in after.nodes if n not in before.nodes}
    assert set(changed) == {"MP.1", "MP.2"}
    assert changed["MP.1"].weight == D("12.5") and changed["MP.2"].name_en == "A work plan exists"
    assert after.threshold_sets == before.threshold_sets
    assert Node.objects.get(framework=new, code="MP.1").units.get().code == "DINKES"
    event = imported_events().get(object_id=str(new.pk))
    assert event.changes["file"] == [None, "kerangka.xlsx"]
    assert event.actor == world.inspector


def test_an_unchanged_export_imports_to_the_same_data(sheets: Sheets, world: World) -> None:
    result = upload(sheets, world)
    assert result.ok, result.errors
    assert result.framework is not None
    assert frameworks.framework_data(result.framework) == small_data()


def test_it_reports_missing_weights_and_weights_that_do_not_add_up(
    sheets: Sheets, world: World
) -> None:
    missing = set_cell(sheets, "structure", "MP.2", "weight", None)
    set_cell(sheets, "structure", "PW.1", "weight", 39)
    parent = set_cell(sheets, "structure", "PW", "weight", 40)
    total = set_cell(sheets, "settings", "total_weight", "value", 90)
    result = upload(sheets, world)
    assert errors(result) == [
        ("settings", total, "value"),
        ("structure", missing, "weight"),
        ("structure", parent, "weight"),
    ]
    messages = [e.message for e in result.errors]
    assert "The weight is missing." in messages
    assert "The weights under PW add up to 39, not to its weight 40." in messages
    assert "The weights of the top level add up to 100, not to the total 90." in messages


def test_it_reports_every_bad_cell_with_its_sheet_row_and_column(
    sheets: Sheets, world: World
) -> None:
    method = set_cell(sheets, "structure", "MP.2", "method", "stars")
    parent = set_cell(sheets, "structure", "KIN", "parent", "NOPE")
    kind = set_cell(sheets, "structure", "IPKP", "kind", "chapter")
    unit = set_cell(sheets, "structure", "MP.1", "units", "DINKES, NOPE")
    docs = set_cell(sheets, "structure", "PW.1", "required_documents", None)
    value = set_cell(sheets, "choices", "MP.1", "value", 1.5)
    sheets["settings"][2][1] = "tahun"  # year
    result = upload(sheets, world)
    found = errors(result)
    for cell in [
        ("structure", method, "method"),
        ("structure", parent, "parent"),
        ("structure", kind, "kind"),
        ("structure", unit, "units"),
        ("structure", docs, "required_documents"),
        ("choices", value, "value"),
        ("settings", 3, "value"),
    ]:
        assert cell in found, (cell, found)
    by_cell = {(e.sheet, e.row, e.column): e for e in result.errors}
    assert "stars" in by_cell[("structure", method, "method")].message
    assert "NOPE" in by_cell[("structure", unit, "units")].message


def test_it_refuses_a_file_that_is_not_a_workbook(world: World) -> None:
    result = imports.import_framework(data=b"kode,nama\n", filename="a.csv", by=world.inspector)
    assert result.errors == [RowError(0, message=result.errors[0].message)]
    assert "not an Excel workbook" in result.errors[0].message


def test_it_refuses_a_workbook_without_the_structure_sheet(sheets: Sheets, world: World) -> None:
    del sheets["structure"]
    result = upload(sheets, world)
    assert [(e.sheet, e.row) for e in result.errors] == [("structure", 0)]


def test_a_formula_is_refused_not_run(sheets: Sheets, world: World) -> None:
    row = set_cell(sheets, "structure", "MP.2", "name_id", '=HYPERLINK("x")')
    assert ("structure", row, "name_id") in errors(upload(sheets, world))


def test_bands_start_at_0_and_rise_with_their_colours_known(sheets: Sheets, world: World) -> None:
    sheets["bands"][1][0] = 5  # the first band
    sheets["bands"][3][0] = 20  # not above the band before (25)
    sheets["bands"][4][1] = "purple"
    assert errors(upload(sheets, world)) == [
        ("bands", 2, "lower"),
        ("bands", 4, "lower"),
        ("bands", 5, "colour"),
    ]


def test_bands_round_trip_with_the_framework(sheets: Sheets, world: World) -> None:
    sheets["bands"][4][0] = 78  # green from 78 this year
    result = upload(sheets, world)
    assert result.framework is not None
    assert [(b.lower, b.colour) for b in frameworks.framework_data(result.framework).bands] == [
        (D(0), "red"),
        (D(25), "yellow"),
        (D(50), "blue"),
        (D(78), "green"),
    ]


# --- A node pointing at a data register (core.extensions) ----------------------------------------


def test_a_register_round_trips_through_the_workbook(sheets: Sheets, world: World) -> None:
    assert "register" in sheets["structure"][0]
    set_cell(sheets, "structure", "PW.1", "register", "gratification-register")
    result = upload(sheets, world)
    assert result.ok, result.errors
    assert result.framework is not None
    node = Node.objects.get(framework=result.framework, code="PW.1")
    assert node.register == "gratification-register"
    again = read(framework_workbook.export(result.framework))
    header = again["structure"][0]
    rows = {row[0]: row for row in again["structure"][1:]}
    assert rows["PW.1"][header.index("register")] == "gratification-register"
    assert rows["MP.1"][header.index("register")] is None


def test_a_workbook_without_the_register_column_imports_with_no_register(
    sheets: Sheets, world: World
) -> None:
    column = sheets["structure"][0].index("register")
    sheets["structure"] = [row[:column] + row[column + 1 :] for row in sheets["structure"]]
    result = upload(sheets, world)
    assert result.ok, result.errors
    assert result.framework is not None
    assert set(result.framework.nodes.values_list("register", flat=True)) == {""}


def test_an_unknown_register_refuses_the_workbook_naming_the_row(
    sheets: Sheets, world: World
) -> None:
    set_cell(sheets, "structure", "MP.2", "register", "lhkpn-compliance")
    row = set_cell(sheets, "structure", "PW.1", "register", "upg-reports")
    result = upload(sheets, world)
    assert errors(result) == [("structure", row, "register")]
    [error] = result.errors
    assert error.value == "upg-reports"
    assert "upg-reports" in error.message and "gratification-register" in error.message
