"""The columnar copy of a wave's answers under VAR_DIR: used when it matches the database,
rebuilt from the database when it is missing, stale, corrupt or not the run's; the stored
results are the same with and without it."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from django.utils import timezone

from integritas.core.models import Unit
from integritas.indices.models import IndexRun
from integritas.indices.services import columnar, loader
from integritas.indices.services.compute import compute_wave
from integritas.indices.services.loader import load
from integritas.indices.tests.test_compute_indices import make_wave
from integritas.indices.tests.test_compute_recompute_store import stored
from integritas.surveys.models import Response, Wave

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def without_stored_statistics(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the copy: the leaf statistics kept beside it (which spare a
    computation the copy when the answers did not change) are never found here; see
    test_compute_leaf_statistics_file.py."""
    monkeypatch.setattr(columnar, "read_leaves", lambda *args, **kwargs: None)


def computed_twice() -> Wave:
    wave = make_wave()
    compute_wave(wave=wave)
    compute_wave(wave=wave)
    return wave


def from_scratch(wave: Wave) -> object:
    """What a first computation without any copy stores."""
    IndexRun.objects.filter(wave=wave).delete()
    columnar.path(wave.pk).unlink(missing_ok=True)
    compute_wave(wave=wave)
    return stored(wave)


def test_a_computation_writes_the_copy_and_the_next_one_reads_it() -> None:
    wave = make_wave()
    compute_wave(wave=wave)
    assert columnar.path(wave.pk).exists()
    token = IndexRun.objects.get(wave=wave).columnar
    assert token
    loaded = load(wave)
    assert loaded.columnar == token  # read from the copy, not rebuilt
    compute_wave(wave=wave)
    assert IndexRun.objects.get(wave=wave).columnar == token


def test_the_results_are_the_same_with_and_without_the_copy() -> None:
    wave = computed_twice()
    with_copy = stored(wave)
    assert from_scratch(wave) == with_copy


def test_a_missing_copy_is_rebuilt() -> None:
    wave = computed_twice()
    expected = stored(wave)
    columnar.path(wave.pk).unlink()
    compute_wave(wave=wave)
    assert columnar.path(wave.pk).exists()
    assert stored(wave) == expected


def test_a_stale_copy_is_rebuilt_when_responses_were_added() -> None:
    wave = computed_twice()
    token = IndexRun.objects.get(wave=wave).columnar
    Response.objects.create(
        wave=wave,
        unit=Unit.objects.get(code="DINAS-B"),
        respondent_type="public",
        submitted_on=timezone.localdate(),
        answers=Response.pack([0, 4, 4, 0]),
    )
    run = compute_wave(wave=wave)
    assert run.response_count == 6
    assert IndexRun.objects.get(wave=wave).columnar != token
    recomputed = stored(wave)
    assert from_scratch(wave) == recomputed


def test_a_stale_copy_is_rebuilt_when_a_response_was_deleted() -> None:
    wave = computed_twice()
    Response.objects.filter(wave=wave).order_by("id").first().delete()  # type: ignore[union-attr]
    run = compute_wave(wave=wave)
    assert run.response_count == 4
    recomputed = stored(wave)
    assert from_scratch(wave) == recomputed


