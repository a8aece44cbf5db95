"""The whole government's results of each run (the overview's and the year page's headlines and
trends) are kept between requests and retired when a run is computed again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.core.testing import World, body, client_for
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.services.settings import wave_year
from integritas.indices.tests.url_matrix_dashboards import dashboard_wave

pytestmark = pytest.mark.django_db


def _result_reads(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200
        body(response)
    return sum("indices_indexresult" in q["sql"] for q in queries.captured_queries)


def test_the_overview_and_the_year_page_read_the_stored_results_once(world: World) -> None:
    wave = dashboard_wave(world)
    client = client_for(world.inspector)
    home = reverse("indices-home")
    year = reverse("indices-year", args=[wave_year(wave)])
    assert _result_reads(client, home) > 0
    assert _result_reads(client, home) == 0
    assert _result_reads(client, year) == 0
    assert _result_reads(client, year + "?table=waves&export=csv") == 0
    assert _result_reads(client, home + "?export=csv") == 0


def test_a_recomputed_run_shows_its_new_headline_and_trend_at_once(world: World) -> None:
    wave = dashboard_wave(world)
    client = client_for(world.inspector)
    home = reverse("indices-home")
    year = reverse("indices-year", args=[wave_year(wave)])
    assert "67,53" in client.get(home).content.decode()
    assert "67,53" in client.get(year).content.decode()
    run = IndexRun.objects.get(wave=wave)
    IndexResult.objects.filter(run=run, node="ALL", dimension="ALL").update(score=12.5)
    run.save()  # as every computation does, after writing its results
    assert "12,50" in client.get(home).content.decode()
    html = client.get(year).content.decode()
    assert "12,50" in html and "67,53" not in html


def test_unit_staff_get_the_same_headline_from_the_kept_results(world: World) -> None:
    wave = dashboard_wave(world)
    home = reverse("indices-home")
    inspector = client_for(world.inspector).get(home).content.decode()
    officer = client_for(world.officer_b).get(home).content.decode()
    assert wave.code in officer and "67,53" in officer and "67,53" in inspector
    assert (
        "DISDIK"
        not in client_for(world.officer_a)
        .get(reverse("indices-year", args=[wave_year(wave)]))
        .content.decode()
    )
