"""Publishing is a decision: the Inspectorate publishes and unpublishes (with a reason), each an
audit event; anyone else, or bad input, changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.followup.models import Evidence
from integritas.followup.testing import recommendation, running_plan
from integritas.portal.models import Publication
from integritas.portal.services import publishing
from integritas.portal.tests.stories import story
from integritas.surveys.models import Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db


def test_the_inspectorate_publishes_a_recommendation_with_one_audit_event(world: World) -> None:
    rec = recommendation(world)
    publication = publishing.publish(obj=rec, by=world.inspector)
    assert publication.kind == Publication.Kind.RECOMMENDATION
    assert publication.published_by == world.inspector and publication.is_live
    events = Event.objects.filter(action="portal.published", object_id=str(rec.pk))
    assert events.count() == 1


def test_unpublishing_keeps_the_record_with_who_when_and_why(world: World) -> None:
    rec = recommendation(world)
    publishing.publish(obj=rec, by=world.inspector)
    publishing.unpublish(obj=rec, by=world.inspector_general, reason="Data keliru")
    publication = Publication.objects.get(recommendation=rec)
    assert publication.unpublished_by == world.inspector_general
    assert publication.unpublish_reason == "Data keliru" and not publication.is_live
    event = Event.objects.get(action="portal.unpublished")
    assert event.reason == "Data keliru"
    # Published again: a new record, the old one stays.
    publishing.publish(obj=rec, by=world.inspector)
    assert Publication.objects.filter(recommendation=rec).count() == 2


def test_unpublishing_without_a_reason_changes_nothing(world: World) -> None:
    rec = recommendation(world)
    publishing.publish(obj=rec, by=world.inspector)
    with pytest.raises(ValidationError):
        publishing.unpublish(obj=rec, by=world.inspector, reason="   ")
    assert publishing.live_publication(rec) is not None
    assert not Event.objects.filter(action="portal.unpublished").exists()


@pytest.mark.parametrize("persona", ["leader", "admin", "head_a", "officer_a", "nobody"])
def test_only_the_inspectorate_may_publish_or_unpublish(world: World, persona: str) -> None:
    rec = recommendation(world)
    with pytest.raises(PermissionDenied):
        publishing.publish(obj=rec, by=getattr(world, persona))
    assert not Publication.objects.exists()
    publishing.publish(obj=rec, by=world.inspector)
    with pytest.raises(PermissionDenied):
        publishing.unpublish(obj=rec, by=getattr(world, persona), reason="Tidak perlu")
    assert publishing.live_publication(rec) is not None
    assert Event.objects.filter(action__startswith="portal.").count() == 1


def test_a_draft_recommendation_or_a_second_publication_is_refused(world: World) -> None:
    draft = recommendation(world, issue=False)
    with pytest.raises(ValidationError):
        publishing.publish(obj=draft, by=world.inspector)
    rec = recommendation(world, title="Lain")
    publishing.publish(obj=rec, by=world.inspector)
    with pytest.raises(ValidationError):
        publishing.publish(obj=rec, by=world.inspector)
    assert Publication.objects.count() == 1


def test_evidence_is_published_only_when_marked_publishable_and_verified(world: World) -> None:
    plan = running_plan(world)
    item = Evidence.objects.get(activity__plan=plan)
    with pytest.raises(ValidationError, match="marked"):
        publishing.publish(obj=item, by=world.inspector)
    Evidence.objects.filter(pk=item.pk).update(publishable=True)
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="verified"):
        publishing.publish(obj=item, by=world.inspector)
    assert not Publication.objects.exists()


def test_the_recommendation_page_offers_publish_to_the_inspectorate_only(world: World) -> None:
    rec = recommendation(world)
    url = reverse("followup-recommendation", args=[rec.code])
    publish_url = reverse("portal-publication", args=["recommendation", rec.code])
    assert publish_url in client_for(world.inspector).get(url).content.decode()
    assert publish_url not in client_for(world.leader).get(url).content.decode()
    assert publish_url not in client_for(world.head_a).get(url).content.decode()


def test_publishing_through_the_page_then_unpublishing_with_a_reason(world: World) -> None:
    rec = recommendation(world)
    client = client_for(world.inspector)
    url = reverse("portal-publication", args=["recommendation", rec.code])
    assert client.post(url, {"action": "publish"}).status_code == 302
    page = client.get(reverse("followup-recommendation", args=[rec.code])).content.decode()
    assert reverse("portal-recommendation", args=[rec.code]) in page  # seen by the public
    refused = client.post(url, {"action": "unpublish", "reason": ""})
    assert refused.status_code == 400
    assert publishing.live_publication(rec) is not None
    done = client.post(url, {"action": "unpublish", "reason": "Salah unggah"})
    assert done.status_code == 302 and publishing.live_publication(rec) is None


def test_the_publication_page_refuses_everyone_but_the_inspectorate(world: World) -> None:
    rec = recommendation(world)
    url = reverse("portal-publication", args=["recommendation", rec.code])
    assert client_for(world.leader).post(url, {"action": "publish"}).status_code == 403
    assert client_for(world.officer_b).post(url, {"action": "publish"}).status_code == 404
    assert not Publication.objects.exists()


def test_the_plan_page_offers_publish_beside_publishable_verified_evidence(world: World) -> None:
    s = story(world, publish=False)
    page = client_for(world.inspector).get(reverse("followup-plan", args=[s.plan.public_id]))
    assert reverse("portal-publication", args=["evidence", s.evidence.public_id]) in (
        page.content.decode()
    )


def test_a_wave_is_published_from_its_dashboard_once_it_has_opened(world: World) -> None:
    wave = build_wave(build_version(), [world.dinkes], status=Wave.Status.DRAFT)
    url = reverse("indices-wave", args=[wave.code])
    publish_url = reverse("portal-publication", args=["wave", wave.code])
    assert publish_url not in client_for(world.inspector).get(url).content.decode()
    with pytest.raises(ValidationError):
        publishing.publish(obj=wave, by=world.inspector)
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    wave.refresh_from_db()
    assert publish_url in client_for(world.inspector).get(url).content.decode()
    assert client_for(world.inspector).post(publish_url, {"action": "publish"}).status_code == 302
    assert Publication.objects.get(wave=wave).kind == Publication.Kind.WAVE
    assert Event.objects.filter(action="portal.published", object_type="surveys.wave").exists()
