"""The document desk's pages: a unit uploads, the Inspectorate returns it, the unit uploads a new
version, the Inspectorate marks it ready, records the upload and KPK's acceptance, and the
verified score moves; the lock, the reopening form and the status sheet's report."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from integritas.assessments.models import Document, DocumentStatus
from integritas.assessments.tests.desk_fixtures import PDF, open_desk
from integritas.core.testing import World, client_for


def _file(name: str = "rkpd.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_whole_path_through_the_pages_moves_the_verified_score(world: World) -> None:
    assessment = open_desk()
    base = f"/penilaian/meja/{assessment.public_id}/"
    unit = client_for(world.officer_a, language="id")
    inspector = client_for(world.inspector, language="en")
    page = unit.get(base + "syarat/PRC.1/")
    assert page.status_code == 200 and "Unggah dokumen" in page.content.decode()
    response = unit.post(
        base + "syarat/PRC.1/unggah/",
        {
            "unit": world.dinkes.pk,
            "title": "RKPD 2026",
            "file": _file(),
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    doc_url = f"/penilaian/meja/dokumen/{document.public_id}/"
    inspector.post(doc_url + "tinjau/", {"action": "return", "reason": "Belum ditandatangani"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.RETURNED
    page = unit.get(base + "syarat/PRC.1/").content.decode()
    assert "Belum ditandatangani" in page
    unit.post(
        doc_url + "versi/",
        {"file": _file("rkpd-ttd.pdf", PDF + b"signed"), "valid_from": "2026-01-01"},
    )
    assert document.versions.count() == 2
    inspector.post(doc_url + "tinjau/", {"action": "ready"})
    inspector.post(doc_url + "kpk/", {"action": "kpk_upload", "on": "2026-03-01"})
    before = inspector.get(base).content.decode()
    assert 'id="verified-total"><span class="badge band-red">0.00' in before
    inspector.post(doc_url + "kpk/", {"action": "accept"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.ACCEPTED
    after = inspector.get(base).content.decode()
    assert 'id="verified-total"><span class="badge band-red">15.00' in after  # 1 of 2 × 30
    versions = unit.get(base + "syarat/PRC.1/").content.decode()
    assert document.versions.first().sha256 in versions
    download = unit.get(doc_url + "v1/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_the_uploader_is_told_why_they_cannot_review(world: World) -> None:
    assessment = open_desk()
    inspector = client_for(world.inspector, language="en")
    inspector.post(
        f"/penilaian/meja/{assessment.public_id}/syarat/PRC.1/unggah/",
        {"unit": world.dinkes.pk, "title": "X", "file": _file(), "valid_from": "2026-01-01"},
    )
    document = Document.objects.get()
    response = inspector.post(
        f"/penilaian/meja/dokumen/{document.public_id}/tinjau/", {"action": "ready"}, follow=True
    )
    assert "segregation of duties" in response.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED


def test_a_bad_file_gets_a_clear_indonesian_error(world: World) -> None:
    assessment = open_desk()
    response = client_for(world.officer_a, language="id").post(
        f"/penilaian/meja/{assessment.public_id}/syarat/PRC.1/unggah/",
        {
            "unit": world.dinkes.pk,
            "title": "X",
            "file": _file("x.pdf", b"just text"),
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert "bukan PDF" in response.content.decode()


def test_after_the_deadline_the_page_says_uploads_are_locked(world: World) -> None:
    assessment = open_desk()
    assessment.upload_deadline = timezone.now() - dt.timedelta(hours=1)
    assessment.save()
    client = client_for(world.officer_a, language="en")
    page = client.get(f"/penilaian/meja/{assessment.public_id}/syarat/PRC.1/").content.decode()
    assert "new uploads are locked" in page
    response = client.post(
        f"/penilaian/meja/{assessment.public_id}/syarat/PRC.1/unggah/",
        {"unit": world.dinkes.pk, "title": "X", "file": _file(), "valid_from": "2026-01-01"},
    )
    assert response.status_code == 400
    assert not Document.objects.exists()
    admin = client_for(world.admin, language="en")
    until = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = admin.post(
        f"/penilaian/meja/{assessment.public_id}/buka-kembali/",
        {"until": until, "reason": "Gangguan portal"},
    )
    assert response.status_code == 302
    page = client.get(f"/penilaian/meja/{assessment.public_id}/syarat/PRC.1/").content.decode()
    assert "new uploads are locked" not in page


def test_the_missing_list_filters_by_unit_and_a_unit_sees_only_its_own(world: World) -> None:
    assessment = open_desk()
    url = f"/penilaian/meja/{assessment.public_id}/kekurangan/"
    page = client_for(world.inspector, language="en").get(url, {"unit": "DISDIK"}).content.decode()
    assert "PRC.2" in page and "PRC.1<" not in page
    own = client_for(world.officer_b, language="en").get(url).content.decode()
    assert "DISDIK" in own and "DINKES" not in own.split("<table")[-1]


def test_the_status_sheet_page_lists_every_bad_row(world: World) -> None:
    assessment = open_desk()
    sheet = SimpleUploadedFile("status.csv", b"dokumen,status\nD-0009,diterima\nD-0001,maybe\n")
    response = client_for(world.inspector, language="en").post(
        f"/penilaian/meja/{assessment.public_id}/impor-status/", {"file": sheet}
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "No document of this desk has this number." in text
    assert "The status must be uploaded, accepted or rejected" in text
