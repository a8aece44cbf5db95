"""An event's materials: links and uploaded files the Inspectorate adds and removes, shown to
participants and on the portal while the event is public; a file is judged by its content,
within a size limit, and a photo loses its metadata."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World, client_for
from integritas.education.models import Event, Material
from integritas.education.tests.conftest import make_event
from integritas.education.tests.test_report import GPS_IFD, photo_bytes, stored_files
from integritas.lib.tests.test_documents import ODF_PLAIN
from integritas.lib.tests.test_files import zip_bytes


def test_an_inspector_adds_a_link_that_the_public_page_shows(world: World, event: Event):
    url = reverse("education-material-add", args=[event.code])
    data = {"title": "Paparan KPK", "url": "https://example.test/paparan.pdf"}
    response = client_for(world.inspector).post(url, data)
    assert response.status_code == 302
    material = Material.objects.get(event=event)
    assert material.added_by == world.inspector
    assert AuditEvent.objects.filter(action="education.material_added").count() == 1
    page = Client().get(reverse("education-public-register", args=[event.code]))
    assert 'href="https://example.test/paparan.pdf"' in page.content.decode()


def test_a_bad_link_is_refused_and_nothing_is_stored(world: World, event: Event):
    url = reverse("education-material-add", args=[event.code])
    response = client_for(world.inspector).post(url, {"title": "X", "url": "javascript:alert(1)"})
    assert response.status_code == 400
    assert not Material.objects.exists()


def test_a_material_is_removed_and_the_removal_audited(world: World, event: Event):
    material = Material.objects.create(event=event, title="Lama", url="https://example.test/a")
    url = reverse("education-material-remove", args=[event.code, material.public_id])
    assert client_for(world.inspector).post(url).status_code == 302
    assert not Material.objects.exists()
    assert AuditEvent.objects.filter(action="education.material_removed").count() == 1


def test_leadership_may_not_add_or_remove(world: World, event: Event):
    material = Material.objects.create(event=event, title="Lama", url="https://example.test/a")
    client = client_for(world.leader)
    add = reverse("education-material-add", args=[event.code])
    assert client.post(add, {"title": "X", "url": "https://example.test/x"}).status_code == 403
    remove = reverse("education-material-remove", args=[event.code, material.public_id])
    assert client.post(remove).status_code == 403
    assert Material.objects.count() == 1


# --- Uploaded files ----------------------------------------------------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_bytes() -> bytes:
    """A small, well-formed one-page PDF."""
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Penyusun Materi"})
    writer.write(out)
    return out.getvalue()


def _upload(client: Any, event: Event, name: str, content: bytes, title: str = "Paparan") -> Any:
    url = reverse("education-material-add", args=[event.code])
    return client.post(url, {"title": title, "url": "", "file": SimpleUploadedFile(name, content)})


def test_an_inspector_uploads_a_pdf_that_the_public_pages_list_and_serve(
    world: World, event: Event, media: Path
):
    response = _upload(client_for(world.inspector), event, "paparan kpk.pdf", pdf_bytes())
    assert response.status_code == 302
    material = Material.objects.get(event=event)
    assert material.file and material.url == "" and material.content_type == "application/pdf"
    assert material.file_name == "paparan kpk.pdf" and material.size > 0
    assert AuditEvent.objects.filter(action="education.material_added").count() == 1
    download = reverse("education-public-material", args=[event.code, material.public_id])
    for page in (
        reverse("education-public-register", args=[event.code]),
        reverse("portal-event", args=[event.code]),
    ):
        assert download in Client().get(page).content.decode()
    served = Client().get(download)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served.content.startswith(b"%PDF")
    assert "attachment" in served["Content-Disposition"]
    assert served["X-Content-Type-Options"] == "nosniff"
    staff = client_for(world.leader).get(reverse("education-event", args=[event.code]))
    assert download in staff.content.decode() or "paparan kpk.pdf" in staff.content.decode()


def test_a_file_of_an_event_that_is_not_public_is_not_served_to_the_public(
    world: World, media: Path
):
    hidden = make_event(world, public=False, title="Internal")
    _upload(client_for(world.inspector), hidden, "bahan.pdf", pdf_bytes())
    material = Material.objects.get(event=hidden)
    download = reverse("education-public-material", args=[hidden.code, material.public_id])
    assert Client().get(download).status_code == 404
    staff = reverse("education-material-file", args=[hidden.code, material.public_id])
    assert client_for(world.inspector).get(staff).status_code == 200
    assert client_for(world.officer_a).get(staff).status_code == 404


def test_an_uploaded_photo_loses_its_metadata(world: World, event: Event, media: Path):
    raw = photo_bytes(gps=True)
    assert _upload(client_for(world.inspector), event, "poster.jpg", raw).status_code == 302
    material = Material.objects.get(event=event)
    with material.file.open("rb") as handle:
        stored = handle.read()
    assert stored != raw
    assert GPS_IFD not in Image.open(io.BytesIO(stored)).getexif()
    assert b"PhoneMaker" not in stored


def test_a_file_that_is_not_a_document_or_image_is_refused_and_nothing_is_stored(
    world: World, event: Event, media: Path
):
    client = client_for(world.inspector)
    response = _upload(client, event, "virus.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    assert not Material.objects.exists() and stored_files(media) == []


def test_a_file_above_the_size_limit_is_refused(
    world: World, event: Event, media: Path, settings: Any
):
    settings.EDUCATION_MATERIAL_MAX_MB = 1
    big = pdf_bytes() + b"%" + b"x" * (1 << 20)
    response = _upload(client_for(world.inspector), event, "besar.pdf", big)
    assert response.status_code == 400
    assert not Material.objects.exists()


def test_a_material_needs_either_a_link_or_a_file(world: World, event: Event, media: Path):
    url = reverse("education-material-add", args=[event.code])
    response = client_for(world.inspector).post(url, {"title": "Kosong", "url": ""})
    assert response.status_code == 400
    assert not Material.objects.exists()


def test_removing_a_file_material_deletes_its_file(
    world: World, event: Event, media: Path, django_capture_on_commit_callbacks: Any
):
    _upload(client_for(world.inspector), event, "bahan.pdf", pdf_bytes())
    material = Material.objects.get()
    assert len(stored_files(media)) == 1
    url = reverse("education-material-remove", args=[event.code, material.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(world.inspector).post(url).status_code == 302
    assert stored_files(media) == []


# --- Document properties -----------------------------------------------------------------------


def docx_by(author: str, company: str) -> bytes:
    """A minimal Word file whose core and extended properties name its author and company."""
    return zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document>materi sosialisasi</w:document>",
            "docProps/core.xml": '<cp:coreProperties xmlns:cp="x" xmlns:dc="y">'
            f"<dc:creator>{author}</dc:creator></cp:coreProperties>",
            "docProps/app.xml": f'<Properties xmlns="z"><Company>{company}</Company></Properties>',
        }
    )


def odt_by(author: str) -> bytes:
    """A minimal OpenDocument text whose properties name its author."""
    return zip_bytes(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": ODF_PLAIN,
            "meta.xml": '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:'
            'xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0">'
            f"<office:meta><meta:initial-creator>{author}</meta:initial-creator></office:meta>"
            "</office:document-meta>",
        }
    )


def stored_material(event: Event) -> bytes:
    material = Material.objects.get(event=event)
    with material.file.open("rb") as handle:
        return handle.read()


def test_an_uploaded_pdf_is_stored_without_its_author(world: World, event: Event, media: Path):
    assert b"Penyusun Materi" in pdf_bytes()  # the sample does name its author
    assert _upload(client_for(world.inspector), event, "bahan.pdf", pdf_bytes()).status_code == 302
    stored = stored_material(event)
    assert b"Penyusun Materi" not in stored
    assert len(PdfReader(io.BytesIO(stored)).pages) == 1


def test_an_uploaded_word_file_is_stored_without_its_author_and_company(
    world: World, event: Event, media: Path
):
    original = docx_by("Siti Rahma", "Inspektorat Kota Contoh")
    response = _upload(client_for(world.inspector), event, "materi.docx", original)
    assert response.status_code == 302
    material = Material.objects.get(event=event)
    assert material.file_name == "materi.docx"
    stored = stored_material(event)
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert not any(b"Siti Rahma" in data or b"Kota Contoh" in data for data in parts.values())
    assert parts["word/document.xml"] == b"<w:document>materi sosialisasi</w:document>"


def test_an_uploaded_opendocument_is_stored_without_its_author(
    world: World, event: Event, media: Path
):
    response = _upload(client_for(world.inspector), event, "materi.odt", odt_by("Siti Rahma"))
    assert response.status_code == 302
    stored = stored_material(event)
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert b"Siti Rahma" not in archive.read("meta.xml")


def legacy_office_bytes() -> bytes:
    """A Compound File Binary container (.doc/.xls/.ppt) whose header reads well: byte order
    mark and 512-byte sectors, followed by one sector."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[28:30] = b"\xfe\xff"
    header[30:32] = (9).to_bytes(2, "little")
    return bytes(header) + b"Penyusun Materi".ljust(512, b"\0")


def test_a_legacy_office_file_is_refused_because_its_properties_cannot_be_removed(
    world: World, event: Event, media: Path
):
    response = _upload(client_for(world.inspector), event, "paparan.ppt", legacy_office_bytes())
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    assert not Material.objects.exists() and stored_files(media) == []
