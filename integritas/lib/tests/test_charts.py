"""Server-side SVG charts: valid markup, escaped labels, gaps for missing values, whiskers,
reference lines, bands, written values kept inside the plot, colour steps."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_long_labels_are_cut_to_the_label_width_and_kept_whole_in_the_tooltip() -> None:
    label = "Eksternal (pengguna layanan, penyedia barang/jasa)"
    for label_width in (120, 220):
        root = parse(charts.bar_chart([charts.Bar(label, 1.0)], title="t", label_width=label_width))
        written = next(t for t in texts(root) if t.startswith("Eksternal"))
        assert written.endswith("…") and len(written) * 6.4 <= label_width + 6.4
        assert root.findtext(f"{SVG}rect/{SVG}title") == f"{label}: 1.00"


def test_an_interval_draws_a_whisker_and_the_value_beyond_it() -> None:
    root = parse(
        charts.bar_chart(
            [charts.Bar("Unit", 56.25, interval=(48.0, 64.5)), charts.Bar("Government", 78.13)],
            title="t",
        )
    )
    (whisker,) = root.findall(f"{SVG}g[@class='interval']")
    lines = whisker.findall(f"{SVG}line")
    assert len(lines) == 3  # the span and its two end caps
    span = lines[0]
    low, high = float(span.get("x1", "")), float(span.get("x2", ""))
    unit = root.findall(f"{SVG}rect")[0]
    end = float(unit.get("x", "")) + float(unit.get("width", ""))
    assert low < end < high
    assert end - low == pytest.approx((56.25 - 48.0) / (64.5 - 56.25) * (high - end), abs=0.02)
    value = next(t for t in root.iter(f"{SVG}text") if t.text == "56.25")
    assert float(value.get("x", "")) > high
    assert unit.findtext(f"{SVG}title") == "Unit: 56.25 (48.00 – 64.50)"


def test_an_interval_with_a_missing_end_draws_no_whisker() -> None:
    root = parse(charts.bar_chart([charts.Bar("A", 50.0, interval=(40.0, math.nan))], title="t"))
    assert root.findall(f"{SVG}g[@class='interval']") == []
    assert len(root.findall(f"{SVG}rect")) == 1


def test_a_reference_is_a_labelled_dashed_line_across_every_bar() -> None:
    root = parse(
        charts.bar_chart(
            [charts.Bar("A", 50.0), charts.Bar("B", 100.0)],
            title="t",
            reference=charts.Reference("Threshold", 70.0),
        )
    )
    reference = root.find(f"{SVG}g[@class='reference']")
    assert reference is not None
    line = reference.find(f"{SVG}line")
    assert line is not None and line.get("stroke-dasharray") == charts.DASH
    bars = root.findall(f"{SVG}rect")
    left = float(bars[1].get("x", ""))
    full = float(bars[1].get("width", ""))
    assert float(line.get("x1", "")) == pytest.approx(left + 0.7 * full, abs=0.02)
    assert float(line.get("y1", "")) < float(bars[0].get("y", ""))
    last = bars[-1]
    assert float(line.get("y2", "")) > float(last.get("y", "")) + float(last.get("height", ""))
    assert reference.findtext(f"{SVG}text") == "Threshold 70.00"


def test_a_chart_can_say_how_to_read_it() -> None:
    root = parse(charts.bar_chart([charts.Bar("A", 1.0)], title="t", description="Bars & lines"))
    assert root.findtext(f"{SVG}desc") == "Bars & lines"
    assert parse(charts.bar_chart([charts.Bar("A", 1.0)], title="t")).find(f"{SVG}desc") is None
    line = parse(charts.line_chart([charts.Series("a", [1.0])], ["x"], title="t", description="d"))
    assert line.findtext(f"{SVG}desc") == "d"


def test_ticks_have_their_own_formatter() -> None:
    root = parse(
        charts.bar_chart([charts.Bar("A", 71.53)], title="t", tick_fmt=lambda v: f"{v:.0f}")
    )
    assert {"0", "20", "100", "71.53"} <= set(texts(root))
    assert "20.00" not in texts(root)


def test_bands_are_shaded_behind_a_line_chart_and_cut_to_its_axis() -> None:
    bands = [
        charts.Band(0.0, 73.0, "Rentan", "#fee2e2"),
        charts.Band(73.0, 78.0, "Waspada", "#fef9c3"),
        charts.Band(78.0, 100.0, "Terjaga", "#dcfce7"),
        charts.Band(100.0, 120.0, "beyond the axis", "#000000"),
    ]
    root = parse(
        charts.line_chart(
            [charts.Series("SPI", [66.1, 70.85])],
            ["2023", "2024"],
            title="t",
            minimum=60.0,
            maximum=100.0,
            bands=bands,
        )
    )
    rects = root.findall(f"{SVG}rect")
    assert [r.findtext(f"{SVG}title") for r in rects] == ["Rentan", "Waspada", "Terjaga"]
    heights = [float(r.get("height", "")) for r in rects]
    # 60–73, 73–78 and 78–100 of a 40-point axis.
    assert heights[0] / heights[2] == pytest.approx(13 / 22, abs=0.01)
    assert heights[1] / heights[2] == pytest.approx(5 / 22, abs=0.01)
    # The bands lie under the lines: drawn before them.
    children = list(root)
    assert children.index(rects[-1]) < children.index(root.findall(f"{SVG}polyline")[0])


def test_a_series_can_be_dashed_and_coloured_with_its_legend_to_match() -> None:
    root = parse(
        charts.line_chart(
            [
                charts.Series("Own", [60.0, 62.0]),
                charts.Series("National", [70.0, 71.0], colour="#4b5563", dashed=True),
            ],
            ["2023", "2024"],
            title="t",
        )
    )
    own, national = root.findall(f"{SVG}polyline")
    assert own.get("stroke") == charts.PALETTE[0] and own.get("stroke-dasharray") is None
    assert national.get("stroke") == "#4b5563" and national.get("stroke-dasharray") == charts.DASH
    swatches = [line for line in root.findall(f"{SVG}line") if line.get("stroke-width") == "3"]
    assert [s.get("stroke-dasharray") for s in swatches] == [None, charts.DASH]
    assert {"Own", "National"} <= set(texts(root))


def test_values_are_written_above_their_points_unless_another_line_is_above() -> None:
    root = parse(
        charts.line_chart(
            [
                charts.Series("Own", [60.0, 75.0, None], show_values=True),
                charts.Series("National", [70.0, 71.0, 72.0]),
            ],
            ["2022", "2023", "2024"],
            title="t",
            minimum=50.0,
            maximum=100.0,
        )
    )
    own = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == charts.PALETTE[0]]
    values = [t for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert [t.text for t in values] == ["60.00", "75.00"]  # nothing for the gap
    first, second = (float(c.get("cy", "")) for c in own)
    assert float(values[0].get("y", "")) > first  # the national line is above 60
    assert float(values[1].get("y", "")) < second  # and below 75
    # The points stay clear of the plot's sides so their values are not cut off.
    assert all(24 < float(t.get("x", "")) < 640 - 24 for t in values)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@settings(deadline=None)  # a shared test machine can be slow
@given(value=finite, low=finite, high=finite, reference=finite)
def test_bars_whiskers_and_references_stay_inside_the_plot(
    value: float, low: float, high: float, reference: float
) -> None:
    width, label_width = 640, 220
    plot_left, plot_right = label_width + 8, width - 64
    root = parse(
        charts.bar_chart(
            [charts.Bar("A", value, interval=(low, high))],
            title="t",
            reference=charts.Reference("R", reference),
            width=width,
            label_width=label_width,
        )
    )
    rect = root.find(f"{SVG}rect")
    assert rect is not None
    assert float(rect.get("x", "")) == plot_left
    assert 0 <= float(rect.get("width", "")) <= plot_right - plot_left + 0.01
    for line in root.iter(f"{SVG}line"):
        for name in ("x1", "x2"):
            assert plot_left - 0.01 <= float(line.get(name, "")) <= plot_right + 0.01
    assert f"{value:.2f}" in texts(root)  # the real value, however far off the axis


@settings(deadline=None)
@given(values=st.lists(st.one_of(st.none(), finite), min_size=1, max_size=6))
def test_written_values_stay_inside_the_chart(values: list[float | None]) -> None:
    labels = [str(2020 + i) for i in range(len(values))]
    root = parse(
        charts.line_chart(
            [
                charts.Series("a", values, show_values=True),
                charts.Series("b", list(reversed(values)), show_values=True),
            ],
            labels,
            title="t",
            minimum=0.0,
            maximum=100.0,
            height=260,
        )
    )
    for text in root.iter(f"{SVG}text"):
        if text.get("font-weight") == "bold":
            assert 12 <= float(text.get("y", "")) <= 260 - 28
