"""Vectorised statistics: respondent means; per-unit leaf statistics (count, sum, M2); their exact
roll-up to every subtree and respondent type (see docs/index-engine.md)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .data import Matrix, Tree

CHUNK_ROWS = 131_072
"""Rows looked up at a time, so a million-response wave needs tens of MB, not GBs."""
THREADS = max(1, min(4, os.cpu_count() or 1))
"""Threads for the respondent means of a large wave (its row chunks are independent)."""
_POOL: ThreadPoolExecutor | None = None

Column = tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]
"""Per-respondent value and whether the respondent contributes to it."""


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="index-engine")
    return _POOL


def _spare_cores() -> bool:
    """Whether threads would run on idle cores: on a machine already busy (load average at the
    number of cores) they only wait for each other (measured 10 % slower at load 7 on 2 cores)."""
    if THREADS < 2:
        return False
    try:
        return os.getloadavg()[0] < (os.cpu_count() or 1) - 0.5
    except OSError:
        return False


def respondent_means(
    answers: npt.NDArray[np.int16], table: npt.NDArray[np.float64], slots: npt.NDArray[np.intp]
) -> Column:
    """Mean score of each respondent over the given slots, ignoring NaN (unanswered) items.

    Rows are taken ``CHUNK_ROWS`` at a time; with more than one chunk and idle cores the chunks
    run on ``THREADS`` threads (numpy releases the GIL in its loops). Every row's
    mean is computed alone, so the result does not depend on how the chunks are scheduled."""
    rows = answers.shape[0]
    means = np.zeros(rows)
    valid = np.zeros(rows, dtype=np.bool_)
    if rows == 0 or slots.size == 0:
        return means, valid
    sub_table = table[slots]
    width = sub_table.shape[1]
    cols = np.arange(slots.size)[None, :]

    def chunk_means(start: int) -> None:
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

    starts = range(0, rows, CHUNK_ROWS)
    if len(starts) > 1 and _spare_cores():
        for _ in _pool().map(chunk_means, starts):
            pass
    else:
        for start in starts:
            chunk_means(start)
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


@dataclass(frozen=True, eq=False)
class Leaves:
    """Sufficient statistics of every unit's *own* respondents, indexed ``[node, type, column]``
    (tree nodes without the synthetic root; the wave's types without "all").

    ``n`` counts the respondents contributing to a column, ``total`` sums their values and
    ``m2`` is the sum of squared deviations about the leaf's own mean. ``responses[node, type]``
    counts every response, whether or not it contributes to a column. Everything else (subtrees,
    "all" types, standard errors) is rolled up from these exactly, so a wave's leaves can be
    stored and only the leaves of changed units replaced.
    """

    n: npt.NDArray[np.float64]
    total: npt.NDArray[np.float64]
    m2: npt.NDArray[np.float64]
    responses: npt.NDArray[np.int64]
    type_names: tuple[str, ...]

    @property
    def shape(self) -> tuple[int, int, int]:
        nodes, types, columns = self.n.shape
        return int(nodes), int(types), int(columns)

    def pack(self, node: int) -> bytes:
        """One node's statistics as bytes (float64, little-endian): n, total, m2, responses."""
        parts = (
            self.n[node].ravel(),
            self.total[node].ravel(),
            self.m2[node].ravel(),
            self.responses[node].astype(np.float64),
        )
        return np.concatenate(parts).astype("<f8").tobytes()

    def pack_all(self) -> npt.NDArray[np.float64]:
        """Every node's ``pack`` bytes as the rows of one little-endian float64 array."""
        nodes = self.n.shape[0]
        parts = (
            self.n.reshape(nodes, -1),
            self.total.reshape(nodes, -1),
            self.m2.reshape(nodes, -1),
            self.responses.astype(np.float64),
        )
        return np.ascontiguousarray(np.concatenate(parts, axis=1), dtype="<f8")

    @classmethod
    def zeros(cls, nodes: int, type_names: Sequence[str], columns: int) -> Leaves:
        types = len(type_names)
        return cls(
            n=np.zeros((nodes, types, columns)),
            total=np.zeros((nodes, types, columns)),
            m2=np.zeros((nodes, types, columns)),
            responses=np.zeros((nodes, types), dtype=np.int64),
            type_names=tuple(type_names),
        )

    @classmethod
    def from_packed(
        cls,
        nodes: int,
        type_names: Sequence[str],
        at: npt.NDArray[np.int64],
        packed: npt.NDArray[np.float64],
    ) -> Leaves:
        """Leaves over ``nodes`` nodes whose rows ``at`` hold the ``pack_all`` rows ``packed``
        (the other nodes have none)."""
        types = len(type_names)
        width = packed.shape[1] if packed.ndim == 2 else 0
        columns, extra = divmod(width - types, 3 * types) if types else (0, 1)
        if packed.ndim != 2 or extra or columns < 0 or packed.shape[0] != len(at):
            raise ValueError("Packed leaf statistics do not match the wave's shape.")
        leaves = cls.zeros(nodes, type_names, columns)
        size = types * columns
        leaves.n[at] = packed[:, :size].reshape(-1, types, columns)
        leaves.total[at] = packed[:, size : 2 * size].reshape(-1, types, columns)
        leaves.m2[at] = packed[:, 2 * size : 3 * size].reshape(-1, types, columns)
        leaves.responses[at] = np.rint(packed[:, 3 * size :]).astype(np.int64)
        return leaves

    def unpack_into(self, node: int, data: bytes) -> None:
        """Set one node's statistics from ``pack`` bytes (of a wave with the same shape)."""
        _, types, columns = self.shape
        size = types * columns
        values = np.frombuffer(data, dtype="<f8")
        if values.size != 3 * size + types:
            raise ValueError("Stored leaf statistics do not match the wave's shape.")
        self.n[node] = values[:size].reshape(types, columns)
        self.total[node] = values[size : 2 * size].reshape(types, columns)
        self.m2[node] = values[2 * size : 3 * size].reshape(types, columns)
        self.responses[node] = np.rint(values[3 * size :]).astype(np.int64)

    def replace(self, nodes: Sequence[int], other: Leaves) -> Leaves:
        """A copy whose statistics at ``nodes`` come from ``other`` (same shape)."""
        if other.shape != self.shape or other.type_names != self.type_names:
            raise ValueError("Leaves of different shapes cannot be combined.")
        picked = np.asarray(nodes, dtype=np.int64)
        n, total, m2 = self.n.copy(), self.total.copy(), self.m2.copy()
        responses = self.responses.copy()
        n[picked], total[picked], m2[picked] = (
            other.n[picked],
            other.total[picked],
            other.m2[picked],
        )
        responses[picked] = other.responses[picked]
        return Leaves(n, total, m2, responses, self.type_names)


def leaf_stats(columns: Sequence[Column], matrix: Matrix, n_nodes: int) -> Leaves:
    """Count, sum and M2 of each column per (unit, respondent type): one pass over the rows for
    count and sum, one for the squared deviations about each leaf's mean.

    Rows of one leaf are summed in the order they come, so the same rows in the same order
    give bit-identical statistics whether the whole wave or only their unit is read.
    """
    n_types, n_cols = len(matrix.type_names), len(columns)
    unit = matrix.unit.astype(np.int64)
    if unit.size and (unit.min() < 0 or unit.max() >= n_nodes):
        raise ValueError("Matrix.unit has an index outside Tree.nodes.")
    key = unit * n_types + matrix.respondent_type.astype(np.int64)
    size = n_nodes * n_types
    leaves = Leaves.zeros(n_nodes, matrix.type_names, n_cols)
    for c, (values, valid) in enumerate(columns):
        keys = key if valid.all() else key[valid]
        count = np.bincount(keys, minlength=size).astype(np.float64)
        leaves.n[:, :, c] = count.reshape(n_nodes, n_types)
        if not values.any():
            # A column that only counts (``any_valid``): its sums and M2 are exactly zero.
            continue
        x = values[valid]
        total = np.bincount(keys, x, minlength=size)
        mean = total / np.maximum(count, 1.0)
        deviation = x - mean[keys]
        m2 = np.bincount(keys, deviation * deviation, minlength=size)
        leaves.total[:, :, c] = total.reshape(n_nodes, n_types)
        leaves.m2[:, :, c] = m2.reshape(n_nodes, n_types)
    leaves.responses[:] = np.bincount(key, minlength=size).reshape(n_nodes, n_types)
    return leaves


def _safe_mean(total: npt.NDArray[np.float64], n: npt.NDArray[np.float64]) -> npt.NDArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, total / np.where(n > 0, n, 1.0), np.nan)


