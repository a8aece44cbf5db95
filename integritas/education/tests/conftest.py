"""Education tests: an upcoming socialization organised by the Inspectorate, with room for three."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from integritas.core.models import Unit, User
from integritas.core.testing import World
from integritas.education.models import AudienceGroup, Event, Kind, Theme
from integritas.education.services.events import event_save


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


def make_event(
    w: World | None,
    *,
    by: User | None = None,
    capacity: int | None = 3,
    title: str = "Sosialisasi gratifikasi",
    **values: Any,
) -> Event:
    inspectorate, _ = Unit.objects.get_or_create(
        code="ITDA", defaults={"name": "Inspektorat Daerah", "type": Unit.Type.INSPECTORATE}
    )
    starts = timezone.now() + dt.timedelta(days=7)
    fields: dict[str, Any] = {
        "kind": Kind.SOCIALIZATION,
        "title": title,
        "theme": Theme.GRATIFICATION,
        "description": "",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=3),
        "venue": "Aula Inspektorat",
        "online_url": "",
        "organiser": inspectorate,
        "audience": [AudienceGroup.UNIT_HEAD, AudienceGroup.STAFF, AudienceGroup.PRESS],
        "capacity": capacity,
        "speakers": "Tim KPK",
        "registration_open": True,
        **values,
    }
    return event_save(event=Event(), values=fields, by=by or (w.inspector if w else None))


@pytest.fixture
def event(world: World) -> Event:
    return make_event(world)
