"""Which result cells to hide so that no group of 1 to k − 1 respondents can be read off them,
not even by subtracting published cells from each other (see docs/index-engine.md).

Pure numpy over the counts ``n[node, type, column]`` of ``aggregate.roll_up`` (synthetic root
last, type "all" last). The rule is the one of ``integritas.lib.suppression`` (a group with
1 to k − 1 respondents is small; while the hidden part of a published total is small, hide the
smallest visible group with respondents too), applied along the two ways cells nest:

- **primary**: a cell with n < k is hidden (a cell with n = 0 has no score to show anyway);
- **tree**: a published node minus its nearest published descendants (its *frontier*: published
  descendants with no published node in between) leaves its own respondents plus those of its
  hidden descendants; that residual must hold 0 or at least k respondents, else the node itself
  (an aggregate) is hidden, so that every unit with enough respondents keeps its result; the
  residual then counts at the next published node above, up to the government total;
- **types**: a published "all" cell minus its node's published type cells must leave 0 or at
  least k respondents, else the smallest published type cell is hidden as well;
- **across both**: a published "all" cell of a node and a published type cell of a node below it
  must differ by 0 or at least k respondents, else the type cell is hidden.

The rules are applied until nothing changes; hiding only ever adds cells, so this ends. Counts
stay visible (subtracting counts reveals counts, not answers); the scores of hidden cells do not.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .data import Tree

Mask = npt.NDArray[np.bool_]
_NONE = np.iinfo(np.int64).max


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


def _levels(tree: Tree) -> list[tuple[npt.NDArray[np.intp], ...]]:
    """Per depth, deepest first down to 1: the nodes at that depth grouped by parent, their
    distinct parents, and where each parent's group starts (for ``reduceat``)."""
    parent, depth = tree.extended_parent(), tree.depths()
    levels: list[tuple[npt.NDArray[np.intp], ...]] = []
    for level in range(int(depth.max()), 0, -1):
        members = np.flatnonzero(depth == level)
        members = members[np.argsort(parent[members], kind="stable")]
        up = parent[members]
        starts = np.flatnonzero(np.r_[True, up[1:] != up[:-1]])
        levels.append((members, up[starts], starts))
    return levels


def is_small(n: npt.NDArray[np.int64], k: int) -> Mask:
    """The primary rule on counts: 1 ≤ n < k."""
    return (n > 0) & (n < k)


def _tree_rule(n: npt.NDArray[np.int64], hidden: Mask, tree: Tree, k: int) -> bool:
    """Hide every published node whose residual is small (an aggregate: it has a published
    frontier), deepest first, until no published node has a small residual.

    Hiding the aggregate rather than a cell of its frontier keeps the result of each unit that
    has enough respondents: the residual then joins the next published node above (the
    grandparent, at last the government total ``ALL``), where it may add up to k with others or
    hide that aggregate too. Only the deepest violations are acted on in one pass, since hiding a
    node changes the residuals of the nodes above it.
    """
    depth = tree.depths()
    levels = _levels(tree)
    changed = False
    while True:
        published = ~hidden
        covered = np.zeros(n.shape, dtype=np.int64)  # Σ n over each node's frontier
        has_frontier = np.zeros(n.shape, dtype=bool)
        for members, parents, starts in levels:
            seen = published[members]
            # Sums of whole numbers: adding each parent's children at once changes nothing.
            counted = np.where(seen, n[members], covered[members])
            covered[parents] += np.add.reduceat(counted, starts, axis=0)
            reached = seen | has_frontier[members]
            has_frontier[parents] |= np.logical_or.reduceat(reached, starts, axis=0)
        violated = published & is_small(n - covered, k) & has_frontier
        if not violated.any():
            return changed
        nodes = np.flatnonzero(violated.any(axis=(1, 2)))
        deepest = depth[nodes].max()
        at_depth = depth == deepest
        hidden |= violated & at_depth[:, None, None]
        changed = True


def _type_rule(n: npt.NDArray[np.int64], hidden: Mask, k: int) -> bool:
    """Hide, for every published "all" cell whose unpublished remainder is small, the smallest
    published type cell of its node."""
    types = n.shape[1] - 1
    shown = ~hidden[:, :types]
    residual = n[:, types] - np.where(shown, n[:, :types], 0).sum(axis=1)
    candidates = np.where(shown & (n[:, :types] > 0), n[:, :types], _NONE)
    has_candidate = (candidates != _NONE).any(axis=1)
    violated = ~hidden[:, types] & is_small(residual, k) & has_candidate
    if not violated.any():
        return False
    node, column = np.nonzero(violated)
    pick = np.argmin(candidates[node, :, column], axis=1)
    hidden[node, pick, column] = True
    return True


def _cross_rule(
    n: npt.NDArray[np.int64], hidden: Mask, ancestors: npt.NDArray[np.int64], k: int
) -> bool:
    """Hide type cells that differ by 1 to k − 1 from a published "all" cell of an ancestor."""
    types = n.shape[1] - 1
    changed = False
    for level_nodes in ancestors[:-1]:
        # Pair every node with its ancestor at this depth, when that is a proper ancestor.
        nodes = np.flatnonzero((level_nodes >= 0) & (level_nodes != np.arange(len(level_nodes))))
        if nodes.size == 0:
            continue
        above = level_nodes[nodes]
        total = n[above, types][:, None, :]  # [pair, 1, column]
        above_shown = ~hidden[above, types][:, None, :]
        below_shown = ~hidden[nodes, :types]
        violated = above_shown & below_shown & is_small(total - n[nodes, :types], k)
        if violated.any():
            pair, type_index, column = np.nonzero(violated)
            hidden[nodes[pair], type_index, column] = True
            changed = True
    return changed


def complementary(
    n: npt.NDArray[np.int64], tree: Tree, k: int, *, forced: Mask | None = None
) -> Mask:
    """Cells to hide ``[node, type, column]``: primary suppression, then the tree, type and
    cross rules until nothing changes. ``forced`` cells are hidden whatever their count."""
    hidden = n < k
    if forced is not None:
        hidden |= forced
    if k <= 1 or n.size == 0:
        return hidden
    ancestors = ancestors_by_depth(tree)
    while True:
        changed = _tree_rule(n, hidden, tree, k)
        changed |= _type_rule(n, hidden, k)
        changed |= _cross_rule(n, hidden, ancestors, k)
        if not changed:
            return hidden
