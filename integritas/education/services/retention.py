"""The retention of participants' personal data (UU 27/2022): the names, institutions, email
addresses and phone numbers of an event's participants and invitees are kept for
``EDUCATION_RETENTION_MONTHS`` after the event ends, then blanked.

What stays: every registration row with its audience group, status, work unit, check-in time and
test scores (so attendance counts, learning gain and the dashboard do not change), and every
certificate with its serial, so the public verification still answers valid or revoked (without
a name). Each event done writes ``education.personal_data_removed`` with the counts, never a
name; the event remembers when (``Event.personal_data_removed_at``) and is not done twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integritas import audit
from integritas.education.models import AuditAction, Event, Invitee, Registration


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


def cutoff(today: dt.date) -> dt.date:
    """Events that ended before this day are past their retention period."""
    return months_before(today, int(settings.EDUCATION_RETENTION_MONTHS))


def due(today: dt.date) -> list[Event]:
    """Events past their retention period whose personal data is still there, oldest first."""
    return list(
        Event.objects.filter(
            ends_at__date__lt=cutoff(today), personal_data_removed_at__isnull=True
        ).order_by("ends_at", "pk")
    )


@dataclass(frozen=True)
class Removed:
    event: Event
    registrations: int
    invitees: int


def _counts(event: Event) -> Removed:
    return Removed(
        event,
        Registration.objects.filter(event=event).count(),
        Invitee.objects.filter(event=event).count(),
    )


def remove_due(*, today: dt.date, dry_run: bool = False) -> list[Removed]:
    """Blank the personal data of every event in ``due``, one transaction and one audit event
    per event; with ``dry_run``, only say what would be done."""
    done = []
    for event in due(today):
        if dry_run:
            done.append(_counts(event))
            continue
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if locked.personal_data_removed_at is not None:
                continue
            removed = Removed(
                event,
                Registration.objects.filter(event=event).update(
                    name="", institution="", email="", phone=""
                ),
                Invitee.objects.filter(event=event).update(
                    name="", institution="", email="", phone=""
                ),
            )
            locked.personal_data_removed_at = timezone.now()
            locked.save(update_fields=["personal_data_removed_at"])
            audit.record(
                AuditAction.PERSONAL_DATA_REMOVED,
                obj=locked,
                changes={
                    "registrations": removed.registrations,
                    "invitees": removed.invitees,
                    "retention_months": int(settings.EDUCATION_RETENTION_MONTHS),
                },
            )
        done.append(removed)
    return done
