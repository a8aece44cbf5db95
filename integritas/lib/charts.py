"""Server-side SVG charts: horizontal bars, lines across time, and a colour scale for heatmaps.

Every chart of the product is drawn here; pages and services hand over plain numbers and labels
and place the returned markup inline in the page (or in a PDF). Pages must work without
JavaScript and under a strict Content Security Policy, so colours are SVG presentation
attributes, not ``style`` attributes, which the policy forbids. Every label passes through XML
escaping, so the markup is safe to mark as such. Each chart is a picture of a table that the
page also shows: values are drawn, not explained, here. A chart carries its title (its
accessible name) and, optionally, a description of how to read it.

- ``bar_chart``: horizontal bars, each optionally with an interval (a whisker, for example a 95 %
  confidence interval), and optionally a dashed reference line across them (a threshold).
- ``line_chart``: lines across labelled points (years, months), optionally dashed, with their
  values written beside the points, over coloured horizontal bands (categories of a score).

Missing values (``None``, for example a result withheld because the group is too small) draw
nothing: a bar chart shows "—" in place of the bar and a line breaks at the gap. Values outside
the axis are drawn at its end; the value written is always the real one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Colour-blind-safe palette (Okabe–Ito), dark enough for text contrast on white.
PALETTE = ("#0b4f6c", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#6b7280")
HEAT_STEPS = 5  # heat-0 (weakest) … heat-4 (strongest)
GRID = "#d1d5db"
INK = "#111827"
MUTED = "#4b5563"
REFERENCE = "#854d0e"  # dark amber: apart from the palette's bars and lines
DASH = "6 4"


@dataclass(frozen=True)
class Bar:
    """One bar; ``interval`` (low, high) draws a whisker across the bar's end."""

    label: str
    value: float | None
    colour: str = PALETTE[0]
    interval: tuple[float, float] | None = None


@dataclass(frozen=True)
class Reference:
    """A value marked across the whole plot as a dashed line with its label (a threshold)."""

    label: str
    value: float
    colour: str = REFERENCE


@dataclass(frozen=True)
class Series:
    """One line. Without a colour it takes the palette's colour of its position; ``dashed`` sets
    it apart (a reference such as a national figure); ``show_values`` writes each value beside
    its point, on the side away from the other lines."""

    label: str
    values: Sequence[float | None]
    colour: str | None = None
    dashed: bool = False
    show_values: bool = False


@dataclass(frozen=True)
class Band:
    """A range of the vertical axis shaded behind a line chart (a category of a score)."""

    low: float
    high: float
    label: str
    colour: str


Formatter = Callable[[float], str]


def _default_format(value: float) -> str:
    return f"{value:.2f}"


