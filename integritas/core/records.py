"""Audit events as a person reads them, on the audit page, in its exports and in every history.

An event stores codes: the action (``plan.submit``), the kind of object (``followup.actionplan``),
field names, choice values, ISO dates, unit codes, the name a scheduled task acts under. What is
shown is worked out here, in the reader's language, when the event is displayed; the stored event
(and so the hash chain) is never touched:

- the action and the kind of object by their labels ("Rencana aksi diajukan", "Rencana aksi");
- who acted: a person's name, or a task, an import or the system in words;
- each change as its field's label with the old and new values as labels: choices by their
  label, dates and numbers in the reader's format, units by code and name, lists spelled out;
- related objects that an event names by an internal identifier (a unit's code, a file's id) by
  their name, through the resolvers apps register (``extensions.register_audit_actions``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from integritas.audit import labels
from integritas.audit.models import Event
from integritas.core.models import Unit
from integritas.lib import formatting

# ``resolver(texts) -> {text: name}``: names for the identifiers among the texts of some events.
NameResolver = Callable[[set[str]], Mapping[str, str]]
_resolvers: list[NameResolver] = []
CODE_LENGTH = Unit._meta.get_field("code").max_length or 0
# Fields whose value is a code of the object itself, never a reference to a unit.
_OWN_CODES = frozenset({"code"})


_MONTHS = {
    name.casefold(): number
    for months in formatting.MONTHS.values()
    for number, name in enumerate(months, start=1)
}
_WRITTEN_DATE = re.compile(r"^(?P<day>\d{1,2}) (?P<month>[^\W\d]+) (?P<year>\d{4})$")
_WRITTEN_NUMBER = re.compile(r"^-?\d{1,3}([.,]\d{3})*([.,]\d+)?$")


def register_names(resolver: NameResolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


@dataclass(frozen=True)
class Change:
    """One change: ``old`` and ``new`` for a change of value, ``value`` alone for a fact that the
    event states (a file imported, a number of rows)."""

    label: str
    old: str = ""
    new: str = ""
    value: str = ""
    is_pair: bool = True

    def text(self) -> str:
        if self.is_pair:
            return f"{self.label}: {self.old} → {self.new}"
        return f"{self.label}: {self.value}"


@dataclass
class Record:
    """An event as its reader sees it; ``event`` is the event itself."""

    event: Event
    time: str
    actor: str
    action: str
    kind: str
    object: str
    changes: list[Change] = field(default_factory=list)

    @property
    def seq(self) -> int:
        return self.event.seq

    @property
    def created_at(self) -> dt.datetime:
        return self.event.created_at

    @property
    def reason(self) -> str:
        return self.event.reason

    def changes_text(self) -> str:
        return "\n".join(change.text() for change in self.changes)


def _texts(value: Any, into: set[str]) -> None:
    if isinstance(value, str):
        into.add(value)
    elif isinstance(value, list):
        for item in value:
            _texts(item, into)
    elif isinstance(value, dict):
        for key, item in value.items():
            into.add(str(key))
            _texts(item, into)


def _names(events: Iterable[Event]) -> tuple[dict[str, str], dict[str, str]]:
    """Names for the unit codes and other identifiers that the events' changes mention, and for
    object labels the apps' resolvers rename (a label recorded in another language)."""
    texts: set[str] = set()
    labels_of_objects = {event.object_label for event in events if event.object_label}
    for event in events:
        for name, pair in (event.changes or {}).items():
            texts.add(name)
            if name not in _OWN_CODES:
                _texts(pair, texts)
    texts.discard("")
    # Only what could be a unit's code is looked up (not a description or a file name).
    codes = {text for text in texts if len(text) <= CODE_LENGTH and " " not in text}
    names = {unit.code: str(unit) for unit in Unit.objects.filter(code__in=codes)} if codes else {}
    objects: dict[str, str] = {}
    for resolver in _resolvers:
        found = resolver(texts | labels_of_objects)
        names.update({text: name for text, name in found.items() if text in texts})
        objects.update({text: name for text, name in found.items() if text in labels_of_objects})
    return names, objects


def _change(event: Event, name: str, pair: Any, names: Mapping[str, str]) -> Change:
    kind = event.object_type
    label = labels.field_label(kind, name, names)
    known = {} if name in _OWN_CODES else names
    if isinstance(pair, list) and len(pair) == 2:
        return Change(
            label,
            old=labels.value_label(kind, name, pair[0], known),
            new=labels.value_label(kind, name, pair[1], known),
        )
    return Change(label, value=labels.value_label(kind, name, pair, known), is_pair=False)


