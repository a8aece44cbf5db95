"""Properties every method keeps: row order, monotonicity, suppression, empty waves."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from integritas.indices.engine import Instrument, Matrix, Tree, available_methods, compute

# A(0) has children A1(1) and A2(2); B(3) is a second root. Scores are deliberately not in
# choice order (slot 3 runs 10, 0, 5) and slot 1 has an unscored "don't know" choice.
TREE = Tree(["A", "A1", "A2", "B"], [-1, 0, 0, -1])
INSTRUMENT = Instrument(
    ["d1", "d1", "d2", "d3", None],
    [(1, 2, 3, 4), (1, 2, 3, 4, None), (4, 3, 2, 1), (10, 0, 5), (1, 2)],
    {"d1": "internal", "d2": "external", "d3": "expert"},
)
TYPES = ("internal", "external", "expert")
METHODS = ["integrity", "satisfaction", "zi_perception"]


@st.composite
def waves(draw, min_rows=0):
    rows = draw(st.integers(min_rows, 25))
    return Matrix(
        answers=draw(arrays(np.int16, (rows, 5), elements=st.integers(0, 5))),
        unit=draw(arrays(np.int32, rows, elements=st.integers(0, 3))),
        respondent_type=draw(arrays(np.int8, rows, elements=st.integers(0, 2))),
        type_names=TYPES,
    )


def run(method, matrix, k=1):
    results = compute(method, matrix=matrix, instrument=INSTRUMENT, tree=TREE, config={"k": k})
    return {(r.node, r.dimension, r.respondent_type): r for r in results}


def test_every_method_is_covered_here():
    assert available_methods() == METHODS


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=60, deadline=None)
@given(matrix=waves(), seed=st.integers(0, 2**32 - 1))
def test_results_do_not_depend_on_row_order(method, matrix, seed):
    order = np.random.default_rng(seed).permutation(matrix.n_responses)
    shuffled = Matrix(
        matrix.answers[order], matrix.unit[order], matrix.respondent_type[order], TYPES
    )
    before, after = run(method, matrix), run(method, shuffled)
    assert before.keys() == after.keys()
    for key, result in before.items():
        other = after[key].to_dict()
        for field, value in result.to_dict().items():
            if isinstance(value, float):
                assert other[field] == pytest.approx(value, rel=1e-9, abs=1e-9)
            else:
                assert other[field] == value


def containing_nodes(unit):
    nodes = ["ALL"]
    while unit != -1:
        nodes.append(TREE.nodes[unit])
        unit = TREE.parent[unit]
    return nodes


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=80, deadline=None)
@given(matrix=waves(min_rows=1), data=st.data())
def test_raising_one_answer_never_lowers_a_score_that_contains_it(method, matrix, data):
    row = data.draw(st.integers(0, matrix.n_responses - 1))
    slot = data.draw(st.integers(0, 4))
    scores = INSTRUMENT.scores[slot]
    code = int(matrix.answers[row, slot])
    current = scores[code - 1] if 1 <= code <= len(scores) else None
    higher = [c for c, s in enumerate(scores, 1) if None not in (s, current) and s > current]
    if not higher:
        return
    raised = matrix.answers.copy()
    raised[row, slot] = data.draw(st.sampled_from(higher))
    before = run(method, matrix)
    after = run(method, Matrix(raised, matrix.unit, matrix.respondent_type, TYPES))
    nodes = containing_nodes(int(matrix.unit[row]))
    own_types = ("all", TYPES[matrix.respondent_type[row]])
    for key, result in before.items():
        new = after[key]
        assert new.n == result.n
        if key[0] in nodes and key[2] in own_types:
            if result.score is not None and new.score is not None:
                assert new.score >= result.score - 1e-9, key
        else:
            assert new.score == result.score, key


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=60, deadline=None)
@given(matrix=waves(), k=st.integers(1, 6))
def test_cells_below_k_are_suppressed_and_keep_only_their_n(method, matrix, k):
    # Cells with n >= k may be suppressed too (complementary suppression, see
    # test_suppression_differencing.py); whatever is suppressed keeps no value but n.
    for result in run(method, matrix, k=k).values():
        payload = result.to_dict()
        if result.n < k:
            assert result.suppressed and payload["suppressed"]
        if result.suppressed:
            assert result.score is None and result.se is None and result.grade is None
            assert all(
                payload[field] is None
                for field in ("score", "se", "ci_low", "ci_high", "grade", "nrr")
            )
            assert payload["n"] == result.n


@pytest.mark.parametrize("method", METHODS)
def test_an_empty_wave_suppresses_every_result_with_n_zero(method):
    results = run(method, Matrix.empty(5, TYPES))
    # 5 nodes (with ALL) × 4 types (with "all") × each method's dimensions and composite.
    assert len(results) == 5 * 4 * {"integrity": 7, "satisfaction": 4, "zi_perception": 4}[method]
    assert all(r.n == 0 and r.suppressed and r.score is None for r in results.values())


@pytest.mark.parametrize("method", METHODS)
def test_an_instrument_without_scored_slots_yields_only_suppressed_composites(method):
    instrument = Instrument([None], [(1, 2)])
    matrix = Matrix(np.ones((3, 1), np.int16), np.zeros(3, np.int32), np.zeros(3, np.int8))
    results = compute(method, matrix=matrix, instrument=instrument, tree=TREE, config={"k": 1})
    assert results and all(r.n == 0 and r.score is None for r in results)


def subtree_rows(matrix, node):
    """Rows whose unit lies in the subtree of ``node`` (an index into TREE.codes)."""
    if node == len(TREE.nodes):
        return np.ones(matrix.n_responses, dtype=bool)
    inside = [u for u in range(len(TREE.nodes)) if TREE.codes[node] in containing_nodes(u)]
    return np.isin(matrix.unit, inside)


@settings(max_examples=80, deadline=None)
@given(matrix=waves(), data=st.data())
def test_rolled_up_leaf_statistics_equal_the_two_pass_statistics_of_the_raw_rows(matrix, data):
    from integritas.indices.engine.aggregate import summarise

    values = data.draw(arrays(np.float64, matrix.n_responses, elements=st.floats(0, 100)))
    valid = data.draw(arrays(np.bool_, matrix.n_responses))
    cells = summarise([(values, valid)], matrix, TREE)
    for node in range(len(TREE.codes)):
        for t in range(len(TYPES) + 1):
            rows = subtree_rows(matrix, node) & valid
            if t < len(TYPES):
                rows &= matrix.respondent_type == t
            x = values[rows]
            assert cells.n[node, t, 0] == x.size
            if x.size:
                assert cells.mean[node, t, 0] == pytest.approx(x.mean(), rel=1e-12, abs=1e-9)
            if x.size > 1:
                expected = x.std(ddof=1) / np.sqrt(x.size)
                assert cells.se[node, t, 0] == pytest.approx(expected, rel=1e-9, abs=1e-9)
            else:
                assert np.isnan(cells.se[node, t, 0])


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=40, deadline=None)
@given(matrix=waves(), changed=waves(), units=st.sets(st.integers(0, 3)))
def test_replacing_the_leaves_of_changed_units_gives_the_results_of_the_changed_wave(
    method, matrix, changed, units
):
    from integritas.indices.engine import finish, leaves

    # The changed wave: the rows of ``units`` come from ``changed``, the others from ``matrix``.
    keep = ~np.isin(matrix.unit, list(units))
    take = np.isin(changed.unit, list(units))
    merged = Matrix(
        np.concatenate([matrix.answers[keep], changed.answers[take]]),
        np.concatenate([matrix.unit[keep], changed.unit[take]]),
        np.concatenate([matrix.respondent_type[keep], changed.respondent_type[take]]),
        TYPES,
    )
    common = {"instrument": INSTRUMENT, "tree": TREE, "config": {"k": 3}}
    stored = leaves(method, matrix=matrix, **common)
    part = leaves(
        method,
        matrix=Matrix(
            changed.answers[take], changed.unit[take], changed.respondent_type[take], TYPES
        ),
        **common,
    )
    updated = finish(method, leaves=stored.replace(sorted(units), part), **common)
    expected = finish(method, leaves=leaves(method, matrix=merged, **common), **common)
    assert [r.to_dict() for r in updated] == [r.to_dict() for r in expected]
