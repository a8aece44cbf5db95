"""Input checks and the score table derived from an instrument."""

import math

import numpy as np
import pytest

from integritas.indices.engine import ConfigError, Instrument, Matrix, Tree, compute


def test_it_adds_a_synthetic_root_above_every_root():
    tree = Tree(["A", "A1", "B"], [-1, 0, -1])
    assert tree.codes == ("A", "A1", "B", "ALL")
    assert tree.extended_parent().tolist() == [3, 0, 3, -1]
    assert tree.depths().tolist() == [1, 2, 1, 0]


@pytest.mark.parametrize(
    ("nodes", "parent", "message"),
    [
        (["A", "B"], [1, 0], "cycle"),
        (["A"], [5], "invalid parent"),
        (["A", "A"], [-1, -1], "unique"),
        (["ALL"], [-1], "reserved"),
        (["A"], [], "same length"),
    ],
)
def test_it_rejects_a_malformed_tree(nodes, parent, message):
    with pytest.raises(ValueError, match=message):
        Tree(nodes, parent)


def test_it_rejects_a_response_outside_the_tree_or_the_types():
    tree = Tree(["A"], [-1])
    instrument = Instrument(["d"], [(1, 2)])
    matrix = Matrix(np.ones((1, 1), np.int16), np.array([3], np.int32), np.zeros(1, np.int8))
    with pytest.raises(ValueError, match="outside Tree.nodes"):
        compute("zi_perception", matrix=matrix, instrument=instrument, tree=tree)
    with pytest.raises(ValueError, match="outside type_names"):
        Matrix(np.ones((1, 1), np.int16), np.zeros(1, np.int32), np.array([1], np.int8))
    with pytest.raises(ValueError, match="must not include 'all'"):
        Matrix.empty(1, ("all",))


def test_it_derives_score_ranges_and_treats_unscored_choices_as_no_answer():
    instrument = Instrument(["d", None, "d"], [(1, 2, 3, 4, None), (1, 2), (5, None, 0)])
    assert instrument.min_score == [1.0, 1.0, 0.0]
    assert instrument.max_score == [4.0, 2.0, 5.0]
    raw = instrument.score_table()
    assert math.isnan(raw[0, 0]) and math.isnan(raw[0, 5]) and raw[0, 4] == 4.0
    rescaled = instrument.score_table(rescale=True)
    # (s − min) / (max − min) × 100: choice 2 of slot 0 scores 2 -> (2 − 1) / 3 × 100.
    assert rescaled[0, 2] == pytest.approx(100 / 3)
    assert rescaled[2, 1] == 100.0 and rescaled[2, 3] == 0.0 and math.isnan(rescaled[2, 2])


def test_it_ignores_codes_beyond_the_choices_such_as_bit_masks():
    tree = Tree(["A"], [-1])
    instrument = Instrument(["d", "d"], [(1, 2, 3, 4), (1, 2, 3, 4)])
    matrix = Matrix(
        np.array([[4, 99], [-1, 2]], np.int16), np.zeros(2, np.int32), np.zeros(2, np.int8)
    )
    results = compute(
        "zi_perception", matrix=matrix, instrument=instrument, tree=tree, config={"k": 1}
    )
    assert [r.score for r in results if r.node == "A" and r.respondent_type == "all"] == [3.0, 3.0]


def test_it_requires_satisfaction_weights_for_exactly_the_instrument_elements():
    tree = Tree(["A"], [-1])
    instrument = Instrument(["e1", "e2"], [(1, 2, 3, 4), (1, 2, 3, 4)])
    with pytest.raises(ConfigError, match="exactly the instrument's elements"):
        compute(
            "satisfaction",
            matrix=Matrix.empty(2),
            instrument=instrument,
            tree=tree,
            config={"weights": {"e1": 1.0}},
        )


def test_it_serialises_results_as_plain_json_types():
    import json

    tree = Tree(["A"], [-1])
    instrument = Instrument(["d"], [(1, 2, 3, 4)])
    matrix = Matrix(np.array([[1], [4]], np.int16), np.zeros(2, np.int32), np.zeros(2, np.int8))
    results = compute(
        "satisfaction", matrix=matrix, instrument=instrument, tree=tree, config={"k": 1}
    )
    payload = json.loads(json.dumps([r.to_dict() for r in results]))
    assert payload[0]["score"] == 62.5 and payload[0]["n"] == 2
