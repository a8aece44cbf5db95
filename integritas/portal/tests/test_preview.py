"""Staff see a record's public page before they publish it ("seen by the public"): the page is
drawn as the public will see it, marked as a preview, and nothing is published, recorded or kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.portal.models import Publication
from integritas.portal.services import publishing
from integritas.portal.tests.stories import computed_wave, story

pytestmark = pytest.mark.django_db


def _preview(kind: str, ref: str) -> str:
    return reverse("portal-preview", args=[kind, ref])


def test_the_inspector_previews_an_unpublished_recommendation_and_nothing_is_published(
    world: World,
) -> None:
    s = story(world, publish=False)
    events = Event.objects.count()
    page = client_for(world.inspector).get(_preview("recommendation", s.rec.code))
    assert page.status_code == 200
    html = page.content.decode()
    assert s.rec.title in html
    assert "Pratinjau" in html  # the preview banner
    assert 'content="noindex, nofollow"' in html and page["X-Robots-Tag"] == "noindex, nofollow"
    assert not Publication.objects.exists()
    assert Event.objects.count() == events
    # The public still gets the portal's 404.
    assert Client().get(f"/tindak-lanjut/{s.rec.code}/").status_code == 404


def test_the_publication_page_offers_the_preview_until_the_record_is_published(
    world: World,
) -> None:
    s = story(world, publish=False)
    client = client_for(world.inspector)
    url = reverse("portal-publication", args=["recommendation", s.rec.code])
    assert _preview("recommendation", s.rec.code) in client.get(url).content.decode()
    publishing.publish(obj=s.rec, by=world.inspector)
    assert _preview("recommendation", s.rec.code) not in client.get(url).content.decode()
    # A published record's preview is its public page.
    answer = client.get(_preview("recommendation", s.rec.code))
    assert answer.status_code == 302 and answer["Location"] == f"/tindak-lanjut/{s.rec.code}/"


def test_a_wave_is_previewed_with_its_results(world: World) -> None:
    wave = computed_wave(world, code="W-PRATINJAU", title="Survei pratinjau")
    page = client_for(world.inspector).get(_preview("wave", wave.code))
    assert page.status_code == 200 and "Survei pratinjau" in page.content.decode()
    assert not Publication.objects.exists()
    assert Client().get(f"/hasil-survei/{wave.code}/").status_code == 404


@pytest.mark.parametrize("persona", ["leader", "admin", "head_a", "officer_a"])
def test_only_the_inspectorate_may_preview(world: World, persona: str) -> None:
    s = story(world, publish=False)
    answer = client_for(getattr(world, persona)).get(_preview("recommendation", s.rec.code))
    assert answer.status_code in (403, 404)
    assert s.rec.title not in answer.content.decode()


def test_an_unknown_record_or_kind_is_not_found(world: World) -> None:
    client = client_for(world.inspector)
    assert client.get(_preview("recommendation", "REK-0000-999")).status_code == 404
    assert client.get(_preview("nothing", "x")).status_code == 404
