"""The Zona Integritas perception method (IPAK, IPKP), checked against arithmetic by hand."""

import numpy as np
import pytest

from integritas.indices.engine import Instrument, Matrix, Tree, compute

TREE = Tree(["KANTOR"], [-1])
INSTRUMENT = Instrument(["a", "a", "b"], [(1, 2, 3, 4)] * 3)
MATRIX = Matrix(
    answers=np.array([[4, 4, 3], [2, 3, 0], [0, 0, 1]], dtype=np.int16),
    unit=np.zeros(3, dtype=np.int32),
    respondent_type=np.zeros(3, dtype=np.int8),
)


def scores(config):
    results = compute(
        "zi_perception", matrix=MATRIX, instrument=INSTRUMENT, tree=TREE, config=config
    )
    return {r.dimension: r for r in results if (r.node, r.respondent_type) == ("KANTOR", "all")}


def test_it_averages_respondent_means_per_dimension_and_overall():
    by_dimension = scores({"k": 1})
    # a: r0 (4 + 4) / 2 = 4, r1 (2 + 3) / 2 = 2.5 -> 3.25, n 2.
    assert (by_dimension["a"].score, by_dimension["a"].n) == (3.25, 2)
    # b: r0 3, r2 1 -> 2, n 2; sd √2, se 1.
    assert by_dimension["b"].score == 2.0
    assert by_dimension["b"].se == pytest.approx(1.0)
    # Overall: r0 11/3, r1 2.5, r2 1 -> (3.667 + 2.5 + 1) / 3 = 2.389 (not the mean of a and b).
    overall = by_dimension["ALL"]
    assert overall.score == pytest.approx((11 / 3 + 2.5 + 1) / 3)
    assert (overall.n, overall.grade) == (3, None)


def test_it_marks_the_overall_score_against_a_target():
    assert scores({"k": 1, "target": 3.0})["ALL"].grade == "not met"
    assert scores({"k": 1, "target": 2.3})["ALL"].grade == "met"
    assert scores({"k": 1, "target": 2.3})["a"].grade is None
