"""A computation that commits builds and keeps its wave's page, so the first reader after it
finds the page kept instead of waiting for it to be built."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.core.testing import World, client_for
from integritas.indices.models import IndexRun
from integritas.indices.services import dashboards
from integritas.indices.services.compute import compute_wave, update_wave
from integritas.indices.tests.url_matrix_dashboards import dashboard_wave

pytestmark = pytest.mark.django_db


def _result_reads(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("indices_indexresult" in q["sql"] for q in queries.captured_queries)


def test_the_first_reader_after_a_computation_finds_the_wave_page_kept(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    wave = dashboard_wave(world, computed=False)
    with django_capture_on_commit_callbacks(execute=True):
        compute_wave(wave=wave)
    url = reverse("indices-wave", args=[wave.code])
    for language in ("id", "en"):
        assert _result_reads(client_for(world.inspector, language=language), url) == 0
    # Other choices are built when first asked for.
    assert _result_reads(client_for(world.inspector), url + "?sort=name") > 0


def test_a_recomputation_and_an_update_keep_the_new_page(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    wave = dashboard_wave(world)
    client = client_for(world.inspector)
    url = reverse("indices-wave", args=[wave.code])
    with django_capture_on_commit_callbacks(execute=True):
        compute_wave(wave=wave)
    assert _result_reads(client, url) == 0
    with django_capture_on_commit_callbacks(execute=True):
        IndexRun.objects.get(wave=wave).save()  # as an update saves its run
        update_wave(wave=wave)
    assert _result_reads(client, url) == 0


def test_nothing_is_built_when_dashboards_are_not_kept(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.INDICES_DASHBOARD_CACHE_SECONDS = 0
    wave = dashboard_wave(world, computed=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        compute_wave(wave=wave)
    assert all("warm" not in getattr(c, "__qualname__", "") for c in callbacks)


def test_a_failure_to_build_the_page_does_not_fail_the_computation(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("cannot build")

    monkeypatch.setattr(dashboards, "whole_government_dashboard", broken)
    wave = dashboard_wave(world, computed=False)
    with django_capture_on_commit_callbacks(execute=True):
        run = compute_wave(wave=wave)
    assert IndexRun.objects.filter(pk=run.pk).exists()