def readable(events: Iterable[Event]) -> list[Record]:
    """The events as their reader sees them, in the active language."""
    events = list(events)
    names, objects = _names(events)
    lang = translation.get_language() or "id"
    records = []
    for event in events:
        records.append(
            Record(
                event=event,
                time=formatting.format_datetime(timezone.localtime(event.created_at), lang),
                actor=labels.actor_name(event.actor_label, has_person=event.actor_id is not None),
                action=labels.action_label(event.action),
                kind=labels.object_kind(event.object_type),
                object=objects.get(event.object_label, event.object_label),
                changes=[
                    _change(event, name, pair, names)
                    for name, pair in (event.changes or {}).items()
                ],
            )
        )
    return records


def _matching(choices: Mapping[str, Any], text: str) -> list[str]:
    needle = text.casefold()
    return [code for code, label in choices.items() if needle in str(label).casefold()]


def _as_written(text: str) -> Q:
    """Events that hold a date or a number written as the reader writes it ("6 Desember 2026",
    "3.841,5"): the changes store them as ``2026-12-06`` and ``3841.5``; a date also finds the
    events of that day."""
    query = Q(pk__in=[])
    lang = translation.get_language() or "id"
    match = _WRITTEN_DATE.match(text)
    if match:
        month = _MONTHS.get(match["month"].casefold())
        try:
            day = dt.date(int(match["year"]), month or 0, int(match["day"]))
        except ValueError:
            return query
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return (
            query
            | Q(changes__icontains=day.isoformat())
            | Q(created_at__gte=start, created_at__lt=start + dt.timedelta(days=1))
        )
    if _WRITTEN_NUMBER.match(text):
        thousands, decimal = (",", ".") if lang.startswith("en") else (".", ",")
        plain = text.replace(thousands, "").replace(decimal, ".")
        if plain != text:
            query |= Q(changes__icontains=plain)
    return query


def search(events: QuerySet[Event], text: str) -> QuerySet[Event]:
    """The events whose action, kind of object, object, actor, reason or changes mention
    ``text``, as recorded or as read: the labels are matched in the reader's language (and the
    codes they stand for looked up), the changes as stored, field labels and choice labels
    included."""
    text = text.strip()
    if not text:
        return events
    query = (
        Q(action__icontains=text)
        | Q(object_label__icontains=text)
        | Q(actor_label__icontains=text)
        | Q(reason__icontains=text)
        | Q(changes__icontains=text)
    )
    actions = _matching(labels.ACTION_LABELS, text)
    if actions:
        query |= Q(action__in=actions)
    needle = text.casefold()
    present = [k for k in events.order_by().values_list("object_type", flat=True).distinct() if k]
    kinds = [kind for kind in present if needle in labels.object_kind(kind).casefold()]
    if kinds:
        query |= Q(object_type__in=kinds)
    for kind in present:
        for name, choices in labels.model_fields(kind).items():
            if needle in labels.field_label(kind, name).casefold():
                query |= Q(object_type=kind, changes__has_key=name)
            for code in _matching(choices, text):
                query |= Q(object_type=kind, changes__icontains=f'"{code}"')
    query |= _as_written(text)
    actors = _matching(labels.SYSTEM_ACTORS, text)
    if actors:
        query |= Q(actor__isnull=True, actor_label__in=actors)
    if needle in str(labels.SYSTEM_ACTORS["system"]).casefold():
        query |= Q(actor__isnull=True)
    for name, (label, extra_choices) in labels.EXTRA_FIELDS.items():
        if needle in str(label).casefold():
            query |= Q(changes__has_key=name)
        for code in _matching(extra_choices, text):
            query |= Q(changes__icontains=f'"{code}"')
    units = Unit.objects.filter(Q(name__icontains=text) | Q(code__icontains=text))
    for code in units.values_list("code", flat=True)[:50]:
        query |= Q(changes__icontains=f'"{code}"')
    return events.filter(query)


def kind_choices(object_types: Iterable[str]) -> list[tuple[str, str]]:
    """``(object type, its label)`` sorted by label, for a filter."""
    return sorted(
        ((kind, labels.object_kind(kind)) for kind in object_types if kind),
        key=lambda choice: choice[1].casefold(),
    )


def action_choices(actions: Iterable[str]) -> list[tuple[str, str]]:
    """``(action, its label)`` sorted by label, for a filter."""
    return sorted(
        ((action, labels.action_label(action)) for action in actions if action),
        key=lambda choice: choice[1].casefold(),
    )
