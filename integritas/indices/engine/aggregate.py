"""Vectorised statistics: respondent means, then mean of respondent means per subtree and type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .data import Matrix, Tree

CHUNK_ROWS = 131_072
"""Rows looked up at a time, so a million-response wave needs tens of MB, not GBs."""

Column = tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]
"""Per-respondent value and whether the respondent contributes to it."""


def respondent_means(
    answers: npt.NDArray[np.int16], table: npt.NDArray[np.float64], slots: npt.NDArray[np.intp]
) -> Column:
    """Mean score of each respondent over the given slots, ignoring NaN (unanswered) items."""
    rows = answers.shape[0]
    means = np.zeros(rows)
    valid = np.zeros(rows, dtype=np.bool_)
    if rows == 0 or slots.size == 0:
        return means, valid
    sub_table = table[slots]
    width = sub_table.shape[1]
    cols = np.arange(slots.size)[None, :]
    for start in range(0, rows, CHUNK_ROWS):
        coded = answers[start : start + CHUNK_ROWS, slots].astype(np.intp)
        # Out-of-range codes (bit masks, corrupt data) point at column 0, which is NaN.
        coded[(coded < 0) | (coded >= width)] = 0
        values = sub_table[cols, coded]
        answered = ~np.isnan(values)
        count = answered.sum(axis=1)
        total = np.where(answered, values, 0.0).sum(axis=1)
        has = count > 0
        chunk = means[start : start + CHUNK_ROWS]
        chunk[has] = total[has] / count[has]
        valid[start : start + CHUNK_ROWS] = has
    return means, valid


def any_valid(columns: Sequence[Column], rows: int) -> Column:
    """A column that only counts respondents contributing to at least one of ``columns``."""
    valid = np.zeros(rows, dtype=np.bool_)
    for _, column_valid in columns:
        valid |= column_valid
    return np.zeros(rows), valid


@dataclass(frozen=True)
class Cells:
    """Summaries indexed ``[node, type, column]``.

    Nodes include the synthetic root last; types include "all" last. ``mean`` is NaN where
    n == 0 and ``se`` is NaN where n < 2.
    """

    n: npt.NDArray[np.int64]
    mean: npt.NDArray[np.float64]
    se: npt.NDArray[np.float64]


def ancestors_by_depth(tree: Tree) -> npt.NDArray[np.int64]:
    """``[depth, node]`` -> the node's ancestor (or itself) at that depth, -1 when shallower."""
    parent, depth = tree.extended_parent(), tree.depths()
    table = np.full((int(depth.max()) + 1, len(parent)), -1, dtype=np.int64)
    current = np.arange(len(parent))
    for level in range(int(depth.max()), -1, -1):
        at_level = depth[current] == level
        table[level, at_level] = current[at_level]
        current = np.where(at_level, parent[current], current)
    return table


def summarise(columns: Sequence[Column], matrix: Matrix, tree: Tree) -> Cells:
    """Mean, count and standard error of each column for every subtree and respondent type.

    Two passes over the responses: counts and sums per (unit, type) are rolled up the tree;
    then squared deviations from each containing node's mean are added level by level, which
    keeps the variance exact and leaves cells that do not contain a response untouched by it.
    """
    n_nodes, n_types, n_cols = len(tree.nodes), len(matrix.type_names), len(columns)
    unit = matrix.unit.astype(np.int64)
    if unit.size and (unit.min() < 0 or unit.max() >= n_nodes):
        raise ValueError("Matrix.unit has an index outside Tree.nodes.")
    rtype = matrix.respondent_type.astype(np.int64)
    key = unit * n_types + rtype
    size = n_nodes * n_types
    # acc[node, stat, type, column] with stat = count, sum.
    acc = np.zeros((n_nodes + 1, 2, n_types + 1, n_cols))
    for c, (values, valid) in enumerate(columns):
        keys = key[valid]
        acc[:n_nodes, 0, :n_types, c] = np.bincount(keys, minlength=size).reshape(n_nodes, -1)
        acc[:n_nodes, 1, :n_types, c] = np.bincount(keys, values[valid], minlength=size).reshape(
            n_nodes, -1
        )
    acc[:, :, n_types, :] = acc[:, :, :n_types, :].sum(axis=2)
    parent, depth = tree.extended_parent(), tree.depths()
    for level in range(int(depth.max()), 0, -1):
        members = np.flatnonzero(depth == level)
        np.add.at(acc, parent[members], acc[members])
    count, total = acc[:, 0], acc[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(count > 0, total / count, np.nan)
    squares = np.zeros_like(count)
    cells = (n_nodes + 1) * (n_types + 1)
    ancestors = ancestors_by_depth(tree)
    for c, (values, valid) in enumerate(columns):
        picked, picked_unit, picked_type = values[valid], unit[valid], rtype[valid]
        for level_nodes in ancestors:
            node = level_nodes[picked_unit]
            inside = node >= 0
            node, x, t = node[inside], picked[inside], picked_type[inside]
            for column_type in (t, np.full_like(t, n_types)):
                flat = node * (n_types + 1) + column_type
                deviation = x - mean[node, column_type, c]
                squares[:, :, c] += np.bincount(
                    flat, deviation * deviation, minlength=cells
                ).reshape(n_nodes + 1, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(count > 1, np.sqrt(squares / (count - 1) / count), np.nan)
    return Cells(n=np.rint(count).astype(np.int64), mean=mean, se=se)


def weighted(
    parts: Sequence[tuple[float, float, float]],
) -> tuple[float | None, float | None]:
    """Weighted mean of ``(weight, mean, se)`` parts that have data (mean not NaN).

    Weights are renormalised over the parts with data. The standard error treats parts as
    independent, sqrt(Σ w² se²): an approximation, None when any used part lacks an se.
    """
    used = [(w, m, s) for w, m, s in parts if not np.isnan(m)]
    total = sum(w for w, _, _ in used)
    if not used or total <= 0:
        return None, None
    score = sum(w * m for w, m, _ in used) / total
    if any(np.isnan(s) for _, _, s in used):
        return score, None
    return score, float(np.sqrt(sum((w / total) ** 2 * s * s for w, _, s in used)))
