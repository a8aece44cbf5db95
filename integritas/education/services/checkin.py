"""Checking participants in at the door, from several staff phones at once.

A check-in is one conditional update (``checked_in_at IS NULL`` in its WHERE clause): whichever
phone's update lands first records the time, every later scan of the same ticket updates no row
and is answered "already checked in at 09:12". No lock is held between reading and writing, so
four phones scanning a queue never wait on each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from integritas import audit
from integritas.core.models import User
from integritas.education.models import AudienceGroup, AuditAction, Event, Registration
from integritas.education.services import registration as registrations
from integritas.education.services import tickets
from integritas.education.services.registration import Person


class UnknownTicket(Exception):
    """A well-formed, signed code that names no registration (e.g. from a wiped database)."""


class OtherEventTicket(Exception):
    def __init__(self, registration: Registration) -> None:
        super().__init__(registration.ticket)
        self.registration = registration


class NotAdmitted(Exception):
    """The ticket was cancelled, or is still on the waiting list."""

    def __init__(self, registration: Registration) -> None:
        super().__init__(registration.ticket)
        self.registration = registration


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    already: bool  # checked in before this scan, at ``registration.checked_in_at``


def check_in(*, event: Event, code: str, by: User) -> CheckIn:
    """Check in the ticket ``code`` at ``event``; a second scan changes nothing and says when the
    first one was. Raises ``tickets.ForgedTicket``, ``UnknownTicket``, ``OtherEventTicket`` or
    ``NotAdmitted``."""
    ticket = tickets.read_code(code)
    found = Registration.objects.filter(ticket=ticket).select_related("event").first()
    if found is None:
        raise UnknownTicket(ticket)
    if found.event_id != event.pk:
        raise OtherEventTicket(found)
    if found.status != Registration.Status.CONFIRMED:
        raise NotAdmitted(found)
    with transaction.atomic():
        updated = Registration.objects.filter(
            pk=found.pk, status=Registration.Status.CONFIRMED, checked_in_at__isnull=True
        ).update(checked_in_at=timezone.now(), checked_in_by=by)
        if updated:
            audit.record(
                AuditAction.CHECKED_IN,
                obj=found,
                object_label=tickets.code_for(ticket),
                changes={"event": event.code},
            )
    found.refresh_from_db()
    if found.status != Registration.Status.CONFIRMED:  # cancelled between the read and the update
        raise NotAdmitted(found)
    return CheckIn(registration=found, already=not updated)


def walk_in(*, event: Event, person: Person, by: User) -> Registration:
    """Register someone who came without registering, checked in at once. The room decides, not
    the capacity; a person already registered (same email or phone) is refused with their
    registration (``DuplicateRegistration``) so that the staff check them in instead."""
    person = registrations.checked_person(person)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        registration = registrations.create(
            event=event,
            person=person,
            status=Registration.Status.CONFIRMED,
            walk_in=True,
            checked_in_at=timezone.now(),
            checked_in_by=by,
        )
        audit.record(
            AuditAction.WALK_IN,
            obj=registration,
            object_label=tickets.code_for(registration.ticket),
            changes={"event": event.code, "group": registration.group},
        )
    return registration


@dataclass(frozen=True)
class GroupCount:
    group: str
    label: str
    confirmed: int
    waiting: int
    checked_in: int


def counts(event: Event) -> list[GroupCount]:
    """Registrations by audience group: confirmed places, waiting list, checked in. Groups with
    nobody are left out unless the event is meant for them."""
    rows = {
        row["group"]: row
        for row in event.registrations.values("group").annotate(
            confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
            checked_in=Count(
                "pk",
                filter=Q(status=Registration.Status.CONFIRMED, checked_in_at__isnull=False),
            ),
        )
    }
    result = []
    for value, label in AudienceGroup.choices:
        row = rows.get(value)
        if row is None and value not in event.audience:
            continue
        row = row or {}
        result.append(
            GroupCount(
                group=value,
                label=str(label),
                confirmed=row.get("confirmed", 0),
                waiting=row.get("waiting", 0),
                checked_in=row.get("checked_in", 0),
            )
        )
    return result
