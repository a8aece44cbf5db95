"""An event linked to a follow-up activity counts as its evidence once it has taken place:
linked through the registry in core (the two apps do not import each other)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World, client_for
from integritas.education.models import Event, EvidenceLink
from integritas.education.services import evidence
from integritas.education.tests.conftest import make_event
from integritas.followup.models import Activity
from integritas.followup.services import plans as plan_services
from integritas.followup.testing import two_activity_plan


@pytest.fixture(autouse=True)
def _media_in_tmp(tmp_path: Path, settings: Any) -> None:
    """The follow-up plan's evidence file goes to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _held(world: World) -> Event:
    starts = timezone.now() - dt.timedelta(days=2)
    return make_event(
        world, title="Sosialisasi SPI", starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )


def _activity(world: World) -> Activity:
    plan = two_activity_plan(world)
    return Activity.objects.get(plan=plan, title="Sosialisasi")


def test_the_inspectorate_links_an_event_to_an_open_activity_of_a_running_plan(world: World):
    activity = _activity(world)
    event = _held(world)
    url = reverse("education-evidence-link", args=[event.code])
    client = client_for(world.inspector)
    page = client.get(url)
    assert page.status_code == 200
    assert str(activity.public_id) in page.content.decode()
    assert client.post(url, {"target": str(activity.public_id)}).status_code == 302
    assert EvidenceLink.objects.get(event=event).target == str(activity.public_id)
    detail = client.get(reverse("education-event", args=[event.code])).content.decode()
    assert "Sosialisasi" in detail and activity.plan.recommendation.code in detail
    linked = AuditEvent.objects.get(action="education.evidence_linked")
    assert linked.changes["followup_activity"][1].endswith("Sosialisasi")


def test_a_held_event_counts_as_the_activitys_evidence_on_the_plan(world: World):
    activity = _activity(world)
    event = _held(world)
    evidence.link(event=event, target=str(activity.public_id), by=world.inspector)
    page = client_for(world.head_a).get(reverse("followup-plan", args=[activity.plan.public_id]))
    body = page.content.decode()
    assert "Sosialisasi SPI (0 hadir)" in body
    # Without evidence of its own the activity may now be marked done.
    plan_services.activity_step(activity=activity, name="done", by=world.officer_a)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE


def test_an_event_not_yet_held_is_not_evidence(world: World, event: Event):
    activity = _activity(world)
    evidence.link(event=event, target=str(activity.public_id), by=world.inspector)
    with pytest.raises(ValidationError):
        plan_services.activity_step(activity=activity, name="done", by=world.officer_a)


def test_only_offered_activities_can_be_linked(world: World):
    event = _held(world)
    url = reverse("education-evidence-link", args=[event.code])
    response = client_for(world.inspector).post(url, {"target": "00000000-0000-0000-0000-0000"})
    assert response.status_code == 400
    assert not EvidenceLink.objects.exists()


def test_removing_the_link_takes_the_evidence_away(world: World):
    activity = _activity(world)
    event = _held(world)
    evidence.link(event=event, target=str(activity.public_id), by=world.inspector)
    url = reverse("education-evidence-link", args=[event.code])
    assert client_for(world.inspector).post(url, {"unlink": "1"}).status_code == 302
    assert not EvidenceLink.objects.exists()
    assert AuditEvent.objects.filter(action="education.evidence_unlinked").exists()
    with pytest.raises(ValidationError):
        plan_services.activity_step(activity=activity, name="done", by=world.officer_a)
