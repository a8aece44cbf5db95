"""Export of responses with a codebook (``exports.export_responses``): codes and labels, CSV and
XLSX, small-group suppression, formula injection, and a round trip through the import."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import secrets
import zipfile
from typing import Any

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from integritas.audit.models import Event
from integritas.core.models import Unit
from integritas.core.testing import World
from integritas.surveys.imports.responses import import_responses
from integritas.surveys.models import Choice, Response, Service, Wave, WaveService
from integritas.surveys.schema import Schema
from integritas.surveys.services.responses import export_responses, withheld
from integritas.surveys.testing import SMALL_SPEC, build_version, build_wave

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - dt.timedelta(days=1)
SPEC: dict[str, Any] = copy.deepcopy(SMALL_SPEC)
SPEC["code"] = "export-test"
SPEC["sections"][0]["questions"] += [
    {"code": "age", "type": "number", "required": False},
    {
        "code": "channels",
        "type": "multiple",
        "required": False,
        "choices": [("web", "Situs", None), ("desk", "Loket", None)],
    },
]
# Slots: sex 0, channels 1, U1 2, U2 3, complained 4; age and complaint_text are extra.


@pytest.fixture
def wave(world: World) -> Wave:
    wave = build_wave(
        build_version(SPEC),
        [world.dinkes, world.puskesmas, world.disdik],
        code="skm-2026",
        respondent_types=["public", "internal"],
        min_group_size=10,
    )
    Choice.objects.filter(question__version=wave.version, question__code="U1", code="4").update(
        label_en="Very good"
    )
    return wave


def respond(
    wave: Wave,
    unit: Unit,
    n: int = 1,
    *,
    vector: tuple[int, ...] = (2, 3, 4, 3, 1),
    extra: dict[str, Any] | None = None,
    service: Service | None = None,
    rtype: str = "public",
    day: dt.date = DAY,
) -> None:
    for _ in range(n):
        Response.objects.create(
            wave=wave,
            unit=unit,
            service=service,
            respondent_type=rtype,
            submitted_on=day,
            answers=Response.pack(list(vector)),
            extra=extra,
        )


def unzip(content: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }


def test_the_csv_export_is_a_zip_of_responses_in_codes_and_a_codebook(
    world: World, wave: Wave
) -> None:
    respond(wave, world.dinkes, 10, extra={"age": "41", "complaint_text": "Lama"})
    respond(wave, world.puskesmas, 10, vector=(0, 0, 1, 2, 2))

    export = export_responses(wave=wave, fmt="csv")

    assert export.filename == f"skm-2026-responses-{timezone.localdate().isoformat()}.zip"
    assert export.content_type == "application/zip" and export.exported == 20
    files = unzip(export.content)
    assert sorted(files) == ["skm-2026-codebook.csv", "skm-2026-responses.csv"]
    rows = files["skm-2026-responses.csv"]
    assert rows[0] == [
        "unit_code",
        "service_code",
        "respondent_type",
        "submitted_on",
        "sex",
        "age",
        "channels",
        "U1",
        "U2",
        "complained",
        "complaint_text",
    ]
    assert rows[1] == [
        "DINKES",
        "",
        "public",
        DAY.isoformat(),
        "f",
        "41",
        "web desk",
        "4",
        "3",
        "yes",
        "Lama",
    ]
    assert rows[-1] == ["DINKES.PKM", "", "public", DAY.isoformat(), "", "", "", "1", "2", "no", ""]
    assert len(rows) == 21


def test_the_codebook_describes_every_question_and_the_coding(world: World, wave: Wave) -> None:
    respond(wave, world.dinkes, 10)

    files = unzip(export_responses(wave=wave, fmt="csv").content)

    codebook = files["skm-2026-codebook.csv"]
    assert codebook[0] == [
        "question",
        "section",
        "text",
        "type",
        "dimension",
        "required",
        "respondent_types",
        "shown_when",
        "choices",
    ]
    by_code = {row[0]: row for row in codebook[1:] if row and row[0] != "note"}
    assert by_code["U1"][1:] == [
        "layanan",
        "Question U1",
        "likert4",
        "U1",
        "yes",
        "",
        "",
        "1=Tidak baik=1; 2=Kurang baik=2; 3=Baik=3; 4=Very good=4",
    ]
    assert by_code["sex"][-1] == "m=Laki-laki; f=Perempuan"
    assert by_code["complaint_text"][7] == "complained in (yes)"
    notes = [row[1] for row in codebook if row and row[0] == "note"]
    assert any("Withheld to protect anonymity: 0 of 10 responses" in n for n in notes)


def test_labels_are_given_in_the_active_language(world: World, wave: Wave) -> None:
    respond(wave, world.dinkes, 10)

    with translation.override("en"):
        english = unzip(export_responses(wave=wave, fmt="csv", labels=True).content)
    with translation.override("id"):
        indonesian = unzip(export_responses(wave=wave, fmt="csv", labels=True).content)

    row_en = english["skm-2026-responses.csv"][1]
    row_id = indonesian["skm-2026-responses.csv"][1]
    assert row_en[2] == "Public" and row_en[7] == "Very good"
    assert row_en[6] == "Situs; Loket"
    assert row_id[7] == "Sangat baik"


def test_the_xlsx_export_has_a_responses_sheet_with_real_values_and_a_codebook_sheet(
    world: World, wave: Wave
) -> None:
    respond(wave, world.dinkes, 10, extra={"age": "41.5"})

    export = export_responses(wave=wave, fmt="xlsx")

    workbook = load_workbook(io.BytesIO(export.content))
    assert workbook.sheetnames == ["responses", "codebook"]
    rows = list(workbook["responses"].iter_rows(values_only=True))
    assert rows[1][:9] == (
        "DINKES",
        None,
        "public",
        dt.datetime.combine(DAY, dt.time()),
        "f",
        41.5,
        "web desk",
        4,
        3,
    )
    codebook = list(workbook["codebook"].iter_rows(values_only=True))
    assert codebook[0][0] == "question" and any(r[0] == "note" for r in codebook)


def test_units_and_cells_below_k_are_withheld_with_their_complements(
    world: World, wave: Wave
) -> None:
    kia = Service.objects.create(unit=world.dinkes, code="KIA", name="KIA")
    lab = Service.objects.create(unit=world.dinkes, code="LAB", name="Lab")
    for service in (kia, lab):
        WaveService.objects.create(
            wave_unit=wave.wave_units.get(unit=world.dinkes),
            service=service,
            public_code=secrets.token_urlsafe(9)[:12],
        )
    respond(wave, world.dinkes, 20)
    respond(wave, world.dinkes, 12, service=kia)
    respond(wave, world.dinkes, 3, service=lab)  # small: withheld, and KIA as its complement
    respond(wave, world.puskesmas, 15)
    respond(wave, world.puskesmas, 2, rtype="internal")  # a small respondent-type cell
    respond(wave, world.disdik, 3)  # a small unit
    # DISDIK (3) is small, so the smallest other unit, PUSKESMAS (17), goes with it.

    hidden = withheld(wave)
    export = export_responses(wave=wave, fmt="csv")

    assert (hidden.total, hidden.responses, hidden.k) == (55, 35, 10)
    rows = unzip(export.content)["skm-2026-responses.csv"][1:]
    assert export.exported == len(rows) == 20
    assert {(r[0], r[1], r[2]) for r in rows} == {("DINKES", "", "public")}
    notes = unzip(export.content)["skm-2026-codebook.csv"]
    assert any("35 of 55 responses, in 5 groups" in row[1] for row in notes if row[:1] == ["note"])


def test_text_that_looks_like_a_formula_is_neutralised(world: World, wave: Wave) -> None:
    respond(wave, world.dinkes, 10, extra={"complaint_text": '=HYPERLINK("http://evil")'})

    rows = unzip(export_responses(wave=wave, fmt="csv").content)["skm-2026-responses.csv"]
    workbook = load_workbook(io.BytesIO(export_responses(wave=wave, fmt="xlsx").content))

    assert rows[1][-1] == '\'=HYPERLINK("http://evil")'
    cell = workbook["responses"].cell(row=2, column=11)
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://evil")'


def test_rows_are_not_in_the_order_people_answered(world: World, wave: Wave) -> None:
    respond(wave, world.dinkes, 5, vector=(0, 0, 4, 4, 0))
    respond(wave, world.dinkes, 5, vector=(0, 0, 1, 1, 0))

    rows = unzip(export_responses(wave=wave, fmt="csv").content)["skm-2026-responses.csv"][1:]

    assert [r[7] for r in rows] == ["1"] * 5 + ["4"] * 5


def test_an_export_in_codes_imports_into_another_wave_unchanged(world: World, wave: Wave) -> None:
    respond(wave, world.dinkes, 10, extra={"age": "41", "complaint_text": "Lama"})
    respond(wave, world.puskesmas, 10, vector=(1, 0, 1, 2, 2), rtype="internal")
    other = build_wave(
        wave.version,
        [world.dinkes, world.puskesmas],
        code="copy",
        respondent_types=["public", "internal"],
    )
    files = unzip(export_responses(wave=wave, fmt="csv").content)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(files["skm-2026-responses.csv"])

    report = import_responses(
        wave=other, path_or_bytes=buffer.getvalue().encode(), filename="x.csv"
    )

    assert report.ok, report.errors
    schema = Schema.from_version(wave.version)

    def answers(w: Wave) -> list[Any]:
        return sorted(
            (r.unit_id, r.respondent_type, str(schema.decode(Response.unpack(r.answers), r.extra)))
            for r in Response.objects.filter(wave=w)
        )

    assert answers(other) == answers(wave)


def test_an_export_is_recorded_in_the_audit_trail(world: World, wave: Wave) -> None:
    respond(wave, world.dinkes, 10)
    respond(wave, world.disdik, 2)

    export_responses(wave=wave, fmt="xlsx", labels=True)

    event = Event.objects.get(action="wave.responses_exported")
    assert event.object_id == str(wave.pk)
    assert event.changes == {
        "format": [None, "xlsx"],
        "values": [None, "labels"],
        "responses": [None, 0],
        "withheld": [None, 12],
    }
