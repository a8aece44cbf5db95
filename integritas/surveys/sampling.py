"""Target sample sizes from a population (pure; no Django).

Two formulas in use by Indonesian public-service surveys (PermenPANRB 14/2017 refers to the
Krejcie–Morgan table; many governments use Slovin):

- Krejcie–Morgan (1970): s = X²·N·P(1−P) / (d²·(N−1) + X²·P(1−P)), with X² = 3.841 (chi-square,
  1 degree of freedom, 95 % confidence), P = 0.5 (the most conservative proportion) and d the
  margin of error. With d = 0.05 it reproduces the published table (N=100 → 80, N=1000 → 278).
- Slovin: n = N / (1 + N·e²), e the margin of error.

Krejcie–Morgan results are rounded to the nearest whole respondent, which is how the published
table was made (N=50 → 44.34 → 44); Slovin results are rounded up, the usual practice with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from integritas.lib.formatting import format_decimal, format_number

CHI_SQUARE_95 = 3.841
PROPORTION = 0.5


@dataclass(frozen=True)
class Sample:
    population: int
    margin: Decimal
    method: str
    size: int
    formula: str  # the formula with this population's numbers filled in, for display (in lang)


def krejcie_morgan(
    population: int, margin: Decimal | float = Decimal("0.05"), lang: str = "id"
) -> Sample:
    _check(population, margin)
    d = float(margin)
    pq = PROPORTION * (1 - PROPORTION)
    numerator = CHI_SQUARE_95 * population * pq
    denominator = d * d * (population - 1) + CHI_SQUARE_95 * pq
    exact = numerator / denominator if denominator else 0.0
    size = min(population, math.floor(exact + 0.5))
    chi, p_q = _decimal(CHI_SQUARE_95, lang), _decimal(pq, lang)
    formula = (
        f"s = X²·N·P(1−P) / (d²·(N−1) + X²·P(1−P)) = {chi} × {_whole(population, lang)} × "
        f"{p_q} / ({_decimal(d, lang)}² × {_whole(max(population - 1, 0), lang)} + {chi} × "
        f"{p_q}) = {format_number(exact, 2, lang)} → {_whole(size, lang)}"
    )
    return Sample(population, Decimal(str(margin)), "krejcie_morgan", size, formula)


def slovin(population: int, margin: Decimal | float = Decimal("0.05"), lang: str = "id") -> Sample:
    _check(population, margin)
    e = float(margin)
    exact = population / (1 + population * e * e)
    size = min(population, math.ceil(exact - 1e-9))
    n = _whole(population, lang)
    formula = (
        f"n = N / (1 + N·e²) = {n} / (1 + {n} × {_decimal(e, lang)}²) = "
        f"{format_number(exact, 2, lang)} → {_whole(size, lang)}"
    )
    return Sample(population, Decimal(str(margin)), "slovin", size, formula)


METHODS = {"krejcie_morgan": krejcie_morgan, "slovin": slovin}


def sample_size(population: int, margin: Decimal | float, method: str, lang: str = "id") -> Sample:
    """The target sample; ``lang`` ("id" or "en") writes the numbers of the formula."""
    try:
        return METHODS[method](population, margin, lang)
    except KeyError:
        raise ValueError(f"unknown sample size method {method!r}") from None


def _decimal(value: float, lang: str) -> str:
    return format_decimal(value, 6, lang)


def _whole(value: int, lang: str) -> str:
    return format_number(value, 0, lang)


def _check(population: int, margin: Decimal | float) -> None:
    if population < 0:
        raise ValueError("population cannot be negative")
    if not 0 < float(margin) < 1:
        raise ValueError("margin of error must be between 0 and 1")
