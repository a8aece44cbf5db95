"""Validation helpers shared by method configurations (plain dicts, see docs/index-engine.md)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .data import ConfigError

WEIGHT_TOLERANCE = 1e-6
Band = tuple[str, float, float]


def check_keys(config: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(config) - set(allowed))
    if unknown:
        raise ConfigError(f"Unknown configuration key(s): {', '.join(unknown)}.")


def number(value: Any, *, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{name} must be a finite number, not {value!r}.")
    return float(value)


def check_k(value: Any) -> int:
    """The suppression threshold: cells with fewer than k respondents are hidden."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"k must be a whole number of at least 1, not {value!r}.")
    return int(value)


def check_weights(value: Any, *, name: str, keys: Iterable[str] | None = None) -> dict[str, float]:
    """Non-negative weights keyed by code that sum to 1 (within 1e-6)."""
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(f"{name} must be a non-empty mapping of code to weight.")
    weights = {str(key): number(w, name=f"{name}[{key!r}]") for key, w in value.items()}
    negative = [key for key, w in weights.items() if w < 0]
    if negative:
        raise ConfigError(f"{name} has negative weight(s) for {', '.join(negative)}.")
    if keys is not None:
        expected = set(keys)
        if set(weights) != expected:
            missing = sorted(expected - set(weights))
            extra = sorted(set(weights) - expected)
            raise ConfigError(
                f"{name} must weigh exactly {sorted(expected)}; missing {missing}, unknown {extra}."
            )
    total = math.fsum(weights.values())
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        raise ConfigError(f"{name} must sum to 1, but they sum to {total:.6g}.")
    return weights


def check_bands(
    value: Any, *, name: str, low: float, high: float, precision: int, from_low: bool = False
) -> tuple[Band, ...]:
    """Labelled closed intervals, contiguous at the precision they are written with.

    The official cut-offs "… 72.9 · 73 …" are contiguous at precision 1: the next band starts
    one step (0.1) above. With ``from_low`` the lowest band must start at ``low`` (the SPI
    categories start at 0, so that every score has one).
    """
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise ConfigError(f"{name} must be a non-empty list of [label, low, high].")
    bands: list[Band] = []
    for entry in value:
        if not isinstance(entry, Sequence) or isinstance(entry, str) or len(entry) != 3:
            raise ConfigError(f"{name}: each band must be [label, low, high], not {entry!r}.")
        label, band_low, band_high = entry
        if not isinstance(label, str) or not label:
            raise ConfigError(f"{name}: band label must be a non-empty string, not {label!r}.")
        band_low = number(band_low, name=f"{name} {label!r} low")
        band_high = number(band_high, name=f"{name} {label!r} high")
        if band_low > band_high:
            raise ConfigError(f"{name}: band {label!r} starts ({band_low}) above its end.")
        if band_low < low or band_high > high:
            raise ConfigError(
                f"{name}: band {label!r} ({band_low}–{band_high}) is outside {low}–{high}."
            )
        bands.append((label, band_low, band_high))
    if len({band[0] for band in bands}) != len(bands):
        raise ConfigError(f"{name}: band labels must be unique.")
    bands.sort(key=lambda band: band[1])
    if from_low and bands[0][1] != low:
        raise ConfigError(f"{name}: the lowest band must start at {low:g}, not {bands[0][1]:g}.")
    step = 10.0**-precision
    for (label_a, _, high_a), (label_b, low_b, _) in zip(bands, bands[1:], strict=False):
        gap = low_b - high_a
        if gap < step - WEIGHT_TOLERANCE:
            raise ConfigError(f"{name}: bands {label_a!r} and {label_b!r} overlap.")
        if gap > step + WEIGHT_TOLERANCE:
            raise ConfigError(
                f"{name}: bands {label_a!r} and {label_b!r} leave a gap ({high_a} to {low_b}); "
                f"at precision {precision} the next band must start at {high_a + step:.{precision}f}."
            )
    return tuple(bands)


def check_precision(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise ConfigError(f"precision must be a whole number from 0 to 6, not {value!r}.")
    return int(value)


def band_label(score: float | None, bands: Sequence[Band], precision: int) -> str | None:
    """The label of the band holding ``score`` rounded half-up to ``precision`` decimals."""
    if score is None or not math.isfinite(score):
        return None
    rounded = float(
        Decimal(repr(float(score))).quantize(Decimal(1).scaleb(-precision), ROUND_HALF_UP)
    )
    for label, low, high in bands:
        if low - WEIGHT_TOLERANCE <= rounded <= high + WEIGHT_TOLERANCE:
            return label
    return None
