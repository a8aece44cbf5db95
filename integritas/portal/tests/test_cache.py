"""The portal's pages come from the shared cache for anonymous visitors, and every change to what
they show (publishing, unpublishing, a verified activity, a recomputed wave) is on the next
request. Kept pages never mix languages, filters or hosts, and carry nothing of one visitor."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_migrate
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integritas.core.testing import World, client_for
from integritas.followup.models import Activity
from integritas.followup.testing import finish_activities, recommendation, running_plan
from integritas.indices.services.compute import compute_wave
from integritas.lib import pagecache
from integritas.portal.services import cache as portal_cache
from integritas.portal.services import publishing
from integritas.portal.tests.stories import Story, computed_wave, story
from integritas.surveys.models import Response

pytestmark = pytest.mark.django_db

CACHED_PAGES = [
    "/",
    "/publik/",
    "/tindak-lanjut/",
    "/unit/DINKES/",
    "/hasil-survei/",
    "/robots.txt",
    "/sitemap.xml",
]


def _kept_pages() -> int:
    entries = cache.entries().values()  # type: ignore[attr-defined]
    return sum(
        1 for value in entries if isinstance(value, dict) and value.get("namespace") == "portal"
    )


@pytest.fixture
def published(world: World) -> Story:
    return story(world)


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    published: Story, url: str, django_assert_num_queries: Any
) -> None:
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_the_pages_of_a_recommendation_a_wave_and_a_wave_level_are_cached_too(
    world: World, published: Story, django_assert_num_queries: Any
) -> None:
    wave = computed_wave(world, code="skm-cache", title="SKM cache")
    publishing.publish(obj=wave, by=world.inspector)
    for url in [
        reverse("portal-recommendation", args=[published.rec.code]),
        reverse("portal-wave", args=[wave.code]),
        reverse("portal-wave", args=[wave.code]) + "?level=2",
        reverse("portal-tracker") + "?unit=DINKES&year=2024",
    ]:
        client = Client()
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_a_kept_page_keeps_the_headers_of_a_fresh_one(published: Story) -> None:
    for url in ["/", "/publik/", "/robots.txt"]:
        client = Client()
        fresh = dict(client.get(url).items())
        kept = dict(client.get(url).items())
        assert fresh.pop("X-Request-ID") != kept.pop("X-Request-ID")
        fresh.pop("Expires", None), kept.pop("Expires", None)  # the time of the answer
        assert kept == fresh, url
        assert "Content-Security-Policy" in kept and "X-Robots-Tag" not in kept


def test_publishing_a_recommendation_shows_it_on_the_next_request(world: World) -> None:
    client = Client()
    rec = recommendation(world, title="Rekomendasi baru terbit")
    pages = ["/", "/publik/", "/tindak-lanjut/", "/sitemap.xml"]
    for url in pages:
        assert rec.title not in client.get(url).content.decode()
    publishing.publish(obj=rec, by=world.inspector)
    for url in pages[:3]:
        assert rec.title in client.get(url).content.decode(), url
    assert rec.code in client.get("/sitemap.xml").content.decode()


def test_unpublishing_takes_it_off_the_kept_pages_at_once(world: World, published: Story) -> None:
    client = Client()
    urls = ["/", "/tindak-lanjut/", "/unit/DINKES/"]
    for url in urls:
        assert published.rec.title in client.get(url).content.decode()
    publishing.unpublish(obj=published.rec, by=world.inspector, reason="Ditinjau ulang")
    for url in urls:
        assert published.rec.title not in client.get(url).content.decode(), url


def test_a_changed_verified_activity_is_on_the_next_request(world: World, published: Story) -> None:
    client = Client()
    url = reverse("portal-recommendation", args=[published.rec.code])
    activity = Activity.objects.get(plan=published.plan)
    assert activity.title in client.get(url).content.decode()
    activity.title = "Judul kegiatan yang diperbaiki"
    activity.save()
    assert "Judul kegiatan yang diperbaiki" in client.get(url).content.decode()


def test_a_newly_verified_activity_moves_the_progress_on_the_kept_pages(world: World) -> None:
    rec = recommendation(world, title="Rekomendasi berjalan")
    plan = running_plan(world, rec)
    publishing.publish(obj=rec, by=world.inspector)
    client = Client()
    url = reverse("portal-recommendation", args=[rec.code])
    before = client.get(url).content.decode()
    assert "Verified steps" not in before and "Langkah yang terverifikasi" not in before
    finish_activities(world, plan)
    assert "Langkah yang terverifikasi" in client.get(url).content.decode()


def test_a_recomputed_wave_shows_its_new_figures_on_the_next_request(world: World) -> None:
    wave = computed_wave(world, code="skm-ulang", title="SKM dihitung ulang")
    publishing.publish(obj=wave, by=world.inspector)
    client = Client()
    url = reverse("portal-wave", args=[wave.code])
    before = client.get(url).content.decode()
    assert client.get(url).content.decode() == before  # kept
    Response.objects.bulk_create(
        Response(
            wave=wave,
            unit=world.dinkes,
            respondent_type="public",
            submitted_on=timezone.localdate(),
            answers=Response.pack([0, 4, 4, 0]),
        )
        for _ in range(20)
    )
    assert client.get(url).content.decode() == before  # answers alone change no published figure
    compute_wave(wave=wave)
    assert client.get(url).content.decode() != before


def test_a_renamed_unit_is_on_the_next_request(world: World, published: Story) -> None:
    client = Client()
    assert "Dinas Kesehatan Baru" not in client.get("/unit/DINKES/").content.decode()
    world.dinkes.name = "Dinas Kesehatan Baru"
    world.dinkes.save()
    assert "Dinas Kesehatan Baru" in client.get("/unit/DINKES/").content.decode()


def test_a_signed_in_officer_at_the_root_never_gets_the_kept_public_home(world: World) -> None:
    story(world)
    Client().get("/")
    Client().get("/")
    page = client_for(world.officer_a).get("/").content.decode()
    assert 'class="respond portal"' not in page


def test_languages_are_kept_apart(published: Story) -> None:
    indonesian, english = Client(), Client()
    english.get("/publik/", {"lang": "en"})
    assert '<html lang="id">' in indonesian.get("/publik/").content.decode()
    assert '<html lang="en">' in english.get("/publik/").content.decode()
    assert '<html lang="id">' in indonesian.get("/publik/").content.decode()


def test_filters_are_kept_apart(world: World, published: Story) -> None:
    client = Client()
    url = reverse("portal-tracker")
    assert published.rec.title in client.get(url, {"unit": "DINKES"}).content.decode()
    assert published.rec.title not in client.get(url, {"unit": "DISDIK"}).content.decode()
    assert published.rec.title in client.get(url, {"unit": "DINKES"}).content.decode()
    assert published.rec.title not in client.get(url, {"q": "tidak ada"}).content.decode()


def test_hosts_are_kept_apart_for_the_canonical_link(published: Story) -> None:
    client = Client()
    assert "http://localhost/publik/" in client.get("/", HTTP_HOST="localhost").content.decode()
    assert "http://127.0.0.1/publik/" in client.get("/", HTTP_HOST="127.0.0.1").content.decode()


def test_searches_and_unknown_parameters_are_not_kept(published: Story) -> None:
    client = Client()
    before = _kept_pages()
    client.get("/tindak-lanjut/", {"q": "terbuka"})
    client.get("/tindak-lanjut/", {"utm_source": "x"})
    client.get("/tindak-lanjut/", {"unit": "<script>"})
    client.get("/publik/?page=1&page=2")
    assert _kept_pages() == before


def test_not_found_pages_are_not_kept(published: Story) -> None:
    before = _kept_pages()
    for code in ["TIDAKADA", "LAIN", "JUGATIDAK"]:
        assert Client().get(f"/unit/{code}/").status_code == 404
    assert _kept_pages() == before


def test_a_kept_page_carries_no_cookie_and_no_csrf_token(published: Story) -> None:
    for url in CACHED_PAGES:
        client = Client()
        for _ in range(2):
            response = client.get(url)
            assert not response.cookies, url
            assert "csrfmiddlewaretoken" not in response.content.decode(), url


def test_the_cache_can_be_turned_off(published: Story, settings: Any) -> None:
    settings.PORTAL_CACHE_SECONDS = 0
    before = _kept_pages()
    Client().get("/publik/")
    assert _kept_pages() == before


def test_a_migration_retires_every_kept_page(published: Story) -> None:
    before = pagecache.generation(portal_cache.NAMESPACE)
    portal = apps.get_app_config("portal")
    post_migrate.send(
        sender=portal,
        app_config=portal,
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )
    assert pagecache.generation(portal_cache.NAMESPACE) > before


def test_a_new_day_builds_the_pages_again(
    published: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    client.get("/publik/")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(pagecache.timezone, "localdate", lambda: tomorrow)
    with CaptureQueriesContext(connection) as queries:
        client.get("/publik/")
    assert len(queries) > 0


@pytest.mark.parametrize(
    "url", ["/api/v1/recommendations", "/api/v1/units", "/api/v1/recommendations?unit=DINKES"]
)
def test_an_api_list_is_kept_and_answers_a_conditional_request_with_304(
    published: Story, url: str, django_assert_num_queries: Any
) -> None:
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        kept = client.get(url)
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert kept.content == first.content and kept["ETag"] == first["ETag"]
    assert kept["Access-Control-Allow-Origin"] == "*"
    assert again.status_code == 304


def test_publishing_changes_the_kept_api_answer(world: World, published: Story) -> None:
    client = Client()
    before = client.get("/api/v1/recommendations")
    rec = recommendation(world, title="Rekomendasi lewat API")
    publishing.publish(obj=rec, by=world.inspector)
    after = client.get("/api/v1/recommendations", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and rec.title in after.content.decode()


def test_the_year_page_is_kept(published: Story, django_assert_num_queries: Any) -> None:
    client = Client()
    assert client.get("/publik/2024/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/publik/2024/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/data/",
        "/data/catalog.jsonld",
        "/data/feed.atom",
        "/data/tindak-lanjut.csv",
        "/data/tindak-lanjut.json?status=issued",
        "/statistik-pengaduan/",
    ],
)
def test_the_open_data_pages_and_files_are_kept(
    published: Story, url: str, django_assert_num_queries: Any
) -> None:
    client = Client()
    first = client.get(url)
    assert first.status_code == 200, url
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content


def test_a_new_report_changes_the_kept_statistics_on_the_next_request(world: World) -> None:
    from integritas.portal.tests.test_complaint_statistics import report

    client = Client()
    before = client.get("/statistik-pengaduan/").content
    report(world.disdik)
    after = client.get("/statistik-pengaduan/").content
    assert after != before
