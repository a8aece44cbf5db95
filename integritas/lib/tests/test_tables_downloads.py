"""Table downloads stream (``lib.tables.export_response``): a CSV is sent in pieces as its rows
are read, with the bytes the file had when it was built whole; an XLSX is written to a temporary
file that goes when the response is closed."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterator, Sequence
from decimal import Decimal

import openpyxl
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext

from integritas.core.testing import body
from integritas.lib.headers import header_label
from integritas.lib.spreadsheets import CSV_CHUNK_CHARS, _csv_cell, csv_chunks, write_xlsx
from integritas.lib.tables import export_response

HEADERS = ["code", "name", "note", "amount", "due", "done"]
# Quotes, commas, new lines, non-ASCII text, formula-looking text, empty and typed cells.
CRAFTED: list[list[object]] = [
    ["A-1", 'Dinas "Kesehatan", Bidang 1', "line one\nline two", Decimal("12.50"), None, True],
    ["A-2", "Kelurahan Cikini — é ü 漢字", '=HYPERLINK("x")', -3, dt.date(2026, 1, 31), False],
    ["A-3", "+62 812", "@SUM(A1)", 1.25, dt.datetime(2026, 2, 1, 8, 30), ""],  # noqa: DTZ001
    ["A-4", "-minus", "\tTab", Decimal("-0.5"), dt.time(7, 5), None],
    ["A-5", "semi;colon", "carriage\r\nreturn", 10**12, None, None],
]


def built_whole(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """The CSV as downloads were built before they streamed: the whole file in one string (the
    headers labelled in the active language)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(header_label(h)) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def many_rows(count: int) -> list[list[object]]:
    return [
        [f"U{i:05d}", f'Unit {i} — ünïcode, "q"', f"={i}", i / 7, None, i % 2 == 0]
        for i in range(count)
    ]


def test_a_csv_download_streams():
    response = export_response(fmt="csv", stem="crafted", headers=HEADERS, rows=CRAFTED)
    assert isinstance(response, StreamingHttpResponse)
    assert response.streaming


def test_a_streamed_csv_has_the_bytes_of_the_file_built_whole():
    with translation.override("en"):
        response = export_response(fmt="csv", stem="crafted", headers=HEADERS, rows=CRAFTED)
        data = body(response)
        assert data == built_whole(HEADERS, CRAFTED)
    assert data.startswith(codecs.BOM_UTF8) and data.count(codecs.BOM_UTF8) == 1
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert lines[2][2] == '\'=HYPERLINK("x")'
    assert lines[1][1] == 'Dinas "Kesehatan", Bidang 1'


def test_a_large_csv_goes_in_pieces_of_whole_rows_with_the_same_bytes():
    rows = many_rows(6_000)
    response = export_response(fmt="csv", stem="large", headers=HEADERS, rows=rows)
    pieces = list(response.streaming_content)
    assert len(pieces) > 3
    assert b"".join(pieces) == built_whole(HEADERS, rows)
    assert all(piece.endswith(b"\r\n") for piece in pieces)
    assert all(len(piece) >= CSV_CHUNK_CHARS for piece in pieces[:-1])
    assert [p.startswith(codecs.BOM_UTF8) for p in pieces].count(True) == 1


def test_csv_pieces_join_to_the_file_whatever_their_size():
    rows = many_rows(50)
    labels = [header_label(h) for h in HEADERS]
    for size in (1, 100, 10_000):
        assert b"".join(csv_chunks(labels, rows, chunk_chars=size)) == built_whole(HEADERS, rows)
    assert b"".join(csv_chunks(labels, [])) == built_whole(HEADERS, [])


def test_rows_are_read_as_the_download_is_read():
    read = []

    def rows() -> Iterator[list[object]]:
        for row in many_rows(5_000):
            read.append(row)
            yield row

    response = export_response(fmt="csv", stem="lazy", headers=HEADERS, rows=rows())
    assert 0 < len(read) < 5_000
    body(response)
    assert len(read) == 5_000


def test_rows_read_later_keep_the_language_and_time_zone_of_the_request():
    def rows() -> Iterator[list[object]]:
        for i in range(3_000):
            when = timezone.localtime(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
            yield [i, gettext("yes"), when.isoformat()]

    with translation.override("en"), timezone.override(dt.timezone(dt.timedelta(hours=9))):
        response = export_response(fmt="csv", stem="late", headers=["n", "a", "b"], rows=rows())
    with translation.override("id"), timezone.override(dt.UTC):
        lines = body(response).decode("utf-8-sig").splitlines()
    assert lines[-1] == "2999,yes,2026-01-01T09:00:00+09:00"


def test_downloads_keep_their_names_and_types():
    today = timezone.localdate().isoformat()
    csv_response = export_response(fmt="csv", stem="things", headers=HEADERS, rows=CRAFTED)
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == f'attachment; filename="things-{today}.csv"'
    xlsx_response = export_response(fmt="xlsx", stem="things", headers=HEADERS, rows=CRAFTED)
    assert xlsx_response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx_response["Content-Disposition"] == f'attachment; filename="things-{today}.xlsx"'


def test_an_xlsx_download_streams_the_workbook_built_whole():
    with translation.override("en"):
        response = export_response(fmt="xlsx", stem="crafted", headers=HEADERS, rows=CRAFTED)
        labels = [header_label(h) for h in HEADERS]
    assert isinstance(response, FileResponse) and response.streaming
    streamed = openpyxl.load_workbook(io.BytesIO(body(response)))
    whole = openpyxl.load_workbook(io.BytesIO(write_xlsx(labels, CRAFTED, "crafted")))
    assert streamed.sheetnames == whole.sheetnames == ["crafted"]
    got, expected = streamed.active, whole.active
    assert list(got.iter_rows(values_only=True)) == list(expected.iter_rows(values_only=True))
    assert got["C3"].value == '\'=HYPERLINK("x")'
    assert got["A1"].font.bold and got.freeze_panes == "A2"
    assert got.column_dimensions["B"].width == expected.column_dimensions["B"].width


def test_the_temporary_file_of_an_xlsx_download_is_gone_once_the_response_is_closed():
    def ours() -> set[str]:
        return {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("integritas-export")}

    before = ours()
    response = export_response(fmt="xlsx", stem="temp", headers=HEADERS, rows=many_rows(500))
    file = response.file_to_stream
    assert file is not None and not file.closed
    assert int(response["Content-Length"]) == os.fstat(file.fileno()).st_size
    assert openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    # As the server closes it, without the end of a request (which would touch the database).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert file.closed
    assert ours() - before == set()


def test_a_download_closed_before_its_end_stops_reading_rows():
    state = {"closed": False}

    def rows() -> Iterator[list[object]]:
        try:
            yield from many_rows(10_000)
        finally:
            state["closed"] = True

    response = export_response(fmt="csv", stem="early", headers=HEADERS, rows=rows())
    stream = iter(response.streaming_content)
    next(stream)
    next(stream)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()  # as the server does when the reader goes away
    finally:
        request_finished.connect(close_old_connections)
    assert state["closed"]
