"""Server-side SVG charts: valid markup, escaped labels, gaps for missing values, colour steps."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from integritas.lib import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)  # noqa: S314 - our own markup
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_a_bar_chart_is_valid_svg_with_one_bar_per_value() -> None:
    root = parse(
        charts.bar_chart(
            [charts.Bar("Persyaratan", 80.0), charts.Bar("Prosedur", 75.5)], title="Skor"
        )
    )
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2
    assert float(bars[0].get("width", "0")) > float(bars[1].get("width", "0"))
    assert root.find(f"{SVG}title").text == "Skor"  # type: ignore[union-attr]
    assert "80.00" in texts(root) and "75.50" in texts(root)


def test_a_missing_value_draws_no_bar_and_shows_a_dash() -> None:
    root = parse(
        charts.bar_chart([charts.Bar("A", 50.0), charts.Bar("B", None)], title="t", missing="—")
    )
    assert len(root.findall(f"{SVG}rect")) == 1
    assert "—" in texts(root)


def test_labels_are_escaped() -> None:
    markup = charts.bar_chart([charts.Bar('<script>"x" & y', 10.0)], title="a < b")
    root = parse(markup)
    assert "<script>" not in markup
    assert any("<script>" in t for t in texts(root))


def test_bars_are_clamped_to_the_axis_but_the_written_value_is_real() -> None:
    root = parse(charts.bar_chart([charts.Bar("over", 150.0)], title="t", maximum=100.0))
    rect = root.find(f"{SVG}rect")
    assert rect is not None
    assert float(rect.get("width", "0")) <= 640
    assert "150.00" in texts(root)


def test_the_value_formatter_is_used_for_values_and_ticks() -> None:
    root = parse(
        charts.bar_chart(
            [charts.Bar("A", 71.53)], title="t", fmt=lambda v: f"{v:.2f}".replace(".", ",")
        )
    )
    assert "71,53" in texts(root)


def test_a_line_chart_breaks_at_missing_values() -> None:
    root = parse(
        charts.line_chart(
            [charts.Series("IKM", [70.0, None, 72.0, 74.0])],
            ["2023", "2024", "2025", "2026"],
            title="Tren",
        )
    )
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 1  # 2023 stands alone; 2025–2026 is one segment
    assert len(lines[0].get("points", "").split()) == 2
    assert len(root.findall(f"{SVG}circle")) == 3
    assert {"2023", "2024", "2025", "2026", "IKM"} <= set(texts(root))


def test_a_line_chart_needs_one_value_per_label() -> None:
    with pytest.raises(ValueError, match="one value per x label"):
        charts.line_chart([charts.Series("a", [1.0])], ["x", "y"], title="t")


def test_a_line_chart_with_one_point_or_no_data_still_renders() -> None:
    parse(charts.line_chart([charts.Series("a", [60.0])], ["2026"], title="t"))
    parse(charts.line_chart([charts.Series("a", [None])], ["2026"], title="t"))


def test_heat_levels_split_the_range_into_five_steps() -> None:
    assert charts.heat_level(0, 0, 100) == 0
    assert charts.heat_level(39.9, 0, 100) == 1
    assert charts.heat_level(50, 0, 100) == 2
    assert charts.heat_level(100, 0, 100) == 4
    assert charts.heat_level(150, 0, 100) == 4
    assert charts.heat_level(-5, 0, 100) == 0
    assert charts.heat_level(None, 0, 100) is None


def test_band_levels_spread_the_bands_from_worst_to_best() -> None:
    spi_2024 = [(0.0, 72.9), (73.0, 77.9), (78.0, 100.0)]  # Rentan, Waspada, Terjaga
    assert charts.band_level(63.26, spi_2024) == 0
    assert charts.band_level(72.95, spi_2024) == 0  # between bands: the lower one
    assert charts.band_level(75.0, spi_2024) == 2
    assert charts.band_level(78.0, spi_2024) == 4
    skm = [(25.0, 64.99), (65.0, 76.6), (76.61, 88.3), (88.31, 100.0)]  # D, C, B, A
    assert [charts.band_level(v, skm) for v in (30, 70, 80, 95)] == [0, 1, 3, 4]
    assert charts.band_level(None, skm) is None


def test_the_linear_legend_covers_the_range() -> None:
    legend = charts.linear_legend(50.0, 100.0)
    assert legend[0] == (0, 50.0, 60.0)
    assert legend[-1] == (4, 90.0, 100.0)
