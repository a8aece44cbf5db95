"""A wave's history as each viewer sees it: unit staff only the figures of their own units."""

from __future__ import annotations

import pytest

from integritas.core.testing import World, client_for
from integritas.surveys.services import waves
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db


def _wave_with_populations(world: World) -> str:
    wave = build_wave(build_version(), [world.dinkes])
    waves.wave_add_units(wave=wave, units=[world.disdik])
    dinkes, disdik = wave.wave_units.order_by("unit__code")
    client_for(world.inspector).post(
        f"/surveys/waves/{wave.code}/populations/",
        {f"population-{dinkes.pk}": "4321", f"population-{disdik.pk}": "8765"},
    )
    return wave.code


def test_a_unit_officer_sees_only_their_units_figures_in_the_wave_history(world: World) -> None:
    code = _wave_with_populations(world)
    response = client_for(world.officer_a).get(f"/surveys/waves/{code}/")
    assert response.status_code == 200
    history = {e.action: e.changes for e in response.context["history"]}
    assert history["wave.populations_set"] == {"DINKES": [None, 4321]}
    assert "wave.units_added" not in history  # only DISDIK was added: nothing of it is theirs
    html = response.content.decode()
    assert "4.321" in html  # history shows figures in the reader's format
    for trace in ("DISDIK", "Dinas Pendidikan", "8765", "8.765"):
        assert trace not in html


def test_the_inspectorate_sees_every_units_figures_in_the_wave_history(world: World) -> None:
    code = _wave_with_populations(world)
    response = client_for(world.inspector).get(f"/surveys/waves/{code}/")
    history = {e.action: e.changes for e in response.context["history"]}
    assert history["wave.populations_set"] == {"DINKES": [None, 4321], "DISDIK": [None, 8765]}
    assert history["wave.units_added"] == {"units": [None, ["DISDIK"]]}
    assert "8765" in response.content.decode()
