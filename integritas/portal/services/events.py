"""The education events the portal shows: published events (``Event.public``), upcoming and
past, with their materials and their attendance by audience group.

Attendance counts the participants who checked in; a group with fewer than
``settings.EDUCATION_PUBLIC_MIN_GROUP`` of them shows "< k" (``lib.suppression``, with the total
published, so a hidden group cannot be worked out by subtraction). Names, institutions and
contact details of participants never reach the portal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from integritas.education.models import AudienceGroup, Event, Kind, Registration, Theme
from integritas.lib.suppression import suppress


@dataclass(frozen=True)
class GroupLine:
    label: str
    count: int | None  # None: withheld


@dataclass(frozen=True)
class Attendance:
    k: int
    total: int
    lines: list[GroupLine]

    @property
    def withheld(self) -> str:
        return f"< {self.k}"


def min_group() -> int:
    return int(settings.EDUCATION_PUBLIC_MIN_GROUP)


def events() -> QuerySet[Event]:
    return Event.objects.public().select_related("organiser").prefetch_related("materials")


def filtered(*, year: int | None, theme: str, kind: str) -> QuerySet[Event]:
    found = events()
    if year is not None:
        found = found.filter(starts_at__year=year)
    if theme in Theme.values:
        found = found.filter(theme=theme)
    if kind in Kind.values:
        found = found.filter(kind=kind)
    return found


def split(found: QuerySet[Event]) -> tuple[list[Event], list[Event]]:
    """Upcoming (soonest first) and past (latest first) events."""
    now = timezone.now()
    upcoming = sorted((e for e in found if e.ends_at >= now), key=lambda e: e.starts_at)
    past = sorted((e for e in found if e.ends_at < now), key=lambda e: e.starts_at, reverse=True)
    return upcoming, past


def years() -> list[int]:
    dates = Event.objects.public().dates("starts_at", "year", order="DESC")
    return [d.year for d in dates]


def event(code: str) -> Event | None:
    return events().filter(code=code).first()


def attendance(event: Event) -> Attendance:
    """Checked-in participants by audience group, small groups withheld."""
    rows = (
        event.registrations.filter(checked_in_at__isnull=False)
        .exclude(status=Registration.Status.CANCELLED)
        .values("group")
        .annotate(n=Count("pk"))
    )
    found = {row["group"]: row["n"] for row in rows}
    counts = {group: found.get(group, 0) for group in AudienceGroup.values if group in found}
    k = min_group()
    hidden = suppress(counts, k)
    labels = dict(AudienceGroup.choices)
    lines = [
        GroupLine(str(labels[group]), None if group in hidden else n) for group, n in counts.items()
    ]
    return Attendance(k=k, total=sum(counts.values()), lines=lines)


def registered(event: Event) -> int:
    return event.registrations.filter(
        Q(status=Registration.Status.CONFIRMED) | Q(checked_in_at__isnull=False)
    ).count()
