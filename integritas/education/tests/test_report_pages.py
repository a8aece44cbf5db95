"""The event report's pages: writing it, uploading and removing photos (with confirmation), the
PDF download and its link on the event's page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from integritas.core.testing import World, client_for
from integritas.education.models import EventReport, ReportPhoto
from integritas.education.tests.test_report import media, photo_bytes, stored_files, write

__all__ = ["media"]


def form_values(world: World, **values: str) -> dict[str, str]:
    return {
        "purpose": "Memahami gratifikasi",
        "basis": "Surat KPK",
        "summary": "Berjalan lancar",
        "commitments": "Satu\nDua",
        "signer": str(world.inspector_general.public_id),
        **values,
    }


def test_the_inspectorate_writes_the_report_and_the_event_page_links_its_pdf(world: World, event):
    client = client_for(world.inspector)
    page = client.get(reverse("education-event", args=[event.code])).content.decode()
    assert "Belum ditulis" in page
    assert reverse("education-report", args=[event.code]) in page
    response = client.post(reverse("education-report", args=[event.code]), form_values(world))
    assert response.status_code == 302
    assert EventReport.objects.get(event=event).commitment_list == ["Satu", "Dua"]
    page = client.get(reverse("education-event", args=[event.code])).content.decode()
    assert reverse("education-report-pdf", args=[event.code]) in page
    pdf = client.get(reverse("education-report-pdf", args=[event.code]))
    assert pdf["Content-Type"] == "application/pdf"
    assert f"laporan-{event.code}.pdf" in pdf["Content-Disposition"]


def test_a_report_without_its_required_parts_is_refused(world: World, event):
    response = client_for(world.inspector).post(
        reverse("education-report", args=[event.code]), form_values(world, summary="")
    )
    assert response.status_code == 400
    assert not EventReport.objects.exists()


def test_the_pdf_of_an_unwritten_report_leads_back_to_the_event(world: World, event):
    response = client_for(world.leader).get(reverse("education-report-pdf", args=[event.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("education-event", args=[event.code])


def test_a_photo_is_uploaded_shown_to_staff_and_removed_after_confirmation(
    world: World, event, media: Path, django_capture_on_commit_callbacks
):
    write(world, event)
    client = client_for(world.inspector)
    upload = SimpleUploadedFile("IMG_0001.jpg", photo_bytes(gps=True), "image/jpeg")
    response = client.post(
        reverse("education-report-photo-add", args=[event.code]),
        {"photo": upload, "caption": "Pembukaan"},
    )
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    assert "IMG_0001" not in photo.image.name
    shown = client_for(world.leader).get(
        reverse("education-report-photo", args=[event.code, photo.public_id])
    )
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    remove = reverse("education-report-photo-remove", args=[event.code, photo.public_id])
    confirm = client.get(remove)
    assert "Tindakan ini tidak dapat dibatalkan" in confirm.content.decode()
    assert ReportPhoto.objects.exists()  # asking removes nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert not ReportPhoto.objects.exists()
    assert stored_files(media) == []


def test_a_bad_upload_is_named_on_the_page_and_nothing_is_stored(world: World, event, media: Path):
    write(world, event)
    upload = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 pretending", "image/jpeg")
    response = client_for(world.inspector).post(
        reverse("education-report-photo-add", args=[event.code]), {"photo": upload}
    )
    assert response.status_code == 400
    assert "JPEG, PNG, atau WebP" in response.content.decode()
    assert not ReportPhoto.objects.exists()
    assert stored_files(media) == []


def test_photos_wait_until_the_report_is_saved(world: World, event, media: Path):
    upload = SimpleUploadedFile("foto.jpg", photo_bytes(), "image/jpeg")
    response = client_for(world.inspector).post(
        reverse("education-report-photo-add", args=[event.code]), {"photo": upload}
    )
    assert response.status_code == 302
    assert not ReportPhoto.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "admin"])
def test_readers_download_the_pdf_but_do_not_write_the_report(world: World, event, persona):
    write(world, event)
    client = client_for(getattr(world, persona))
    assert client.get(reverse("education-report-pdf", args=[event.code])).status_code == 200
    assert client.get(reverse("education-report", args=[event.code])).status_code == 403
