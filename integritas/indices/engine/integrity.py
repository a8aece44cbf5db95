"""SPI-style integrity index: items on 0–100, dimensions → groups → weighted composite − correction.

KPK does not publish its group or dimension weights; the defaults below are ours and are
meant to be set per year by the administrator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from .aggregate import Cells, Column, any_valid, respondent_means, weighted_arrays
from .config import check_bands, check_k, check_keys, check_precision, check_weights
from .config import number as check_number
from .data import (
    ALL,
    ALL_TYPES,
    GROUPS,
    ConfigError,
    Instrument,
    Matrix,
    Result,
    Tree,
    build_results,
)
from .registry import register
from .suppression import Mask

# KPK's official categories, keyed by the first year they apply (DOMAIN.md §1): 2022 and 2023
# use four bands, 2024 onwards three. Each band is [label, lower bound, upper bound as KPK
# writes it]; only the lower bounds decide a category, and the lowest band starts at 0.
SPI_CATEGORIES: dict[int, list[list[Any]]] = {
    2022: [
        ["Sangat Rentan", 0.0, 67.9],
        ["Rentan", 68.0, 73.6],
        ["Waspada", 73.7, 77.4],
        ["Terjaga", 77.5, 100.0],
    ],
    2024: [
        ["Rentan", 0.0, 72.9],
        ["Waspada", 73.0, 77.9],
        ["Terjaga", 78.0, 100.0],
    ],
}


def spi_categories(year: int) -> list[list[Any]]:
    """Official category bands for ``year``: those of the latest table that starts in or before
    it (2022 and 2023 the four bands, 2024 onwards the three); earlier years use the first."""
    firsts = sorted(SPI_CATEGORIES)
    first = max((y for y in firsts if y <= year), default=firsts[0])
    return [list(band) for band in SPI_CATEGORIES[first]]


@dataclass(frozen=True)
class SpiCategory:
    """Where a score sits among a year's category bands."""

    label: str
    rank: int  # 0 = the top category, 1 = the one below, ...
    next_label: str | None  # the category above; None at the top
    next_low: Decimal | None  # where it starts, as written


def _exact(value: Any) -> Decimal:
    """A number as a Decimal of what is written: 73.7 (a float) is Decimal("73.7"), not the
    binary value just above it, so a float and a Decimal score compare alike with the bounds."""
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def spi_category(
    score: float | Decimal | None, bands: Sequence[Sequence[Any]]
) -> SpiCategory | None:
    """The category of ``score``: the highest band whose lower bound it reaches.

    The score is compared exactly, never rounded first: 77.97 is Waspada in 2024 (Terjaga starts
    at 78), and 72.95 is Rentan. A score below every lower bound belongs to the lowest band.
    ``bands`` are ``[label, low, high]`` in any order; None or a non-finite score has no category.
    """
    if score is None:
        return None
    exact = _exact(score)
    if not exact.is_finite():
        return None
    ordered = sorted(((str(b[0]), _exact(b[1])) for b in bands), key=lambda band: band[1])
    if not ordered:
        raise ValueError("no category bands")
    index = 0
    for position, (_, low) in enumerate(ordered):
        if exact >= low:
            index = position
    rank = len(ordered) - 1 - index
    if index == len(ordered) - 1:
        return SpiCategory(ordered[index][0], rank, None, None)
    upper_label, upper_low = ordered[index + 1]
    return SpiCategory(ordered[index][0], rank, upper_label, upper_low)


def group_code(group: str) -> str:
    """The ``dimension`` value of a group-level result."""
    return f"group:{group}"


