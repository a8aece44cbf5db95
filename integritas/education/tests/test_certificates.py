"""Certificates: issued only to those who checked in, issuing twice adds none, one PDF per
participant with the serial, the public verification page (valid, revoked, unknown) that shows
nothing personal beyond the name, revocation by the Inspectorate with a reason in the trail, and
the participant's own download from the ticket page."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World, client_for
from integritas.education.models import Certificate, Event, Registration
from integritas.education.services import certificates, checkin, tickets
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person


def _person(i: int) -> Person:
    return Person(
        f"Peserta Nomor {i}",
        "Dinas Rahasia",
        "staff",
        email=f"p{i}@example.test",
        phone=f"081234567{i:02d}",
    )


def _attended(w: World, event: Event, i: int) -> Registration:
    registration = registrations.register(event=event, person=_person(i))
    checkin.check_in(event=event, code=tickets.code_for(registration.ticket), by=w.inspector)
    registration.refresh_from_db()
    return registration


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_certificates_go_only_to_those_who_checked_in(world: World, event: Event):
    present = _attended(world, event, 1)
    registrations.register(event=event, person=_person(2))  # registered, never came
    issued = certificates.issue_for_event(event=event, by=world.inspector)
    assert issued == 1
    assert [c.registration for c in Certificate.objects.all()] == [present]
    assert AuditEvent.objects.filter(action="education.certificates_issued").count() == 1


def test_issuing_twice_creates_no_duplicates(world: World, event: Event):
    _attended(world, event, 1)
    certificates.issue_for_event(event=event, by=world.inspector)
    _attended(world, event, 2)
    assert certificates.issue_for_event(event=event, by=world.inspector) == 1
    assert certificates.issue_for_event(event=event, by=world.inspector) == 0
    assert Certificate.objects.count() == 2


def test_serials_are_random_short_and_read_back_leniently():
    serials = {certificates.new_serial() for _ in range(200)}
    assert len(serials) == 200
    serial = serials.pop()
    assert len(serial) == 11 and serial[5] == "-"
    assert certificates.normalise(serial.lower().replace("-", " ")) == serial


def test_the_staff_issue_all_in_one_action_and_see_them_on_the_event_page(
    world: World, event: Event
):
    registration = _attended(world, event, 1)
    client = client_for(world.inspector)
    response = client.post(reverse("education-certificates-issue", args=[event.code]))
    assert response.status_code == 302
    certificate = Certificate.objects.get(registration=registration)
    page = client.get(reverse("education-event", args=[event.code]))
    assert certificate.serial in page.content.decode()


def test_the_pdf_holds_the_serial_the_name_and_the_event(world: World, event: Event):
    registration = _attended(world, event, 1)
    certificates.issue_for_event(event=event, by=world.inspector)
    certificate = Certificate.objects.get(registration=registration)
    response = client_for(world.leader).get(
        reverse("education-certificate-pdf", args=[event.code, certificate.serial])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert certificate.serial in text
    assert "Peserta Nomor 1" in text
    assert event.title in text


def test_the_participant_downloads_theirs_from_the_ticket_page_once_issued(
    world: World, event: Event
):
    registration = _attended(world, event, 1)
    token = registrations.link_token(registration)
    anonymous = client_for(None)
    url = reverse("education-public-certificate", args=[token])
    assert (
        "sertifikat.pdf"
        not in anonymous.get(reverse("education-public-ticket", args=[token])).content.decode()
    )
    assert anonymous.get(url).status_code == 404
    certificates.issue_for_event(event=event, by=world.inspector)
    assert url in anonymous.get(reverse("education-public-ticket", args=[token])).content.decode()
    response = anonymous.get(url)
    assert response.status_code == 200
    serial = Certificate.objects.get(registration=registration).serial
    assert serial in _pdf_text(response.content)


def test_the_verification_page_says_valid_and_shows_nothing_else_personal(
    world: World, event: Event
):
    registration = _attended(world, event, 1)
    certificates.issue_for_event(event=event, by=world.inspector)
    serial = Certificate.objects.get(registration=registration).serial
    response = client_for(None).get(reverse("certificate-verify", args=[serial]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Peserta Nomor 1" in html
    assert event.title in html
    assert response.context["certificate"].is_valid
    for secret in ("Dinas Rahasia", "p1@example.test", registration.phone, "4567"):
        assert secret not in html
    # A typed serial in lower case, without the hyphen, finds the same certificate.
    typed = client_for(None).get(reverse("certificate-verify", args=[serial.replace("-", "")]))
    assert typed.status_code == 200


def test_a_revoked_certificate_says_so_and_the_revocation_is_audited_with_its_reason(
    world: World, event: Event
):
    registration = _attended(world, event, 1)
    certificates.issue_for_event(event=event, by=world.inspector)
    certificate = Certificate.objects.get(registration=registration)
    response = client_for(world.inspector).post(
        reverse("education-certificate-revoke", args=[event.code, certificate.serial]),
        {"reason": "Nama peserta salah"},
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoked_by == world.inspector
    [entry] = AuditEvent.objects.filter(action="education.certificate_revoked")
    assert entry.reason == "Nama peserta salah"
    assert entry.object_label == certificate.serial
    assert "Peserta" not in str(entry.changes)
    page = client_for(None).get(reverse("certificate-verify", args=[certificate.serial]))
    assert page.status_code == 200
    assert not page.context["certificate"].is_valid
    assert "Nama peserta salah" not in page.content.decode()


def test_revoking_needs_a_reason(world: World, event: Event):
    _attended(world, event, 1)
    certificates.issue_for_event(event=event, by=world.inspector)
    certificate = Certificate.objects.get()
    with pytest.raises(ValidationError):
        certificates.revoke(certificate=certificate, by=world.inspector, reason="  ")
    response = client_for(world.inspector).post(
        reverse("education-certificate-revoke", args=[event.code, certificate.serial]),
        {"reason": ""},
    )
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_an_unknown_serial_is_a_clear_public_not_found(world: World):
    response = client_for(None).get(reverse("certificate-verify", args=["ABCDE-FGHJK"]))
    assert response.status_code == 404
    assert "not found" in response.content.decode().lower() or "tidak ditemukan" in (
        response.content.decode().lower()
    )


@pytest.mark.parametrize("persona", ["leader", "admin", "head_a", "officer_a"])
def test_only_the_inspectorate_issues_and_revokes(world: World, event: Event, persona: str):
    _attended(world, event, 1)
    client = client_for(getattr(world, persona))
    response = client.post(reverse("education-certificates-issue", args=[event.code]))
    assert response.status_code in (403, 404)
    assert Certificate.objects.count() == 0
