"""The arithmetic of an incremental update (``compute.update_wave``), over the engine's plain
types: the stored leaves placed on the current tree, the rolled-up counts as they were before
the change, and the nodes whose result rows must be rewritten (see docs/compute-indices.md,
*Incremental recomputation*)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from integritas.indices.engine import Leaves, Tree


def stored_leaves(stored: Mapping[int, bytes], index: dict[int, int], like: Leaves) -> Leaves:
    """The run's stored leaves (unit id → ``Leaves.pack`` bytes) over the current tree, shaped
    like ``like``; units without a row have none."""
    n_nodes, n_types, n_cols = like.shape
    leaves = Leaves.zeros(n_nodes, like.type_names, n_cols)
    if not stored:
        return leaves
    size = n_types * n_cols
    width = 3 * size + n_types
    blobs = [bytes(data) for data in stored.values()]
    if any(len(blob) != 8 * width for blob in blobs):
        raise ValueError("Stored leaf statistics do not match the wave's shape.")
    # Every unit's ``Leaves.pack`` bytes at once, as the rows of one array.
    values = np.frombuffer(b"".join(blobs), dtype="<f8").reshape(len(blobs), width)
    nodes = np.array([index[unit_id] for unit_id in stored], dtype=np.int64)
    leaves.n[nodes] = values[:, :size].reshape(-1, n_types, n_cols)
    leaves.total[nodes] = values[:, size : 2 * size].reshape(-1, n_types, n_cols)
    leaves.m2[nodes] = values[:, 2 * size : 3 * size].reshape(-1, n_types, n_cols)
    leaves.responses[nodes] = np.rint(values[:, 3 * size :]).astype(np.int64)
    return leaves


def counts_before(
    counts: npt.NDArray[np.int64],
    old: Leaves,
    new: Leaves,
    changed: Sequence[int],
    tree: Tree,
) -> npt.NDArray[np.int64]:
    """The rolled-up counts ``[node, type, column]`` (synthetic root and type "all" last) of the
    ``old`` leaves, from ``counts``, those of the ``new`` leaves, which differ from the old at
    the ``changed`` nodes only.

    Counts are whole numbers, so this is exact: each changed node's own change is taken off it
    and every node above it. Suppression decided on these counts is the one stored with the
    old results, without rolling the old leaves' means and spreads up again."""
    parent = tree.extended_parent()
    before = counts.copy()
    for node in changed:
        own = np.rint(new.n[node] - old.n[node]).astype(np.int64)  # [type, column]
        if not own.any():
            continue
        change = np.concatenate([own, own.sum(axis=0, keepdims=True)])  # with type "all"
        current = int(node)
        while current != -1:
            before[current] -= change
            current = int(parent[current])
    return before


def affected_nodes(
    tree: Tree, dirty_nodes: Iterable[int], hidden_changed: npt.NDArray[np.bool_]
) -> list[int]:
    """Dirty nodes, their ancestors up to ALL, and nodes with a cell whose suppression changed."""
    parent = tree.extended_parent()
    affected: set[int] = set(np.flatnonzero(hidden_changed.any(axis=(1, 2))).tolist())
    for node in dirty_nodes:
        current = int(node)
        while current != -1:
            affected.add(current)
            current = int(parent[current])
    return sorted(affected)
