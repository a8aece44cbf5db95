"""The signed PDF report of a wave: letterhead, signer, tables, and nothing suppressed."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from typing import IO, Any

import pytest
import time_machine
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from integritas.core.testing import World, body, client_for
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.tests.url_matrix_dashboards import dashboard_wave
from integritas.lib import pdf
from integritas.lib.formatting import format_datetime

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML handed to WeasyPrint, which still renders it."""
    pages: list[str] = []
    real = pdf.write_pdf

    def spy(html: str, target: IO[bytes]) -> None:
        pages.append(html)
        real(html, target)

    monkeypatch.setattr(pdf, "write_pdf", spy)
    return pages


def get(world: World, user: Any, **params: str) -> Any:
    wave = dashboard_wave(world)
    return client_for(user).get(reverse("indices-wave-report", args=[wave.code]), params)


def test_the_report_is_a_pdf_signed_by_the_inspector_general_by_default(
    world: World, captured: list[str]
) -> None:
    ig = world.inspector_general
    ig.nip, ig.position = "197203021995022938", "Inspektur Daerah"
    ig.save()
    response = get(world, world.inspector)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response).startswith(b"%PDF")
    html = captured[0]
    assert "Pemerintah Kota Uji" in html  # letterhead
    assert ig.name in html and "Inspektur Daerah" in html and "19720302 199502 2 938" in html
    assert "SKM uji" in html and "67,53" in html  # wave title and headline, Indonesian decimals
    assert "Dinas Pendidikan" in html and "77,50" in html  # ranking
    run = IndexRun.objects.get(wave__code="dash-wave")
    assert format_datetime(timezone.localtime(run.computed_at), "id") in html  # method note


def test_another_official_with_signing_authority_can_sign(
    world: World, captured: list[str]
) -> None:
    signer = world.head_a
    signer.nip, signer.position = "198001012005011001", "Kepala Dinas Kesehatan"
    signer.can_sign = True
    signer.save()
    response = get(world, world.leader, signer=str(signer.public_id))
    assert response.status_code == 200
    assert "Kepala Dinas Kesehatan" in captured[0] and "19800101 200501 1 001" in captured[0]


def test_someone_without_signing_authority_cannot_sign(world: World) -> None:
    response = get(world, world.leader, signer=str(world.officer_b.public_id))
    assert response.status_code == 400
    assert b'name="signer"' in response.content  # the form again, with its error


def test_the_report_shows_its_number_and_the_place_before_the_date(world: World) -> None:
    world.gov.signing_place = "Kota Uji"
    world.gov.save()
    with time_machine.travel(dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC), tick=False):
        response = get(world, world.inspector, signer="", report_number="700/45/Itda/X/2026")
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body(response))).pages)
    assert "Nomor: 700/45/Itda/X/2026" in text and "Kota Uji, 6 Oktober 2026" in text


def test_suppressed_values_never_reach_the_pdf(world: World, captured: list[str]) -> None:
    wave = dashboard_wave(world)
    IndexResult.objects.filter(run__wave=wave, suppressed=True).update(score=12.3456)
    response = get(world, world.inspector_general, type="internal")
    assert response.status_code == 200
    assert "12,35" not in captured[0] and "12.35" not in captured[0]
    assert "—" in captured[0]


def test_unit_staff_cannot_print_the_report(world: World) -> None:
    assert get(world, world.officer_a).status_code == 403


def test_a_wave_without_results_has_nothing_to_report(world: World) -> None:
    wave = dashboard_wave(world, code="not-computed", computed=False)
    response = client_for(world.inspector).get(reverse("indices-wave-report", args=[wave.code]))
    assert response.status_code == 400
    assert b'class="empty"' in response.content and b'name="signer"' not in response.content


def test_the_report_is_sent_from_a_temporary_file_with_the_bytes_of_the_whole_document(
    world: World, captured: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[IO[bytes]] = []
    temporary_file = tempfile.TemporaryFile

    def recorded(*args: Any, **kwargs: Any) -> IO[bytes]:
        made.append(temporary_file(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", recorded)

    response = get(world, world.inspector, signer="", report_number="700/1/Itda/2026")

    assert response.status_code == 200 and response.streaming
    [file] = made
    assert not file.closed
    assert int(response["Content-Length"]) == os.fstat(file.fileno()).st_size
    assert response["Content-Disposition"].startswith('attachment; filename="dash-wave-report-')
    written = os.pread(file.fileno(), os.fstat(file.fileno()).st_size, 0)
    content = body(response)
    # As the server closes it, without the end of a request (which would touch the database).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert file.closed
    # Every byte of the file, which is the whole report (not compared with a second rendering:
    # WeasyPrint's bytes can differ between two renderings when the fonts change meanwhile).
    assert content == written
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "700/1/Itda/2026" in text
    assert len(PdfReader(io.BytesIO(content)).pages) == len(
        PdfReader(io.BytesIO(pdf.html_to_pdf(captured[0]))).pages
    )
