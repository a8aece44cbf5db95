""" "Detect now" on a wave: the Inspectorate runs detection on the wave's latest results."""

from __future__ import annotations

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.indices.models import WeakPoint
from integritas.indices.services.compute import compute_wave
from integritas.indices.tests.test_weak_points_detect import ROWS, make_wave, set_threshold


def url(code: str) -> str:
    return f"/indices/weak-points/detect/{code}/"


def computed_wave(w: World) -> str:
    wave = make_wave(
        {"DINKES": ROWS["A"], "DISDIK": [[4, 4, 1]] * 10},
        units={"DINKES": w.dinkes, "DISDIK": w.disdik},
    )
    set_threshold(wave, 70)
    compute_wave(wave=wave)
    return wave.code


def test_an_inspector_detects_the_weak_points_of_a_computed_wave(world: World) -> None:
    code = computed_wave(world)
    response = client_for(world.inspector).post(url(code), follow=True)
    assert response.redirect_chain[-1][0] == f"/indices/weak-points/?wave={code}"
    assert WeakPoint.objects.count() == 5  # see test_weak_point_detect.world_wave
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert Event.objects.filter(action="indices.weak_points_detected").count() == 1


def test_a_wave_without_results_gets_a_clear_message_and_nothing_changes(world: World) -> None:
    wave = make_wave({"DINKES": ROWS["A"]}, units={"DINKES": world.dinkes})
    response = client_for(world.inspector).post(url(wave.code), follow=True)
    assert response.status_code == 200
    messages = list(response.context["messages"])
    assert [m.level_tag for m in messages] == ["error"]
    assert wave.code in str(messages[0])
    assert not WeakPoint.objects.exists()
    assert not Event.objects.filter(action="indices.weak_points_detected").exists()


def test_only_the_inspectorate_may_run_detection(world: World) -> None:
    code = computed_wave(world)
    for persona in (world.officer_a, world.officer_b, world.leader, world.admin):
        assert client_for(persona).post(url(code)).status_code == 403
    assert client_for(world.nobody).post(url(code)).status_code == 404
    assert client_for(world.inspector).get(url(code)).status_code == 405
    assert not WeakPoint.objects.exists()