def _spread(
    n: npt.NDArray[np.float64], mean: npt.NDArray[np.float64], around: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """n · (mean − around)², zero where n == 0 (whose mean is NaN)."""
    gap = np.where(n > 0, mean - np.where(np.isnan(around), 0.0, around), 0.0)
    return n * gap * gap


def roll_up(leaves: Leaves, tree: Tree) -> Cells:
    """Every subtree's and every respondent type's (plus "all") count, mean and standard error,
    combined exactly from the leaves (Chan et al.: M2 = Σ M2ᵢ + Σ nᵢ·(meanᵢ − mean)²)."""
    n_nodes, n_types, n_cols = leaves.shape
    if n_nodes != len(tree.nodes):
        raise ValueError("Leaves and Tree have different numbers of nodes.")
    shape = (n_nodes + 1, n_types + 1, n_cols)
    own_n, own_total, own_m2 = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    own_n[:n_nodes, :n_types] = leaves.n
    own_total[:n_nodes, :n_types] = leaves.total
    own_m2[:n_nodes, :n_types] = leaves.m2
    # The "all" type of a node's own respondents combines its types.
    own_n[:, n_types] = own_n[:, :n_types].sum(axis=1)
    own_total[:, n_types] = own_total[:, :n_types].sum(axis=1)
    type_mean = _safe_mean(own_total[:, :n_types], own_n[:, :n_types])
    all_mean = _safe_mean(own_total[:, n_types], own_n[:, n_types])
    own_m2[:, n_types] = own_m2[:, :n_types].sum(axis=1) + _spread(
        own_n[:, :n_types], type_mean, all_mean[:, None, :]
    ).sum(axis=1)
    # Subtrees: counts and sums first, then M2 about each subtree's mean, level by level.
    parent, depth = tree.extended_parent(), tree.depths()
    levels = [np.flatnonzero(depth == level) for level in range(int(depth.max()), 0, -1)]
    count, total = own_n.copy(), own_total.copy()
    for members in levels:
        np.add.at(count, parent[members], count[members])
        np.add.at(total, parent[members], total[members])
    mean = _safe_mean(total, count)
    m2 = own_m2 + _spread(own_n, _safe_mean(own_total, own_n), mean)
    for members in levels:
        up = parent[members]
        np.add.at(m2, up, m2[members] + _spread(count[members], mean[members], mean[up]))
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(count > 1, np.sqrt(np.maximum(m2, 0.0) / (count - 1) / count), np.nan)
    return Cells(n=np.rint(count).astype(np.int64), mean=mean, se=se)


def summarise(columns: Sequence[Column], matrix: Matrix, tree: Tree) -> Cells:
    """Mean, count and standard error of each column for every subtree and respondent type:
    leaf statistics per (unit, type), rolled up the tree (see ``roll_up``)."""
    return roll_up(leaf_stats(columns, matrix, len(tree.nodes)), tree)


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


def weighted_arrays(
    weights: npt.NDArray[np.float64],
    means: npt.NDArray[np.float64],
    ses: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``weighted`` over arrays whose last axis holds the parts: the weighted mean over parts
    with data (NaN where none, or their weights sum to 0) and its se (NaN where a used part has
    none)."""
    used = ~np.isnan(means)
    w = np.where(used, weights, 0.0)
    total = w.sum(axis=-1)
    valid = used.any(axis=-1) & (total > 0)
    safe_total = np.where(valid, total, 1.0)
    score = np.where(valid, (w * np.where(used, means, 0.0)).sum(axis=-1) / safe_total, np.nan)
    missing = (used & np.isnan(ses)).any(axis=-1)
    share = w / safe_total[..., None]
    spread = (share * share * np.where(used, ses, 0.0) ** 2).sum(axis=-1)
    se = np.where(valid & ~missing, np.sqrt(spread), np.nan)
    return score, se