@pytest.mark.parametrize("damage", ["garbage", "flipped", "truncated"])
def test_a_corrupt_copy_is_detected_and_rebuilt(damage: str) -> None:
    wave = computed_twice()
    expected = stored(wave)
    token = IndexRun.objects.get(wave=wave).columnar
    path = columnar.path(wave.pk)
    data = bytearray(path.read_bytes())
    if damage == "garbage":
        data = bytearray(b"not a copy")
    elif damage == "flipped":
        # One answer changed under an intact header: only the recorded CRC tells.
        with np.load(path) as copy:
            arrays = {name: copy[name].copy() for name in copy.files}
        arrays["answers"][0, 1] ^= 0x7
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        data = bytearray(buffer.getvalue())
    else:
        data = data[: len(data) // 2]
    path.write_bytes(bytes(data))
    compute_wave(wave=wave)
    assert stored(wave) == expected
    assert IndexRun.objects.get(wave=wave).columnar != token
    assert load(wave).columnar == IndexRun.objects.get(wave=wave).columnar


def test_a_copy_that_is_not_the_runs_is_not_used() -> None:
    wave = computed_twice()
    token = IndexRun.objects.get(wave=wave).columnar
    IndexRun.objects.filter(wave=wave).update(columnar="another")
    assert load(wave).columnar != token


def add(wave: Wave, unit: str, answers: list[int]) -> None:
    Response.objects.create(
        wave=wave,
        unit=Unit.objects.get(code=unit),
        respondent_type="public",
        submitted_on=timezone.localdate(),
        answers=Response.pack(answers),
    )


def test_a_copy_is_extended_with_the_responses_added_since_without_reading_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wave = computed_twice()
    add(wave, "DINAS-A", [0, 1, 2, 0])
    add(wave, "DINAS-B", [0, 4, 4, 0])

    def refuse(*args: object) -> None:
        raise AssertionError("the whole wave was read from the database")

    monkeypatch.setattr(loader, "_read_database", refuse)
    run = compute_wave(wave=wave)
    monkeypatch.undo()
    assert run.response_count == 7
    assert load(wave).columnar == IndexRun.objects.get(wave=wave).columnar
    recomputed = stored(wave)
    assert from_scratch(wave) == recomputed


def test_a_copy_is_rebuilt_when_a_response_was_deleted_and_another_added() -> None:
    wave = computed_twice()
    Response.objects.filter(wave=wave).order_by("id").first().delete()  # type: ignore[union-attr]
    add(wave, "DINAS-A", [0, 1, 2, 0])
    run = compute_wave(wave=wave)
    assert run.response_count == 5
    recomputed = stored(wave)
    assert from_scratch(wave) == recomputed


def test_a_few_responses_added_since_are_read_on_top_of_the_copy_without_writing_it_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wave = computed_twice()
    token = IndexRun.objects.get(wave=wave).columnar
    written = columnar.path(wave.pk).read_bytes()
    monkeypatch.setattr(loader, "EXTEND_SHARE", 1)  # up to as many rows as the copy's are few
    add(wave, "DINAS-A", [0, 1, 2, 0])
    run = compute_wave(wave=wave)
    assert run.response_count == 6
    assert IndexRun.objects.get(wave=wave).columnar == token
    assert columnar.path(wave.pk).read_bytes() == written
    add(wave, "DINAS-B", [0, 4, 4, 0])
    run = compute_wave(wave=wave)
    assert run.response_count == 7
    assert IndexRun.objects.get(wave=wave).columnar == token
    recomputed = stored(wave)
    assert from_scratch(wave) == recomputed


def test_the_copy_is_written_again_once_many_responses_came_on_top(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wave = computed_twice()
    token = IndexRun.objects.get(wave=wave).columnar
    monkeypatch.setattr(loader, "EXTEND_SHARE", 1)
    for _ in range(6):  # more rows than the copy's five
        add(wave, "DINAS-A", [0, 1, 2, 0])
    compute_wave(wave=wave)
    assert IndexRun.objects.get(wave=wave).columnar != token
    assert load(wave).columnar == IndexRun.objects.get(wave=wave).columnar


def test_units_with_ids_too_large_for_a_table_are_placed_by_binary_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wave = computed_twice()
    expected = load(wave).matrix.unit
    monkeypatch.setattr(loader, "DENSE_IDS", -(10**9))
    assert (load(wave).matrix.unit == expected).all()
    raw = np.array([10**12], dtype=np.int64)
    with pytest.raises(loader.LoadError):
        loader._node_indexes(raw, {1: 0})