def _num(value: float) -> str:
    """Coordinates with at most two decimals, so the markup stays short and stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f" {name.replace('_', '-')}={quoteattr(v)}" for name, v in attrs.items())
    return f'<text x="{_num(x)}" y="{_num(y)}"{extra}>{escape(content)}</text>'


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _line(x1: float, y1: float, x2: float, y2: float, **attrs: str) -> str:
    extra = "".join(f" {name.replace('_', '-')}={quoteattr(v)}" for name, v in attrs.items())
    return f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}"{extra}/>'


def _svg(width: float, height: float, title: str, body: list[str], description: str = "") -> str:
    desc = f"<desc>{escape(description)}</desc>" if description else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}" '
        f'font-family="sans-serif" font-size="12" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>{desc}{''.join(body)}</svg>"
    )


def _truncate(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    maximum: float = 100.0,
    minimum: float = 0.0,
    reference: Reference | None = None,
    fmt: Formatter = _default_format,
    tick_fmt: Formatter | None = None,
    missing: str = "—",
    width: int = 640,
    label_width: int = 220,
    bar_height: int = 22,
) -> str:
    """Horizontal bars, one per row, with the value written at the bar's end.

    A bar's interval is a whisker with end caps; the value is written beyond whichever reaches
    further. A reference is a dashed vertical line over every row, labelled above them. Values,
    intervals and the reference are clamped to [minimum, maximum] for drawing only; the written
    values are the real ones. Ticks are written with ``tick_fmt`` (``fmt`` by default).
    """
    if maximum <= minimum:
        raise ValueError("maximum must be greater than minimum")
    tick_fmt = tick_fmt or fmt
    gap = 8
    top = 26 if reference is not None else 8
    bottom = 22
    plot_left = label_width + 8
    plot_width = width - plot_left - 64
    height = top + bottom + max(1, len(bars)) * (bar_height + gap)
    span = maximum - minimum
    limit = max(8, int(label_width / 6.4))  # characters that fit, at about 6.4 px each

    def x_at(value: float) -> float:
        return plot_left + (min(max(value, minimum), maximum) - minimum) / span * plot_width

    body: list[str] = []
    for tick in _ticks(minimum, maximum):
        x = x_at(tick)
        body.append(_line(x, top, x, height - bottom, stroke=GRID, stroke_width="1"))
        body.append(
            _text(x, height - 6, tick_fmt(tick), text_anchor="middle", fill=MUTED, font_size="11")
        )
    for i, bar in enumerate(bars):
        y = top + i * (bar_height + gap)
        middle = y + bar_height / 2 + 4
        body.append(
            _text(label_width, middle, _truncate(bar.label, limit), text_anchor="end", fill=INK)
        )
        if bar.value is None or not _finite(bar.value):
            body.append(_text(plot_left + 4, middle, missing, fill=MUTED))
            continue
        end = x_at(bar.value)
        tooltip = f"{bar.label}: {fmt(bar.value)}"
        interval = bar.interval
        if interval is not None and not all(_finite(v) for v in interval):
            interval = None
        if interval is not None:
            tooltip += f" ({fmt(interval[0])} – {fmt(interval[1])})"
        # A bar with a whisker is lighter, so the whisker stays visible across it.
        opacity = ' fill-opacity="0.75"' if interval is not None else ""
        body.append(
            f'<rect x="{_num(plot_left)}" y="{_num(y)}" width="{_num(end - plot_left)}" '
            f'height="{bar_height}" fill={quoteattr(bar.colour)}{opacity}>'
            f"<title>{escape(tooltip)}</title></rect>"
        )
        if interval is not None:
            low, high = x_at(min(interval)), x_at(max(interval))
            centre = y + bar_height / 2
            body.append(
                f'<g class="interval" stroke="{INK}" stroke-width="2">'
                f"{_line(low, centre, high, centre)}"
                f"{_line(low, y - 3, low, y + bar_height + 3)}"
                f"{_line(high, y - 3, high, y + bar_height + 3)}</g>"
            )
            end = max(end, high)
        body.append(_text(end + 4, middle, fmt(bar.value), fill=INK))
    if reference is not None and _finite(reference.value):
        x = x_at(reference.value)
        label = f"{reference.label} {fmt(reference.value)}"
        # The label reads away from the line, towards the side with more room.
        anchor = {"text_anchor": "end"} if x > plot_left + plot_width / 2 else {}
        line = _line(
            x,
            top - 6,
            x,
            height - bottom,
            stroke=reference.colour,
            stroke_width="2",
            stroke_dasharray=DASH,
        )
        text = _text(x - 4 if anchor else x + 4, top - 10, label, fill=reference.colour, **anchor)
        body.append(f'<g class="reference"><title>{escape(label)}</title>{line}{text}</g>')
    return _svg(width, height, title, body, description)


def line_chart(
    series: Sequence[Series],
    x_labels: Sequence[str],
    *,
    title: str,
    description: str = "",
    minimum: float | None = None,
    maximum: float | None = None,
    bands: Sequence[Band] = (),
    fmt: Formatter = _default_format,
    tick_fmt: Formatter | None = None,
    width: int = 640,
    height: int = 300,
) -> str:
    """Lines over the points ``x_labels`` with a legend below; ``None`` breaks a line.

    Without bounds the vertical axis spans the data with some room, rounded to ticks. Bands are
    shaded behind the lines, cut to the axis. Values are clamped to the axis for drawing only.
    """
    if any(len(s.values) != len(x_labels) for s in series):
        raise ValueError("every series needs one value per x label")
    tick_fmt = tick_fmt or fmt
    values = [v for s in series for v in s.values if v is not None and math.isfinite(v)]
    low = minimum if minimum is not None else (min(values) if values else 0.0)
    high = maximum if maximum is not None else (max(values) if values else 100.0)
    if minimum is None or maximum is None:
        low, high = _nice_bounds(low, high)
    if high <= low:
        high = low + 1
    legend_rows = math.ceil(len(series) / 3)
    left, right, top = 48, 16, 12
    # Written values need room at the plot's sides, or the first and last are cut off.
    inset = 24 if any(s.show_values for s in series) else 0
    plot_bottom = height - 28
    total_height = height + legend_rows * 18 + 6
    plot_width = width - left - right
    plot_height = plot_bottom - top

    def x_at(i: int) -> float:
        if len(x_labels) == 1:
            return left + plot_width / 2
        return left + inset + i * (plot_width - 2 * inset) / (len(x_labels) - 1)

    def y_at(v: float) -> float:
        return plot_bottom - (min(max(v, low), high) - low) / (high - low) * plot_height

    body: list[str] = []
    for band in bands:
        lower, upper = max(min(band.low, band.high), low), min(max(band.low, band.high), high)
        if upper <= lower:
            continue
        body.append(
            f'<rect x="{left}" y="{_num(y_at(upper))}" width="{_num(plot_width)}" '
            f'height="{_num(y_at(lower) - y_at(upper))}" fill={quoteattr(band.colour)}>'
            f"<title>{escape(band.label)}</title></rect>"
        )
    for tick in _ticks(low, high):
        y = y_at(tick)
        body.append(_line(left, y, width - right, y, stroke=GRID, stroke_width="1"))
        body.append(
            _text(left - 6, y + 4, tick_fmt(tick), text_anchor="end", fill=MUTED, font_size="11")
        )
    for i, label in enumerate(x_labels):
        body.append(_text(x_at(i), plot_bottom + 18, _truncate(label, 16), text_anchor="middle"))
    # Every line first, then every point and written value, so no line crosses out a value.
    marks: list[str] = []
    legend: list[str] = []
    for index, s in enumerate(series):
        colour = s.colour or PALETTE[index % len(PALETTE)]
        dash = {"stroke_dasharray": DASH} if s.dashed else {}
        dash_attr = f' stroke-dasharray="{DASH}"' if s.dashed else ""
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(s.values):
            if value is None or not math.isfinite(value):
                if segment:
                    segments.append(segment)
                segment = []
                continue
            x, y = x_at(i), y_at(value)
            segment.append(f"{_num(x)},{_num(y)}")
            marks.append(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.5" '
                f'fill="{colour}"><title>{escape(s.label)}, {escape(x_labels[i])}: '
                f"{escape(fmt(value))}</title></circle>"
            )
            if s.show_values:
                # Above the point, unless another line runs at or above it here; never outside
                # the plot.
                others = [o.values[i] for o in series if o is not s]
                below = any(o is not None and math.isfinite(o) and o >= value for o in others)
                if below and y + 18 > plot_bottom:
                    below = False
                elif not below and y - 9 < top + 4:
                    below = True
                marks.append(
                    _text(
                        x,
                        y + 18 if below else y - 9,
                        fmt(value),
                        text_anchor="middle",
                        font_weight="bold",
                        fill=colour,
                    )
                )
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
        lx = 8 + (index % 3) * (width / 3)
        ly = height + 6 + (index // 3) * 18
        legend.append(_line(lx, ly + 6, lx + 18, ly + 6, stroke=colour, stroke_width="3", **dash))
        legend.append(_text(lx + 22, ly + 10, _truncate(s.label, 30)))
    body.extend(marks)
    body.extend(legend)
    return _svg(width, total_height, title, body, description)


def _nice_bounds(low: float, high: float) -> tuple[float, float]:
    """Round outwards to a multiple of 5 (data on 0–100 scales) or 0.5 (on 1–4 scales)."""
    step = 5.0 if high - low > 3 or high > 10 else 0.5
    if low == high:
        low, high = low - step, high + step
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    return low, high


def _ticks(low: float, high: float, target: int = 5) -> list[float]:
    """About ``target`` evenly spaced round values between low and high (both included if round)."""
    if high <= low:
        return [low]
    raw = (high - low) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def heat_level(value: float | None, low: float, high: float, steps: int = HEAT_STEPS) -> int | None:
    """The colour step (0 = weakest … steps-1 = strongest) of ``value`` on a linear scale.

    Values outside [low, high] take the end steps; ``None`` has no step (shown as withheld).
    """
    if value is None or not math.isfinite(value):
        return None
    if high <= low:
        return steps - 1
    share = (value - low) / (high - low)
    return min(steps - 1, max(0, int(share * steps)))


def band_level(value: float | None, bands: Sequence[tuple[float, float]]) -> int | None:
    """The colour step of ``value`` by the band it falls in (bands ordered worst first).

    With fewer bands than steps, the bands spread over the scale: with three bands the steps are
    0, 2 and 4, so the worst stays red and the best green. Values below every band take step 0,
    above every band the top step.
    """
    if value is None or not math.isfinite(value) or not bands:
        return None
    index = len(bands) - 1
    for i, (low, high) in enumerate(bands):
        if value < low:
            index = max(0, i - 1) if i else 0
            break
        if value <= high:
            index = i
            break
    if len(bands) == 1:
        return HEAT_STEPS - 1
    return round(index * (HEAT_STEPS - 1) / (len(bands) - 1))


def linear_legend(
    low: float, high: float, steps: int = HEAT_STEPS
) -> list[tuple[int, float, float]]:
    """(step, from, to) for each step of ``heat_level``'s scale, for a legend beside a heatmap."""
    width = (high - low) / steps if high > low else 0.0
    return [(i, low + i * width, low + (i + 1) * width) for i in range(steps)]
