"""The education dashboard for the Inspectorate and leadership, for one year or for all years.

- **Events** per year and theme, counted by kind (by the day the event starts).
- **People reached**: participants who checked in (a cancelled registration never counts), per
  year and audience group. A person who came to two events counts twice: attendances, not
  distinct people, since participants have no identity across events.
- **Learning gain** over the events with paired tests (``services.results``): the mean of the
  events' class gains (each event counts once) and the mean individual gain over every pair of
  those events (each participant counts once), with the number of events and of pairs.
- **Units reached**: a participant is tied to a work unit by the unit they gave when registering
  (internal groups only), else by the unit whose invitation they registered through (the unit's
  head); participants with neither count for no unit. The units whose staff nobody from them
  checked in are listed as never reached (active units only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from integritas.core.models import Unit
from integritas.education.gain import LearningGain
from integritas.education.models import AudienceGroup, Event, Kind, Registration, Theme
from integritas.education.services import results


@dataclass(frozen=True)
class EventRow:
    year: int
    theme: str
    theme_label: str
    counts: list[int]  # per kind, in the order of ``Kind``
    total: int


@dataclass(frozen=True)
class ReachRow:
    year: int
    counts: list[int]  # per audience group, in the order of ``AudienceGroup``
    total: int


@dataclass(frozen=True)
class EventGain:
    code: str
    title: str
    starts_at: dt.datetime
    gain: LearningGain


@dataclass(frozen=True)
class GainSummary:
    events: list[EventGain]
    n_paired: int
    n_individual: int
    mean_class_gain: float | None
    mean_individual_gain: float | None

    @property
    def n_events(self) -> int:
        return len(self.events)


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    people: int
    events: int


@dataclass(frozen=True)
class Dashboard:
    years: list[int]
    year: int | None
    kinds: list[tuple[str, str]]
    groups: list[tuple[str, str]]
    events: list[EventRow]
    reach: list[ReachRow]
    gain: GainSummary
    units: list[UnitRow]
    never: list[Unit]

    @property
    def is_empty(self) -> bool:
        return not self.events


def years() -> list[int]:
    return [d.year for d in Event.objects.dates("starts_at", "year", order="DESC")]


def _events(year: int | None) -> QuerySet[Event]:
    found = Event.objects.all()
    if year is not None:
        found = found.filter(starts_at__year=year)
    return found


def event_rows(year: int | None) -> list[EventRow]:
    counted = (
        _events(year)
        .annotate(y=ExtractYear("starts_at"))
        .values("y", "theme", "kind")
        .annotate(n=Count("pk"))
    )
    table: dict[tuple[int, str], dict[str, int]] = {}
    for row in counted:
        table.setdefault((row["y"], row["theme"]), {})[row["kind"]] = row["n"]
    labels = dict(Theme.choices)
    order = {theme: i for i, theme in enumerate(Theme.values)}
    rows = []
    for (y, theme), by_kind in sorted(table.items(), key=lambda i: (-i[0][0], order[i[0][1]])):
        counts = [by_kind.get(kind, 0) for kind in Kind.values]
        rows.append(EventRow(y, theme, str(labels[theme]), counts, sum(counts)))
    return rows


def _reached(year: int | None) -> QuerySet[Registration]:
    found = Registration.objects.filter(checked_in_at__isnull=False).exclude(
        status=Registration.Status.CANCELLED
    )
    if year is not None:
        found = found.filter(event__starts_at__year=year)
    return found


def reach_rows(year: int | None) -> list[ReachRow]:
    counted = (
        _reached(year)
        .annotate(y=ExtractYear("event__starts_at"))
        .values("y", "group")
        .annotate(n=Count("pk"))
    )
    table: dict[int, dict[str, int]] = {}
    for row in counted:
        table.setdefault(row["y"], {})[row["group"]] = row["n"]
    rows = []
    for y in sorted(table, reverse=True):
        counts = [table[y].get(group, 0) for group in AudienceGroup.values]
        rows.append(ReachRow(y, counts, sum(counts)))
    return rows


def gain_summary(year: int | None) -> GainSummary:
    held = (
        _events(year)
        .filter(ends_at__lt=timezone.now(), registrations__submissions__isnull=False)
        .distinct()
        .order_by("-starts_at", "code")
    )
    events: list[EventGain] = []
    individual: list[float] = []
    for event in held:
        found = results.event_results(event)
        if not found.overall.n_paired:
            continue
        events.append(EventGain(event.code, event.title, event.starts_at, found.overall))
        individual += [r.gain for r in found.participants if r.gain is not None]
    class_gains = [e.gain.class_gain for e in events if e.gain.class_gain is not None]
    return GainSummary(
        events=events,
        n_paired=sum(e.gain.n_paired for e in events),
        n_individual=len(individual),
        mean_class_gain=sum(class_gains) / len(class_gains) if class_gains else None,
        mean_individual_gain=sum(individual) / len(individual) if individual else None,
    )


def unit_rows(year: int | None) -> list[UnitRow]:
    counted = (
        _reached(year)
        .annotate(reached_unit=Coalesce(F("unit"), F("invitation__unit")))
        .filter(reached_unit__isnull=False)
        .values("reached_unit")
        .annotate(people=Count("pk"), events=Count("event", distinct=True))
    )
    found = {row["reached_unit"]: row for row in counted}
    units = Unit.objects.filter(pk__in=found).order_by("code")
    return [UnitRow(u, found[u.pk]["people"], found[u.pk]["events"]) for u in units]


def never_reached(reached: list[UnitRow]) -> list[Unit]:
    seen = {row.unit.pk for row in reached}
    return list(Unit.objects.filter(is_active=True).exclude(pk__in=seen).order_by("code"))


def dashboard(*, year: int | None) -> Dashboard:
    units = unit_rows(year)
    return Dashboard(
        years=years(),
        year=year,
        kinds=[(value, str(label)) for value, label in Kind.choices],
        groups=[(value, str(label)) for value, label in AudienceGroup.choices],
        events=event_rows(year),
        reach=reach_rows(year),
        gain=gain_summary(year),
        units=units,
        never=never_reached(units),
    )
