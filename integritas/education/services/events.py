"""Creating and changing events (the Inspectorate's staff pages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from integritas import audit
from integritas.audit.services import changes_between, snapshot
from integritas.core.models import User
from integritas.education.models import AuditAction, Event, Material

EVENT_FIELDS = [
    "kind",
    "title",
    "theme",
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "organiser",
    "audience",
    "capacity",
    "speakers",
    "registration_open",
]


def _next_code(year: int) -> str:
    """EDU-2026-001, -002, … numbered per year of the event's start."""
    prefix = f"EDU-{year}-"
    codes = Event.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def event_save(*, event: Event, values: Mapping[str, Any], by: User | None) -> Event:
    """Create or change an event; writes ``education.event_created`` or ``…_updated``."""
    creating = event.pk is None
    # The stored row, not ``event``: a model form has already set its new values on it.
    before = {} if creating else snapshot(Event.objects.get(pk=event.pk), EVENT_FIELDS)
    for name, value in values.items():
        setattr(event, name, value)
    if creating:
        event.code = _next_code(event.starts_at.year)
        event.created_by = by
    event.full_clean()
    event.save()
    changes = changes_between(before, snapshot(event, EVENT_FIELDS))
    if creating or changes:
        audit.record(
            AuditAction.EVENT_CREATED if creating else AuditAction.EVENT_UPDATED,
            obj=event,
            changes=changes,
        )
    return event


@transaction.atomic
def material_add(*, event: Event, title: str, url: str, by: User | None) -> Material:
    """Add a link to the event's materials (shown on its public page)."""
    material = Material(event=event, title=title, url=url, added_by=by)
    material.full_clean()
    material.save()
    audit.record(
        AuditAction.MATERIAL_ADDED,
        obj=material,
        changes={"event": event.code, "title": [None, title], "url": [None, url]},
    )
    return material


@transaction.atomic
def material_remove(*, material: Material) -> None:
    audit.record(
        AuditAction.MATERIAL_REMOVED,
        obj=material,
        changes={"event": material.event.code, "title": [material.title, None]},
    )
    material.delete()
