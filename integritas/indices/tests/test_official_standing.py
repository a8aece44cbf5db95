"""The pure computations behind the SPI pages, checked against hand-computed numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest

from integritas.indices.engine.integrity import spi_categories
from integritas.indices.services.official import (
    Band,
    average,
    bands_from,
    bound_text,
    component_gaps,
    difference,
    score_bars,
    signed,
    standing,
    trend_chart,
)
from integritas.lib import charts

SVG = "{http://www.w3.org/2000/svg}"

BANDS_2024 = bands_from(spi_categories(2024))
BANDS_2022 = bands_from(spi_categories(2022))


def test_63_26_is_9_74_points_below_waspada_under_the_2024_cut_offs() -> None:
    s = standing(D("63.26"), BANDS_2024)
    # 73.0 − 63.26 = 9.74
    assert (s.category, s.next_category, s.next_low, s.distance) == (
        "Rentan",
        "Waspada",
        D("73.0"),
        D("9.74"),
    )
    assert not s.is_top and s.rank == 2


def test_63_26_is_4_74_points_below_rentan_under_the_2022_cut_offs() -> None:
    s = standing(D("63.26"), BANDS_2022)
    # Sangat Rentan 0–67.9; Rentan starts at 68.0: 68.0 − 63.26 = 4.74
    assert (s.category, s.next_category, s.distance, s.rank) == (
        "Sangat Rentan",
        "Rentan",
        D("4.74"),
        3,
    )


@pytest.mark.parametrize(
    ("score", "category", "next_category", "distance"),
    [
        ("73.60", "Rentan", "Waspada", "0.10"),  # 2022: Rentan 68–73.6; 73.7 − 73.60 = 0.10
        ("73.70", "Waspada", "Terjaga", "3.80"),  # 77.5 − 73.70
        ("77.45", "Waspada", "Terjaga", "0.05"),  # not rounded to 77.5 first
        ("77.50", "Terjaga", None, None),
        ("0.00", "Sangat Rentan", "Rentan", "68.00"),  # the lowest band starts at 0
    ],
)
def test_the_2022_bands_place_the_exact_score(
    score: str, category: str, next_category: str | None, distance: str | None
) -> None:
    s = standing(D(score), BANDS_2022)
    assert s.category == category and s.next_category == next_category
    assert s.distance == (D(distance) if distance else None)


def test_at_the_top_category_there_is_no_distance() -> None:
    s = standing(D("81.20"), BANDS_2024)
    assert s.is_top and s.category == "Terjaga" and s.distance is None and s.rank == 0


def test_a_score_is_not_rounded_into_the_next_band() -> None:
    # 72.95 would round to 73.0, the start of Waspada, but it has not reached 73: Rentan,
    # 73.0 − 72.95 = 0.05 points below. Bali 2024 (77.97) is Waspada, as KPK published it.
    below = standing(D("72.95"), BANDS_2024)
    assert below.category == "Rentan" and below.distance == D("0.05")
    assert standing(D("73.00"), BANDS_2024).category == "Waspada"
    bali = standing(D("77.97"), BANDS_2024)
    assert bali.category == "Waspada" and bali.distance == D("0.03")


def test_standing_needs_bands() -> None:
    with pytest.raises(ValueError):
        standing(D("70"), [])


def test_bands_from_a_setting_are_sorted_from_the_lowest() -> None:
    bands = bands_from([["B", 50, 100], ["A", 0, 49.9]])
    assert bands == [Band("A", D("0"), D("49.9")), Band("B", D("50"), D("100"))]


def test_the_average_rounds_half_up_and_skips_missing_values() -> None:
    # (72.45 + 69.30 + 70.00) / 3 = 211.75 / 3 = 70.58333… → 70.58
    assert average([D("72.45"), D("69.30"), None, D("70.00")]) == D("70.58")
    # (70.01 + 70.00) / 2 = 70.005 → 70.01 (half up)
    assert average([D("70.01"), D("70.00")]) == D("70.01")
    assert average([None]) is None and average([]) is None


def test_a_difference_is_value_minus_reference_or_none() -> None:
    # Own 70.85 against the national 71.53: 70.85 − 71.53 = −0.68
    assert difference(D("70.85"), D("71.53")) == D("-0.68")
    assert difference(None, D("71.53")) is None and difference(D("70"), None) is None


def test_component_gaps_of_kabupaten_bekasi_2024() -> None:
    gaps = {
        g.group: g
        for g in component_gaps(
            {"internal": D("72.48"), "external": D("78.41"), "expert": D("58.86")}
        )
    }
    # Best group: external 78.41. Internal 78.41 − 72.48 = 5.93; expert 78.41 − 58.86 = 19.55.
    assert gaps["external"].below_highest == D("0")
    assert gaps["internal"].below_highest == D("5.93")
    assert gaps["expert"].below_highest == D("19.55")
    assert [g for g in gaps.values() if g.is_lowest] == [gaps["expert"]]


def test_component_gaps_leave_out_missing_groups_and_name_no_lowest_of_one() -> None:
    assert component_gaps({"internal": None, "external": None, "expert": None}) == []
    (only,) = component_gaps({"internal": D("70"), "external": None, "expert": None})
    assert only.below_highest == 0 and not only.is_lowest


def test_numbers_are_written_the_indonesian_way() -> None:
    assert signed(D("7.59"), "id") == "+7,59"
    assert signed(D("-9.74"), "id") == "-9,74"
    assert signed(D("0"), "en") == "0.00"
    assert signed(None) == "—"
    assert bound_text(D("73.0"), "id") == "73,0"
    assert bound_text(D("42.01"), "id") == "42,01"


def svg(markup: str | None) -> ET.Element:
    assert markup is not None
    return ET.fromstring(markup)  # noqa: S314 - our own markup


def test_the_trend_chart_places_years_left_to_right_and_higher_scores_higher() -> None:
    root = svg(
        trend_chart(
            [(2022, D("66.10")), (2023, D("63.26")), (2024, D("70.85"))],
            [(2022, D("71.94")), (2023, D("70.97")), (2024, D("71.53"))],
            BANDS_2024,
            name="Kabupaten Bekasi",
            lang="id",
        )
    )
    own = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == charts.PALETTE[0]]
    xs = [float(c.get("cx", "")) for c in own]
    ys = [float(c.get("cy", "")) for c in own]
    assert len(own) == 3 and xs == sorted(xs)
    assert ys[2] < ys[0] < ys[1]  # 70.85 highest on screen, 63.26 lowest
    values = [t for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert [t.text for t in values] == ["66,10", "63,26", "70,85"]
    years = [t for t in root.iter(f"{SVG}text") if t.text in {"2022", "2023", "2024"}]
    assert [t.text for t in years] == ["2022", "2023", "2024"]
    assert [float(t.get("x", "")) for t in years] == xs
    bands = [r.findtext(f"{SVG}title") for r in root.iter(f"{SVG}rect")]
    assert bands == ["Rentan", "Waspada", "Terjaga"]
    assert (
        root.findtext(f"{SVG}title") == "SPI of Kabupaten Bekasi by year, with the national index"
    )
    # The national index is the second, dashed line.
    lines = root.findall(f"{SVG}polyline")
    assert [line.get("stroke-dasharray") for line in lines] == [None, charts.DASH]
    # Each value is written above its point unless the national line is above it there:
    # 66.10 < 71.94, 63.26 < 70.97, 70.85 < 71.53, so all three go below.
    assert all(float(t.get("y", "")) > y for t, y in zip(values, ys, strict=True))
    above = svg(trend_chart([(2024, D("75.00"))], [(2024, D("71.53"))], name="A"))
    point = next(c for c in above.iter(f"{SVG}circle") if c.get("fill") == charts.PALETTE[0])
    value = next(t for t in above.iter(f"{SVG}text") if t.get("font-weight") == "bold")
    assert float(value.get("y", "")) < float(point.get("cy", ""))
    # Coordinates are plain numbers with a decimal point, whatever the language.
    for element in root.iter():
        for name in ("x", "y", "cx", "cy", "width", "height"):
            if name in element.attrib:
                float(element.attrib[name])


def test_no_trend_chart_without_results() -> None:
    assert trend_chart([], name="A") is None


def test_score_bars_are_proportional_to_the_score() -> None:
    root = svg(score_bars([("Internal", D("50")), ("External", D("100"))], title="t", lang="id"))
    widths = [float(r.get("width", "")) for r in root.iter(f"{SVG}rect")]
    assert len(widths) == 2 and widths[1] == pytest.approx(2 * widths[0])
    assert "50,00" in [t.text for t in root.iter(f"{SVG}text")]
