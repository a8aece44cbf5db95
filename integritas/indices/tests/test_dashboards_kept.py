"""A wave's dashboard is kept in the shared cache between requests and retired when what it
shows changes; the responses table pages on its own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.core.testing import World, client_for
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.services.compute import compute_wave
from integritas.indices.tests.url_matrix_dashboards import dashboard_wave
from integritas.indices.views import dashboards as views

pytestmark = pytest.mark.django_db


def _result_reads(client: object, url: str, query: str = "") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url + query).status_code == 200  # type: ignore[attr-defined]
    return sum("indices_indexresult" in q["sql"] for q in queries.captured_queries)


def test_a_second_request_for_the_wave_page_reads_no_stored_result(world: World) -> None:
    wave = dashboard_wave(world)
    client = client_for(world.inspector)
    url = reverse("indices-wave", args=[wave.code])
    assert _result_reads(client, url) > 0
    assert _result_reads(client, url) == 0
    assert _result_reads(client, url, "?table=ranking&export=csv") == 0
    assert _result_reads(client, url, "?sort=name") > 0  # another order is built once


def test_a_recomputed_wave_shows_its_new_results_at_once(world: World) -> None:
    wave = dashboard_wave(world)
    client = client_for(world.inspector)
    url = reverse("indices-wave", args=[wave.code])
    assert "77,50" in client.get(url).content.decode()
    run = IndexRun.objects.get(wave=wave)
    IndexResult.objects.filter(run=run, node="DINKES", dimension="ALL").update(score=12.5)
    run.save()  # as every computation does, after writing its results
    assert "12,50" in client.get(url).content.decode()
    IndexRun.objects.filter(wave=wave).delete()
    compute_wave(wave=wave)
    html = client.get(url).content.decode()
    assert "77,50" in html and "12,50" not in html


def test_a_renamed_unit_shows_its_new_name_on_the_kept_page(world: World) -> None:
    wave = dashboard_wave(world)
    client = client_for(world.inspector)
    url = reverse("indices-wave", args=[wave.code])
    client.get(url)
    world.disdik.name = "Dinas Pendidikan dan Kebudayaan"
    world.disdik.save()
    assert "Dinas Pendidikan dan Kebudayaan" in client.get(url).content.decode()


def test_each_person_gets_the_rows_they_may_see_from_the_kept_page(world: World) -> None:
    wave = dashboard_wave(world)
    url = reverse("indices-wave", args=[wave.code])
    assert "DISDIK" in client_for(world.inspector).get(url).content.decode()
    assert "DISDIK" not in client_for(world.officer_a).get(url).content.decode()


def test_the_responses_table_pages_on_its_own(world: World, monkeypatch: object) -> None:
    wave = dashboard_wave(world)
    monkeypatch.setattr(views, "PER_PAGE", 2)  # type: ignore[attr-defined]
    client = client_for(world.inspector)
    url = reverse("indices-wave", args=[wave.code])
    first = client.get(url).content.decode().split('id="responses"', 1)[1]
    assert "DINKES.PKM" in first and "DISDIK" not in first.split("</table>", 1)[0]
    assert "responses_page=2#responses" in first
    second = client.get(url, {"responses_page": "2", "sort": "name"}).content.decode()
    table = second.split('id="responses"', 1)[1].split("</table>", 1)[0]
    assert "DISDIK" in table and "DINKES.PKM" not in table
    export = client.get(url, {"table": "responses", "export": "csv"}).getvalue().decode()
    assert "DINKES.PKM" in export and "DISDIK" in export  # the download lists every unit
