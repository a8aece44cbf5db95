"""Suppression never reveals a group below k, including by subtracting published cells
(the rule is documented in docs/index-engine.md)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from integritas.indices.engine import Instrument, Matrix, Tree, compute
from integritas.indices.engine.suppression import complementary

INSTRUMENT = Instrument(
    ["d1", "d1", "d2", "d3"],
    [(1, 2, 3, 4), (1, 2, 3, 4, None), (4, 3, 2, 1), (1, 2, 3, 4)],
    {"d1": "internal", "d2": "external", "d3": "expert"},
)
TYPES = ("internal", "external", "expert")
METHODS = ["integrity", "satisfaction", "zi_perception"]


@st.composite
def trees(draw):
    size = draw(st.integers(1, 7))
    parent = [draw(st.integers(-1, i - 1)) for i in range(size)]
    return Tree([f"U{i}" for i in range(size)], parent)


@st.composite
def waves(draw, tree):
    rows = draw(st.integers(0, 60))
    return Matrix(
        answers=draw(arrays(np.int16, (rows, 4), elements=st.integers(0, 4))),
        unit=draw(arrays(np.int32, rows, elements=st.integers(0, len(tree.nodes) - 1))),
        respondent_type=draw(arrays(np.int8, rows, elements=st.integers(0, 2))),
        type_names=TYPES,
    )


def ancestors_or_self(tree, code):
    """Codes of the node and every node above it, up to ALL."""
    index = {c: i for i, c in enumerate(tree.nodes)}
    found = [code]
    node = index.get(code, -1)
    while node != -1:
        node = tree.parent[node]
        found.append("ALL" if node == -1 else tree.nodes[node])
    return found if code != "ALL" else ["ALL"]


def published(results):
    return {(r.node, r.dimension, r.respondent_type): r for r in results if not r.suppressed}


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=150, deadline=None)
@given(data=st.data(), k=st.integers(2, 6))
def test_no_two_nested_published_cells_differ_by_fewer_than_k(method, data, k):
    tree = data.draw(trees())
    matrix = data.draw(waves(tree))
    results = compute(method, matrix=matrix, instrument=INSTRUMENT, tree=tree, config={"k": k})
    shown = published(results)
    for (node, dimension, rtype), inner in shown.items():
        for outer_node in ancestors_or_self(tree, node):
            for outer_type in {rtype, "all"}:
                outer = shown.get((outer_node, dimension, outer_type))
                if outer is None or (outer_node, outer_type) == (node, rtype):
                    continue
                difference = outer.n - inner.n
                assert difference == 0 or difference >= k, (outer, inner)


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=150, deadline=None)
@given(data=st.data(), k=st.integers(2, 6))
def test_a_published_node_minus_all_its_published_descendants_leaves_none_or_at_least_k(
    method, data, k
):
    # The residual of a node: its own respondents plus those of hidden nodes below it, down to
    # the nearest published descendants (which are disjoint, so their counts add up).
    tree = data.draw(trees())
    matrix = data.draw(waves(tree))
    results = compute(method, matrix=matrix, instrument=INSTRUMENT, tree=tree, config={"k": k})
    shown = published(results)
    children = {code: [] for code in tree.codes}
    for i, p in enumerate(tree.parent):
        children["ALL" if p == -1 else tree.nodes[p]].append(tree.nodes[i])

    def frontier(code, dimension, rtype):
        total = 0
        for child in children[code]:
            cell = shown.get((child, dimension, rtype))
            total += cell.n if cell else frontier(child, dimension, rtype)
        return total

    for (node, dimension, rtype), cell in shown.items():
        residual = cell.n - frontier(node, dimension, rtype)
        assert residual == 0 or residual >= k, cell
        if rtype == "all":
            types = sum(
                shown[(node, dimension, t)].n for t in TYPES if (node, dimension, t) in shown
            )
            assert cell.n - types == 0 or cell.n - types >= k, cell


def _shown_nodes(sizes, parents, k=10):
    """Compute a one-question wave with ``sizes[i]`` own respondents per unit; the nodes whose
    result (all respondents) is published."""
    codes = list(sizes)
    tree = Tree(codes, [codes.index(p) if p else -1 for p in parents])
    units = np.repeat(np.arange(len(codes), dtype=np.int32), list(sizes.values()))
    rows = len(units)
    matrix = Matrix(
        np.full((rows, 1), 2, np.int16), units, np.zeros(rows, np.int8), type_names=["public"]
    )
    results = compute(
        "zi_perception",
        matrix=matrix,
        instrument=Instrument(["d"], [(1, 2, 3, 4)]),
        tree=tree,
        config={"k": k},
    )
    cells = {r.node: r for r in results if r.dimension == "d" and r.respondent_type == "all"}
    return {node for node, r in cells.items() if not r.suppressed}, cells


def test_a_unit_meeting_k_stays_visible_when_its_sibling_is_small_and_the_parent_is_hidden():
    # P holds A (20) and B (3); G (8) and C (30) are top-level units; k = 10. Publishing P, A
    # and B-hidden would give B's 3 away as P − A, so the *aggregate* P is hidden, not A, which
    # has enough respondents of its own. The government total stays: ALL − A − C holds B's 3
    # and G's 8 together, 11 ≥ k.
    shown, cells = _shown_nodes(
        {"P": 0, "A": 20, "B": 3, "G": 8, "C": 30}, [None, "P", "P", None, None]
    )
    assert shown == {"A", "C", "ALL"}
    assert cells["P"].n == 23 and cells["P"].score is None


def test_the_government_total_is_hidden_before_a_unit_that_meets_k():
    # P has 3 respondents of its own and children A (20) and B (30), k = 10. Publishing P (53), A
    # and B would give away the mean of P's 3 by subtraction: P is hidden, and so is the
    # government total (ALL − A − B would isolate them again), while A and B keep their results.
    shown, cells = _shown_nodes({"P": 3, "A": 20, "B": 30}, [None, "P", "P"])
    assert shown == {"A", "B"}
    assert all(cells[node].score is None for node in ("P", "ALL"))


def test_it_hides_the_smallest_type_when_all_minus_the_types_would_isolate_a_small_one():
    # One unit: 3 experts, 12 internal, 25 external; k = 10. "all" (40) − internal − external
    # would give the 3 experts' mean, so internal (the smallest visible type) is hidden too.
    n = np.zeros((2, 4, 1), dtype=np.int64)
    n[0, :, 0] = n[1, :, 0] = [12, 25, 3, 40]
    hidden = complementary(n, Tree(["U"], [-1]), 10)
    assert hidden[0, :, 0].tolist() == [True, False, True, False]


def test_it_hides_a_type_cell_that_an_ancestors_all_cell_would_isolate_by_subtraction():
    # P has 3 external respondents of its own; child C has 10 internal. C's "all" is hidden by
    # the tree rule, but P's "all" (13) minus C's internal cell (10) would still reveal the 3.
    tree = Tree(["P", "C"], [-1, 0])
    n = np.zeros((3, 3, 1), dtype=np.int64)
    n[0, :, 0] = [10, 3, 13]  # P: internal, external, all
    n[1, :, 0] = [10, 0, 10]  # C
    n[2, :, 0] = [10, 3, 13]  # ALL
    hidden = complementary(n, tree, 10)
    shown = {(node, t) for node, t in zip(*np.nonzero(~hidden[:, :, 0]), strict=True)}
    for node, t in shown:
        for outer in (0, 2):
            if (outer, 2) in shown and outer != node:
                difference = n[outer, 2, 0] - n[node, t, 0]
                assert difference == 0 or difference >= 10


def test_a_composite_leaves_out_a_hidden_part():
    # d1 answered by 12 respondents (all 3), d2 by only 3 of them (all 1), k = 10. Were d2 in
    # the IKM, anyone could solve for the hidden d2 from the IKM and d1; so the IKM is computed
    # from the shown elements only: NRR 3 (d1 alone) × 25 = 75, which reveals nothing of d2.
    answers = np.zeros((12, 2), np.int16)
    answers[:, 0] = 3
    answers[:3, 1] = 1
    matrix = Matrix(answers, np.zeros(12, np.int32), np.zeros(12, np.int8), ["public"])
    instrument = Instrument(["d1", "d2"], [(1, 2, 3, 4), (1, 2, 3, 4)])
    results = compute(
        "satisfaction",
        matrix=matrix,
        instrument=instrument,
        tree=Tree(["U"], [-1]),
        config={"k": 10},
    )
    by_dimension = {r.dimension: r for r in results if r.node == "U" and r.respondent_type == "all"}
    assert not by_dimension["d1"].suppressed
    assert by_dimension["d2"].suppressed
    total = by_dimension["ALL"]
    assert total.n == 12 and not total.suppressed
    assert total.score == pytest.approx(75.0)  # with d2 (NRR 1) it would be (3 + 1) / 2 × 25 = 50
    # Changing the hidden answers does not move the published IKM.
    answers[:3, 1] = 4
    again = compute(
        "satisfaction",
        matrix=Matrix(answers, np.zeros(12, np.int32), np.zeros(12, np.int8), ["public"]),
        instrument=instrument,
        tree=Tree(["U"], [-1]),
        config={"k": 10},
    )
    assert [r.score for r in again if r.dimension == "ALL" and r.node == "U"] == [
        r.score for r in results if r.dimension == "ALL" and r.node == "U"
    ]
