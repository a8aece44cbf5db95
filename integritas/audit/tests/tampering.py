"""Shared helpers for the audit tests (no tests here): what an intruder with full write access
to the database does to the chain, beyond what the application allows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from integritas.audit.models import GENESIS_HASH, ChainHead, Event


@contextmanager
def tampering() -> Iterator[None]:
    """Let a test edit the table the way an intruder with database access would.

    On PostgreSQL the append-only trigger is switched off for the duration (inside the test's
    transaction, so it is back on afterwards).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Deferred foreign-key checks must run first: PostgreSQL refuses ALTER TABLE while
            # trigger events are pending in the transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")


def rewrite_chain(*, from_seq: int, label: str = "rewritten") -> None:
    """Change every event from ``from_seq`` on and rebuild every hash after it, the head too:
    a chain that ``audit_verify`` alone finds intact."""
    prev_hash = GENESIS_HASH
    with tampering(), connection.cursor() as cursor:
        for event in Event.objects.order_by("seq"):
            if event.seq >= from_seq:
                event.object_label = f"{label} {event.seq}"
            event.prev_hash = prev_hash
            event.hash = event.compute_hash()
            cursor.execute(
                "UPDATE audit_event SET object_label = %s, prev_hash = %s, hash = %s "
                "WHERE seq = %s",
                [event.object_label, event.prev_hash, event.hash, event.seq],
            )
            prev_hash = event.hash
        last = Event.objects.order_by("-seq").first()
        cursor.execute(
            "UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1",
            [last.seq if last else 0, prev_hash],
        )


def truncate_chain(*, keep: int) -> None:
    """Delete every event after ``keep`` and set the head to the last one left: a shorter chain
    that ``audit_verify`` alone finds intact."""
    with tampering(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE seq > %s", [keep])
        last = Event.objects.filter(seq=keep).first()
        cursor.execute(
            "UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1",
            [keep, last.hash if last else GENESIS_HASH],
        )
    head = ChainHead.objects.get(pk=1)
    assert head.seq == keep
