"""A wave's dashboard is kept in the shared cache between requests and retired when what it
shows changes; the responses table pages on its own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.core.testing import World, body, client_for
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.services import dashboard_cache
from integritas.indices.services.compute import compute_wave
from integritas.indices.tests.url_matrix_dashboards import dashboard_wave
from integritas.indices.views import dashboards as views
from integritas.lib import pagecache

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


def _board_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    loads: list[str] = []
    real_get = dashboard_cache.cache.get

    def counting_get(key: str, *args: object, **kwargs: object) -> object:
        if key.startswith("indices:board:") and not key.endswith(":token"):
            loads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(dashboard_cache.cache, "get", counting_get)
    return loads


def test_a_worker_that_holds_the_kept_board_does_not_load_it_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    wave = dashboard_wave(world)
    client = client_for(world.inspector)
    url = reverse("indices-wave", args=[wave.code])
    client.get(url)
    dashboard_cache.forget_local()
    loads = _board_loads(monkeypatch)
    assert "77,50" in client.get(url).content.decode()
    assert len(loads) == 1  # loaded from the shared cache once, then held
    assert "77,50" in client.get(url).content.decode()
    assert "DINKES" in body(client.get(url, {"table": "ranking", "export": "csv"})).decode()
    assert len(loads) == 1


def test_a_held_board_is_not_served_once_the_shared_cache_no_longer_keeps_it(
    world: World,
) -> None:
    wave = dashboard_wave(world)
    client = client_for(world.inspector)
    url = reverse("indices-wave", args=[wave.code])
    assert "77,50" in client.get(url).content.decode()
    run = IndexRun.objects.get(wave=wave)
    # No signal (a bulk update), and the shared cache emptied but for the generation: the
    # board's key is the same as before, yet the shared cache keeps no board under it.
    IndexResult.objects.filter(run=run, node="DINKES", dimension="ALL").update(score=12.5)
    generation = pagecache.generation(dashboard_cache.NAMESPACE)
    dashboard_cache.cache.clear()
    dashboard_cache.cache.set(f"pagecache:{dashboard_cache.NAMESPACE}:generation", generation)
    assert pagecache.generation(dashboard_cache.NAMESPACE) == generation
    assert "12,50" in client.get(url).content.decode()


def test_a_board_held_for_the_inspectorate_never_shows_its_rows_to_unit_staff(
    world: World,
) -> None:
    wave = dashboard_wave(world)
    url = reverse("indices-wave", args=[wave.code])
    inspector = client_for(world.inspector)
    officer = client_for(world.officer_a)
    for _ in range(2):
        assert "DISDIK" in inspector.get(url).content.decode()
        assert "DISDIK" not in officer.get(url).content.decode()
        export = officer.get(url, {"table": "ranking", "export": "csv"})
        assert export.status_code == 403 or "DISDIK" not in body(export).decode()


def test_the_ranking_and_heatmap_downloads_are_the_same_built_or_kept(world: World) -> None:
    wave = dashboard_wave(world)
    client = client_for(world.inspector)
    url = reverse("indices-wave", args=[wave.code])
    for table in ("ranking", "heatmap"):
        for fmt in ("csv", "xlsx"):
            query = {"table": table, "export": fmt, "level": "2", "type": "internal"}
            dashboard_cache.invalidate()
            dashboard_cache.forget_local()
            built = body(client.get(url, query))
            kept = body(client.get(url, query))
            assert kept == built or fmt == "xlsx"  # an XLSX holds the moment it was made
    csv = body(client.get(url, {"table": "ranking", "export": "csv"})).decode("utf-8-sig")
    assert "DINKES" in csv and "DISDIK" in csv
