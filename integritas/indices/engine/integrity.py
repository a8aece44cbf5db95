"""SPI-style integrity index: items on 0–100, dimensions → groups → weighted composite − correction.

KPK does not publish its group or dimension weights; the defaults below are ours and are
meant to be set per year by the administrator.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .aggregate import any_valid, respondent_means, summarise, weighted
from .config import band_label, check_bands, check_k, check_keys, check_precision, check_weights
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
    make_result,
)
from .registry import register

SPI_CATEGORIES: dict[int, list[list[Any]]] = {
    2022: [
        ["Sangat Rentan", 42.01, 67.9],
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
    """Official category cut-offs for ``year``; 2023 and later years fall back to 2024."""
    return [list(band) for band in SPI_CATEGORIES[2022 if year <= 2022 else 2024]]


def group_code(group: str) -> str:
    """The ``dimension`` value of a group-level result."""
    return f"group:{group}"


@register("integrity")
class Integrity:
    """Dimension, group (``group:<name>``) and composite (``ALL``, categorised) results."""

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
        )
        return merged

    def compute(
        self, matrix: Matrix, instrument: Instrument, tree: Tree, config: Mapping[str, Any]
    ) -> list[Result]:
        dims = instrument.dimensions
        members = {g: [d for d in dims if instrument.group_of(d) == g] for g in GROUPS}
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
        table = instrument.score_table(rescale=True)
        columns = [respondent_means(matrix.answers, table, instrument.slots_of(d)) for d in dims]
        index = {d: c for c, d in enumerate(dims)}
        group_columns = [
            any_valid([columns[index[d]] for d in members[group]], matrix.n_responses)
            for group in GROUPS
        ]
        # Composite n: respondents with an answer in a dimension that belongs to a group.
        columns += [*group_columns, any_valid(group_columns, matrix.n_responses)]
        cells = summarise(columns, matrix, tree)
        types = (*matrix.type_names, ALL_TYPES)
        k, results = config["k"], []
        for node, code in enumerate(tree.codes):
            for t, type_name in enumerate(types):
                mean, se, n = cells.mean[node, t], cells.se[node, t], cells.n[node, t]
                for c, dim in enumerate(dims):
                    results.append(
                        make_result(
                            node=code,
                            dimension=dim,
                            respondent_type=type_name,
                            score=mean[c],
                            se=se[c],
                            n=int(n[c]),
                            k=k,
                        )
                    )
                group_parts = []
                for g_index, group in enumerate(GROUPS):
                    score, score_se = weighted(
                        [(w, mean[index[d]], se[index[d]]) for d, w in dim_weights[group].items()]
                    )
                    group_parts.append(
                        (
                            config["group_weights"][group],
                            np.nan if score is None else score,
                            np.nan if score_se is None else score_se,
                        )
                    )
                    results.append(
                        make_result(
                            node=code,
                            dimension=group_code(group),
                            respondent_type=type_name,
                            score=score,
                            se=score_se,
                            n=int(n[len(dims) + g_index]),
                            k=k,
                        )
                    )
                composite, composite_se = weighted(group_parts)
                if composite is not None:
                    composite = min(100.0, max(0.0, composite - config["correction"]))
                results.append(
                    make_result(
                        node=code,
                        dimension=ALL,
                        respondent_type=type_name,
                        score=composite,
                        se=composite_se,
                        n=int(n[-1]),
                        k=k,
                        grade=band_label(composite, config["categories"], config["precision"]),
                    )
                )
        return results
