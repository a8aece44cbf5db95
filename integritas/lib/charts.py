"""Server-side SVG charts: horizontal bars, lines across time, and a colour scale for heatmaps.

Pages must work without JavaScript and under a strict Content Security Policy, so charts are
plain SVG markup built here and placed inline in the page (or in a PDF). Colours are SVG
presentation attributes, not ``style`` attributes, which the policy forbids. Every label passes
through XML escaping, so the markup is safe to mark as such in a template. Each chart is a
picture of a table that the page also shows: values are drawn, not explained, here.

Missing values (``None``, for example a result withheld because the group is too small) draw
nothing: a bar chart shows "—" in place of the bar and a line breaks at the gap.
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


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    colour: str = PALETTE[0]


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


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


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}" '
        f'font-family="sans-serif" font-size="12" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _truncate(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    maximum: float = 100.0,
    minimum: float = 0.0,
    fmt: Formatter = _default_format,
    missing: str = "—",
    width: int = 640,
    label_width: int = 220,
    bar_height: int = 22,
) -> str:
    """Horizontal bars, one per row, with the value written at the bar's end.

    Values are clamped to [minimum, maximum] for drawing only; the written value is the real one.
    """
    if maximum <= minimum:
        raise ValueError("maximum must be greater than minimum")
    gap = 8
    top, bottom = 8, 22
    plot_left = label_width + 8
    plot_width = width - plot_left - 64
    height = top + bottom + max(1, len(bars)) * (bar_height + gap)
    span = maximum - minimum
    body: list[str] = []
    for tick in _ticks(minimum, maximum):
        x = plot_left + (tick - minimum) / span * plot_width
        body.append(
            f'<line x1="{_num(x)}" y1="{top}" x2="{_num(x)}" y2="{_num(height - bottom)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            _text(x, height - 6, fmt(tick), text_anchor="middle", fill=MUTED, font_size="11")
        )
    for i, bar in enumerate(bars):
        y = top + i * (bar_height + gap)
        middle = y + bar_height / 2 + 4
        body.append(
            _text(label_width, middle, _truncate(bar.label, 34), text_anchor="end", fill=INK)
        )
        if bar.value is None or not math.isfinite(bar.value):
            body.append(_text(plot_left + 4, middle, missing, fill=MUTED))
            continue
        clamped = min(max(bar.value, minimum), maximum)
        length = (clamped - minimum) / span * plot_width
        body.append(
            f'<rect x="{_num(plot_left)}" y="{_num(y)}" width="{_num(length)}" '
            f'height="{bar_height}" fill={quoteattr(bar.colour)}>'
            f"<title>{escape(bar.label)}: {escape(fmt(bar.value))}</title></rect>"
        )
        body.append(_text(plot_left + length + 4, middle, fmt(bar.value), fill=INK))
    return _svg(width, height, title, body)


def line_chart(
    series: Sequence[Series],
    x_labels: Sequence[str],
    *,
    title: str,
    minimum: float | None = None,
    maximum: float | None = None,
    fmt: Formatter = _default_format,
    width: int = 640,
    height: int = 300,
) -> str:
    """Lines over the points ``x_labels`` with a legend below; ``None`` breaks a line.

    Without bounds the vertical axis spans the data with some room, rounded to ticks.
    """
    if any(len(s.values) != len(x_labels) for s in series):
        raise ValueError("every series needs one value per x label")
    values = [v for s in series for v in s.values if v is not None and math.isfinite(v)]
    low = minimum if minimum is not None else (min(values) if values else 0.0)
    high = maximum if maximum is not None else (max(values) if values else 100.0)
    if minimum is None or maximum is None:
        low, high = _nice_bounds(low, high)
    if high <= low:
        high = low + 1
    legend_rows = math.ceil(len(series) / 3)
    left, right, top = 48, 16, 12
    plot_bottom = height - 28
    total_height = height + legend_rows * 18 + 6
    plot_width = width - left - right
    plot_height = plot_bottom - top

    def x_at(i: int) -> float:
        if len(x_labels) == 1:
            return left + plot_width / 2
        return left + i * plot_width / (len(x_labels) - 1)

    def y_at(v: float) -> float:
        return plot_bottom - (min(max(v, low), high) - low) / (high - low) * plot_height

    body: list[str] = []
    for tick in _ticks(low, high):
        y = y_at(tick)
        body.append(
            f'<line x1="{left}" y1="{_num(y)}" x2="{_num(width - right)}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            _text(left - 6, y + 4, fmt(tick), text_anchor="end", fill=MUTED, font_size="11")
        )
    for i, label in enumerate(x_labels):
        body.append(_text(x_at(i), plot_bottom + 18, _truncate(label, 16), text_anchor="middle"))
    for index, s in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(s.values):
            if value is None or not math.isfinite(value):
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_num(x_at(i))},{_num(y_at(value))}")
            body.append(
                f'<circle cx="{_num(x_at(i))}" cy="{_num(y_at(value))}" r="3.5" '
                f'fill="{colour}"><title>{escape(s.label)}, {escape(x_labels[i])}: '
                f"{escape(fmt(value))}</title></circle>"
            )
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"/>'
                )
        lx = 8 + (index % 3) * (width / 3)
        ly = height + 6 + (index // 3) * 18
        body.append(f'<rect x="{_num(lx)}" y="{_num(ly)}" width="12" height="12" fill="{colour}"/>')
        body.append(_text(lx + 16, ly + 10, _truncate(s.label, 30)))
    return _svg(width, total_height, title, body)


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
