"""The responses export is written to a temporary file, row by row, and sent from there: the
same members and cells as the export built whole in memory (the reference below is that
earlier build), with the same privacy rules, and the file goes when the download is closed."""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import tempfile
import zipfile
from collections.abc import Sequence
from typing import IO, Any

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from integritas.audit.models import Event
from integritas.core.models import Unit
from integritas.core.testing import World, body, client_for
from integritas.lib.spreadsheets import write_csv, xlsx_value
from integritas.surveys.models import Response, Wave
from integritas.surveys.services.responses import (
    CODEBOOK_HEADERS,
    _ResponseTable,
    codebook_rows,
    export_responses,
    withheld,
)
from integritas.surveys.testing import SMALL_SPEC, build_version, build_wave

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - dt.timedelta(days=1)
SPEC: dict[str, Any] = copy.deepcopy(SMALL_SPEC)
SPEC["code"] = "export-file-test"
SPEC["sections"][0]["questions"] += [
    {"code": "age", "type": "number", "required": False},
    {"code": "visited", "type": "date", "required": False},
    {
        "code": "channels",
        "type": "multiple",
        "required": False,
        "choices": [("web", "Situs", None), ("desk", "Loket", None)],
    },
]


@pytest.fixture
def wave(world: World) -> Wave:
    wave = build_wave(
        build_version(SPEC),
        [world.dinkes, world.puskesmas, world.disdik],
        code="skm-2026",
        respondent_types=["public", "internal"],
        min_group_size=5,
    )
    extras = [
        {"age": "41.5", "visited": "2026-03-02", "complaint_text": '=HYPERLINK("http://x")'},
        {"age": "abc", "visited": "not a day", "complaint_text": "baris satu\nbaris dua"},
        {"complaint_text": "\x01kontrol"},
        None,
    ]
    for unit, n, rtype in (
        (world.dinkes, 12, "public"),
        (world.dinkes, 6, "internal"),
        (world.puskesmas, 9, "public"),
        (world.puskesmas, 2, "internal"),  # a small cell: withheld, with a complement
        (world.disdik, 3, "public"),  # a small unit: withheld
    ):
        respond(wave, unit, n, rtype=rtype, extras=extras)
    return wave


def respond(
    wave: Wave, unit: Unit, n: int, *, rtype: str, extras: Sequence[dict[str, Any] | None]
) -> None:
    for i in range(n):
        Response.objects.create(
            wave=wave,
            unit=unit,
            respondent_type=rtype,
            submitted_on=DAY - dt.timedelta(days=i % 3),
            answers=Response.pack([i % 3, i % 4, 1 + i % 4, 1 + (i + 1) % 4, 1 + i % 2]),
            extra=extras[i % len(extras)],
        )


# The export as it was built whole in memory, the reference for the file written row by row.


def whole_zip(wave: Wave, *, labels: bool) -> dict[str, bytes]:
    hidden = withheld(wave)
    table = _ResponseTable(wave, labels=labels, numbers=False, hidden=hidden)
    codebook = codebook_rows(wave, hidden=hidden, labels=labels)
    return {
        f"{wave.code}-responses.csv": write_csv(table.headers, table.rows()),
        f"{wave.code}-codebook.csv": write_csv(CODEBOOK_HEADERS, codebook),
    }


