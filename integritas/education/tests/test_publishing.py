"""Whether an event's registration page is public: not until the Inspectorate publishes it; the
staff publish and withdraw it (withdrawing needs a reason), both audited; a non-public event's
registration page answers the public 404, while issued tickets and their cancel links still work;
the staff list shows the state and filters by it."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World, body, client_for
from integritas.education.models import Event
from integritas.education.services import events as services
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person
from integritas.education.tests.conftest import make_event

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _same_page(body: str, code: str) -> str:
    """The page without what differs by request: the CSRF token and the address asked for."""
    return CSRF.sub("", body).replace(code, "CODE")


def _public_url(event: Event) -> str:
    return reverse("education-public-register", args=[event.code])


def test_a_new_event_is_not_public(world: World):
    event = make_event(world, public=False)
    assert event.published_at is None
    assert not event.is_public


def test_the_registration_page_of_a_non_public_event_answers_the_public_404(world: World):
    event = make_event(world, public=False, title="Rapat internal rahasia")
    for response in (
        Client().get(_public_url(event)),
        Client().post(_public_url(event), {"name": "X"}),
    ):
        assert response.status_code == 404
        assert "Rapat internal rahasia" not in response.content.decode()
        assert "Aula Inspektorat" not in response.content.decode()
    hidden = Client().get(_public_url(event))
    unknown = Client().get(reverse("education-public-register", args=["EDU-2099-999"]))
    assert unknown.status_code == 404
    assert _same_page(hidden.content.decode(), event.code) == _same_page(
        unknown.content.decode(), "EDU-2099-999"
    )


def test_the_service_refuses_a_registration_for_a_non_public_event(world: World):
    event = make_event(world, public=False)
    with pytest.raises(registrations.RegistrationClosed):
        registrations.register(
            event=event, person=Person("A", "B", "staff", email="a@example.test")
        )


def test_publishing_makes_the_page_public_and_is_audited(world: World):
    event = make_event(world, public=False)
    services.event_publish(event=event, by=world.inspector)
    event.refresh_from_db()
    assert event.is_public
    assert Client().get(_public_url(event)).status_code == 200
    audit = AuditEvent.objects.get(action="education.event_published")
    assert audit.object_id == str(event.pk)
    assert audit.changes["published_at"][0] is None


def test_publishing_twice_changes_nothing(world: World):
    event = make_event(world, public=False)
    services.event_publish(event=event, by=world.inspector)
    first = Event.objects.get(pk=event.pk).published_at
    services.event_publish(event=event, by=world.inspector)
    assert Event.objects.get(pk=event.pk).published_at == first
    assert AuditEvent.objects.filter(action="education.event_published").count() == 1


def test_withdrawing_needs_a_reason_and_is_audited_with_it(world: World):
    event = make_event(world)
    with pytest.raises(ValidationError):
        services.event_unpublish(event=event, by=world.inspector, reason="  ")
    assert Event.objects.get(pk=event.pk).is_public
    services.event_unpublish(event=event, by=world.inspector, reason="Acara khusus pegawai")
    event.refresh_from_db()
    assert not event.is_public
    assert Client().get(_public_url(event)).status_code == 404
    audit = AuditEvent.objects.get(action="education.event_unpublished")
    assert audit.reason == "Acara khusus pegawai"
    assert audit.changes["published_at"][1] is None


def test_an_issued_ticket_and_its_cancel_link_keep_working_after_withdrawal(world: World):
    event = make_event(world)
    reg = registrations.register(
        event=event, person=Person("Siti", "Dinas", "staff", email="siti@example.test")
    )
    token = registrations.link_token(reg)
    services.event_unpublish(event=event, by=world.inspector, reason="Dipindah ke undangan")
    assert Client().get(reverse("education-public-ticket", args=[token])).status_code == 200
    response = Client().post(reverse("education-public-cancel", args=[token]))
    assert response.status_code == 200
    reg.refresh_from_db()
    assert not reg.is_live


def test_an_inspector_publishes_from_the_event_page(world: World):
    event = make_event(world, public=False)
    client = client_for(world.inspector)
    page = client.get(reverse("education-event", args=[event.code])).content.decode()
    assert reverse("education-event-publish", args=[event.code]) in page
    response = client.post(reverse("education-event-publish", args=[event.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("education-event", args=[event.code])
    assert Event.objects.get(pk=event.pk).is_public


def test_an_inspector_withdraws_from_the_event_page_only_with_a_reason(world: World):
    event = make_event(world)
    client = client_for(world.inspector)
    url = reverse("education-event-unpublish", args=[event.code])
    assert url in client.get(reverse("education-event", args=[event.code])).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert Event.objects.get(pk=event.pk).is_public
    response = client.post(url, {"reason": "Hanya untuk pegawai"})
    assert response.status_code == 302
    assert not Event.objects.get(pk=event.pk).is_public


def test_readers_may_not_publish_or_withdraw(world: World):
    event = make_event(world, public=False)
    client = client_for(world.leader)
    page = client.get(reverse("education-event", args=[event.code])).content.decode()
    assert reverse("education-event-publish", args=[event.code]) not in page
    assert client.post(reverse("education-event-publish", args=[event.code])).status_code == 403
    url = reverse("education-event-unpublish", args=[event.code])
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert not Event.objects.get(pk=event.pk).is_public


def test_the_staff_list_shows_the_state_and_filters_by_it(world: World):
    make_event(world, title="Acara terbuka")
    make_event(world, title="Acara internal", public=False)
    client = client_for(world.inspector)
    url = reverse("education-event-list")
    page = client.get(url).content.decode()
    assert "Acara terbuka" in page and "Acara internal" in page
    public_only = client.get(url, {"public": "yes"}).content.decode()
    assert "Acara terbuka" in public_only and "Acara internal" not in public_only
    hidden_only = client.get(url, {"public": "no"}).content.decode()
    assert "Acara internal" in hidden_only and "Acara terbuka" not in hidden_only
    export = body(client.get(url, {"export": "csv"})).decode()
    assert "Acara internal" in export
