"""The fill-state of a wave: responses that change (web submission, import) mark their units
dirty through ``surveys.signals.responses_changed`` and queue nothing (the scheduled refresh,
tests/test_compute_schedule.py, picks the wave up); a refresh brings the results up to date;
``fill_state`` says where a wave stands."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from integritas.core.models import Unit
from integritas.core.testing import World
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.models.results import WaveIndexState
from integritas.indices.services import compute as services
from integritas.indices.services.compute import (
    compute_wave,
    fill_state,
    refresh_indices,
    refresh_wave,
)
from integritas.surveys.imports.responses import import_responses
from integritas.surveys.models import Response, Wave
from integritas.surveys.services import respond
from integritas.surveys.signals import announce_responses_changed
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db

Status = WaveIndexState.Status


@pytest.fixture
def wave(world: World) -> Wave:
    return build_wave(build_version(), [world.dinkes, world.disdik], min_group_size=1)


def add(wave: Wave, unit: Unit, answers: list[int]) -> Response:
    return Response.objects.create(
        wave=wave,
        unit=unit,
        respondent_type="public",
        submitted_on=timezone.localdate(),
        answers=Response.pack(answers),
    )


def queued() -> int:
    return DBTaskResult.objects.count()


def test_a_wave_never_computed_has_no_results_yet(wave: Wave) -> None:
    state = fill_state(wave)
    assert state.status == Status.EMPTY
    assert state.label == "No results yet"
    assert not state.is_current


def test_a_computed_wave_is_up_to_date(world: World, wave: Wave) -> None:
    add(wave, world.dinkes, [0, 3, 2, 0])
    compute_wave(wave=wave)
    state = fill_state(wave)
    assert (state.status, state.label, state.is_current) == (Status.FRESH, "Up to date", True)
    assert state.detail == "Up to date with all 1 response."
    assert state.responses_at_compute == 1 and state.computed_at is not None


def test_changed_responses_mark_their_units_dirty_and_queue_no_task(
    world: World, wave: Wave, django_capture_on_commit_callbacks: Any
) -> None:
    add(wave, world.dinkes, [0, 3, 2, 0])
    compute_wave(wave=wave)
    with django_capture_on_commit_callbacks(execute=True):
        announce_responses_changed(wave_id=wave.pk, unit_ids=[world.dinkes.pk], count=1)
    with django_capture_on_commit_callbacks(execute=True):
        announce_responses_changed(wave_id=wave.pk, unit_ids=[world.disdik.pk], count=2)
    stored = WaveIndexState.objects.get(wave=wave)
    assert stored.dirty_units == sorted([world.dinkes.pk, world.disdik.pk])
    assert stored.changed_responses == 3
    assert queued() == 0
    state = fill_state(wave)
    assert (state.status, state.label) == (Status.STALE, "Out of date")
    assert state.detail == "2 units have new or removed responses since the last computation."


def test_a_web_submission_marks_its_unit_dirty_once_committed(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from integritas.surveys.tests.test_respond_helpers import make_wave
    from integritas.surveys.tests.test_respond_services import COMPLETE, begin

    wave = make_wave(world.dinkes)
    draft = begin(wave, COMPLETE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        respond.submit(draft=draft)
    assert not WaveIndexState.objects.filter(wave=wave).exists()  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    stored = WaveIndexState.objects.get(wave=wave)
    assert (stored.status, stored.dirty_units, stored.changed_responses) == (
        Status.STALE,
        [world.dinkes.pk],
        1,
    )
    assert queued() == 0


def test_an_import_marks_the_units_of_its_rows_dirty(
    world: World, wave: Wave, django_capture_on_commit_callbacks: Any
) -> None:
    data = (
        "unit_code,respondent_type,submitted_on,service_code,sex,U1,U2\n"
        f"DINKES,public,{timezone.localdate()},,m,4,3\n"
        f"DINKES,public,{timezone.localdate()},,f,2,2\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        report = import_responses(wave=wave, path_or_bytes=data, filename="r.csv")
    assert report.imported == 2, report.errors
    stored = WaveIndexState.objects.get(wave=wave)
    assert (stored.dirty_units, stored.changed_responses) == ([world.dinkes.pk], 2)


def test_the_task_brings_the_results_up_to_date_incrementally(world: World, wave: Wave) -> None:
    add(wave, world.dinkes, [0, 3, 2, 0])
    add(wave, world.disdik, [0, 4, 4, 0])
    compute_wave(wave=wave)
    add(wave, world.dinkes, [0, 1, 1, 0])
    services.mark_responses_changed(wave_id=wave.pk, unit_ids=[world.dinkes.pk], count=1)

    outcome = refresh_indices.call(wave.pk)

    assert outcome == {"status": "fresh"}
    stored = WaveIndexState.objects.get(wave=wave)
    assert (stored.status, stored.dirty_units) == (Status.FRESH, [])
    cell = IndexResult.objects.get(node="DINKES", dimension="U1", respondent_type="all")
    assert cell.n == 2 and cell.score == pytest.approx(50.0)  # (3 + 1) / 2 × 25


def test_changes_that_arrive_while_computing_leave_the_wave_out_of_date(
    world: World, wave: Wave
) -> None:
    add(wave, world.dinkes, [0, 3, 2, 0])
    services.mark_responses_changed(wave_id=wave.pk, unit_ids=[world.dinkes.pk], count=1)
    real_load = services.prepare

    def load_and_receive_more(*args: Any, **kwargs: Any) -> Any:
        loaded = real_load(*args, **kwargs)
        services.mark_responses_changed(wave_id=wave.pk, unit_ids=[world.disdik.pk], count=1)
        return loaded

    with mock.patch.object(services, "prepare", load_and_receive_more):
        refresh_wave(wave=wave)
    stored = WaveIndexState.objects.get(wave=wave)
    assert stored.status == Status.STALE
    assert stored.dirty_units == [world.disdik.pk]
    assert stored.changed_responses == 1  # left for the next scheduled pass


def test_a_failed_computation_is_recorded_with_its_error(world: World, wave: Wave) -> None:
    add(wave, world.dinkes, [0, 3, 2, 0])
    services.mark_responses_changed(wave_id=wave.pk, unit_ids=[world.dinkes.pk], count=1)
    with (
        mock.patch.object(services, "compute_wave", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        refresh_wave(wave=wave)
    stored = WaveIndexState.objects.get(wave=wave)
    assert (stored.status, stored.error) == (Status.FAILED, "disk full")
    assert stored.dirty_units == [world.dinkes.pk]  # still to do
    state = fill_state(wave)
    assert state.label == "Computation failed"
    assert "log" in state.detail and "disk full" not in state.detail


def test_when_every_response_is_gone_the_results_go_and_the_wave_is_empty(
    world: World, wave: Wave
) -> None:
    response = add(wave, world.dinkes, [0, 3, 2, 0])
    compute_wave(wave=wave)
    response.delete()
    services.mark_responses_changed(wave_id=wave.pk, unit_ids=[world.dinkes.pk], count=1)
    assert refresh_wave(wave=wave) is None
    assert not IndexRun.objects.filter(wave=wave).exists()
    assert WaveIndexState.objects.get(wave=wave).status == Status.EMPTY


def test_a_task_that_finds_the_wave_computing_leaves_it_to_the_running_one(
    world: World, wave: Wave
) -> None:
    add(wave, world.dinkes, [0, 3, 2, 0])
    add(wave, world.disdik, [0, 4, 4, 0])
    compute_wave(wave=wave)
    add(wave, world.dinkes, [0, 1, 1, 0])
    real_load_units = services.load_units
    second: list[Any] = []

    def load_units_while_another_task_starts(*args: Any, **kwargs: Any) -> Any:
        add(wave, world.disdik, [0, 1, 1, 0])
        services.mark_responses_changed(wave_id=wave.pk, unit_ids=[world.disdik.pk], count=1)
        second.append(refresh_wave(wave=wave))  # the task that change queued, started now
        return real_load_units(*args, **kwargs)

    services.mark_responses_changed(wave_id=wave.pk, unit_ids=[world.dinkes.pk], count=1)
    with mock.patch.object(services, "load_units", load_units_while_another_task_starts):
        refresh_wave(wave=wave)
    assert second == [None]  # it did nothing
    stored = WaveIndexState.objects.get(wave=wave)
    # Stale for the next scheduled pass, which the second change's units are left to.
    assert (stored.status, stored.dirty_units) == (Status.STALE, [world.disdik.pk])
    assert stored.computing_since is None


def test_a_computation_that_died_long_ago_does_not_block_the_next(world: World, wave: Wave) -> None:
    add(wave, world.dinkes, [0, 3, 2, 0])
    services.mark_responses_changed(wave_id=wave.pk, unit_ids=[world.dinkes.pk], count=1)
    WaveIndexState.objects.filter(wave=wave).update(
        status=Status.COMPUTING, computing_since=timezone.now() - services.COMPUTING_TIMEOUT
    )
    assert refresh_wave(wave=wave) is not None
    assert WaveIndexState.objects.get(wave=wave).status == Status.FRESH


def test_responses_of_a_wave_without_an_index_method_are_not_tracked(wave: Wave) -> None:
    wave.version.instrument.kind = "other"
    wave.version.instrument.save()
    services.mark_responses_changed(wave_id=wave.pk, unit_ids=[1], count=1)
    assert not WaveIndexState.objects.filter(wave=wave).exists()


def test_the_migration_to_the_new_correction_and_suppression_rules_recomputes_in_full() -> None:
    from importlib import import_module

    from django.apps import apps

    from integritas.indices.tests.test_compute_indices import make_wave

    wave = make_wave(k=2)
    compute_wave(wave=wave)
    state = WaveIndexState.objects.get(wave=wave)
    assert state.status == WaveIndexState.Status.FRESH and not state.full_needed
    migration = import_module(
        "integritas.indices.migrations.0008_recompute_after_correction_and_suppression_rules"
    )
    migration.mark_for_full_recompute(apps, None)
    state.refresh_from_db()
    assert state.status == WaveIndexState.Status.STALE and state.full_needed
    assert services.stale_waves() == [wave]
