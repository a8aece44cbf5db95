"""The SPI-style integrity method, checked against arithmetic done by hand."""

import numpy as np
import pytest

from integritas.indices.engine import Instrument, Matrix, Tree, compute
from integritas.indices.engine.integrity import spi_categories

TREE = Tree(["INSP"], [-1])
# Two internal items in "trans", one external item in "svc" (with an unscored 5th choice).
# Items are rescaled to 0–100: choices 1..4 -> 0, 33.33, 66.67, 100.
INSTRUMENT = Instrument(
    ["trans", "trans", "svc"],
    [(1, 2, 3, 4), (1, 2, 3, 4), (1, 2, 3, 4, None)],
    {"trans": "internal", "svc": "external"},
)
MATRIX = Matrix(
    answers=np.array([[4, 3, 0], [2, 0, 0], [0, 0, 4], [0, 0, 2], [0, 0, 5]], dtype=np.int16),
    unit=np.zeros(5, dtype=np.int32),
    respondent_type=np.array([0, 0, 1, 1, 1], dtype=np.int8),
    type_names=("internal", "external"),
)


def result(results, dimension, respondent_type="all", node="INSP"):
    (match,) = [
        r
        for r in results
        if (r.node, r.dimension, r.respondent_type) == (node, dimension, respondent_type)
    ]
    return match


def test_it_computes_dimensions_groups_and_the_composite_by_hand():
    results = compute("integrity", matrix=MATRIX, instrument=INSTRUMENT, tree=TREE, config={"k": 1})
    # trans: r0 (100 + 66.67) / 2 = 83.33; r1 33.33 -> mean 58.33; sd 35.36, se 25.
    trans = result(results, "trans")
    assert trans.score == pytest.approx(350 / 6)
    assert trans.se == pytest.approx(25.0)
    # svc: r2 100, r3 33.33, r4 "don't know" only (not counted) -> 66.67, n 2; se 33.33.
    svc = result(results, "svc")
    assert (svc.score, svc.n) == (pytest.approx(400 / 6), 2)
    assert svc.se == pytest.approx(100 / 3)
    assert result(results, "group:internal").score == pytest.approx(350 / 6)
    assert result(results, "group:external").score == pytest.approx(400 / 6)
    assert result(results, "group:expert").n == 0
    # No expert data: weights 0.6 and 0.3 renormalised to 2/3 and 1/3.
    # (0.6 × 58.33 + 0.3 × 66.67) / 0.9 = (35 + 20) / 0.9 = 61.11 -> Rentan (2024: 0–72.9).
    composite = result(results, "ALL")
    assert composite.score == pytest.approx(55 / 0.9)
    assert composite.n == 4
    assert composite.grade == "Rentan"
    assert composite.se == pytest.approx(((2 / 3 * 25) ** 2 + (1 / 3 * 100 / 3) ** 2) ** 0.5)


def test_it_subtracts_the_correction_and_uses_the_configured_weights_and_year():
    config = {
        "k": 1,
        "group_weights": {"internal": 0.2, "external": 0.8, "expert": 0.0},
        "correction": 1.5,
        "categories": spi_categories(2022),
    }
    results = compute("integrity", matrix=MATRIX, instrument=INSTRUMENT, tree=TREE, config=config)
    # 0.2 × 58.33 + 0.8 × 66.67 = 11.67 + 53.33 = 65 ; − 1.5 = 63.5 -> Sangat Rentan (2022).
    # The correction is the government's: its composite (node ALL) takes it.
    composite = result(results, "ALL", node="ALL")
    assert composite.score == pytest.approx(63.5)
    assert composite.grade == "Sangat Rentan"


def test_it_breaks_the_composite_down_by_respondent_type():
    results = compute("integrity", matrix=MATRIX, instrument=INSTRUMENT, tree=TREE, config={"k": 1})
    # Internal respondents only answered "trans": composite = internal group = 58.33.
    assert result(results, "ALL", "internal").score == pytest.approx(350 / 6)
    assert result(results, "trans", "external").n == 0


def test_it_weighs_dimensions_within_a_group():
    instrument = Instrument(
        ["a", "b"], [(1, 2, 3, 4), (1, 2, 3, 4)], {"a": "internal", "b": "internal"}
    )
    matrix = Matrix(
        answers=np.array([[4, 1]], dtype=np.int16),
        unit=np.zeros(1, dtype=np.int32),
        respondent_type=np.zeros(1, dtype=np.int8),
    )
    config = {"k": 1, "dimension_weights": {"internal": {"a": 0.25, "b": 0.75}}}
    results = compute("integrity", matrix=matrix, instrument=instrument, tree=TREE, config=config)
    # a = 100, b = 0: internal = 0.25 × 100 + 0.75 × 0 = 25; only group with data -> 25.
    assert result(results, "ALL").score == pytest.approx(25.0)
    assert result(results, "ALL").grade == "Rentan"


def test_the_correction_is_subtracted_from_the_government_composite_only():
    """KPK's correction is per institution (DOMAIN.md §1): units and respondent groups keep
    their uncorrected composite; the government's composite over all respondents is corrected."""
    tree = Tree(["DINAS", "UPT"], [-1, 0])
    matrix = Matrix(
        answers=MATRIX.answers,
        unit=np.array([0, 1, 0, 1, 0], dtype=np.int32),
        respondent_type=MATRIX.respondent_type,
        type_names=MATRIX.type_names,
    )
    config = {"k": 1, "correction": 3.88}
    plain = compute("integrity", matrix=matrix, instrument=INSTRUMENT, tree=tree, config={"k": 1})
    corrected = compute("integrity", matrix=matrix, instrument=INSTRUMENT, tree=tree, config=config)
    before = {(r.node, r.dimension, r.respondent_type): r.score for r in plain}
    for r in corrected:
        key = (r.node, r.dimension, r.respondent_type)
        if key == ("ALL", "ALL", "all"):
            assert r.score == pytest.approx(before[key] - 3.88)
        elif r.score is None:
            assert before[key] is None
        else:
            assert r.score == pytest.approx(before[key]), key
    assert result(corrected, "ALL", node="ALL").score == pytest.approx(55 / 0.9 - 3.88)
    assert result(corrected, "ALL", node="DINAS").score == result(plain, "ALL", node="DINAS").score
    assert result(corrected, "ALL", "internal", node="ALL").score == pytest.approx(350 / 6)
