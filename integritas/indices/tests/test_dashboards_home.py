"""The index overview: waves with results grouped by fiscal year, their headline, downloads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integritas.core.testing import World, body, client_for
from integritas.indices.services.settings import wave_year
from integritas.indices.tests.url_matrix_dashboards import dashboard_wave

pytestmark = pytest.mark.django_db


def test_it_lists_waves_with_results_by_year_with_their_headline(world: World) -> None:
    wave = dashboard_wave(world)
    dashboard_wave(world, code="not-computed", computed=False)
    html = client_for(world.inspector_general).get(reverse("indices-home")).content.decode()
    assert reverse("indices-wave", args=[wave.code]) in html
    assert reverse("indices-year", args=[wave_year(wave)]) in html
    assert "67,53" in html and ">C · " in html
    assert "not-computed" not in html


def test_unit_staff_see_the_waves_of_their_units(world: World) -> None:
    wave = dashboard_wave(world)
    html = client_for(world.officer_b).get(reverse("indices-home")).content.decode()
    assert wave.code in html


def test_people_who_see_no_wave_get_an_empty_state(world: World) -> None:
    dashboard_wave(world)
    html = client_for(world.handler).get(reverse("indices-home")).content.decode()
    assert 'class="empty"' in html
    assert "dash-wave" not in html


def test_the_list_downloads_for_the_inspectorate_only(world: World) -> None:
    dashboard_wave(world)
    url = reverse("indices-home")
    response = client_for(world.inspector).get(url, {"export": "csv"})
    text = body(response).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Tahun,Gelombang survei,Judul,Metode,Skor")
    assert "dash-wave" in text and "67.53" in text
    assert client_for(world.officer_a).get(url, {"export": "csv"}).status_code == 403


def test_the_indices_menu_entry_appears_for_those_who_see_a_wave(world: World) -> None:
    dashboard_wave(world)
    home = reverse("core-home")
    assert reverse("indices-home") in client_for(world.officer_a).get(home).content.decode()
    assert reverse("indices-home") not in client_for(world.handler).get(home).content.decode()
