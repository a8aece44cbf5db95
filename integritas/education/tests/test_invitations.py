"""Invitations on the staff side: inviting units (to their heads) and external guests, the
invitee list with who registered and its export, the letter as a PDF, emailing the links."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World, body, client_for
from integritas.education.models import Event, InvitationLetter, Invitee
from integritas.education.services import invitations
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person


def _guest(event: Event, world: World, name: str = "Rina Wartawati", **kw: Any) -> Invitee:
    values = {"institution": "Harian Kota Uji", "group": "press", "email": "rina@x.test"} | kw
    return invitations.add_guest(
        event=event, guest=invitations.Guest(name, **values), by=world.inspector
    )


def _letter(event: Event, world: World) -> InvitationLetter:
    import datetime as dt

    return invitations.save_letter(
        event=event,
        number="005/123/ITDA/2026",
        letter_date=dt.date(2026, 12, 1),
        place="Kota Uji",
        subject="Undangan Sosialisasi Gratifikasi",
        note="Peserta mengenakan pakaian dinas harian.",
        signer=world.inspector_general,
        by=world.inspector,
    )


def test_inviting_units_addresses_each_to_its_head_and_skips_units_already_invited(
    world: World, event: Event
):
    world.dinkes.head = world.head_a
    world.dinkes.save()
    url = reverse("education-invite-units", args=[event.code])
    client = client_for(world.inspector)
    units = [world.dinkes.pk, world.disdik.pk]
    assert client.post(url, {"units": units}).status_code == 302
    assert client.post(url, {"units": units}).status_code == 302
    by_unit = {i.unit.code: i for i in event.invitees.all()}
    assert set(by_unit) == {"DINKES", "DISDIK"}
    assert by_unit["DINKES"].name == world.head_a.get_full_name()
    assert by_unit["DINKES"].email == world.head_a.email
    assert by_unit["DINKES"].group == "unit_head"
    # A unit without a head is addressed to its head by office.
    assert by_unit["DISDIK"].name == "Kepala Dinas Pendidikan"
    added = AuditEvent.objects.filter(action="education.invitees_added")
    assert added.count() == 1 and added.get().changes["units"] == [None, ["DINKES", "DISDIK"]]


def test_an_external_invitee_is_entered_and_a_second_with_the_same_email_is_refused(
    world: World, event: Event
):
    url = reverse("education-invite-guest", args=[event.code])
    client = client_for(world.inspector)
    data = {"name": "Rina", "institution": "Harian", "group": "press", "email": "r@x.test"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "name": "Rina Lagi", "email": "R@X.test"})
    assert again.status_code == 400
    assert "Sudah ada undangan dengan email" in again.content.decode()
    assert event.invitees.count() == 1
    # Personal data stays out of the audit trail.
    event_row = AuditEvent.objects.get(action="education.invitees_added")
    assert "Rina" not in str(event_row.changes) and "r@x.test" not in str(event_row.changes)


def test_the_list_shows_who_registered_and_who_has_not(world: World, event: Event):
    rina = _guest(event, world)
    _guest(event, world, "Budi", email="budi@x.test", group="business")
    invitations.register(invitee=rina, person=Person("Rina", "Harian", "press", "rina@x.test"))
    url = reverse("education-invitations", args=[event.code])
    client = client_for(world.inspector)
    names = lambda r: [row["invitee"].name for row in r.context["rows"]]  # noqa: E731
    response = client.get(url)
    assert names(response) == ["Rina Wartawati", "Budi"]
    assert response.context["counts"] == {"total": 2, "registered": 1, "not_registered": 1}
    assert names(client.get(url, {"registered": "yes"})) == ["Rina Wartawati"]
    assert names(client.get(url, {"registered": "no"})) == ["Budi"]
    assert names(client.get(url, {"q": "budi"})) == ["Budi"]


def test_the_invitee_list_exports_as_a_spreadsheet_with_the_registration_status(
    world: World, event: Event
):
    rina = _guest(event, world)
    _guest(event, world, "Budi", email="budi@x.test", group="business")
    invitations.register(invitee=rina, person=Person("Rina", "Harian", "press", "rina@x.test"))
    url = reverse("education-invitations", args=[event.code])
    response = client_for(world.inspector).get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Nama" and "Terdaftar" in rows[0]
    registered = rows[0].index("Terdaftar")
    assert [(r[0], r[registered]) for r in rows[1:]] == [("Rina Wartawati", 1), ("Budi", 0)]
    link = rows[0].index("Tautan pribadi")
    assert "/acara/undangan/" in rows[2][link]


def test_readers_see_the_list_but_not_the_personal_links_nor_the_forms(world: World, event: Event):
    _guest(event, world)
    response = client_for(world.leader).get(reverse("education-invitations", args=[event.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rina Wartawati" in body and "/acara/undangan/" not in body
    post = client_for(world.leader).post(
        reverse("education-invite-guest", args=[event.code]), {"name": "X", "group": "press"}
    )
    assert post.status_code == 403


def test_the_letter_is_a_letterhead_pdf_with_its_number_signer_and_the_list_of_invitees(
    world: World, event: Event
):
    world.dinkes.head = world.head_a
    world.dinkes.save()
    invitations.add_units(event=event, units=[world.dinkes], by=world.inspector)
    _guest(event, world)
    _letter(event, world)
    response = client_for(world.leader).get(reverse("education-letter-pdf", args=[event.code]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(body(response)))
    assert len(reader.pages) == 2
    first, attachment = (" ".join(page.extract_text().split()) for page in reader.pages)
    assert "PEMERINTAH KOTA UJI" in first.upper()
    assert "005/123/ITDA/2026" in first and "Undangan Sosialisasi Gratifikasi" in first
    assert "Kota Uji, 1 Desember 2026" in first
    assert world.inspector_general.get_full_name() in first
    assert event.title in first and "Aula Inspektorat" in first
    assert "pakaian dinas harian" in first
    assert "DAFTAR UNDANGAN" in attachment
    assert "Kepala Dinas Kesehatan" in attachment and "Rina Wartawati" in attachment


def test_without_a_saved_letter_the_pdf_sends_back_to_the_invitations(world: World, event: Event):
    response = client_for(world.inspector).get(reverse("education-letter-pdf", args=[event.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("education-invitations", args=[event.code])


def test_saving_the_letter_keeps_the_signer_as_printed_that_day(world: World, event: Event):
    url = reverse("education-letter-save", args=[event.code])
    client = client_for(world.inspector)
    data = {
        "number": "005/1/ITDA",
        "letter_date": "2026-12-01",
        "place": "Kota Uji",
        "subject": "Undangan",
        "signer": str(world.inspector_general.public_id),
    }
    assert client.post(url, data).status_code == 302
    letter = InvitationLetter.objects.get(event=event)
    assert letter.signer_name == world.inspector_general.get_full_name()
    assert client.post(url, {**data, "number": ""}).status_code == 400
    assert AuditEvent.objects.filter(action="education.invitation_letter_saved").count() == 1


def test_emailing_sends_each_invitee_with_an_email_their_own_link_once_registered_none(
    world: World, event: Event, django_capture_on_commit_callbacks: Any
):
    rina = _guest(event, world)
    _guest(event, world, "Budi", email="budi@x.test", group="business")
    _guest(event, world, "Tanpa Surel", email="", phone="081234567890", group="community")
    invitations.register(invitee=rina, person=Person("Rina", "Harian", "press", "rina@x.test"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.inspector).post(
            reverse("education-invite-email", args=[event.code])
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["budi@x.test"]
    budi = event.invitees.get(name="Budi")
    assert invitations.link_token(budi) in message.body
    assert budi.emailed_at is not None
    assert AuditEvent.objects.get(action="education.invitations_emailed").changes == {
        "emails": [None, 1]
    }


def test_removing_an_invitee_takes_them_off_the_list(world: World, event: Event):
    rina = _guest(event, world)
    url = reverse("education-invitee-remove", args=[event.code, rina.public_id])
    assert client_for(world.inspector).post(url).status_code == 302
    assert not event.invitees.exists()
    assert AuditEvent.objects.filter(action="education.invitee_removed").exists()


def test_the_event_page_links_to_its_invitations(world: World, event: Event):
    _guest(event, world)
    response = client_for(world.inspector).get(reverse("education-event", args=[event.code]))
    assert reverse("education-invitations", args=[event.code]) in response.content.decode()


def test_a_registration_is_not_an_invitation(world: World, event: Event):
    """Registering on the public page does not mark an invitee; only the link does."""
    _guest(event, world)
    registrations.register(event=event, person=Person("Lain", "", "press", "lain@x.test"))
    assert invitations.counts(event)["registered"] == 0
