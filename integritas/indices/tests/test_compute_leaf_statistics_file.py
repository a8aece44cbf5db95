"""The leaf statistics kept beside a wave's columnar copy under VAR_DIR: a full computation
whose answers did not change (a recompute, a method-settings change) reads them instead of
every answer; a lost, corrupt, stale or foreign file is rebuilt and never changes a result."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from django.utils import timezone

from integritas.core.models import Unit
from integritas.indices.models import IndexRun
from integritas.indices.services import columnar, loader
from integritas.indices.services.compute import compute_wave, update_wave
from integritas.indices.services.settings import setting_create, wave_year
from integritas.indices.tests.test_compute_indices import make_wave
from integritas.indices.tests.test_compute_recompute_store import stored
from integritas.surveys.models import Question, Response, Wave

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    return tmp_path


def from_scratch(wave: Wave) -> object:
    """What a first computation without any side file stores."""
    IndexRun.objects.filter(wave=wave).delete()
    columnar.path(wave.pk).unlink(missing_ok=True)
    columnar.leaves_path(wave.pk).unlink(missing_ok=True)
    compute_wave(wave=wave)
    return stored(wave)


def add(wave: Wave, unit: str, answers: list[int]) -> None:
    Response.objects.create(
        wave=wave,
        unit=Unit.objects.get(code=unit),
        respondent_type="public",
        submitted_on=timezone.localdate(),
        answers=Response.pack(answers),
    )


def refuse_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading the wave's answers (from the copy or the database) fail."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("every answer of the wave was read")

    monkeypatch.setattr(loader, "_read_database", refuse)
    monkeypatch.setattr(columnar, "read", refuse)


def test_a_computation_writes_the_statistics_beside_the_copy() -> None:
    wave = make_wave()
    compute_wave(wave=wave)
    assert columnar.leaves_path(wave.pk).exists()


def test_a_recompute_of_unchanged_answers_reads_the_statistics_not_the_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wave = make_wave()
    compute_wave(wave=wave)
    expected = stored(wave)
    refuse_answers(monkeypatch)
    run = compute_wave(wave=wave)
    monkeypatch.undo()
    assert run.response_count == 5
    assert stored(wave) == expected
    assert from_scratch(wave) == expected


def test_a_settings_change_gives_the_results_of_a_computation_from_scratch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wave = make_wave(k=1)
    compute_wave(wave=wave)
    before = stored(wave)
    setting_create(
        method="satisfaction", year=wave_year(wave), config={"weights": {"U1": 0.75, "U2": 0.25}}
    )
    refuse_answers(monkeypatch)
    update_wave(wave=wave)  # the new setting changes the fingerprint: a full computation
    monkeypatch.undo()
    after = stored(wave)
    assert after != before
    assert after[1] == before[1]  # the same leaves
    assert from_scratch(wave) == after


def test_responses_added_since_are_summarised_on_top_of_the_statistics(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wave = make_wave()
    compute_wave(wave=wave)
    add(wave, "DINAS-B", [0, 1, 2, 0])
    add(wave, "DINAS-B", [0, 4, 4, 0])
    monkeypatch.setattr(loader, "EXTEND_SHARE", 1)  # DINAS-B's rows are "many" otherwise
    refuse_answers(monkeypatch)
    run = compute_wave(wave=wave)
    assert run.response_count == 7
    compute_wave(wave=wave)  # the statistics were written again with the added rows
    monkeypatch.undo()
    recomputed = stored(wave)
    assert from_scratch(wave) == recomputed


def test_many_responses_added_since_are_read_with_the_copy() -> None:
    wave = make_wave()
    compute_wave(wave=wave)
    for _ in range(3):
        add(wave, "DINAS-B", [0, 4, 4, 0])
    run = compute_wave(wave=wave)
    assert run.response_count == 8
    recomputed = stored(wave)
    assert from_scratch(wave) == recomputed


def test_a_deleted_response_makes_the_statistics_stale() -> None:
    wave = make_wave()
    compute_wave(wave=wave)
    Response.objects.filter(wave=wave).order_by("id").first().delete()  # type: ignore[union-attr]
    add(wave, "DINAS-A", [0, 1, 2, 0])
    run = compute_wave(wave=wave)
    assert run.response_count == 5
    recomputed = stored(wave)
    assert from_scratch(wave) == recomputed


@pytest.mark.parametrize("damage", ["lost", "garbage", "flipped", "truncated"])
def test_a_lost_or_corrupt_statistics_file_is_rebuilt_with_the_same_results(
    damage: str,
) -> None:
    wave = make_wave()
    compute_wave(wave=wave)
    expected = stored(wave)
    path = columnar.leaves_path(wave.pk)
    if damage == "lost":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"not statistics")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    else:
        # One statistic changed under an intact header: only the recorded CRC tells.
        with np.load(path) as side:
            arrays = {name: side[name].copy() for name in side.files}
        arrays["stats"][0, 0] += 1.0
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        path.write_bytes(buffer.getvalue())
    compute_wave(wave=wave)
    assert stored(wave) == expected
    assert path.exists()
    assert loader.prepare(wave, method="satisfaction", config={"k": 2}).leaves is not None


def test_statistics_of_another_instrument_scoring_are_not_used() -> None:
    wave = make_wave(k=1)
    compute_wave(wave=wave)
    question = Question.objects.get(version=wave.version, slot=1)
    choice = question.choices.order_by("order").first()
    assert choice is not None
    choice.score = 3  # the leaves of the new scoring differ
    choice.save()
    compute_wave(wave=wave)
    recomputed = stored(wave)
    assert from_scratch(wave) == recomputed


def test_statistics_that_are_not_the_runs_are_not_used() -> None:
    wave = make_wave()
    compute_wave(wave=wave)
    IndexRun.objects.filter(wave=wave).update(columnar="another")
    prepared = loader.prepare(wave, method="satisfaction", config={"k": 2})
    assert prepared.leaves is None
