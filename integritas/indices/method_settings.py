"""Which method configuration applies to a year: the latest ``MethodSetting`` of that method whose
year is not after it, over the engine's documented defaults (docs/index-engine.md)."""

from __future__ import annotations

from typing import Any

from integritas.indices.engine.integrity import spi_categories
from integritas.indices.models import MethodSetting
from integritas.surveys.models import Wave


def wave_year(wave: Wave) -> int:
    """The year a wave's rules come from: its fiscal year, else the year it opens."""
    return wave.fiscal_year.year if wave.fiscal_year_id else wave.opens_on.year


def setting_for(method: str, year: int) -> MethodSetting | None:
    """The setting in force for ``method`` in ``year``, or None (engine defaults apply)."""
    return MethodSetting.objects.filter(method=method, year__lte=year).order_by("-year").first()


def effective_config(method: str, year: int) -> dict[str, Any]:
    """The stored configuration keys for ``method`` in ``year`` (without ``k``)."""
    setting = setting_for(method, year)
    return dict(setting.config) if setting else {}


def spi_categories_for(year: int) -> list[list[Any]]:
    """SPI category cut-offs for ``year``: the integrity setting's, else the official ones."""
    config = effective_config(MethodSetting.Method.INTEGRITY, year)
    return [list(band) for band in config.get("categories") or spi_categories(year)]


def weak_threshold_for(method: str, year: int) -> float | None:
    """The weak-point threshold for ``method`` in ``year`` (None = only significance counts)."""
    setting = setting_for(method, year)
    return setting.weak_threshold if setting else None
