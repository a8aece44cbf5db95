"""The public registration page: a place or the waiting list, the ticket on screen and by email,
consent, duplicates, the robot trap, the rate limit, closed events, cancellation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.audit.models import Event as AuditEvent
from integritas.core.public import is_public_path
from integritas.core.testing import World
from integritas.education.models import Event, Registration
from integritas.education.services import registration as services
from integritas.education.services import tickets


def _data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Siti Rahma",
        "institution": "Harian Kota Uji",
        "group": "press",
        "email": "siti@example.test",
        "phone": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def _register(event: Event, **overrides: Any) -> Any:
    url = reverse("education-public-register", args=[event.code])
    return Client().post(url, _data(**overrides))


def test_the_page_shows_the_event_and_its_form_without_a_session(event: Event):
    response = Client().get(reverse("education-public-register", args=[event.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert event.title in body and 'name="consent"' in body
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert is_public_path(reverse("education-public-register", args=[event.code]))
    assert "sessionid" not in response.cookies


def test_registering_gives_a_confirmed_place_and_a_signed_ticket_by_email(
    event: Event, django_capture_on_commit_callbacks: Any
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(event)
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.consent_at is not None
    assert response.status_code == 302
    ticket_page = Client().get(response["Location"])
    code = tickets.code_for(registration.ticket)
    assert code in ticket_page.content.decode() and "<svg" in ticket_page.content.decode()
    [message] = mail.outbox
    assert message.to == ["siti@example.test"]
    assert code in message.body
    assert message.attachments[0][0] == "tiket.png"
    # Participants' own actions leave nothing in the audit trail (it cannot forget them).
    assert (
        not AuditEvent.objects.filter(action__startswith="education.")
        .exclude(action="education.event_created")
        .exists()
    )


def test_consent_is_required(event: Event):
    response = _register(event, consent="")
    assert response.status_code == 400
    assert "consent" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_an_email_or_a_phone_is_required_and_a_phone_alone_is_enough(event: Event):
    assert _register(event, email="").status_code == 400
    assert not Registration.objects.exists()
    assert _register(event, email="", phone="0812-3456-7890").status_code == 302
    assert Registration.objects.get().phone == "6281234567890"


def test_a_group_the_event_is_not_for_is_refused(event: Event):
    assert _register(event, group="business").status_code == 400
    assert not Registration.objects.exists()


def test_a_second_registration_with_the_same_email_or_phone_is_refused(event: Event):
    _register(event, phone="081234567890")
    again = _register(event, name="Siti R.", email="SITI@example.test", phone="")
    assert again.status_code == 409
    assert again.context["duplicate"] is True
    by_phone = _register(event, email="other@example.test", phone="+62 812 3456 7890")
    assert by_phone.status_code == 409
    assert Registration.objects.count() == 1


def test_a_full_event_puts_people_on_the_waiting_list_in_order(event: Event):
    for i in range(5):
        _register(event, email=f"p{i}@example.test")
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed"] * 3 + ["waiting"] * 2


def test_a_cancellation_by_the_participant_promotes_the_first_waiting(
    event: Event, django_capture_on_commit_callbacks: Any
):
    for i in range(5):
        _register(event, email=f"p{i}@example.test")
    first = Registration.objects.order_by("pk").first()
    assert first is not None
    url = reverse("education-public-cancel", args=[services.link_token(first)])
    assert Client().get(url).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(url)
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["cancelled", "confirmed", "confirmed", "confirmed", "waiting"]
    [message] = mail.outbox
    assert message.to == ["p3@example.test"]
    # Cancelling again changes nothing; the person may register again.
    Client().post(url)
    assert Registration.objects.filter(status="confirmed").count() == 3
    assert _register(event, email="p0@example.test").status_code == 302


def test_a_checked_in_participant_cannot_cancel(event: Event, world: World):
    _register(event)
    registration = Registration.objects.get()
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=timezone.now())
    url = reverse("education-public-cancel", args=[services.link_token(registration)])
    assert Client().post(url).status_code == 409
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_a_forged_link_is_not_found(event: Event):
    _register(event)
    token = services.link_token(Registration.objects.get())
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert Client().get(reverse("education-public-ticket", args=[forged])).status_code == 404
    assert Client().post(reverse("education-public-cancel", args=[forged])).status_code == 404


def test_the_robot_trap_stores_nothing(event: Event):
    response = _register(event, website="http://spam.example")
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_too_many_registrations_from_one_address_are_paused(event: Event, settings: Any):
    settings.EDUCATION_REGISTRATIONS_PER_HOUR = 2
    client = Client()
    url = reverse("education-public-register", args=[event.code])
    for i in range(2):
        client.post(url, _data(email=f"r{i}@example.test"))
    response = client.post(url, _data(email="r9@example.test"))
    assert response.status_code == 429
    assert Registration.objects.count() == 2


def test_a_past_or_closed_event_takes_no_registration(event: Event):
    Event.objects.filter(pk=event.pk).update(registration_open=False)
    assert _register(event).status_code == 409
    Event.objects.filter(pk=event.pk).update(
        registration_open=True,
        ends_at=timezone.now() - dt.timedelta(hours=1),
        starts_at=timezone.now() - dt.timedelta(hours=3),
    )
    assert _register(event).status_code == 409
    assert not Registration.objects.exists()


def test_an_unknown_event_is_not_found(db: None):
    assert (
        Client().get(reverse("education-public-register", args=["EDU-1999-001"])).status_code == 404
    )
