"""Sample sizes: the Krejcie–Morgan table and Slovin's formula, with hand-checked values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integritas.surveys.sampling import krejcie_morgan, sample_size, slovin

# Published Krejcie–Morgan (1970) table, margin 5 %, 95 % confidence. (The table's 384 for
# N = 100,000 is itself rounded from the limit; the formula gives 382.6 there, so it is left out.)
KM_TABLE = {
    10: 10,
    50: 44,
    100: 80,
    200: 132,
    500: 217,
    1000: 278,
    2000: 322,
    5000: 357,
    10000: 370,
    1000000: 384,
}


@pytest.mark.parametrize(("population", "expected"), sorted(KM_TABLE.items()))
def test_krejcie_morgan_reproduces_the_published_table(population: int, expected: int) -> None:
    assert krejcie_morgan(population).size == expected


def test_slovin_by_hand() -> None:
    # 1000 / (1 + 1000 × 0.05²) = 1000 / 3.5 = 285.71 → 286
    assert slovin(1000).size == 286
    # 100 / (1 + 100 × 0.0025) = 80 exactly: no rounding up past an exact value
    assert slovin(100).size == 80
    # 10 % margin: 500 / (1 + 5) = 83.33 → 84
    assert slovin(500, Decimal("0.10")).size == 84


def test_the_formula_shows_the_numbers_used() -> None:
    shown = slovin(1000, lang="en").formula
    assert "1,000 / (1 + 1,000 × 0.05²)" in shown and "285.71 → 286" in shown
    assert "3.841 × 100 × 0.25" in krejcie_morgan(100, lang="en").formula


def test_the_formula_writes_indonesian_numbers_by_default() -> None:
    shown = slovin(1000).formula
    assert "1.000 / (1 + 1.000 × 0,05²)" in shown and "285,71 → 286" in shown
    assert "3,841 × 100 × 0,25" in krejcie_morgan(100).formula
    assert "0,05² × 99 + 3,841 × 0,25" in krejcie_morgan(100).formula


def test_a_wider_margin_needs_fewer_respondents() -> None:
    assert krejcie_morgan(1000, Decimal("0.10")).size < krejcie_morgan(1000, Decimal("0.05")).size


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        slovin(-1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        krejcie_morgan(100, 0)
    with pytest.raises(ValueError, match="unknown"):
        sample_size(100, Decimal("0.05"), "guess")


@given(st.integers(min_value=0, max_value=5_000_000), st.sampled_from(["krejcie_morgan", "slovin"]))
def test_a_sample_never_exceeds_its_population_and_grows_with_it(
    population: int, method: str
) -> None:
    here = sample_size(population, Decimal("0.05"), method).size
    assert 0 <= here <= population
    assert sample_size(population + 1, Decimal("0.05"), method).size >= here
