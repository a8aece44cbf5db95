"""Small-group suppression: any breakdown with fewer than k responses is hidden in screens, exports
and the API (DOMAIN.md, anonymity rules; k is ``Wave.min_group_size``, 10 by default).

Pure functions of counts, for every part that shows survey figures. The rule, for groups that
together make up a total:

1. **Primary.** A group with 1 to k − 1 responses is hidden. A group with no responses reveals
   nobody and stays visible (a progress page may say "0").
2. **Complementary.** When the total over the groups is published too, hidden groups must not be
   recoverable by subtraction ("total minus the visible groups"). So while the hidden groups hold
   between 1 and k − 1 responses together, the smallest visible group (with responses) is hidden as
   well, one at a time, until the hidden groups hold at least k or nothing is left to hide. What
   subtraction then reveals is a combination of at least k responses.

The caller decides whether the total is published; if the total itself is below k, it has to be
hidden at the level above (``suppress_nested`` does that for two levels, e.g. units of a wave and
the service or respondent-type cells inside each unit). Ties between equal groups are broken by the
order of the mapping, so results are stable.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
P = TypeVar("P", bound=Hashable)
C = TypeVar("C", bound=Hashable)


def is_small(n: int, k: int) -> bool:
    """The primary rule for one figure: 1 ≤ n < k is hidden."""
    return 0 < n < k


def suppress(counts: Mapping[K, int], k: int, *, total_published: bool = True) -> set[K]:
    """The keys of ``counts`` to hide: small groups, and (when the total over all of them is
    published) the smallest further groups needed so the hidden ones add up to at least k."""
    hidden = {key for key, n in counts.items() if is_small(n, k)}
    if not total_published or not hidden:
        return hidden
    held = sum(counts[key] for key in hidden)
    if held >= k:
        return hidden
    order = {key: i for i, key in enumerate(counts)}
    candidates = sorted(
        (key for key, n in counts.items() if n > 0 and key not in hidden),
        key=lambda key: (counts[key], order[key]),
    )
    for key in candidates:
        if held >= k:
            break
        hidden.add(key)
        held += counts[key]
    return hidden


def suppress_nested(
    counts: Mapping[tuple[P, C], int], k: int, *, total_published: bool = True
) -> set[tuple[P, C]]:
    """Cells ``(parent, child)`` to hide when both the parents' totals and the cells are shown.

    Parents are judged on their totals first (with the grand total published or not, as given);
    every cell of a hidden parent is hidden. Inside each visible parent, whose total is shown,
    the cells are judged with the complementary rule.
    """
    by_parent: dict[P, dict[C, int]] = {}
    for (parent, child), n in counts.items():
        by_parent.setdefault(parent, {})[child] = n
    totals = {parent: sum(cells.values()) for parent, cells in by_parent.items()}
    hidden_parents = suppress(totals, k, total_published=total_published)
    hidden: set[tuple[P, C]] = set()
    for parent, cells in by_parent.items():
        if parent in hidden_parents:
            hidden.update((parent, child) for child in cells)
        else:
            hidden.update((parent, child) for child in suppress(cells, k, total_published=True))
    return hidden


def visible(counts: Mapping[K, int], k: int, *, total_published: bool = True) -> dict[K, int]:
    """``counts`` without the hidden groups."""
    hidden = suppress(counts, k, total_published=total_published)
    return {key: n for key, n in counts.items() if key not in hidden}
