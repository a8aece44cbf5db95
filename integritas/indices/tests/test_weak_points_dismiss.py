"""Dismiss: an inspector closes a weak point without a recommendation, always with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.indices.models import WeakPoint
from integritas.indices.services.weak_points import dismiss
from integritas.indices.tests.test_weak_points_detect import world_wave


def open_weak_point(w: World) -> WeakPoint:
    wave = world_wave(w)
    return WeakPoint.objects.get(wave=wave, unit=w.disdik, dimension="D2", question=None)


def url(weak_point: WeakPoint) -> str:
    return f"/indices/weak-points/{weak_point.public_id}/dismiss/"


def test_the_service_stores_the_reason_and_records_an_event(world: World) -> None:
    weak_point = open_weak_point(world)
    dismiss(weak_point=weak_point, by=world.inspector_general, reason=" Already in the 2025 plan. ")
    weak_point.refresh_from_db()
    assert weak_point.status == WeakPoint.Status.DISMISSED
    assert weak_point.dismissed_by == world.inspector_general
    assert weak_point.dismissed_at is not None
    assert weak_point.dismiss_reason == "Already in the 2025 plan."
    event = Event.objects.get(action="indices.weak_point_dismissed")
    assert event.actor == world.inspector_general
    assert event.reason == "Already in the 2025 plan."
    assert event.changes["status"] == ["open", "dismissed"]


def test_a_reason_is_required(world: World) -> None:
    weak_point = open_weak_point(world)
    with pytest.raises(ValidationError):
        dismiss(weak_point=weak_point, by=world.inspector, reason="   ")
    weak_point.refresh_from_db()
    assert weak_point.status == WeakPoint.Status.OPEN
    response = client_for(world.inspector).post(url(weak_point), {"confirm": "on", "reason": ""})
    assert response.status_code == 400
    assert response.context["dismiss_form"].errors["reason"]
    weak_point.refresh_from_db()
    assert weak_point.status == WeakPoint.Status.OPEN
    assert not Event.objects.filter(action="indices.weak_point_dismissed").exists()


def test_an_inspector_dismisses_through_the_page(world: World) -> None:
    weak_point = open_weak_point(world)
    response = client_for(world.inspector).post(
        url(weak_point), {"confirm": "on", "reason": "Measured before the new service opened."}
    )
    assert response.status_code == 302
    weak_point.refresh_from_db()
    assert weak_point.status == WeakPoint.Status.DISMISSED
    assert weak_point.dismiss_reason == "Measured before the new service opened."


def test_only_the_inspectorate_may_dismiss(world: World) -> None:
    weak_point = open_weak_point(world)
    data = {"confirm": "on", "reason": "Not ours."}
    for persona in (world.officer_b, world.leader, world.admin):
        assert client_for(persona).post(url(weak_point), data).status_code == 403
    assert client_for(world.officer_a).post(url(weak_point), data).status_code == 404
    weak_point.refresh_from_db()
    assert weak_point.status == WeakPoint.Status.OPEN
