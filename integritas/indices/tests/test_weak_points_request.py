"""Create recommendation: an inspector asks the follow-up process to turn a weak point into a
recommendation; the request is stored and audited, and nobody else can make it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.indices.models import WeakPoint
from integritas.indices.services.weak_points import dismiss, request_recommendation
from integritas.indices.tests.test_weak_points_detect import world_wave


def open_weak_point(w: World) -> WeakPoint:
    wave = world_wave(w)
    return WeakPoint.objects.get(wave=wave, unit=w.dinkes, dimension="D1", question=None)


def url(weak_point: WeakPoint) -> str:
    return f"/indices/weak-points/{weak_point.public_id}/request/"


def test_the_service_stores_the_request_and_records_an_event(world: World) -> None:
    weak_point = open_weak_point(world)
    request_recommendation(weak_point=weak_point, by=world.inspector, note="  Start with SOPs. ")
    weak_point.refresh_from_db()
    assert weak_point.status == WeakPoint.Status.RECOMMENDATION_REQUESTED
    assert weak_point.requested_by == world.inspector
    assert weak_point.requested_at is not None
    assert weak_point.request_note == "Start with SOPs."
    assert weak_point.recommendation_ref == ""
    event = Event.objects.get(action="indices.weak_point_requested")
    assert event.actor == world.inspector
    assert event.object_id == str(weak_point.pk)
    assert event.changes["status"] == ["open", "requested"]


def test_a_weak_point_is_requested_only_once_and_never_after_dismissal(world: World) -> None:
    weak_point = open_weak_point(world)
    request_recommendation(weak_point=weak_point, by=world.inspector)
    with pytest.raises(ValidationError):
        request_recommendation(weak_point=weak_point, by=world.inspector)
    with pytest.raises(ValidationError):
        dismiss(weak_point=weak_point, by=world.inspector, reason="Changed my mind.")
    other = WeakPoint.objects.get(unit=world.dinkes, question__code="Q1")
    dismiss(weak_point=other, by=world.inspector, reason="Covered elsewhere.")
    with pytest.raises(ValidationError):
        request_recommendation(weak_point=other, by=world.inspector)
    assert Event.objects.filter(action="indices.weak_point_requested").count() == 1
    other.refresh_from_db()
    assert other.status == WeakPoint.Status.DISMISSED


def test_an_inspector_requests_through_the_page(world: World) -> None:
    weak_point = open_weak_point(world)
    response = client_for(world.inspector).post(
        url(weak_point), {"note": "Review the procedure.", "confirm": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/indices/weak-points/{weak_point.public_id}/"
    weak_point.refresh_from_db()
    assert weak_point.status == WeakPoint.Status.RECOMMENDATION_REQUESTED
    assert weak_point.request_note == "Review the procedure."
    assert Event.objects.get(action="indices.weak_point_requested").actor == world.inspector


def test_without_confirmation_nothing_changes(world: World) -> None:
    weak_point = open_weak_point(world)
    response = client_for(world.inspector).post(url(weak_point), {"note": "x"})
    assert response.status_code == 400
    weak_point.refresh_from_db()
    assert weak_point.status == WeakPoint.Status.OPEN
    assert not Event.objects.filter(action="indices.weak_point_requested").exists()


def test_a_second_request_is_refused_with_a_message(world: World) -> None:
    weak_point = open_weak_point(world)
    client = client_for(world.inspector)
    client.post(url(weak_point), {"confirm": "on"}, follow=True)  # shows the success message
    response = client.post(url(weak_point), {"confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Event.objects.filter(action="indices.weak_point_requested").count() == 1


def test_only_the_inspectorate_may_request(world: World) -> None:
    weak_point = open_weak_point(world)
    for persona in (world.officer_a, world.head_a, world.leader, world.admin):
        assert client_for(persona).post(url(weak_point), {"confirm": "on"}).status_code == 403
    assert client_for(world.officer_b).post(url(weak_point), {"confirm": "on"}).status_code == 404
    weak_point.refresh_from_db()
    assert weak_point.status == WeakPoint.Status.OPEN
