"""The engine spreads a large wave's respondent means over threads when cores are idle; the
results are the same bit for bit on one thread and on several."""

import marshal

import numpy as np
import pytest

from integritas.indices.engine import Matrix, aggregate, compute
from integritas.indices.tests.test_engine_properties import INSTRUMENT, METHODS, TREE, TYPES


def big_wave(rows: int = 5000) -> Matrix:
    rng = np.random.default_rng(7)
    return Matrix(
        answers=rng.integers(-1, 7, (rows, 5)).astype(np.int16),
        unit=rng.integers(0, 4, rows).astype(np.int32),
        respondent_type=rng.integers(0, 3, rows).astype(np.int8),
        type_names=TYPES,
    )


def exact(method: str, matrix: Matrix) -> bytes:
    results = compute(method, matrix=matrix, instrument=INSTRUMENT, tree=TREE, config={"k": 1})
    return marshal.dumps([tuple(r) for r in results], 2)


@pytest.mark.parametrize("method", METHODS)
def test_results_are_bit_identical_on_one_thread_and_on_several(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    matrix = big_wave()
    monkeypatch.setattr(aggregate, "CHUNK_ROWS", 64)  # many chunks
    monkeypatch.setattr(aggregate, "THREADS", 1)
    alone = exact(method, matrix)
    monkeypatch.setattr(aggregate, "THREADS", 4)
    monkeypatch.setattr(aggregate, "_POOL", None)
    monkeypatch.setattr(aggregate, "_spare_cores", lambda: True)
    assert exact(method, matrix) == alone


def test_threads_are_used_only_when_cores_are_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregate, "THREADS", 2)
    monkeypatch.setattr(aggregate.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(aggregate.os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    assert aggregate._spare_cores()
    monkeypatch.setattr(aggregate.os, "getloadavg", lambda: (7.0, 6.0, 5.0))
    assert not aggregate._spare_cores()
    monkeypatch.setattr(aggregate, "THREADS", 1)
    monkeypatch.setattr(aggregate.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not aggregate._spare_cores()
