"""audit_verify: exit 0 on an intact chain, non-zero naming the first bad event otherwise."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from integritas import audit
from integritas.audit.models import Event
from integritas.audit.tests.tampering import tampering


def five_events() -> list[Event]:
    return [
        audit.record(
            "test.thing", object_type="test.thing", object_id=str(i), object_label=f"thing {i}"
        )
        for i in range(1, 6)
    ]


@pytest.mark.django_db
def test_it_passes_an_intact_chain(capsys: pytest.CaptureFixture[str]) -> None:
    five_events()
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "intact: 5 events" in out


@pytest.mark.django_db
def test_it_passes_an_empty_chain() -> None:
    call_command("audit_verify")


@pytest.mark.django_db
def test_it_names_an_event_whose_content_was_edited() -> None:
    events = five_events()
    with tampering(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_event SET object_label = %s WHERE seq = %s", ["forged", events[2].seq]
        )
    with pytest.raises(CommandError, match=r"BROKEN at event #3: event #3 was changed"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_it_names_an_edit_that_also_recomputed_the_hash() -> None:
    events = five_events()
    forged = Event.objects.get(seq=events[1].seq)
    forged.reason = "rewritten history"
    new_hash = forged.compute_hash()
    with tampering(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_event SET reason = %s, hash = %s WHERE seq = %s",
            ["rewritten history", new_hash, forged.seq],
        )
    # The edited event is self-consistent now, but the next one no longer follows it.
    with pytest.raises(CommandError, match=r"BROKEN at event #3: event #3 does not follow"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_it_names_the_gap_left_by_a_deleted_event() -> None:
    events = five_events()
    with tampering(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE seq = %s", [events[3].seq])
    with pytest.raises(CommandError, match=r"BROKEN at event #4: event #4 is missing"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_it_detects_events_cut_off_the_end() -> None:
    events = five_events()
    with tampering(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE seq = %s", [events[4].seq])
    with pytest.raises(CommandError, match=r"removed from the end"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_it_names_an_inserted_event() -> None:
    events = five_events()
    with tampering(), connection.cursor() as cursor:
        # Make room after event 2 and slip a forged event in with the same shape.
        for seq in range(5, 2, -1):
            cursor.execute("UPDATE audit_event SET seq = %s WHERE seq = %s", [seq + 1, seq])
    forged = Event(
        seq=3,
        created_at=events[2].created_at,
        actor_label="intruder",
        action="test.thing",
        object_type="test.thing",
        object_id="99",
        object_label="forged",
        changes={},
        prev_hash=events[1].hash,
    )
    forged.hash = forged.compute_hash()
    forged.save()
    # The forged event links correctly to #2, but the original #3 (now #4) does not follow it.
    with pytest.raises(CommandError, match=r"BROKEN at event #4: event #4"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_the_model_refuses_to_update_or_delete_an_event() -> None:
    event = audit.record("test.thing")
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


@pytest.mark.django_db
def test_postgresql_rejects_update_and_delete_on_the_event_table() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    event = audit.record("test.thing")
    for statement in (
        "UPDATE audit_event SET reason = 'x' WHERE seq = %s",
        "DELETE FROM audit_event WHERE seq = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.seq])
    assert Event.objects.get(seq=event.seq).reason == ""