def whole_workbook(wave: Wave, *, labels: bool) -> Workbook:
    hidden = withheld(wave)
    table = _ResponseTable(wave, labels=labels, numbers=True, hidden=hidden)
    codebook = codebook_rows(wave, hidden=hidden, labels=labels)
    workbook = Workbook(write_only=True)
    for title, headers, rows in (
        ("responses", table.headers, table.rows()),
        ("codebook", CODEBOOK_HEADERS, codebook),
    ):
        sheet = workbook.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        for index in range(len(headers)):
            sheet.column_dimensions[get_column_letter(index + 1)].width = 14 if index < 20 else 8
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=xlsx_value(header))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("labels", [False, True])
def test_the_zip_is_written_to_a_file_with_the_members_of_the_whole_build(
    wave: Wave, labels: bool
) -> None:
    with translation.override("en"):
        export = export_responses(wave=wave, fmt="csv", labels=labels)
        expected = whole_zip(wave, labels=labels)

    assert not export.file.closed and export.file.tell() == 0
    got = members(export.file.read())
    with zipfile.ZipFile(export.file) as archive:  # dated now, as ZipFile.writestr dates them
        dates = {info.date_time[:3] for info in archive.infolist()}
    export.close()
    today = timezone.localtime()
    assert all(abs(dt.date(*d) - today.date()) <= dt.timedelta(days=1) for d in dates)
    assert export.file.closed
    assert list(got) == list(expected)
    assert got == expected
    assert export.exported == 18 and b"=HYPERLINK" in got["skm-2026-responses.csv"]


@pytest.mark.parametrize("labels", [False, True])
def test_the_workbook_is_written_to_a_file_with_the_cells_of_the_whole_build(
    wave: Wave, labels: bool
) -> None:
    with translation.override("id"):
        export = export_responses(wave=wave, fmt="xlsx", labels=labels)
        expected = whole_workbook(wave, labels=labels)

    with export:
        got = load_workbook(export.file)
    assert export.file.closed
    assert got.sheetnames == expected.sheetnames == ["responses", "codebook"]
    for name in got.sheetnames:
        mine, theirs = got[name], expected[name]
        assert list(mine.iter_rows(values_only=True)) == list(theirs.iter_rows(values_only=True))
        assert [c.data_type for r in mine.iter_rows() for c in r if c.value is not None] == [
            c.data_type for r in theirs.iter_rows() for c in r if c.value is not None
        ]
        assert [c.number_format for r in mine.iter_rows() for c in r] == [
            c.number_format for r in theirs.iter_rows() for c in r
        ]
        assert mine.freeze_panes == theirs.freeze_panes == "A2"
        assert all(cell.font.bold for cell in mine[1])
        letters = [get_column_letter(i + 1) for i in range(mine.max_column)]
        assert [mine.column_dimensions[x].width for x in letters] == [
            theirs.column_dimensions[x].width for x in letters
        ]
    responses = got["responses"]
    assert responses.max_row == 19  # 18 exported; 14 withheld
    assert any(str(c.value).startswith("'=HYPERLINK") for r in responses.iter_rows() for c in r)


def test_the_download_is_sent_from_a_temporary_file_closed_with_the_response(
    world: World, wave: Wave, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("surveys-data-export", args=[wave.code])
    made: list[IO[bytes]] = []
    temporary_file = tempfile.TemporaryFile

    def recorded(*args: Any, **kwargs: Any) -> IO[bytes]:
        made.append(temporary_file(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", recorded)

    response = client_for(world.inspector).post(url, {"format": "csv", "values": "codes"})

    assert response.status_code == 200 and response.streaming
    [file] = made
    assert not file.closed
    assert int(response["Content-Length"]) == os.fstat(file.fileno()).st_size
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="skm-2026-responses-{timezone.localdate().isoformat()}.zip"'
    )
    got = members(body(response))
    # As the server closes it, without the end of a request (which would touch the database).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert file.closed
    assert got == whole_zip(wave, labels=False)
    assert Event.objects.filter(action="wave.responses_exported").count() == 1


def test_a_refused_request_writes_no_file_and_records_nothing(world: World, wave: Wave) -> None:
    url = reverse("surveys-data-export", args=[wave.code])

    bad = client_for(world.inspector).post(url, {"format": "zip", "values": "codes"})
    forbidden = client_for(world.leader).post(url, {"format": "csv", "values": "codes"})

    assert bad.status_code == 400 and not bad.streaming
    assert forbidden.status_code == 403
    assert not Event.objects.filter(action="wave.responses_exported").exists()
    with pytest.raises(ValueError, match="unknown export format"):
        export_responses(wave=wave, fmt="pdf")
