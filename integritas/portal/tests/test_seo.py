"""Search engines and sharing: the portal's pages may be indexed and carry a canonical link and
Open Graph tags; ``robots.txt`` keeps crawlers to the portal; ``sitemap.xml`` lists exactly the
published pages. Staff and reporter pages stay out of indexes."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from integritas.core.testing import World
from integritas.portal.services import publishing
from integritas.portal.tests.stories import computed_wave, story

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(client: Client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own answer, not untrusted)
    return [loc.text or "" for loc in root.findall("s:url/s:loc", SITEMAP_NS)]


def test_portal_pages_may_be_indexed_and_carry_canonical_and_open_graph(world: World) -> None:
    s = story(world)
    for path in ("/publik/", "/tindak-lanjut/", f"/tindak-lanjut/{s.rec.code}/", "/unit/DINKES/"):
        response = Client().get(path)
        assert response.status_code == 200, path
        assert "X-Robots-Tag" not in response, path
        html = response.content.decode()
        assert '<meta name="robots" content="index, follow">' in html, path
        assert f'<link rel="canonical" href="http://testserver{path}">' in html, path
        assert f'<meta property="og:url" content="http://testserver{path}">' in html, path
        assert '<meta property="og:title" content="' in html, path
        assert '<meta property="og:locale" content="id_ID">' in html, path


def test_the_canonical_address_uses_the_configured_public_address(
    world: World, settings: object
) -> None:
    settings.PUBLIC_BASE_URL = "https://integritas.karyapura.go.id"  # type: ignore[attr-defined]
    html = Client().get("/tindak-lanjut/").content.decode()
    assert '<link rel="canonical" href="https://integritas.karyapura.go.id/tindak-lanjut/">' in html


def test_reporter_and_staff_pages_stay_out_of_indexes(world: World) -> None:
    assert Client().get("/lapor/")["X-Robots-Tag"] == "noindex, nofollow"
    robots = Client().get("/robots.txt")
    assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
    text = robots.content.decode()
    for path in ("/accounts/", "/followup/", "/pengaduan/", "/indices/", "/lapor/", "/s/"):
        assert f"Disallow: {path}" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_the_sitemap_lists_exactly_the_published_pages(world: World) -> None:
    s = story(world)
    wave = computed_wave(world, code="skm-uji", title="Survei uji")
    urls = sitemap_urls(Client())
    assert f"http://testserver/tindak-lanjut/{s.rec.code}/" in urls
    assert f"http://testserver/tindak-lanjut/{s.hidden_rec.code}/" not in urls
    assert "http://testserver/unit/DINKES/" in urls
    assert f"http://testserver/hasil-survei/{wave.code}/" not in urls
    publishing.publish(obj=wave, by=world.inspector)
    assert f"http://testserver/hasil-survei/{wave.code}/" in sitemap_urls(Client())
    publishing.unpublish(obj=s.rec, by=world.inspector, reason="Salah unggah")
    assert f"http://testserver/tindak-lanjut/{s.rec.code}/" not in sitemap_urls(Client())
    assert all(re.match(r"^http://testserver/", url) for url in urls)


def test_the_sitemap_is_not_kept_in_a_session(world: World) -> None:
    response = Client().get(reverse("portal-sitemap"))
    assert "sessionid" not in response.cookies


def test_a_shared_recommendation_link_is_titled_by_the_recommendation(world: World) -> None:
    s = story(world)
    html = Client().get(f"/tindak-lanjut/{s.rec.code}/").content.decode()
    assert f'<meta property="og:title" content="{s.rec.code} {s.rec.title}">' in html
