"""The column-wise path of the response import (``imports.response_columns``, used for plain CSV
files) and the bulk writer (``imports.response_store``): the same stored bytes and the same
report as the row path, all or nothing wherever the bad row is."""

from __future__ import annotations

import copy
import datetime as dt
import secrets
from typing import Any

import pytest
from django.utils import timezone

from integritas.core.testing import World
from integritas.surveys.imports import response_columns
from integritas.surveys.imports import responses as imports
from integritas.surveys.imports.responses import ImportReport, import_responses
from integritas.surveys.models import ImportBatch, Response, Service, Wave, WaveService
from integritas.surveys.testing import LIKERT4, build_version, build_wave
from integritas.surveys.tests.test_responses_import import HEADER, RICH_SPEC

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = (TODAY - dt.timedelta(days=20)).isoformat()
OTHER_DAY = (TODAY - dt.timedelta(days=30)).isoformat()

# The rich questionnaire of the import tests with one more question that has a "don't know".
SPEC: dict[str, Any] = copy.deepcopy(RICH_SPEC)
SPEC["sections"][1]["questions"].append(
    {
        "code": "U3",
        "type": "likert4",
        "dimension": "U2",
        "required": False,
        "choices": [*LIKERT4, ("9", "Tidak tahu", None)],
    }
)
NAMES = [*HEADER.split(","), "U3"]
COLUMNS = ",".join(NAMES)


def row(**cells: str) -> str:
    values = dict.fromkeys(NAMES, "")
    values.update(
        unit_code="DINKES",
        respondent_type="public",
        submitted_on=DAY,
        U1="4",
        U2="3",
        complained="no",
        U3="9",
    )
    values.update(cells)
    return ",".join(values[name] for name in NAMES)


# Good rows with every kind of cell the path meets: blanks, don't-know, spaces, lower case,
# Indonesian words, a service, several choices, a condition met and not met, numbers, dates and
# text (extra answers), rows shortened or padded by a spreadsheet program, blank lines.
GOOD_ROWS = [
    row(),
    row(U3="", sex="m"),
    row(U1=" 2 ", U3=" 9", unit_code="dinkes", respondent_type="Masyarakat "),
    row(unit_code="DISDIK", respondent_type="internal", I1="3", U3="1"),
    row(respondent_type="pegawai", I1="4", submitted_on=OTHER_DAY),
    row(service_code="KIA", channels="web desk", sex="f"),
    row(channels="phone;web", complained="yes", complaint_kind="fee"),
    row(complained="yes", complaint_kind="rude", complaint_text="Petugas kasar sekali"),
    row(complained="no", complaint_kind="slow"),  # hidden by its condition: left out
    row(age="34", visit_date=DAY),
    row(age=" 41 ", U3="2"),
    row(respondent_type="internal", I1="1", visit_date=DAY),  # not asked of internal: left out
    row(U3="").rstrip(","),  # a spreadsheet left out the trailing empty cells
    row() + ",,",  # or added empty ones
    "",
    ",".join([""] * len(NAMES)),
    row(unit_code="DISDIK", U1="1", U2="1", U3="4"),
]

# Bad rows: out of range, not a number, unknown codes, a missing required answer, a formula,
# values beyond the named columns, a bad date, a service of another unit.
BAD_ROWS = [
    row(U1="5"),
    row(U2="abc"),
    row(U3="0"),
    row(age="tiga"),
    row(U2=""),
    row(complained="yes"),
    row(unit_code="NOWHERE", submitted_on="kemarin"),
    row(complaint_text="=1+1", complained="yes", complaint_kind="slow"),
    row() + ",surplus",
    row(unit_code="DISDIK", service_code="KIA"),
    row(respondent_type="expert"),
]


def make_wave(world: World, version: Any, code: str) -> Wave:
    wave = build_wave(
        version,
        [world.dinkes, world.disdik],
        code=code,
        opens_on=TODAY - dt.timedelta(days=60),
        closes_on=TODAY - dt.timedelta(days=10),
        status=Wave.Status.CLOSED,
        respondent_types=["public", "internal"],
    )
    kia, _ = Service.objects.get_or_create(unit=world.dinkes, code="KIA", name="Layanan KIA")
    WaveService.objects.create(
        wave_unit=wave.wave_units.get(unit=world.dinkes),
        service=kia,
        public_code=secrets.token_urlsafe(9)[:12],
    )
    return wave


@pytest.fixture
def waves(world: World) -> tuple[Wave, Wave]:
    version = build_version(SPEC)
    return make_wave(world, version, "columns-a"), make_wave(world, version, "columns-b")


def data_of(*lines: str, newline: str = "\r\n") -> bytes:
    return (newline.join([COLUMNS, *lines]) + newline).encode()


def import_by(path: str, wave: Wave, data: bytes, monkeypatch: pytest.MonkeyPatch) -> ImportReport:
    """Import through the column-wise path or the row path, making sure the path is taken."""
    taken: list[str] = []
    check_plain, check = imports.ResponseImporter.check_plain, imports.ResponseImporter.check
    with monkeypatch.context() as patch:
        if path == "rows":
            patch.setattr(imports, "_plain_csv", lambda *args: None)

        def spy_plain(self: Any, *args: Any) -> None:
            taken.append("columns")
            check_plain(self, *args)

        def spy_rows(self: Any, *args: Any) -> None:
            taken.append("rows")
            check(self, *args)

        patch.setattr(imports.ResponseImporter, "check_plain", spy_plain)
        patch.setattr(imports.ResponseImporter, "check", spy_rows)
        report = import_responses(wave=wave, path_or_bytes=data, filename=f"{path}.csv")
    assert taken == [path]
    return report


