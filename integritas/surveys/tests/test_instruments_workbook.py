"""Instruments as XLSX workbooks: export, import as a new draft, the round trip, and every kind of
bad file or cell (each reported with its sheet, row and column; nothing saved)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from integritas.audit.models import Event
from integritas.core.tests.conftest import World
from integritas.lib.imports import RowError
from integritas.surveys.imports import instruments as instrument_imports
from integritas.surveys.imports import shipped_instruments
from integritas.surveys.imports.instruments import import_version
from integritas.surveys.models import Choice, Instrument, InstrumentVersion
from integritas.surveys.services import instrument_library, instrument_workbook, instruments
from integritas.surveys.services.instrument_workbook import data_sheets, export_version
from integritas.surveys.testing import build_version

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


def base_sheets() -> Sheets:
    """A small valid instrument (new code) as sheets to spoil in each test."""
    data = instrument_library.version_data(build_version(publish=False))
    data.code = "dari-berkas"
    return data_sheets(data)


def column(sheets: Sheets, sheet: str, name: str) -> int:
    return sheets[sheet][0].index(name)


def set_cell(sheets: Sheets, sheet: str, row: int, name: str, value: Any) -> None:
    """Row numbers as the spreadsheet shows them (the header is row 1)."""
    sheets[sheet][row - 1][column(sheets, sheet, name)] = value


def import_sheets(sheets: Sheets) -> instrument_imports.ImportResult:
    return import_version(data=workbook(sheets), filename="instrumen.xlsx")


def only_error(result: instrument_imports.ImportResult) -> RowError:
    assert not result.ok and result.version is None
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def assert_nothing_saved() -> None:
    assert not Instrument.objects.filter(code="dari-berkas").exists()
    assert not Event.objects.filter(action="instrument.version_imported").exists()


# --- Export and the round trip --------------------------------------------------------------


def test_the_export_has_the_four_sheets_of_the_layout_and_a_help_sheet(world: World) -> None:
    version = build_version()
    book = load_workbook(io.BytesIO(export_version(version)))
    assert book.sheetnames == ["settings", "dimensions", "survey", "choices", "help"]
    survey = list(book["survey"].iter_rows(values_only=True))
    assert survey[0][:15] == instrument_imports.SURVEY_COLUMNS[:15]
    assert [row[3] for row in survey[1:]] == ["sex", "U1", "U2", "complained", "complaint_text"]
    assert survey[5][12] == "complained = yes"
    choices = list(book["choices"].iter_rows(values_only=True))
    assert choices[3] == ("U1", "1", "Tidak baik", "Tidak baik", 1)


@pytest.mark.parametrize("code", ["skm", "integrity-self-survey", "zi-ipak", "zi-ipkp"])
def test_export_then_import_gives_the_same_questionnaire(world: World, code: str) -> None:
    [original] = shipped_instruments.load_shipped(codes=[code])
    result = import_version(data=export_version(original), filename=f"{code}.xlsx")
    assert result.ok and result.problems == []
    assert result.version is not None and not result.created_instrument
    assert (result.version.number, result.version.status) == (2, InstrumentVersion.Status.DRAFT)
    assert instrument_library.version_data(result.version) == instrument_library.version_data(
        original
    )


def test_the_round_trip_keeps_empty_sections_and_text_that_starts_with_a_dash(
    world: World,
) -> None:
    version = build_version(publish=False)
    instruments.section_add(version=version, values={"code": "kosong", "title_id": "Kosong"})
    Choice.objects.filter(question__version=version, code="m").update(label_id="- tidak disebut")
    Choice.objects.filter(question__version=version, code="f").update(score=Decimal("2.125"))
    exported = export_version(version)
    cell = load_workbook(io.BytesIO(exported))["choices"]["C2"]
    assert cell.value == "'- tidak disebut" and cell.data_type == "s"
    result = import_version(data=exported, filename="x.xlsx")
    assert result.version is not None
    assert instrument_library.version_data(result.version) == instrument_library.version_data(
        version
    )


def test_importing_a_new_code_creates_the_instrument_and_records_one_event(world: World) -> None:
    result = import_sheets(base_sheets())
    assert result.ok and result.created_instrument
    assert result.version is not None and result.version.number == 1
    instrument = Instrument.objects.get(code="dari-berkas")
    assert instrument.kind == "satisfaction" and instrument.title_id == "Survei uji"
    assert result.version.questions.count() == 5
    [event] = Event.objects.all()
    assert event.action == "instrument.version_imported"
    assert event.changes["source"] == [None, "instrumen.xlsx"]
    assert event.changes["questions"] == [None, 5]


def test_importing_into_an_existing_instrument_updates_its_titles(world: World) -> None:
    sheets = base_sheets()
    import_sheets(sheets)
    sheets["settings"][3][1] = "Survei uji (revisi)"
    result = import_sheets(sheets)
    assert result.version is not None and result.version.number == 2
    assert Instrument.objects.get(code="dari-berkas").title_id == "Survei uji (revisi)"
    event = Event.objects.filter(action="instrument.version_imported").order_by("seq").last()
    assert event is not None
    assert event.changes["title_id"] == ["Survei uji", "Survei uji (revisi)"]


def test_a_file_for_an_instrument_of_another_kind_is_refused(world: World) -> None:
    sheets = base_sheets()
    import_sheets(sheets)
    sheets["settings"][2][1] = "integrity"
    error = only_error(import_sheets(sheets))
    assert (error.sheet, error.column) == ("settings", "kind")
    assert "Use a new instrument code" in error.message
    assert Instrument.objects.get(code="dari-berkas").versions.count() == 1


def test_a_draft_that_breaks_publishing_rules_imports_with_the_problems_listed(
    world: World,
) -> None:
    sheets = base_sheets()
    sheets["choices"] = [row for row in sheets["choices"] if row[:2] != ["U1", "4"]]
    result = import_sheets(sheets)
    assert result.ok and result.version is not None
    assert result.problems == ["U1: a 4-point Likert question needs exactly 4 choices; it has 3."]


def test_sheet_and_column_names_ignore_case_and_extra_sheets(world: World) -> None:
    sheets = base_sheets()
    renamed: Sheets = {name.upper(): rows for name, rows in sheets.items()}
    renamed["SURVEY"][0] = [c.upper() for c in renamed["SURVEY"][0]]
    renamed["catatan saya"] = [["apa saja"]]
    assert import_sheets(renamed).ok


def test_an_instrument_without_dimension_and_choice_sheets_imports(world: World) -> None:
    sheets = base_sheets()
    sheets["survey"] = [sheets["survey"][0], sheets["survey"][-1]]
    set_cell(sheets, "survey", 2, "show_if", "")
    set_cell(sheets, "survey", 2, "section_title_id", "Saran")
    del sheets["dimensions"], sheets["choices"]
    result = import_sheets(sheets)
    assert result.ok and result.version is not None
    assert list(result.version.questions.values_list("code", flat=True)) == ["complaint_text"]


# --- Bad files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"code,name\nU1,Persyaratan\n", "not an Excel workbook"),
        (b"PK\x03\x04 this is no zip archive", "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "not an Excel workbook"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(world: World, data: bytes, message: str) -> None:
    error = only_error(import_version(data=data, filename="instrumen.xlsx"))
    assert error.row == 0 and message in error.message
    assert not Instrument.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(world: World) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    error = only_error(import_version(data=buffer.getvalue(), filename="x.xlsx"))
    assert "damaged" in error.message


def test_an_oversized_file_is_refused(world: World) -> None:
    data = workbook(base_sheets())
    with override_settings(UPLOAD_MAX_BYTES=len(data) - 1):
        error = only_error(import_version(data=data, filename="x.xlsx"))
    assert "larger than the limit" in error.message
    assert_nothing_saved()


def test_a_workbook_that_unpacks_to_too_much_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(instrument_imports, "MAX_UNPACKED_BYTES", 1000)
    error = only_error(import_sheets(base_sheets()))
    assert "too large once unpacked" in error.message
    assert_nothing_saved()


def test_a_sheet_with_too_many_rows_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(instrument_imports, "MAX_ROWS", 3)
    error = only_error(import_sheets(base_sheets()))
    assert "more than 3 rows" in error.message


@pytest.mark.parametrize("missing", ["settings", "survey"])
def test_a_workbook_without_a_required_sheet_is_refused(world: World, missing: str) -> None:
    sheets = base_sheets()
    del sheets[missing]
    error = only_error(import_sheets(sheets))
    assert (error.sheet, error.row) == (missing, 0)
    assert f"needs a sheet named “{missing}”" in error.message


def test_a_survey_sheet_without_questions_is_refused(world: World) -> None:
    sheets = base_sheets()
    sheets["survey"] = sheets["survey"][:1]
    sheets["choices"] = sheets["choices"][:1]
    error = only_error(import_sheets(sheets))
    assert error.sheet == "survey" and "no questions" in error.message


# --- Bad cells ---------------------------------------------------------------------------------


def spoil_setting(key: str, value: str) -> Any:
    def spoil(sheets: Sheets) -> None:
        for row in sheets["settings"]:
            if row[0] == key:
                row[1] = value
                return
        sheets["settings"].append([key, value])

    return spoil


def spoil_cell(sheet: str, row: int, name: str, value: Any) -> Any:
    return lambda sheets: set_cell(sheets, sheet, row, name, value)


def add_row(sheet: str, **cells: Any) -> Any:
    def spoil(sheets: Sheets) -> None:
        header = sheets[sheet][0]
        sheets[sheet].append([cells.get(c, "") for c in header])

    return spoil


def add_column(sheet: str, name: str) -> Any:
    def spoil(sheets: Sheets) -> None:
        sheets[sheet][0].append(name)

    return spoil


def drop_column(sheet: str, name: str) -> Any:
    def spoil(sheets: Sheets) -> None:
        index = column(sheets, sheet, name)
        for row in sheets[sheet]:
            del row[index]

    return spoil


BAD_CELLS = [
    # (spoil, sheet, row, column, message fragment)
    (spoil_setting("instrument_code", ""), "settings", 0, "instrument_code", "is required"),
    (
        spoil_setting("instrument_code", "Kode Baru!"),
        "settings",
        0,
        "instrument_code",
        "lower-case",
    ),
    (spoil_setting("instrument_code", "new"), "settings", 0, "code", "reserved"),
    (spoil_setting("kind", "census"), "settings", 0, "kind", "Unknown kind"),
    (spoil_setting("title_id", ""), "settings", 0, "title_id", "is required"),
    (spoil_setting("title_id", "x" * 201), "settings", 0, "title_id", "at most 200"),
    (spoil_setting("colour", "red"), "settings", 9, "A", "Unknown setting"),
    (spoil_setting("title_en", '=HYPERLINK("http://x")'), "settings", 5, "title_en", "formula"),
    (add_column("survey", "colour"), "survey", 1, "colour", "Unknown column"),
    (drop_column("survey", "type"), "survey", 1, "type", "Required columns are missing"),
    (drop_column("choices", "label_id"), "choices", 1, "label_id", "Required columns are missing"),
    (add_column("dimensions", "code"), "dimensions", 1, "code", "more than once"),
    (spoil_cell("dimensions", 2, "code", "U 1"), "dimensions", 2, "code", "letters, digits"),
    (
        spoil_cell("dimensions", 3, "code", "U1"),
        "dimensions",
        3,
        "code",
        "already appears in row 2",
    ),
    (spoil_cell("dimensions", 2, "group", "warga"), "dimensions", 2, "group", "respondent type"),
    (spoil_cell("dimensions", 2, "weight", "banyak"), "dimensions", 2, "weight", "not a number"),
    (spoil_cell("dimensions", 2, "weight", "0.12345"), "dimensions", 2, "weight", "4 after"),
    (spoil_cell("dimensions", 2, "name_id", ""), "dimensions", 2, "name_id", "must not be empty"),
    (spoil_cell("survey", 3, "type", "slider"), "survey", 3, "type", "Unknown question type"),
    (spoil_cell("survey", 3, "code", "U 1"), "survey", 3, "code", "letters, digits"),
    (spoil_cell("survey", 4, "code", "u1"), "survey", 4, "code", "already appears in row 3"),
    (
        spoil_cell("survey", 4, "code", "submitted_on"),
        "survey",
        4,
        "code",
        "column name of the response",
    ),
    (spoil_cell("survey", 3, "dimension", "U7"), "survey", 3, "dimension", "no dimension U7"),
    (spoil_cell("survey", 3, "required", "perhaps"), "survey", 3, "required", "yes or no"),
    (
        spoil_cell("survey", 3, "respondent_types", "warga"),
        "survey",
        3,
        "respondent_types",
        "Unknown respondent type",
    ),
    (
        spoil_cell("survey", 6, "show_if", "complained yes"),
        "survey",
        6,
        "show_if",
        "Write the condition",
    ),
    (
        spoil_cell("survey", 6, "show_if", "mengadu = yes"),
        "survey",
        6,
        "show_if",
        "no question mengadu",
    ),
    (
        spoil_cell("survey", 6, "show_if", "complained in yes,maybe"),
        "survey",
        6,
        "show_if",
        "no answer maybe",
    ),
    (spoil_cell("survey", 3, "min", "satu"), "survey", 3, "min", "not a number"),
    (spoil_cell("survey", 3, "text_id", ""), "survey", 3, "text_id", "must not be empty"),
    (spoil_cell("survey", 3, "text_id", "=SUM(A1:A3)"), "survey", 3, "text_id", "formula"),
    (spoil_cell("survey", 3, "help_id", "@kepala"), "survey", 3, "help_id", "formula"),
    (spoil_cell("survey", 3, "text_en", "+62 812 0000"), "survey", 3, "text_en", "formula"),
    (spoil_cell("survey", 3, "text_en", "-1+1"), "survey", 3, "text_en", "formula"),
    (
        spoil_cell("survey", 2, "section_title_id", ""),
        "survey",
        2,
        "section_title_id",
        "needs a title",
    ),
    (
        spoil_cell("survey", 4, "section_title_id", "Lain"),
        "survey",
        4,
        "section_title_id",
        "different value",
    ),
    (spoil_cell("survey", 3, "section", ""), "survey", 3, "section", "code is required"),
    (spoil_cell("choices", 2, "question", "Q99"), "choices", 2, "question", "no question Q99"),
    (
        spoil_cell("choices", 3, "code", "m"),
        "choices",
        3,
        "code",
        "already has the choice m in row 2",
    ),
    (spoil_cell("choices", 2, "label_id", ""), "choices", 2, "label_id", "must not be empty"),
    (spoil_cell("choices", 4, "score", "tinggi"), "choices", 4, "score", "not a number"),
    (spoil_cell("choices", 4, "score", "1.0005"), "choices", 4, "score", "3 after"),
    (spoil_cell("choices", 4, "label_en", "x" * 301), "choices", 4, "label_en", "at most 300"),
    (
        add_row("choices", question="U1", code="4", label_id="L"),
        "choices",
        14,
        "code",
        "choice 4 in row 7",
    ),
]


@pytest.mark.parametrize(
    ("spoil", "sheet", "row", "column_name", "message"),
    BAD_CELLS,
    ids=[f"{b[1]}-{b[3]}-{i}" for i, b in enumerate(BAD_CELLS)],
)
def test_every_bad_cell_is_reported_with_its_place_and_nothing_is_saved(
    world: World, spoil: Any, sheet: str, row: int, column_name: str, message: str
) -> None:
    sheets = base_sheets()
    spoil(sheets)
    result = import_sheets(sheets)
    assert not result.ok and result.version is None
    places = [(e.sheet, e.row, e.column) for e in result.errors]
    assert (sheet, row, column_name) in places, result.errors
    error = result.errors[places.index((sheet, row, column_name))]
    assert message in error.message
    assert_nothing_saved()


def test_a_formula_cell_is_refused_not_evaluated(world: World) -> None:
    sheets = base_sheets()
    book_bytes = workbook(sheets)
    book = load_workbook(io.BytesIO(book_bytes))
    book["choices"]["E2"] = "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    error = only_error(import_version(data=buffer.getvalue(), filename="x.xlsx"))
    assert (error.sheet, error.row, error.column, error.value) == ("choices", 2, "score", "=1+1")


def test_every_bad_cell_of_a_file_is_reported_at_once(world: World) -> None:
    sheets = base_sheets()
    set_cell(sheets, "survey", 3, "type", "slider")
    set_cell(sheets, "survey", 4, "dimension", "U7")
    set_cell(sheets, "choices", 2, "score", "tinggi")
    spoil_setting("kind", "census")(sheets)
    result = import_sheets(sheets)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        ("settings", 0, "kind"),
        ("survey", 3, "type"),
        ("survey", 4, "dimension"),
        ("choices", 2, "score"),
    ]
    assert_nothing_saved()


def test_a_failure_half_way_through_saving_leaves_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(instrument_library, "create_choices", explode)
    with pytest.raises(RuntimeError):
        import_sheets(base_sheets())
    assert not Instrument.objects.filter(code="dari-berkas").exists()
    assert not InstrumentVersion.objects.filter(instrument__code="dari-berkas").exists()


# --- JSON form of the layout -------------------------------------------------------------------


def test_the_json_form_reads_like_the_workbook(world: World) -> None:
    version = build_version(publish=False)
    data = instrument_library.version_data(version)
    raw = instrument_workbook.json_from_data(data)
    assert raw["settings"]["instrument_code"] == "skm-test"
    assert raw["survey"][4] == {
        "section": "layanan",
        "code": "complaint_text",
        "type": "longtext",
        "text_id": "Pertanyaan complaint_text",
        "text_en": "Question complaint_text",
        "required": "no",
        "show_if": "complained = yes",
    }
    parsed, errors = instrument_imports.parse_sheets(instrument_imports.sheets_from_json(raw))
    assert errors == [] and parsed == data
