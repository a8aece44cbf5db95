"""audit.record: chained events with the actor, request id and a JSON-safe summary of changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from integritas import audit
from integritas.audit.context import acting_as
from integritas.audit.models import GENESIS_HASH, ChainHead, Event
from integritas.audit.services import changes_between, verify_chain
from integritas.core.models import Unit
from integritas.core.tests.conftest import World, client_for


@pytest.mark.django_db
def test_each_event_links_to_the_one_before() -> None:
    first = audit.record("test.a")
    second = audit.record("test.b")
    assert first.seq == 1 and first.prev_hash == GENESIS_HASH
    assert second.seq == 2 and second.prev_hash == first.hash
    assert second.hash == second.compute_hash()
    head = ChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (2, second.hash)


@pytest.mark.django_db
def test_an_object_fills_type_id_and_label() -> None:
    unit = Unit.objects.create(code="X1", name="Unit X", type=Unit.Type.OFFICE)
    event = audit.record("unit.created", obj=unit)
    assert (event.object_type, event.object_id, event.object_label) == (
        "core.unit",
        str(unit.pk),
        "X1 — Unit X",
    )
    assert list(Event.objects.for_object(unit)) == [event]


@pytest.mark.django_db
def test_values_that_json_cannot_hold_are_stored_as_text_and_still_verify() -> None:
    audit.record(
        "test.values",
        changes={"amount": [Decimal("1500000.50"), None], "due": [dt.date(2024, 5, 29), None]},
    )
    event = Event.objects.get()
    assert event.changes == {"amount": ["1500000.50", None], "due": ["2024-05-29", None]}
    assert verify_chain().ok


@pytest.mark.django_db
def test_commands_name_their_actor() -> None:
    with acting_as(label="seed_demo"):
        event = audit.record("test.command")
    assert event.actor is None and event.actor_label == "seed_demo"


@pytest.mark.django_db
def test_a_request_supplies_the_actor_and_a_request_id(world: World) -> None:
    client = client_for(world.admin)
    response = client.post(
        f"/units/{world.dinkes.code}/edit/",
        {"code": "DINKES", "name": "Dinas Kesehatan Kota", "type": "office", "is_active": "on"},
    )
    assert response.status_code == 302
    event = Event.objects.get(action="unit.updated")
    assert event.actor == world.admin
    assert event.actor_label == world.admin.name
    assert event.request_id == response["X-Request-ID"]
    assert event.changes == {"name": ["Dinas Kesehatan", "Dinas Kesehatan Kota"]}


def test_changes_between_lists_only_changed_fields_and_hides_secrets() -> None:
    before = {"name": "A", "code": "X", "password": "old"}
    after = {"name": "B", "code": "X", "password": "new"}
    assert changes_between(before, after, hide=["password"]) == {
        "name": ["A", "B"],
        "password": ["***", "***"],
    }
