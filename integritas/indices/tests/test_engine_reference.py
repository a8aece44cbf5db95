"""The vectorised engine agrees with a slow, obvious implementation on a large random wave."""

import math
from collections import defaultdict

import numpy as np
import pytest

from integritas.indices.engine import Instrument, Matrix, Tree, compute

ROWS, SLOTS = 200_000, 30


def reference(answers, units, types, type_names, instrument, tree, scale):
    """Mean of respondent means per (node, dimension, type), one response at a time."""
    dims = instrument.dimensions
    ancestors = []
    for node in range(len(tree.nodes)):
        chain = [tree.nodes[node]]
        while tree.parent[node] != -1:
            node = tree.parent[node]
            chain.append(tree.nodes[node])
        ancestors.append([*chain, "ALL"])
    values = defaultdict(list)
    for row, unit, rtype in zip(answers.tolist(), units.tolist(), types.tolist(), strict=True):
        per_dimension = defaultdict(list)
        for slot, code in enumerate(row):
            dim = instrument.dimension[slot]
            choices = instrument.scores[slot]
            if dim is None or not 1 <= code <= len(choices) or choices[code - 1] is None:
                continue
            per_dimension[dim].append(choices[code - 1])
            per_dimension["ALL"].append(choices[code - 1])
        for dim in (*dims, "ALL"):
            if per_dimension[dim]:
                mean = math.fsum(per_dimension[dim]) / len(per_dimension[dim])
                for node in ancestors[unit]:
                    values[node, dim, type_names[rtype]].append(mean * scale)
                    values[node, dim, "all"].append(mean * scale)
    summary = {}
    for key, items in values.items():
        n = len(items)
        mean = math.fsum(items) / n
        se = None
        if n > 1:
            se = math.sqrt(math.fsum((x - mean) ** 2 for x in items) / (n - 1) / n)
        summary[key] = (n, mean, se)
    return summary


def test_it_matches_the_reference_on_200_000_random_responses():
    rng = np.random.default_rng(20261129)
    nodes = [f"U{i}" for i in range(40)]
    parent = [-1 if i < 3 else int(rng.integers(0, i)) for i in range(40)]
    tree = Tree(nodes, parent)
    dimension = [None if s % 10 == 9 else f"d{s % 6}" for s in range(SLOTS)]
    scores = [(1, 2, 3, 4, None) if s % 3 else (4, 3, 2, 1) for s in range(SLOTS)]
    instrument = Instrument(dimension, scores)
    type_names = ("internal", "external", "expert")
    answers = rng.integers(0, 6, (ROWS, SLOTS)).astype(np.int16)
    units = rng.integers(0, 40, ROWS).astype(np.int32)
    types = rng.integers(0, 3, ROWS).astype(np.int8)
    matrix = Matrix(answers, units, types, type_names)

    expected = reference(answers, units, types, type_names, instrument, tree, scale=1)
    results = compute(
        "zi_perception", matrix=matrix, instrument=instrument, tree=tree, config={"k": 1}
    )
    assert len(results) == 41 * 4 * 7
    for r in results:
        n, mean, se = expected.get((r.node, r.dimension, r.respondent_type), (0, None, None))
        assert r.n == n
        assert r.score == pytest.approx(mean, rel=1e-9)
        assert r.se == pytest.approx(se, rel=1e-7)

    # Satisfaction element scores are the same statistic on the ×25 scale.
    satisfaction = compute(
        "satisfaction", matrix=matrix, instrument=instrument, tree=tree, config={"k": 1}
    )
    for r in satisfaction:
        if r.dimension != "ALL":
            n, mean, se = expected[r.node, r.dimension, r.respondent_type]
            assert (r.n, r.nrr) == (n, pytest.approx(mean, rel=1e-9))
            assert r.se == pytest.approx(se * 25, rel=1e-7)


def test_integrity_dimensions_equal_plain_means_of_the_rescaled_scores():
    rng = np.random.default_rng(7)
    tree = Tree(["A", "A1", "B"], [-1, 0, -1])
    scores = [(1, 2, 3, 4, None), (4, 3, 2, 1), (0, 10, 5)] * 4
    instrument = Instrument([f"d{s % 4}" for s in range(12)], scores)
    # (s − min) / (max − min) × 100 over each slot's scored choices.
    rescaled = Instrument(
        instrument.dimension,
        [
            tuple(
                None
                if s is None
                else (s - min(low, high)) / (max(low, high) - min(low, high)) * 100
                for s in row
            )
            for row, low, high in zip(
                scores, instrument.min_score, instrument.max_score, strict=True
            )
        ],
    )
    matrix = Matrix(
        rng.integers(0, 6, (5_000, 12)).astype(np.int16),
        rng.integers(0, 3, 5_000).astype(np.int32),
        rng.integers(0, 2, 5_000).astype(np.int8),
        ("internal", "external"),
    )
    config = {"k": 1}
    integrity = compute("integrity", matrix=matrix, instrument=instrument, tree=tree, config=config)
    plain = compute("zi_perception", matrix=matrix, instrument=rescaled, tree=tree, config=config)
    expected = {(r.node, r.dimension, r.respondent_type): r for r in plain}
    checked = 0
    for r in integrity:
        if r.dimension.startswith("d"):
            other = expected[r.node, r.dimension, r.respondent_type]
            assert r.n == other.n
            assert r.score == pytest.approx(other.score, rel=1e-12)
            assert r.se == pytest.approx(other.se, rel=1e-9)
            checked += 1
    assert checked == 4 * 3 * 4