def stored(wave: Wave) -> list[tuple[Any, ...]]:
    """The stored rows unit by unit, each unit's in the order they were stored (a plain file
    written while it is checked is sorted by unit block by block, not as a whole)."""
    return [
        (r.unit_id, r.service_id, r.respondent_type, r.submitted_on, bytes(r.answers), r.extra)
        for r in Response.objects.filter(wave=wave).order_by("unit_id", "pk")
    ]


def problems(report: ImportReport) -> list[tuple[Any, ...]]:
    return [(e.row, e.column, e.value, e.message) for e in report.errors]


def test_the_column_path_stores_the_same_bytes_as_the_row_path_for_every_kind_of_cell(
    waves: tuple[Wave, Wave], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(response_columns, "BLOCK_LINES", 5)  # several blocks
    monkeypatch.setattr(imports, "INSERT_CHUNK", 4)  # several insert statements
    data = data_of(*GOOD_ROWS, *GOOD_ROWS[::-1])
    by_rows, by_columns = waves

    rows_report = import_by("rows", by_rows, data, monkeypatch)
    columns_report = import_by("columns", by_columns, data, monkeypatch)

    assert rows_report.ok and columns_report.ok, (rows_report.errors, columns_report.errors)
    assert columns_report.imported == rows_report.imported == 2 * (len(GOOD_ROWS) - 2)
    assert columns_report.total_rows == rows_report.total_rows
    assert stored(by_columns) == stored(by_rows)
    assert any(extra for *_, extra in stored(by_rows))  # the extra answers were compared too


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_the_column_path_reports_the_same_problems_as_the_row_path(
    waves: tuple[Wave, Wave], monkeypatch: pytest.MonkeyPatch, newline: str
) -> None:
    monkeypatch.setattr(response_columns, "BLOCK_LINES", 3)
    mixed = [line for pair in zip(GOOD_ROWS, BAD_ROWS, strict=False) for line in pair]
    data = data_of(*mixed, *GOOD_ROWS, newline=newline)
    by_rows, by_columns = waves

    rows_report = import_by("rows", by_rows, data, monkeypatch)
    columns_report = import_by("columns", by_columns, data, monkeypatch)

    assert problems(columns_report) == problems(rows_report)
    assert columns_report.error_count == rows_report.error_count >= len(BAD_ROWS)
    assert columns_report.total_rows == rows_report.total_rows
    assert not Response.objects.exists()


@pytest.mark.parametrize("where", ["first", "middle of a block", "end of a block", "last"])
def test_one_bad_row_anywhere_stores_nothing(
    waves: tuple[Wave, Wave], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr(response_columns, "BLOCK_LINES", 16)
    lines = [row(unit_code=("DINKES", "DISDIK")[i % 2]) for i in range(64)]
    at = {"first": 0, "middle of a block": 21, "end of a block": 47, "last": 63}[where]
    lines[at] = row(U1="7")
    wave = waves[1]

    report = import_by("columns", wave, data_of(*lines), monkeypatch)

    assert problems(report) == [(at + 2, "U1", "7", problems(report)[0][3])]
    assert "is not an answer to U1" in report.errors[0].message
    assert report.total_rows == 64
    assert not Response.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_file_with_quotes_or_a_sep_line_or_windows_1252_gives_the_same_rows(
    waves: tuple[Wave, Wave], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "\r\n".join(
        ["sep=;", *[r.replace(",", ";") for r in [COLUMNS, *GOOD_ROWS] if ";" not in r]]
    )
    data = (text.replace("kasar sekali", "kasar, café") + "\r\n").encode("cp1252")
    quoted = data.replace(b"Petugas", b'"Petugas"')
    by_columns, by_rows = waves

    plain = import_by("columns", by_columns, data, monkeypatch)
    streamed = import_by("rows", by_rows, quoted, monkeypatch)  # a quote: the row path

    assert plain.ok and streamed.ok, (plain.errors, streamed.errors)
    assert stored(by_columns) == stored(by_rows)


def test_a_form_learned_in_the_first_block_lets_the_next_blocks_take_the_column_path(
    waves: tuple[Wave, Wave], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The next blocks are scanned in threads before the first one has taught the row path
    # that "dinkes" is DINKES; they are scanned again rather than sent row by row.
    monkeypatch.setattr(response_columns, "BLOCK_LINES", 4)
    by_rows, by_columns = waves
    data = data_of(*[row(unit_code="dinkes", U1=str(i % 4 + 1)) for i in range(24)])
    by_row_path: list[int] = []
    careful = imports.ResponseImporter.row

    def spy(importer: Any, cells: list[str], number: int) -> Any:
        by_row_path.append(number)
        return careful(importer, cells, number)

    rows_report = import_by("rows", by_rows, data, monkeypatch)
    monkeypatch.setattr(imports.ResponseImporter, "row", spy)
    columns_report = import_by("columns", by_columns, data, monkeypatch)

    assert columns_report.ok and columns_report.imported == rows_report.imported == 24
    assert stored(by_columns) == stored(by_rows)
    assert by_row_path == [2, 3, 4, 5]  # the first block only
