"""Bulk import of responses (``imports.import_responses``): layouts, encodings, every bad input,
all or nothing, once only, and the fast path giving the same result as the careful one."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from integritas.audit.labels import action_label
from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.lib.formatting import format_datetime
from integritas.lib.imports import RowError
from integritas.lib.spreadsheets import StreamInfo
from integritas.surveys.imports import responses as imports
from integritas.surveys.imports.responses import ImportReport, import_responses
from integritas.surveys.models import ImportBatch, Response, Service, Wave, WaveService
from integritas.surveys.schema import Schema
from integritas.surveys.testing import LIKERT4, build_version, build_wave

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = (TODAY - dt.timedelta(days=20)).isoformat()  # inside the closed wave's period

RICH_SPEC: dict[str, Any] = {
    "code": "import-test",
    "kind": "satisfaction",
    "title": "Survei impor",
    "dimensions": [("U1", "Persyaratan"), ("U2", "Prosedur"), ("I1", "Integritas")],
    "sections": [
        {
            "code": "profil",
            "title": "Profil",
            "questions": [
                {
                    "code": "sex",
                    "type": "single",
                    "required": False,
                    "choices": [("m", "Laki-laki", None), ("f", "Perempuan", None)],
                },
                {"code": "age", "type": "number", "required": False, "min": 15, "max": 100},
            ],
        },
        {
            "code": "layanan",
            "title": "Layanan",
            "questions": [
                {"code": "U1", "type": "likert4", "dimension": "U1", "choices": LIKERT4},
                {"code": "U2", "type": "likert4", "dimension": "U2", "choices": LIKERT4},
                {
                    "code": "channels",
                    "type": "multiple",
                    "required": False,
                    "choices": [
                        ("web", "Web", None),
                        ("desk", "Loket", None),
                        ("phone", "Telepon", None),
                    ],
                },
                {
                    "code": "complained",
                    "type": "yesno",
                    "required": False,
                    "choices": [("yes", "Ya", None), ("no", "Tidak", None)],
                },
                {
                    "code": "complaint_text",
                    "type": "longtext",
                    "required": False,
                    "condition": {"question": "complained", "op": "in", "values": ["yes"]},
                },
                {
                    "code": "complaint_kind",
                    "type": "single",
                    "condition": {"question": "complained", "op": "in", "values": ["yes"]},
                    "choices": [
                        ("slow", "Lambat", None),
                        ("rude", "Kasar", None),
                        ("fee", "Pungutan", None),
                    ],
                },
                {
                    "code": "visit_date",
                    "type": "date",
                    "required": False,
                    "respondent_types": ["public"],
                },
            ],
        },
        {
            "code": "internal",
            "title": "Pegawai",
            "respondent_types": ["internal"],
            "questions": [
                {"code": "I1", "type": "likert4", "dimension": "I1", "choices": LIKERT4},
            ],
        },
    ],
}
HEADER = (
    "unit_code,respondent_type,submitted_on,service_code,sex,age,U1,U2,channels,complained,"
    "complaint_text,complaint_kind,I1,visit_date"
)


def csv_file(*lines: str, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def wave(world: World) -> Wave:
    """A closed wave (paper forms are typed in afterwards) over DINKES and DISDIK, public and
    internal respondents, with the service KIA of DINKES."""
    version = build_version(RICH_SPEC)
    wave = build_wave(
        version,
        [world.dinkes, world.disdik],
        code="import-wave",
        opens_on=TODAY - dt.timedelta(days=60),
        closes_on=TODAY - dt.timedelta(days=10),
        status=Wave.Status.CLOSED,
        respondent_types=["public", "internal"],
    )
    kia = Service.objects.create(unit=world.dinkes, code="KIA", name="Layanan KIA")
    Service.objects.create(unit=world.dinkes, code="LAB", name="Laboratorium")
    WaveService.objects.create(
        wave_unit=wave.wave_units.get(unit=world.dinkes),
        service=kia,
        public_code=secrets.token_urlsafe(9)[:12],
    )
    return wave


def run(wave: Wave, data: bytes, filename: str = "responses.csv", **kwargs: Any) -> ImportReport:
    return import_responses(wave=wave, path_or_bytes=data, filename=filename, **kwargs)


def good_row(**cells: str) -> str:
    values = {
        "unit_code": "DINKES",
        "respondent_type": "public",
        "submitted_on": DAY,
        "service_code": "KIA",
        "sex": "f",
        "age": "34",
        "U1": "4",
        "U2": "3",
        "channels": "web desk",
        "complained": "yes",
        "complaint_text": "Antrean lama sekali",
        "complaint_kind": "slow",
        "I1": "",
        "visit_date": DAY,
    }
    values.update(cells)
    return ",".join(values[name] for name in HEADER.split(","))


def places(report: ImportReport) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


def only_error(report: ImportReport) -> RowError:
    assert report.error_count == 1, report.errors
    return report.errors[0]


def assert_nothing_saved(wave: Wave) -> None:
    assert not Response.objects.filter(wave=wave).exists()
    assert not ImportBatch.objects.filter(wave=wave).exists()
    assert not Event.objects.filter(action="wave.responses_imported").exists()


def decoded(wave: Wave) -> list[dict[str, Any]]:
    schema = Schema.from_version(wave.version)
    return [
        schema.decode(Response.unpack(r.answers), r.extra)
        for r in Response.objects.filter(wave=wave).order_by("pk")
    ]


# --- Good files --------------------------------------------------------------------------------


def test_it_imports_a_csv_file_packing_the_answers_like_the_respondent_pages(
    world: World, wave: Wave
) -> None:
    data = csv_file(
        HEADER,
        good_row(),
        good_row(
            unit_code="DISDIK",
            respondent_type="internal",
            service_code="",
            sex="m",
            age="",
            U1="2",
            U2="1",
            channels="",
            complained="no",
            complaint_text="",
            complaint_kind="",
            I1="3",
            visit_date="",
        ),
    )

    report = run(wave, data)

    assert report.ok, report.errors
    assert (report.total_rows, report.imported) == (2, 2)
    first, second = Response.objects.filter(wave=wave).order_by("pk")
    assert (first.unit, first.service.code, first.respondent_type) == (
        world.dinkes,
        "KIA",
        "public",
    )
    assert first.submitted_on.isoformat() == DAY
    assert first.source == Response.Source.IMPORT
    assert (second.unit, second.service, second.respondent_type) == (world.disdik, None, "internal")
    assert decoded(wave) == [
        {
            "sex": "f",
            "U1": "4",
            "U2": "3",
            "channels": ["web", "desk"],
            "complained": "yes",
            "complaint_kind": "slow",
            "age": "34",
            "complaint_text": "Antrean lama sekali",
            "visit_date": DAY,
        },
        {"sex": "m", "U1": "2", "U2": "1", "complained": "no", "I1": "3"},
    ]
    batch = ImportBatch.objects.get(wave=wave)
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.imported, batch.rows_total, batch.filename) == (2, 2, "responses.csv")
    assert batch.content_hash == imports.content_hash([data])
    assert set(Response.objects.filter(wave=wave).values_list("batch", flat=True)) == {batch.pk}
    event = Event.objects.get(action="wave.responses_imported")
    assert event.object_id == str(wave.pk)
    assert event.changes["responses"] == [None, 2]
    assert action_label(event.action) == "Responses imported"


def test_it_imports_the_same_rows_from_an_xlsx_workbook_with_real_dates_and_numbers(
    wave: Wave,
) -> None:
    day = dt.date.fromisoformat(DAY)
    data = xlsx_file(
        [
            HEADER.split(","),
            [
                "DINKES",
                "public",
                day,
                "KIA",
                "f",
                34,
                4,
                3,
                "web;desk",
                "yes",
                "Lama",
                "slow",
                None,
                day,
            ],
            [
                "DISDIK",
                "internal",
                dt.datetime.combine(day, dt.time(0)),
                None,
                None,
                None,
                1,
                2,
                None,
                None,
                None,
                None,
                4,
                None,
            ],
        ]
    )

    report = run(wave, data, filename="responses.xlsx")

    assert report.ok, report.errors
    assert report.imported == 2
    assert decoded(wave)[0]["channels"] == ["web", "desk"]
    assert decoded(wave)[1] == {"U1": "1", "U2": "2", "I1": "4"}


@pytest.mark.parametrize(
    ("encoding", "delimiter", "first_line"),
    [
        ("utf-8", ",", None),
        ("utf-8-sig", ",", None),
        ("utf-8-sig", ";", None),
        ("cp1252", ";", None),
        ("cp1252", ";", "sep=;"),
    ],
)
def test_it_reads_the_csv_dialects_spreadsheet_programs_write(
    wave: Wave, encoding: str, delimiter: str, first_line: str | None
) -> None:
    lines = [
        HEADER.replace(",", delimiter),
        good_row(complaint_text="Pelayanan café buruk").replace(",", delimiter),
    ]
    if first_line:
        lines.insert(0, first_line)

    report = run(wave, csv_file(*lines, encoding=encoding, newline="\r\n"))

    assert report.ok, report.errors
    assert decoded(wave)[0]["complaint_text"] == "Pelayanan café buruk"


def test_it_accepts_indonesian_type_words_lower_case_unit_codes_and_stray_spaces(
    wave: Wave,
) -> None:
    data = csv_file(
        HEADER,
        good_row(unit_code=" dinkes", respondent_type="Masyarakat ", U1=" 4 ", sex="F"[0].lower()),
        good_row(
            unit_code="disdik", respondent_type="PEGAWAI", service_code="", I1="2", visit_date=""
        ),
        good_row(unit_code=" dinkes", respondent_type="Masyarakat ", U1=" 4 "),
    )

    report = run(wave, data)

    assert report.ok, report.errors
    stored = Response.objects.filter(wave=wave).values_list("unit__code", "respondent_type")
    assert sorted(stored) == [("DINKES", "public"), ("DINKES", "public"), ("DISDIK", "internal")]
    assert [d["U1"] for d in decoded(wave)] == ["4", "4", "4"]


def test_it_leaves_out_answers_to_questions_the_respondent_was_not_shown(wave: Wave) -> None:
    data = csv_file(
        HEADER,
        good_row(complained="no", complaint_text="tidak ada", complaint_kind="rude", I1="4"),
        good_row(
            unit_code="DISDIK", respondent_type="internal", service_code="", visit_date=DAY, I1="1"
        ),
    )

    report = run(wave, data)

    assert report.ok, report.errors
    public, internal = decoded(wave)
    assert "complaint_text" not in public and "complaint_kind" not in public
    assert "I1" not in public
    assert "visit_date" not in internal and internal["I1"] == "1"


def test_blank_rows_are_skipped_but_keep_their_number(wave: Wave) -> None:
    data = csv_file(HEADER, good_row(), "", ",,,,,,,,,,,,,", good_row(U1="9"))

    report = run(wave, data)

    assert places(report) == {(5, "U1")}
    assert report.total_rows == 2


# --- Bad cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"unit_code": "DINKES.PKM"}, "unit_code", "is not a unit of this wave"),
        ({"unit_code": "NOWHERE"}, "unit_code", "is not a unit of this wave"),
        ({"unit_code": ""}, "unit_code", "The unit code is missing"),
        ({"service_code": "LAB"}, "service_code", "is not a service of unit DINKES"),
        ({"respondent_type": "citizen"}, "respondent_type", "is not a respondent type"),
        ({"respondent_type": "expert"}, "respondent_type", "does not survey expert respondents"),
        ({"respondent_type": ""}, "respondent_type", "respondent type is missing"),
        ({"submitted_on": "01/03/2026"}, "submitted_on", "Write the date as YYYY-MM-DD"),
        ({"submitted_on": "2026-02-30"}, "submitted_on", "Write the date as YYYY-MM-DD"),
        ({"submitted_on": ""}, "submitted_on", "The date is missing"),
        (
            {"submitted_on": (TODAY - dt.timedelta(days=61)).isoformat()},
            "submitted_on",
            "is before the wave opened",
        ),
        (
            {"submitted_on": (TODAY - dt.timedelta(days=5)).isoformat()},
            "submitted_on",
            "is after the wave closed",
        ),
        ({"U1": "5"}, "U1", "is not an answer to U1"),
        ({"U1": "0"}, "U1", "is not an answer to U1"),
        ({"U1": "Baik"}, "U1", "is not an answer to U1"),
        ({"U2": ""}, "U2", "U2 must be answered"),
        ({"channels": "web fax"}, "channels", "is not an answer to channels"),
        ({"complained": "maybe"}, "complained", "is not an answer to complained"),
        ({"complaint_kind": ""}, "complaint_kind", "complaint_kind must be answered"),
        ({"age": "tiga puluh"}, "age", "age needs a number"),
        ({"age": "7"}, "age", "age must be at least 15"),
        ({"visit_date": "kemarin"}, "visit_date", "needs a date as YYYY-MM-DD"),
        ({"complaint_text": '=HYPERLINK("http://x")'}, "complaint_text", "formula"),
        ({"complaint_text": "+62 811 000"}, "complaint_text", "formula"),
        ({"complaint_text": "-lambat"}, "complaint_text", "formula"),
        ({"complaint_text": "@SUM(A1)"}, "complaint_text", "formula"),
        ({"U1": "=A1"}, "U1", "formula"),
        ({"age": "=40"}, "age", "formula"),
    ],
)
def test_it_reports_each_bad_cell_with_row_column_value_and_reason_and_imports_nothing(
    wave: Wave, cells: dict[str, str], column: str, message: str
) -> None:
    data = csv_file(HEADER, good_row(), good_row(**cells), good_row())

    report = run(wave, data)

    error = only_error(report)
    assert (error.row, error.column) == (3, column)
    assert error.value == cells[column].strip()
    assert message in error.message
    assert not report.ok
    assert_nothing_saved(wave)


def test_a_required_question_of_the_respondents_own_section_must_be_answered(wave: Wave) -> None:
    data = csv_file(
        HEADER, good_row(unit_code="DISDIK", respondent_type="internal", service_code="", I1="")
    )

    error = only_error(run(wave, data))

    assert (error.row, error.column) == (2, "I1")
    assert "must be answered" in error.message


def test_dates_in_the_future_are_refused_in_a_wave_still_open(world: World) -> None:
    version = build_version(RICH_SPEC)
    wave = build_wave(version, [world.dinkes], code="open-wave", respondent_types=["public"])
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    data = csv_file(HEADER, good_row(submitted_on=tomorrow, service_code="", visit_date=""))

    error = only_error(run(wave, data))

    assert error.column == "submitted_on" and "is in the future" in error.message


def test_every_bad_cell_of_a_row_is_reported(wave: Wave) -> None:
    data = csv_file(HEADER, good_row(unit_code="XX", U1="7", U2="", submitted_on="kemarin"))

    report = run(wave, data)

    assert places(report) == {(2, "unit_code"), (2, "U1"), (2, "U2"), (2, "submitted_on")}


def test_one_bad_row_after_many_good_ones_saves_nothing(wave: Wave) -> None:
    data = csv_file(HEADER, *[good_row() for _ in range(300)], good_row(U2="x"))

    report = run(wave, data)

    assert places(report) == {(302, "U2")}
    assert report.total_rows == 301
    assert_nothing_saved(wave)


def test_it_counts_every_problem_but_keeps_the_first_thousand(wave: Wave) -> None:
    data = csv_file(HEADER, *[good_row(U1="9") for _ in range(imports.MAX_ERRORS_KEPT + 50)])

    report = run(wave, data)

    assert report.error_count == imports.MAX_ERRORS_KEPT + 50
    assert len(report.errors) == imports.MAX_ERRORS_KEPT
    assert report.errors[-1].row == imports.MAX_ERRORS_KEPT + 1


def test_values_beyond_the_named_columns_are_a_problem_of_their_row(wave: Wave) -> None:
    data = csv_file(HEADER, good_row() + ",surplus")

    error = only_error(run(wave, data))

    assert error.row == 2 and "no name" in error.message


# --- Bad headers -------------------------------------------------------------------------------


def test_an_unknown_question_column_is_reported_and_the_rows_are_still_checked(
    wave: Wave,
) -> None:
    data = csv_file(HEADER + ",U9", good_row(U1="8") + ",3")

    report = run(wave, data)

    assert places(report) == {(1, "U9"), (2, "U1")}
    assert "There is no question U9" in report.errors[0].message
    assert_nothing_saved(wave)


def test_a_missing_column_of_a_required_question_is_one_problem_not_one_per_row(
    wave: Wave,
) -> None:
    header = HEADER.replace(",U2", "")
    row = good_row().split(",")
    del row[HEADER.split(",").index("U2")]
    data = csv_file(header, *[",".join(row)] * 5)

    report = run(wave, data)

    assert places(report) == {(1, "U2")}
    assert "missing" in report.errors[0].message


@pytest.mark.parametrize("missing", ["unit_code", "respondent_type", "submitted_on"])
def test_a_missing_fixed_column_is_reported(wave: Wave, missing: str) -> None:
    names = HEADER.split(",")
    index = names.index(missing)
    row = good_row().split(",")
    del names[index], row[index]

    report = run(wave, csv_file(",".join(names), ",".join(row)))

    assert (1, missing) in places(report)
    assert_nothing_saved(wave)


def test_a_column_named_twice_is_reported(wave: Wave) -> None:
    report = run(wave, csv_file(HEADER + ",u1", good_row() + ",4"))

    assert (1, "U1") in places(report)
    assert "only once" in report.errors[0].message


def test_the_service_column_and_optional_questions_may_be_left_out(wave: Wave) -> None:
    data = csv_file(
        "unit_code,respondent_type,submitted_on,U1,U2,complained",
        f"DINKES,public,{DAY},1,2,no",
        f"DISDIK,internal,{DAY},1,2,no",
    )

    report = run(wave, data)

    # The internal row lacks I1 (required in its section): that column is absent from the file.
    assert places(report) == {(1, "I1")}


# --- Bad files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "responses.csv", "The file is empty"),
        (b" \r\n\r\n", "responses.csv", "The file is empty"),
        (b"%PDF-1.7 binary", "responses.csv", "cannot be read"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "responses.xls", "cannot be read"),
        (b"PK\x03\x04 not really a workbook", "responses.xlsx", "cannot be read"),
        (b"unit_code,respondent_type\x00,submitted_on\n", "responses.csv", "cannot be read"),
        (HEADER.encode(), "responses.xlsx", "cannot be read"),
        (HEADER.encode(), "responses.pdf", "cannot be read"),
        (
            HEADER.encode() + b"\nDINKES,\x81\x8d\x90,x\n",
            "responses.csv",
            "encoding is not recognised",
        ),
    ],
)
def test_a_file_that_is_not_a_table_gets_one_clear_message(
    wave: Wave, data: bytes, filename: str, message: str
) -> None:
    report = run(wave, data, filename=filename)

    error = only_error(report)
    assert error.row == 0 and message in error.message
    assert_nothing_saved(wave)


def test_a_malformed_csv_file_is_refused(wave: Wave) -> None:
    huge = "x" * 200_000  # longer than a CSV field may be
    data = csv_file(HEADER, good_row(), good_row(complaint_text=f'"{huge}'))

    error = only_error(run(wave, data))

    assert error.row == 0 and "malformed" in error.message


def test_a_file_with_only_a_header_imports_nothing_and_says_so(wave: Wave) -> None:
    report = run(wave, csv_file(HEADER))

    assert report.ok and report.imported == 0 and report.total_rows == 0


def test_it_refuses_a_file_larger_than_the_limit(wave: Wave) -> None:
    data = csv_file(HEADER, good_row())

    error = only_error(run(wave, data, max_bytes=len(data) - 1))

    assert "larger than the limit" in error.message
    assert run(wave, data, max_bytes=len(data)).ok


def test_formula_like_text_is_refused_in_workbooks_too(wave: Wave) -> None:
    row: list[object] = good_row().split(",")
    row[HEADER.split(",").index("complaint_text")] = "=1+2"
    data = xlsx_file([HEADER.split(","), row])

    error = only_error(run(wave, data, filename="responses.xlsx"))

    assert error.column == "complaint_text" and "formula" in error.message


# --- Once only ---------------------------------------------------------------------------------


def test_importing_the_same_content_again_changes_nothing_and_says_so(wave: Wave) -> None:
    data = csv_file(HEADER, good_row(), good_row(U1="1"))
    first = run(wave, data)

    again = run(wave, data, filename="renamed-copy.csv")

    assert first.ok and not again.ok
    assert again.duplicate_of == first.batch
    assert again.error_count == 0 and again.imported == 0
    assert Response.objects.filter(wave=wave).count() == 2
    assert ImportBatch.objects.filter(wave=wave).count() == 1
    assert Event.objects.filter(action="wave.responses_imported").count() == 1
    assert "already imported" in imports.duplicate_message(again.duplicate_of)
    when = timezone.localtime(first.batch.finished_at or first.batch.created_at)
    with translation.override("id"):
        assert format_datetime(when, "id") in imports.duplicate_message(again.duplicate_of)


def test_the_same_file_may_go_into_another_wave(world: World, wave: Wave) -> None:
    other = build_wave(
        wave.version,
        [world.dinkes, world.disdik],
        code="import-wave-2",
        opens_on=wave.opens_on,
        closes_on=wave.closes_on,
        respondent_types=["public", "internal"],
    )
    data = csv_file(HEADER, good_row(service_code=""))

    assert run(wave, data).ok and run(other, data).ok


# --- Web batches -------------------------------------------------------------------------------


def test_a_web_batch_records_why_nothing_was_imported(world: World, wave: Wave) -> None:
    batch = ImportBatch.objects.create(
        wave=wave, filename="x.csv", content_hash="h", created_by=world.inspector
    )

    run(wave, csv_file(HEADER, good_row(U1="5"), good_row(U2="")), batch=batch)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.error_count == 2 and batch.rows_total == 2
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "U1"), (3, "U2")]
    assert Event.objects.get(action="wave.import_rejected").changes["problems"] == [None, 2]


def test_a_web_batch_of_content_already_imported_is_rejected_with_the_reason(
    world: World, wave: Wave
) -> None:
    data = csv_file(HEADER, good_row())
    run(wave, data)
    batch = ImportBatch.objects.create(wave=wave, filename="again.csv", content_hash="h")

    run(wave, data, batch=batch)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "already imported" in batch.errors[0]["message"]


@pytest.mark.parametrize("while_checking", [False, True])
def test_progress_is_reported_while_checking_and_while_saving(
    wave: Wave, monkeypatch: pytest.MonkeyPatch, while_checking: bool
) -> None:
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(imports, "INSERT_CHUNK", 20)
    monkeypatch.setattr(imports, "WRITE_WHILE_CHECKING", while_checking)
    calls: list[tuple[str, int, int]] = []

    run(wave, csv_file(HEADER, *[good_row()] * 45), progress=lambda *a: calls.append(a))

    assert ("check", 10, 45) in calls and calls.count(("check", 45, 45)) == 1
    saved = [c for c in calls if c[0] == "save"]
    if while_checking and connection.vendor == "sqlite":  # written while checked: done at once
        assert saved == [("save", 45, 45)]
    else:
        assert saved == [("save", 20, 45), ("save", 40, 45), ("save", 45, 45)]


# --- Fast path = careful path ------------------------------------------------------------------

CELL_VALUES = {
    "unit_code": ["DINKES", "DISDIK", "dinkes", "XX", ""],
    "respondent_type": ["public", "internal", "Publik", "expert", ""],
    "submitted_on": [DAY, "2001-01-01", "x", ""],
    "service_code": ["", "KIA", "LAB"],
    "sex": ["", "m", "f", "x"],
    "age": ["", "40", "5", "abc", " ", "-3", "41,5"],
    "U1": ["1", "4", "", "5", " 2", "=1"],
    "U2": ["2", "3", ""],
    "channels": ["", "web", "desk phone", "web;phone", "fax"],
    "complained": ["", "yes", "no"],
    "complaint_text": ["", "lambat", "=x", "  ", " -x"],
    "complaint_kind": ["", "slow", "fee", "bad"],
    "I1": ["", "1", "4", "9"],
    "visit_date": ["", DAY, "bad", " "],
}
rows_strategy = st.lists(
    st.tuples(
        st.fixed_dictionaries({name: st.sampled_from(v) for name, v in CELL_VALUES.items()}),
        # How spreadsheet programs end a row: exactly, without trailing empty cells, with empty
        # cells beyond the header, or with a value there.
        st.sampled_from(["exact", "short", "padded", "overflow"]),
    ),
    min_size=1,
    max_size=12,
)


def shaped(cells: list[str], shape: str) -> list[str]:
    if shape == "short":
        while cells and not cells[-1]:
            cells = cells[:-1]
    elif shape == "padded":
        cells = [*cells, "", " "]
    elif shape == "overflow":
        cells = [*cells, "", "x"]
    return cells


def _check(wave: Wave, lines: list[list[str]], *, careful: bool) -> tuple[Any, ...]:
    report = ImportReport(filename="x.csv")
    importer = imports.ResponseImporter(wave, report, None)
    if careful:
        importer._plans = lambda: {}  # type: ignore[method-assign]
    sniff = StreamInfo("", "csv", "utf-8", len(lines))
    importer.check(iter([HEADER.split(","), *[list(line) for line in lines]]), sniff)
    return (
        [(e.row, e.column, e.value, e.message) for e in report.errors],
        report.total_rows,
        list(importer.unit_ids),
        list(importer.service_ids),
        list(importer.ordinals),
        bytes(importer.rtype_indexes),
        importer.answers.tobytes(),
        importer.extras,
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy)
def test_the_fast_path_judges_and_packs_rows_exactly_like_the_careful_path(
    wave: Wave, rows: list[tuple[dict[str, str], str]]
) -> None:
    names = HEADER.split(",")
    lines = [shaped([row[name] for name in names], shape) for row, shape in rows]
    lines *= 2  # repeated: the second time the fast path knows the forms learned the first time

    assert _check(wave, lines, careful=False) == _check(wave, lines, careful=True)
