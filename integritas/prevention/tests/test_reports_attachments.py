"""Photos and documents of a gratification report: real files judged by their content, stored
without their metadata (a camera photo's EXIF and GPS position, a PDF's author), shown and
downloaded only by those who may see the report's reporter, and nothing stored when a file is
refused."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from integritas.audit.models import Event
from integritas.core.testing import client_for
from integritas.prevention.models import GratificationReport, ReportAttachment
from integritas.prevention.services.reports import act, submit
from integritas.prevention.tests.conftest import report_values, travel
from integritas.prevention.tests.test_reports_pages import form_data

TODAY = dt.date(2026, 2, 5)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def camera_photo() -> bytes:
    """A JPEG as a phone writes it: the camera's make and model, the time and a GPS position."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # make
    exif[0x0110] = "Model X"  # model
    exif[0x0132] = "2026:02:02 10:11:12"  # date and time
    exif[0x8825] = {1: "S", 2: (6.0, 12.0, 0.0), 3: "E", 4: (106.0, 49.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"Budi's phone")
    return out.getvalue()


def authored_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Budi Santoso", "/Creator": "Scanner of Dinas Kesehatan"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored_bytes(item: ReportAttachment) -> bytes:
    with item.file.open("rb") as handle:
        return handle.read()


def test_a_photo_filed_with_a_report_is_stored_without_its_exif_and_gps(world: Any) -> None:
    original = camera_photo()
    assert Image.open(io.BytesIO(original)).getexif()  # the sample does carry EXIF
    client = client_for(world.officer_a)
    with travel(TODAY):
        response = client.post(
            "/pencegahan/gratifikasi/lapor/",
            {
                **form_data(),
                "attachments": SimpleUploadedFile("IMG_2041.jpg", original, "image/jpeg"),
            },
        )
    assert response.status_code == 302
    item = ReportAttachment.objects.get()
    assert item.original_name == "IMG_2041.jpg" and item.content_type == "image/jpeg"
    stored = stored_bytes(item)
    assert b"PhoneMaker" not in stored and b"Budi" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.size == (64, 48)
    assert not image.getexif() and "comment" not in image.info
    assert "IMG_2041" not in item.file.name


def test_a_pdf_is_stored_without_its_author_and_still_opens(world: Any) -> None:
    with travel(TODAY):
        report = submit(values=report_values(), reporter=world.officer_a, by=world.officer_a)
        response = client_for(world.officer_a).post(
            f"/pencegahan/gratifikasi/{report.pk}/lampiran/",
            {"attachments": SimpleUploadedFile("surat.pdf", authored_pdf(), "application/pdf")},
        )
    assert response.status_code == 302
    stored = stored_bytes(ReportAttachment.objects.get())
    assert b"Budi Santoso" not in stored and b"Scanner" not in stored
    assert len(PdfReader(io.BytesIO(stored)).pages) == 1


def pdf_that_calls_out() -> bytes:
    """A PDF naming its author that runs a script when opened, carries an embedded file and
    links to a web address."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Budi Santoso"})
    writer.add_attachment("rekening.txt", b"EMBEDDED-MARKER")
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.launchURL('https://spy.example.net');"),
        }
    )
    writer.add_annotation(0, Link(rect=(10, 10, 50, 50), url="https://spy.example.net/ping"))
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://spy.example.net/open"),
                }
            )
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_is_stored_without_its_scripts_embedded_files_and_outside_links(
    world: Any,
) -> None:
    with travel(TODAY):
        report = submit(values=report_values(), reporter=world.officer_a, by=world.officer_a)
        response = client_for(world.officer_a).post(
            f"/pencegahan/gratifikasi/{report.pk}/lampiran/",
            {"attachments": SimpleUploadedFile("bukti.pdf", pdf_that_calls_out())},
        )
    assert response.status_code == 302
    stored = stored_bytes(ReportAttachment.objects.get())
    assert b"Budi Santoso" not in stored and b"EMBEDDED-MARKER" not in stored
    copy = PdfReader(io.BytesIO(stored))
    assert "/OpenAction" not in copy.root_object and len(copy.pages) == 1
    page = copy.pages[0]
    assert "/AA" not in page  # nothing runs when the page is opened
    assert all("/A" not in link.get_object() for link in page.get("/Annots", []))


def test_the_audit_event_of_a_file_carries_its_hash_but_not_its_name(world: Any) -> None:
    with travel(TODAY):
        report = submit(values=report_values(), reporter=world.officer_a, by=world.officer_a)
        client_for(world.officer_a).post(
            f"/pencegahan/gratifikasi/{report.pk}/lampiran/",
            {"attachments": SimpleUploadedFile("budi.jpg", camera_photo(), "image/jpeg")},
        )
    item = ReportAttachment.objects.get()
    event = Event.objects.get(action="prevention.attachment_added")
    assert event.changes["sha256"] == [None, item.sha256]
    assert "budi" not in str(event.changes).lower()


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_and_nothing_is_stored(
    world: Any, media: Path
) -> None:
    disguised = SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script></html>")
    cut_off = SimpleUploadedFile("parsel.jpg", camera_photo()[:300], "image/jpeg")
    client = client_for(world.officer_a)
    with travel(TODAY):
        response = client.post(
            "/pencegahan/gratifikasi/lapor/", {**form_data(), "attachments": [disguised, cut_off]}
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "foto.jpg" in page and "parsel.jpg" in page
    assert not GratificationReport.objects.exists() and not ReportAttachment.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_a_confidential_reports_files_are_for_the_upg_and_the_reporter_only(
    world: Any, upg: Any
) -> None:
    with travel(TODAY):
        report = submit(
            values=report_values(confidential=True), reporter=world.officer_a, by=world.officer_a
        )
        client_for(upg).post(
            f"/pencegahan/gratifikasi/{report.pk}/lampiran/",
            {"attachments": SimpleUploadedFile("ktp_budi.jpg", camera_photo(), "image/jpeg")},
        )
    item = ReportAttachment.objects.get()
    url = f"/pencegahan/gratifikasi/{report.pk}/lampiran/{item.pk}/"
    for reader in (world.admin, world.inspector_general, world.leader):
        client = client_for(reader)
        assert client.get(url).status_code == 404
        page = client.get(f"/pencegahan/gratifikasi/{report.pk}/").content.decode()
        assert "ktp_budi" not in page and url not in page
    assert client_for(world.officer_b).get(url).status_code == 404
    for allowed in (upg, world.officer_a):
        response = client_for(allowed).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_an_ordinary_reports_files_are_read_by_the_register_readers(world: Any) -> None:
    with travel(TODAY):
        report = submit(values=report_values(), reporter=world.officer_a, by=world.officer_a)
        client_for(world.officer_a).post(
            f"/pencegahan/gratifikasi/{report.pk}/lampiran/",
            {"attachments": SimpleUploadedFile("parsel.png", _png(), "image/png")},
        )
    item = ReportAttachment.objects.get()
    url = f"/pencegahan/gratifikasi/{report.pk}/lampiran/{item.pk}/"
    assert client_for(world.inspector).get(url).status_code == 200
    assert (
        "parsel.png"
        in client_for(world.inspector).get(f"/pencegahan/gratifikasi/{report.pk}/").content.decode()
    )
    assert client_for(world.officer_b).get(url).status_code == 404


def test_readers_and_a_closed_report_take_no_more_files(world: Any, upg: Any) -> None:
    with travel(TODAY):
        report = submit(values=report_values(), reporter=world.officer_a, by=world.officer_a)
        photo = {"attachments": SimpleUploadedFile("a.png", _png(), "image/png")}
        inspector = client_for(world.inspector)
        assert (
            inspector.post(f"/pencegahan/gratifikasi/{report.pk}/lampiran/", photo).status_code
            == 403
        )
        act(report=report, step="complete", by=upg)
        act(
            report=report,
            step="forward",
            by=upg,
            values={"gol_reference": "GOL-1", "forwarded_on": TODAY},
        )
        act(
            report=report,
            step="decide",
            by=upg,
            values={"decision": "recipient", "decree_number": "K/1", "decree_date": TODAY},
        )
        act(report=report, step="close", by=upg)
        photo = {"attachments": SimpleUploadedFile("a.png", _png(), "image/png")}
        response = client_for(world.officer_a).post(
            f"/pencegahan/gratifikasi/{report.pk}/lampiran/", photo
        )
    assert response.status_code == 403
    assert not ReportAttachment.objects.exists()


def _png() -> bytes:
    image = Image.new("RGB", (10, 10), (0, 120, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
