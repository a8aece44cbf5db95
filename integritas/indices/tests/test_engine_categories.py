"""SPI categories: one pure function places a score among the bands of its year."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from integritas.indices.engine import ConfigError, compute, validate_config
from integritas.indices.engine.integrity import SPI_CATEGORIES, spi_categories, spi_category


def label(score: float | D, year: int) -> str | None:
    placed = spi_category(score, spi_categories(year))
    return placed.label if placed else None


def test_77_97_in_2024_is_waspada_as_kpk_labelled_bali() -> None:
    assert label(77.97, 2024) == "Waspada"
    assert label(D("77.97"), 2024) == "Waspada"


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_a_score_exactly_on_a_lower_bound_takes_that_band(year: int) -> None:
    for name, low, _high in spi_categories(year):
        assert label(low, year) == name
        assert label(D(str(low)), year) == name


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_a_score_just_below_a_lower_bound_takes_the_band_below(year: int) -> None:
    bands = spi_categories(year)
    for (below, _, _), (_, low, _) in zip(bands, bands[1:], strict=False):
        assert label(low - 1e-9, year) == below
        assert label(D(str(low)) - D("0.000000001"), year) == below


@pytest.mark.parametrize("year", [2022, 2023])
def test_2022_and_2023_use_the_four_bands(year: int) -> None:
    assert spi_categories(year) == [
        ["Sangat Rentan", 0.0, 67.9],
        ["Rentan", 68.0, 73.6],
        ["Waspada", 73.7, 77.4],
        ["Terjaga", 77.5, 100.0],
    ]


@pytest.mark.parametrize("year", [2024, 2025, 2030])
def test_2024_onwards_use_the_three_bands(year: int) -> None:
    assert spi_categories(year) == [
        ["Rentan", 0.0, 72.9],
        ["Waspada", 73.0, 77.9],
        ["Terjaga", 78.0, 100.0],
    ]


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024, 2025])
def test_0_falls_in_the_lowest_band(year: int) -> None:
    assert label(0.0, year) == spi_categories(year)[0][0]
    assert label(D("0"), year) == spi_categories(year)[0][0]
    assert all(bands[0][1] == 0.0 for bands in SPI_CATEGORIES.values())


def test_the_placement_names_the_next_band_up_and_where_it_starts() -> None:
    placed = spi_category(D("63.26"), spi_categories(2024))
    assert placed is not None
    assert (placed.label, placed.rank, placed.next_label, placed.next_low) == (
        "Rentan",
        2,
        "Waspada",
        D("73.0"),
    )
    top = spi_category(100.0, spi_categories(2022))
    assert top is not None and (top.label, top.rank, top.next_label) == ("Terjaga", 0, None)


def test_a_missing_score_has_no_category() -> None:
    assert spi_category(None, spi_categories(2024)) is None
    assert spi_category(float("nan"), spi_categories(2024)) is None


def test_the_engine_labels_the_composite_without_rounding_it_first() -> None:
    from integritas.indices.tests.test_engine_integrity import INSTRUMENT, MATRIX, TREE, result

    config = {
        "k": 1,
        "group_weights": {"internal": 0.2, "external": 0.8, "expert": 0.0},
        "correction": 3.83,
        "categories": [["Low", 0.0, 61.1], ["High", 61.2, 100.0]],
    }
    results = compute("integrity", matrix=MATRIX, instrument=INSTRUMENT, tree=TREE, config=config)
    # 0.2 × 58.33 + 0.8 × 66.67 − 3.83 = 61.17: below 61.2, although it rounds to 61.2.
    composite = result(results, "ALL", node="ALL")  # the government's, which is corrected
    assert composite.score == pytest.approx(61.17)
    assert composite.grade == "Low"


def test_the_settings_refuse_categories_whose_lowest_band_does_not_start_at_0() -> None:
    bands = [["Sangat Rentan", 42.01, 67.9], *spi_categories(2022)[1:]]
    with pytest.raises(ConfigError, match="start at 0"):
        validate_config("integrity", {"categories": bands})


def _number(value: float) -> str:
    return f"{value:g}"


def test_the_spi_results_doc_lists_the_bands_of_each_year_from_the_same_data() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "spi-results.md").read_text()
    firsts = sorted(SPI_CATEGORIES)
    for position, first in enumerate(firsts):
        last = firsts[position + 1] - 1 if position + 1 < len(firsts) else None
        assert position == 0 or last is None, "name the years of a table in between"
        # Years before the first table use it too.
        years = f"{first} onwards" if last is None else f"up to {last}"
        bands = " · ".join(
            f"{name} {_number(low)}–{_number(high)}" for name, low, high in SPI_CATEGORIES[first]
        )
        assert f"| {years} | {bands} |" in doc
    assert "42.01" not in doc
