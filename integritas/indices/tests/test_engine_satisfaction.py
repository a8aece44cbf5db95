"""The SKM / IKM method, checked against arithmetic done by hand."""

import numpy as np
import pytest

from integritas.indices.engine import Instrument, Matrix, Tree, compute
from integritas.indices.engine.config import band_label, check_bands
from integritas.indices.engine.satisfaction import SKM_GRADES

# DINAS (0) is the parent of LOKET (1). Element e2 has a fifth choice "don't know" (unscored).
TREE = Tree(["DINAS", "LOKET"], [-1, 0])
INSTRUMENT = Instrument(["e1", "e2"], [(1, 2, 3, 4), (1, 2, 3, 4, None)])
MATRIX = Matrix(
    answers=np.array([[4, 3], [3, 5], [2, 1]], dtype=np.int16),
    unit=np.array([1, 1, 0], dtype=np.int32),
    respondent_type=np.zeros(3, dtype=np.int8),
    type_names=("public",),
)


def result(results, node, dimension):
    (match,) = [
        r for r in results if (r.node, r.dimension, r.respondent_type) == (node, dimension, "all")
    ]
    return match


def test_it_computes_element_nrr_and_ikm_by_hand():
    results = compute(
        "satisfaction", matrix=MATRIX, instrument=INSTRUMENT, tree=TREE, config={"k": 1}
    )
    # LOKET: e1 answers 4, 3 -> NRR 3.5 -> 87.5; sample sd 0.7071, se 0.5 -> 12.5 on the 25 scale.
    e1 = result(results, "LOKET", "e1")
    assert (e1.nrr, e1.score, e1.n) == (3.5, 87.5, 2)
    assert e1.se == pytest.approx(12.5)
    assert e1.ci_low == pytest.approx(87.5 - 1.96 * 12.5)
    # e2: 3 and "don't know" (not an answer) -> NRR 3, n 1, so no se or interval.
    e2 = result(results, "LOKET", "e2")
    assert (e2.nrr, e2.score, e2.n, e2.se, e2.ci_low) == (3.0, 75.0, 1, None, None)
    # IKM = (3.5 × 1/2 + 3 × 1/2) × 25 = 81.25 -> B (76.61–88.30).
    ikm = result(results, "LOKET", "ALL")
    assert (ikm.score, ikm.nrr, ikm.n, ikm.grade) == (81.25, 3.25, 2, "B")
    # se of the composite: 25 × sqrt(0.5² × 0.5² + 0) is not computed because e2 has no se.
    assert ikm.se is None


def test_it_aggregates_the_whole_subtree_into_the_parent_and_the_government():
    results = compute(
        "satisfaction", matrix=MATRIX, instrument=INSTRUMENT, tree=TREE, config={"k": 1}
    )
    # DINAS covers all three: e1 (4 + 3 + 2) / 3 = 3; e2 (3 + 1) / 2 = 2.
    # IKM = (3 + 2) / 2 × 25 = 62.5 -> D (25.00–64.99).
    for node in ("DINAS", "ALL"):
        assert result(results, node, "e1").nrr == 3.0
        assert result(results, node, "e1").se == pytest.approx(25 / 3**0.5)  # sd 1, n 3
        assert result(results, node, "e2").nrr == 2.0
        ikm = result(results, node, "ALL")
        assert (ikm.score, ikm.n, ikm.grade) == (62.5, 3, "D")
        # 25 × sqrt(0.5² × (1/√3)² + 0.5² × (√2/√2)²) with e2 sd √2, se 1.
        assert ikm.se == pytest.approx(25 * (0.25 / 3 + 0.25 * 1.0) ** 0.5)


def test_it_applies_configured_element_weights():
    config = {"k": 1, "weights": {"e1": 0.75, "e2": 0.25}}
    results = compute(
        "satisfaction", matrix=MATRIX, instrument=INSTRUMENT, tree=TREE, config=config
    )
    # LOKET: (0.75 × 3.5 + 0.25 × 3) × 25 = 3.375 × 25 = 84.375 -> B.
    ikm = result(results, "LOKET", "ALL")
    assert (ikm.score, ikm.grade) == (84.375, "B")


def test_it_grades_on_the_score_rounded_half_up_to_two_decimals():
    grades = check_bands(SKM_GRADES, name="grades", low=0, high=100, precision=2)
    assert band_label(88.305, grades, 2) == "A"
    assert band_label(88.3049, grades, 2) == "B"
    assert band_label(64.995, grades, 2) == "C"
    assert band_label(64.994, grades, 2) == "D"
    assert band_label(24.0, grades, 2) is None


def test_it_suppresses_cells_below_k_by_default():
    results = compute("satisfaction", matrix=MATRIX, instrument=INSTRUMENT, tree=TREE)
    assert all(r.suppressed and r.to_dict()["score"] is None for r in results)
    assert result(results, "ALL", "ALL").n == 3
