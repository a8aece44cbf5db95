"""The education events the portal shows: published events (``Event.public``), upcoming and
past, with their materials and their attendance by audience group.

Attendance counts the participants who checked in; a group with fewer than
``settings.EDUCATION_PUBLIC_MIN_GROUP`` of them shows "< k" (``lib.suppression``, with the total
published, so a hidden group cannot be worked out by subtraction). Names, institutions and
contact details of participants never reach the portal.

A held event's learning gain (``education.services.results``) is shown for the whole event and
per audience group: N pre, N post, N paired, the class gain and the mean individual gain with
their bands, never a mean score, a participant's score or name. A group with fewer than k
paired participants is withheld, with the complementary rule of ``lib.suppression`` on the
paired counts (the whole event's figures are published), so a withheld group's figures cannot
be worked out from the whole event's; a group with tests but no pair has no gain and is withheld
too. With fewer than k pairs in the whole event, no figure is shown at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from integritas.education.gain import Band, LearningGain
from integritas.education.models import AudienceGroup, Event, Kind, Registration, Theme
from integritas.education.services import results
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


BAND_LABELS: dict[Band, Promise] = {
    Band.HIGH: gettext_lazy("high"),
    Band.MEDIUM: gettext_lazy("medium"),
    Band.LOW: gettext_lazy("low"),
}


@dataclass(frozen=True)
class GainLine:
    label: str
    gain: LearningGain | None  # None: withheld

    @property
    def class_band(self) -> str:
        band = self.gain.class_band if self.gain else None
        return str(BAND_LABELS[band]) if band else ""

    @property
    def individual_band(self) -> str:
        band = self.gain.individual_band if self.gain else None
        return str(BAND_LABELS[band]) if band else ""


@dataclass(frozen=True)
class GainFigures:
    k: int
    whole: GainLine | None  # None: too few pairs in the whole event to show anything
    lines: list[GainLine]

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


def gain_figures(event: Event) -> GainFigures | None:
    """A held event's learning gain for the public, small groups withheld; None before the
    event has ended or when nobody took a test."""
    if event.ends_at >= timezone.now():
        return None
    found = results.event_results(event)
    if not (found.overall.n_pre or found.overall.n_post):
        return None
    k = min_group()
    if found.overall.n_paired < k:
        return GainFigures(k=k, whole=None, lines=[])
    paired = {row.group: row.gain.n_paired for row in found.groups}
    hidden = suppress(paired, k) | {group for group, n in paired.items() if n == 0}
    lines = [GainLine(row.label, None if row.group in hidden else row.gain) for row in found.groups]
    return GainFigures(k=k, whole=GainLine("", found.overall), lines=lines)
