"""The invitee's personal registration link: prefilled, signed, marks the invitee registered,
works while the event is not public, and a forged link finds nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from integritas.core.public import is_public_path
from integritas.core.testing import World
from integritas.education.models import Event, Invitee, Registration
from integritas.education.services import invitations
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person
from integritas.education.tests.conftest import make_event


def _invitee(event: Event, world: World, **kw: Any) -> Invitee:
    values = {"institution": "Harian Kota Uji", "group": "press", "email": "rina@x.test"} | kw
    return invitations.add_guest(
        event=event, guest=invitations.Guest("Rina Wartawati", **values), by=world.inspector
    )


def _url(invitee: Invitee) -> str:
    return reverse("education-invitation-register", args=[invitations.link_token(invitee)])


def _post(invitee: Invitee, **overrides: Any) -> Any:
    data = {
        "name": "Rina Wartawati",
        "institution": "Harian Kota Uji",
        "group": "press",
        "email": "rina@x.test",
        "phone": "",
        "consent": "on",
        "website": "",
    } | overrides
    return Client().post(_url(invitee), data)


def test_the_link_opens_the_registration_form_with_the_invitees_details(world: World, event: Event):
    invitee = _invitee(event, world)
    response = Client().get(_url(invitee))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Rina Wartawati"' in body and 'value="Harian Kota Uji"' in body
    assert 'value="rina@x.test"' in body
    assert '<option value="press" selected>' in body
    assert "no-store" in response["Cache-Control"] and "sessionid" not in response.cookies
    assert is_public_path(_url(invitee))


def test_registering_through_the_link_marks_the_invitee_registered_and_shows_the_ticket(
    world: World, event: Event
):
    invitee = _invitee(event, world)
    response = _post(invitee, name="Rina W.")
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "education-public-ticket", args=[registrations.link_token(registration)]
    )
    invitee.refresh_from_db()
    assert invitee.registration == registration and invitee.has_registered
    assert registration.name == "Rina W."
    # The link now leads to the ticket, and registers nobody a second time.
    again = Client().get(_url(invitee))
    assert again.status_code == 302 and Registration.objects.count() == 1


def test_the_link_works_while_the_event_is_not_public(world: World):
    hidden = make_event(world, public=False, title="Rapat internal")
    invitee = _invitee(hidden, world)
    assert Client().get(reverse("education-public-register", args=[hidden.code])).status_code == 404
    assert Client().get(_url(invitee)).status_code == 200
    assert _post(invitee).status_code == 302
    invitee.refresh_from_db()
    assert invitee.has_registered


def test_a_unit_head_is_offered_their_own_group_even_when_the_audience_leaves_it_out(
    world: World,
):
    external = make_event(world, audience=["press", "business"], title="Untuk pers")
    world.dinkes.head = world.head_a
    world.dinkes.save()
    invitations.add_units(event=external, units=[world.dinkes], by=world.inspector)
    invitee = external.invitees.get()
    body = Client().get(_url(invitee)).content.decode()
    assert '<option value="unit_head" selected>' in body
    response = _post(invitee, name="Kepala", group="unit_head", email=world.head_a.email)
    assert response.status_code == 302


def test_someone_already_registered_with_the_same_email_is_told_and_counted_as_registered(
    world: World, event: Event
):
    registrations.register(event=event, person=Person("Rina", "Harian", "press", "rina@x.test"))
    invitee = _invitee(event, world)
    response = _post(invitee)
    assert response.status_code == 409
    assert "Sudah ada pendaftar dengan alamat email" in response.content.decode()
    assert Registration.objects.count() == 1
    invitee.refresh_from_db()
    assert invitee.has_registered


def test_a_forged_or_tampered_link_finds_nothing(world: World, event: Event):
    invitee = _invitee(event, world)
    token = invitations.link_token(invitee)
    assert (
        Client().get(reverse("education-invitation-register", args=["x" + token])).status_code
        == 404
    )
    registration_token = registrations.link_token(
        registrations.register(event=event, person=Person("A", "", "press", "a@x.test"))
    )
    # A ticket link is signed for tickets, not for invitations.
    url = reverse("education-invitation-register", args=[registration_token])
    assert Client().get(url).status_code == 404


def test_a_closed_event_takes_no_registration_through_the_link(world: World):
    closed = make_event(world, registration_open=False, title="Tutup")
    invitee = _invitee(closed, world)
    assert "sudah ditutup" in Client().get(_url(invitee)).content.decode()
    assert _post(invitee).status_code == 409
    assert not Registration.objects.exists()
