"""The portal's Atom feed: newly published survey results and recommendations and newly
verified activities on published recommendations, newest first, as valid Atom, with nothing
that is not on the portal."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from integritas.core.testing import World
from integritas.followup.models import Activity
from integritas.portal.services import publishing
from integritas.portal.tests.stories import computed_wave, story

pytestmark = pytest.mark.django_db

A = "{http://www.w3.org/2005/Atom}"


def _feed(client: Client) -> ET.Element:
    response = client.get(reverse("portal-feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own answer, not untrusted)


def test_the_feed_lists_only_published_changes_newest_first(world: World) -> None:
    s = story(world)
    shown = computed_wave(world, code="skm-terbit", title="SKM yang terbit")
    publishing.publish(obj=shown, by=world.inspector)
    hidden = computed_wave(world, code="skm-rahasia", title="SKM rahasia", shift=1)
    root = _feed(Client())
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{A}{tag}") is not None, tag
    assert root.find(f"{A}author/{A}name") is not None
    assert root.find(f"{A}link[@rel='self']") is not None
    entries = root.findall(f"{A}entry")
    for entry in entries:
        for tag in ("id", "title", "updated", "link"):
            assert entry.find(f"{A}{tag}") is not None, tag
        assert entry.findtext(f"{A}id", "").startswith("urn:uuid:")
    updated = [e.findtext(f"{A}updated", "") for e in entries]
    assert updated == sorted(updated, reverse=True)
    titles = " ".join(e.findtext(f"{A}title", "") for e in entries)
    assert shown.title in titles and s.rec.code in titles
    verified = Activity.objects.filter(plan=s.plan, status=Activity.Status.VERIFIED)
    assert verified and all(a.title in titles for a in verified)
    links = {e.find(f"{A}link").get("href") for e in entries}  # type: ignore[union-attr]
    assert f"http://testserver/tindak-lanjut/{s.rec.code}/" in links
    text = ET.tostring(root, encoding="unicode")
    for secret in (hidden.title, hidden.code, s.hidden_rec.code, s.hidden_rec.title):
        assert secret not in text


def test_unpublishing_takes_the_entries_off_the_feed(world: World) -> None:
    s = story(world)
    publishing.unpublish(obj=s.rec, by=world.inspector, reason="Ditinjau ulang")
    text = Client().get(reverse("portal-feed")).content.decode()
    assert s.rec.code not in text and s.rec.title not in text
    assert ET.fromstring(text).findall(f"{A}entry") == []  # noqa: S314


def test_portal_pages_point_feed_readers_to_the_feed(world: World) -> None:
    html = Client().get(reverse("portal-home")).content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/data/feed.atom"' in html
