"""The portal by year: ``/publik/<year>/`` gathers the year's official SPI result, the survey
results published for it and its published recommendations; a year the portal has nothing for
answers the portal's 404; the year pages are in the sitemap."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from integritas.core.testing import World
from integritas.indices.models.official import Institution, SpiResult
from integritas.indices.services.settings import wave_year
from integritas.portal.services import publishing
from integritas.portal.tests.stories import computed_wave, story
from integritas.portal.tests.test_seo import sitemap_urls

pytestmark = pytest.mark.django_db


def test_a_year_page_shows_that_years_results_and_recommendations(world: World) -> None:
    s = story(world)
    wave = computed_wave(world, code="skm-terbit", title="SKM yang terbit")
    publishing.publish(obj=wave, by=world.inspector)
    own = Institution.objects.create(
        code="kota-uji", name="Kota Uji", kind=Institution.Kind.CITY, is_own=True
    )
    SpiResult.objects.create(institution=own, year=s.rec.year, index=Decimal("66.10"))
    SpiResult.objects.create(institution=own, year=s.rec.year - 1, index=Decimal("61.05"))
    client = Client()
    page = client.get(reverse("portal-year", args=[s.rec.year])).content.decode()
    assert s.rec.code in page and s.hidden_rec.code not in page
    assert "66,10" in page and "61,05" not in page  # that year's SPI only
    assert f"?year={s.rec.year}" in page  # the tracker, filtered by the year
    wave_page = client.get(reverse("portal-year", args=[wave_year(wave)])).content.decode()
    assert wave.title in wave_page
    home = client.get(reverse("portal-home")).content.decode()
    assert reverse("portal-year", args=[s.rec.year]) in home


def test_a_year_with_nothing_published_is_the_portals_404(world: World) -> None:
    s = story(world, publish=False)
    client = Client()
    for year in (1999, s.rec.year):
        response = client.get(reverse("portal-year", args=[year]))
        assert response.status_code == 404
        body = response.content.decode()
        assert "Tidak ditemukan" in body and reverse("portal-home") in body


def test_the_sitemap_lists_the_year_pages_and_the_open_data(world: World) -> None:
    s = story(world)
    urls = sitemap_urls(Client())
    assert f"http://testserver/publik/{s.rec.year}/" in urls
    assert "http://testserver/publik/1999/" not in urls
    assert "http://testserver/data/" in urls
    assert "http://testserver/statistik-pengaduan/" in urls