@register("integrity")
class Integrity:
    """Dimension, group (``group:<name>``) and composite (``ALL``, categorised) results; the
    correction is subtracted from the government's composite (node ``ALL``, all respondents)."""

    leaf_config: tuple[str, ...] = ()  # ``columns`` reads no setting (only checks them)
    defaults: Mapping[str, Any] = {
        "k": 10,
        "group_weights": {"internal": 0.6, "external": 0.3, "expert": 0.1},
        "dimension_weights": {},  # {group: {dimension: weight}}; missing group = equal weights
        "correction": 0.0,
        "categories": SPI_CATEGORIES[2024],
        "precision": 1,
    }

    def validate_config(self, config: Mapping[str, Any]) -> dict[str, Any]:
        check_keys(config, self.defaults)
        merged = {**self.defaults, **config}
        merged["k"] = check_k(merged["k"])
        merged["precision"] = check_precision(merged["precision"])
        merged["group_weights"] = check_weights(
            merged["group_weights"], name="group_weights", keys=GROUPS
        )
        dimension_weights = merged["dimension_weights"]
        if not isinstance(dimension_weights, Mapping):
            raise ConfigError("dimension_weights must map a group to {dimension: weight}.")
        unknown = sorted(set(dimension_weights) - set(GROUPS))
        if unknown:
            raise ConfigError(f"dimension_weights has unknown group(s): {', '.join(unknown)}.")
        merged["dimension_weights"] = {
            group: check_weights(weights, name=f"dimension_weights[{group!r}]")
            for group, weights in dimension_weights.items()
        }
        correction = check_number(merged["correction"], name="correction")
        if not 0 <= correction <= 100:
            raise ConfigError(f"correction must be between 0 and 100, not {correction}.")
        merged["correction"] = correction
        merged["categories"] = check_bands(
            merged["categories"],
            name="categories",
            low=0.0,
            high=100.0,
            precision=merged["precision"],
            from_low=True,
        )
        return merged

    def _dimension_weights(
        self, instrument: Instrument, config: Mapping[str, Any]
    ) -> dict[str, dict[str, float]]:
        members = self._members(instrument)
        dim_weights: dict[str, dict[str, float]] = {}
        for group, group_dims in members.items():
            given = config["dimension_weights"].get(group)
            if given is None:
                dim_weights[group] = {d: 1.0 / len(group_dims) for d in group_dims}
            elif set(given) != set(group_dims):
                raise ConfigError(
                    f"dimension_weights[{group!r}] must weigh exactly {group_dims}, "
                    f"not {sorted(given)}."
                )
            else:
                dim_weights[group] = dict(given)
        return dim_weights

    @staticmethod
    def _members(instrument: Instrument) -> dict[str, list[str]]:
        dims = instrument.dimensions
        return {g: [d for d in dims if instrument.group_of(d) == g] for g in GROUPS}

    def columns(
        self, matrix: Matrix, instrument: Instrument, config: Mapping[str, Any]
    ) -> list[Column]:
        """One column per dimension (0–100), one per group (respondents with an answer in one of
        its dimensions), then respondents with an answer in any grouped dimension."""
        self._dimension_weights(instrument, config)
        dims, members = instrument.dimensions, self._members(instrument)
        table = instrument.score_table(rescale=True)
        columns = [respondent_means(matrix.answers, table, instrument.slots_of(d)) for d in dims]
        index = {d: c for c, d in enumerate(dims)}
        group_columns = [
            any_valid([columns[index[d]] for d in members[group]], matrix.n_responses)
            for group in GROUPS
        ]
        return [*columns, *group_columns, any_valid(group_columns, matrix.n_responses)]

    def results(
        self,
        cells: Cells,
        hidden: Mask,
        instrument: Instrument,
        tree: Tree,
        type_names: Sequence[str],
        config: Mapping[str, Any],
        nodes: Sequence[int],
    ) -> list[Result]:
        dims = instrument.dimensions
        dim_weights = self._dimension_weights(instrument, config)
        index = {d: c for c, d in enumerate(dims)}
        picked = np.asarray(nodes, dtype=np.int64)
        mean, se = cells.mean[picked], cells.se[picked]
        group_scores, group_ses = [], []
        for group in GROUPS:
            members = [index[d] for d in dim_weights[group]]
            weights = np.array([dim_weights[group][d] for d in dim_weights[group]])
            score, score_se = weighted_arrays(weights, mean[..., members], se[..., members])
            group_scores.append(score)
            group_ses.append(score_se)
        groups, groups_se = np.stack(group_scores, axis=-1), np.stack(group_ses, axis=-1)
        composite, composite_se = weighted_arrays(
            np.array([config["group_weights"][g] for g in GROUPS]), groups, groups_se
        )
        # The correction is the institution's (DOMAIN.md §1): only the government's composite
        # over all respondents (synthetic root, type "all", the last of both) takes it.
        at_root = picked == len(tree.nodes)
        if at_root.any():
            composite[at_root, -1] = np.clip(
                composite[at_root, -1] - config["correction"], 0.0, 100.0
            )
        count = len(dims)
        scores = np.concatenate([mean[..., :count], groups, composite[..., None]], axis=2)
        ses = np.concatenate([se[..., :count], groups_se, composite_se[..., None]], axis=2)
        n, hide, k = cells.n[picked], hidden[picked], config["k"]
        last = scores.shape[2] - 1
        grade = np.full(scores.shape, None, dtype=object)
        shown = ~((n[..., last] < k) | hide[..., last]) & np.isfinite(scores[..., last])
        for node, t in zip(*np.nonzero(shown), strict=True):
            placed = spi_category(float(scores[node, t, last]), config["categories"])
            grade[node, t, last] = placed.label if placed else None
        return build_results(
            codes=[tree.codes[node] for node in nodes],
            dimensions=(*dims, *(group_code(g) for g in GROUPS), ALL),
            types=(*type_names, ALL_TYPES),
            score=scores,
            se=ses,
            n=n,
            hidden=hide,
            k=k,
            grade=grade,
        )
