"""The scheduled refresh and ``compute_indices`` build and keep the wave's page once they have
stored a run, so the first reader after a background computation finds the page kept instead
of waiting for it; a computation alone builds nothing (its time stays the computation's)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.core.testing import World, client_for
from integritas.indices.services import dashboards
from integritas.indices.services.compute import compute_wave, mark_responses_changed
from integritas.indices.tasks import refresh_stale_indices
from integritas.indices.tests.url_matrix_dashboards import dashboard_wave

pytestmark = pytest.mark.django_db


def _result_reads(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("indices_indexresult" in q["sql"] for q in queries.captured_queries)


def test_the_first_reader_after_the_scheduled_refresh_finds_the_wave_page_kept(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    wave = dashboard_wave(world, computed=False)
    mark_responses_changed(wave_id=wave.pk, unit_ids=None, count=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_stale_indices.call()["refreshed"] == 1
    url = reverse("indices-wave", args=[wave.code])
    for language in ("id", "en"):
        assert _result_reads(client_for(world.inspector, language=language), url) == 0
    # Other choices are built when first asked for.
    assert _result_reads(client_for(world.inspector), url + "?sort=name") > 0


def test_the_command_keeps_the_new_page_after_a_recomputation(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    wave = dashboard_wave(world)
    client = client_for(world.inspector)
    url = reverse("indices-wave", args=[wave.code])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("compute_indices", "--wave", wave.code, "--full", stdout=io.StringIO())
    assert _result_reads(client, url) == 0


def test_a_computation_alone_builds_no_page(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    wave = dashboard_wave(world, computed=False)
    with django_capture_on_commit_callbacks(execute=True):
        compute_wave(wave=wave)
    url = reverse("indices-wave", args=[wave.code])
    assert _result_reads(client_for(world.inspector), url) > 0


def test_nothing_is_built_when_dashboards_are_not_kept(
    world: World, settings: Any, monkeypatch: Any
) -> None:
    settings.INDICES_DASHBOARD_CACHE_SECONDS = 0
    built: list[Any] = []
    monkeypatch.setattr(dashboards, "whole_government_dashboard", built.append)
    wave = dashboard_wave(world)
    call_command("compute_indices", "--wave", wave.code, "--full", stdout=io.StringIO())
    assert built == []


def test_a_failure_to_build_the_page_does_not_fail_the_refresh(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("cannot build")

    monkeypatch.setattr(dashboards, "whole_government_dashboard", broken)
    wave = dashboard_wave(world, computed=False)
    mark_responses_changed(wave_id=wave.pk, unit_ids=None, count=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_stale_indices.call()["refreshed"] == 1
    out = io.StringIO()
    call_command("compute_indices", "--wave", wave.code, stdout=out)
    assert wave.code in out.getvalue()
