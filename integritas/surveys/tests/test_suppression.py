"""Small-group suppression: the primary and complementary rules, as examples and as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from integritas.lib.suppression import is_small, suppress, suppress_nested, visible

K = 10
counts_strategy = st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 40), max_size=12)
k_strategy = st.integers(2, 15)


def test_a_group_below_k_is_hidden_and_one_of_k_is_shown() -> None:
    assert suppress({"a": 9, "b": 10, "c": 25}, K, total_published=False) == {"a"}


def test_a_group_without_responses_reveals_nobody_and_stays_visible() -> None:
    assert suppress({"a": 0, "b": 30}, K) == set()
    assert not is_small(0, K) and is_small(1, K) and not is_small(K, K)


def test_a_lone_hidden_group_takes_the_smallest_other_group_with_it_when_the_total_is_shown() -> (
    None
):
    # Without the complement, "a" would be the total (58) minus b and c.
    assert suppress({"a": 3, "b": 40, "c": 15}, K) == {"a", "c"}


def test_the_complement_grows_until_the_hidden_groups_hold_k_responses() -> None:
    assert suppress({"a": 1, "b": 2, "c": 10, "d": 11}, K) == {"a", "b", "c"}
    assert suppress({"a": 4, "b": 7, "c": 30}, K) == {"a", "b"}  # 11 hidden already


def test_ties_are_broken_by_the_order_of_the_groups() -> None:
    assert suppress({"a": 2, "x": 12, "y": 12}, K) == {"a", "x"}
    assert suppress({"a": 2, "y": 12, "x": 12}, K) == {"a", "y"}


def test_visible_keeps_only_what_may_be_shown() -> None:
    assert visible({"a": 3, "b": 40, "c": 15}, K) == {"b": 40}


def test_nested_cells_of_a_small_parent_are_all_hidden_and_cells_of_a_large_one_are_judged_inside() -> (
    None
):
    counts = {
        ("DINKES", "KIA"): 12,
        ("DINKES", "LAB"): 3,
        ("DINKES", None): 20,
        ("DISDIK", None): 4,
        ("DISPAR", None): 30,
    }

    hidden = suppress_nested(counts, K)

    # DISDIK (4) is small; DISPAR is its complement at the top level (the wave's total is shown);
    # inside DINKES, LAB (3) is small and KIA (12) its complement.
    assert hidden == {("DISDIK", None), ("DISPAR", None), ("DINKES", "LAB"), ("DINKES", "KIA")}


@given(counts=counts_strategy, k=k_strategy)
def test_every_small_group_is_hidden(counts: dict[str, int], k: int) -> None:
    hidden = suppress(counts, k)
    assert {key for key, n in counts.items() if 0 < n < k} <= hidden <= set(counts)


@given(counts=counts_strategy, k=k_strategy)
def test_hidden_groups_cannot_be_recovered_from_the_total(counts: dict[str, int], k: int) -> None:
    hidden = suppress(counts, k)
    held = sum(counts[key] for key in hidden)
    everything_hidden = all(key in hidden for key, n in counts.items() if n > 0)
    assert held == 0 or held >= k or everything_hidden


@given(counts=counts_strategy, k=k_strategy)
def test_no_group_is_hidden_without_need(counts: dict[str, int], k: int) -> None:
    hidden = suppress(counts, k)
    complements = [counts[key] for key in hidden if counts[key] >= k]
    if complements:
        # The largest complement was the last one added: without it the hidden ones were too few.
        assert sum(counts[key] for key in hidden) - max(complements) < k
    assert all(counts[key] > 0 for key in hidden)


@given(counts=counts_strategy, k=k_strategy)
def test_without_a_published_total_only_small_groups_are_hidden(
    counts: dict[str, int], k: int
) -> None:
    assert suppress(counts, k, total_published=False) == {
        key for key, n in counts.items() if 0 < n < k
    }


@given(
    counts=st.dictionaries(
        st.tuples(st.sampled_from("ABCDE"), st.sampled_from("xyz")), st.integers(0, 30)
    ),
    k=k_strategy,
)
def test_nested_suppression_protects_both_levels(
    counts: dict[tuple[str, str], int], k: int
) -> None:
    hidden = suppress_nested(counts, k)
    parents: dict[str, int] = {}
    for (parent, _child), n in counts.items():
        parents[parent] = parents.get(parent, 0) + n
    for parent, total in parents.items():
        cells = {key: n for key, n in counts.items() if key[0] == parent}
        if 0 < total < k:
            assert set(cells) <= hidden
        held = sum(n for key, n in cells.items() if key in hidden)
        fully_hidden = all(key in hidden for key, n in cells.items() if n > 0)
        assert held == 0 or held >= k or fully_hidden
    assert all(0 == n or n >= k for key, n in counts.items() if key not in hidden)
