"""Check-in at the door: by typed code, a second scan says when the first was, forged, unknown,
other-event, waiting and cancelled tickets get clear messages, walk-ins, the counts by group."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World, client_for
from integritas.education.models import Event, Registration
from integritas.education.services import checkin, tickets
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person
from integritas.education.tests.conftest import make_event


def _person(i: int, group: str = "staff") -> Person:
    return Person(f"Peserta {i}", "Dinas Kesehatan", group, email=f"p{i}@example.test")


def _code(registration: Registration) -> str:
    return tickets.code_for(registration.ticket)


def _scan(w: World, event: Event, code: str) -> Any:
    return client_for(w.inspector).post(
        reverse("education-check-in", args=[event.code]), {"code": code}
    )


def test_a_typed_code_checks_the_participant_in_once_and_is_audited(world: World, event: Event):
    registration = registrations.register(event=event, person=_person(1))
    response = _scan(world, event, _code(registration).lower().replace("-", " "))
    assert response.status_code == 200
    assert response.context["outcome"]["kind"] == "success"
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == world.inspector
    [audit] = AuditEvent.objects.filter(action="education.checked_in")
    assert audit.object_label == _code(registration)
    assert "Peserta" not in str(audit.changes)


def test_a_second_scan_says_when_the_first_was_and_changes_nothing(world: World, event: Event):
    registration = registrations.register(event=event, person=_person(1))
    _scan(world, event, _code(registration))
    registration.refresh_from_db()
    first = registration.checked_in_at
    response = _scan(world, event, _code(registration))
    assert response.context["outcome"]["already"] is True
    assert response.context["outcome"]["kind"] == "warning"
    registration.refresh_from_db()
    assert registration.checked_in_at == first
    assert AuditEvent.objects.filter(action="education.checked_in").count() == 1


def test_the_conditional_update_records_one_check_in_when_two_phones_read_before_writing(
    world: World, event: Event
):
    # Both phones read the registration as not checked in; only one update may land.
    registration = registrations.register(event=event, person=_person(1))
    code = _code(registration)
    results = [
        checkin.check_in(event=event, code=code, by=u)
        for u in (world.inspector, world.inspector_general)
    ]
    assert [r.already for r in results] == [False, True]
    assert results[1].registration.checked_in_by == world.inspector
    assert AuditEvent.objects.filter(action="education.checked_in").count() == 1


def test_a_forged_code_is_refused_clearly(world: World, event: Event):
    registration = registrations.register(event=event, person=_person(1))
    code = _code(registration)
    forged = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = _scan(world, event, forged)
    assert response.status_code == 400
    assert response.context["outcome"]["kind"] == "error"
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_signed_code_of_no_registration_is_unknown(world: World, event: Event):
    response = _scan(world, event, tickets.code_for("ZZZZZZZZ"))
    assert response.status_code == 404


def test_a_ticket_of_another_event_is_named_as_such(world: World, event: Event):
    other = make_event(world, title="Bimtek pengadaan")
    registration = registrations.register(event=other, person=_person(1))
    response = _scan(world, event, _code(registration))
    assert response.status_code == 409
    assert "Bimtek pengadaan" in response.context["outcome"]["message"]


def test_waiting_and_cancelled_tickets_are_not_admitted(world: World, event: Event):
    people = [registrations.register(event=event, person=_person(i)) for i in range(4)]
    waiting = people[3]
    assert waiting.status == Registration.Status.WAITING
    assert _scan(world, event, _code(waiting)).status_code == 409
    registrations.cancel(registration=people[0])
    assert _scan(world, event, _code(people[0])).status_code == 409
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED  # moved up into the freed place
    assert _scan(world, event, _code(waiting)).status_code == 200


def test_a_walk_in_is_registered_and_checked_in_beyond_the_capacity(world: World, event: Event):
    for i in range(3):
        registrations.register(event=event, person=_person(i))
    url = reverse("education-walk-in", args=[event.code])
    data = {
        "w-name": "Budi",
        "w-institution": "LSM Bersih",
        "w-group": "press",
        "w-phone": "08111",
        "w-consent": "on",
    }
    assert (
        client_for(world.inspector).post(url, {**data, "w-phone": "0811 2222 3333"}).status_code
        == 200
    )
    walk_in = Registration.objects.get(walk_in=True)
    assert walk_in.status == Registration.Status.CONFIRMED
    assert walk_in.checked_in_at is not None
    assert AuditEvent.objects.filter(action="education.walk_in").count() == 1


def test_a_walk_in_who_registered_already_is_pointed_to_their_ticket(world: World, event: Event):
    registration = registrations.register(event=event, person=_person(1))
    url = reverse("education-walk-in", args=[event.code])
    data = {"w-name": "P 1", "w-group": "staff", "w-email": "p1@example.test", "w-consent": "on"}
    response = client_for(world.inspector).post(url, data)
    assert response.status_code == 409
    assert response.context["outcome"]["code"] == _code(registration)
    assert Registration.objects.count() == 1


def test_the_page_counts_by_audience_group(world: World, event: Event):
    a = registrations.register(event=event, person=_person(1, "staff"))
    registrations.register(event=event, person=_person(2, "staff"))
    registrations.register(event=event, person=_person(3, "press"))
    registrations.register(event=event, person=_person(4, "press"))  # waiting
    checkin.check_in(event=event, code=_code(a), by=world.inspector)
    response = client_for(world.inspector).get(reverse("education-check-in", args=[event.code]))
    counts = {c.group: (c.confirmed, c.waiting, c.checked_in) for c in response.context["counts"]}
    assert counts == {"unit_head": (0, 0, 0), "staff": (2, 0, 1), "press": (1, 1, 0)}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_scans_of_one_ticket_record_one_check_in(world: World):
    event = make_event(world)
    registration = registrations.register(event=event, person=_person(1))
    code = _code(registration)
    barrier = threading.Barrier(4)
    outcomes: list[bool] = []

    def scan() -> None:
        try:
            barrier.wait()
            outcomes.append(checkin.check_in(event=event, code=code, by=world.inspector).already)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [False, True, True, True]
    assert AuditEvent.objects.filter(action="education.checked_in").count() == 1
