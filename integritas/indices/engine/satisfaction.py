"""SKM / IKM (PermenPANRB 14/2017): element NRR on the 1–4 scale, IKM = Σ NRR × w × 25."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .aggregate import Cells, Column, any_valid, respondent_means, weighted_arrays
from .config import band_label, check_bands, check_k, check_keys, check_precision, check_weights
from .data import ALL, ALL_TYPES, ConfigError, Instrument, Matrix, Result, Tree, build_results
from .registry import register
from .suppression import Mask

SKM_GRADES = [
    ["A", 88.31, 100.0],
    ["B", 76.61, 88.30],
    ["C", 65.00, 76.60],
    ["D", 25.00, 64.99],
]


@register("satisfaction")
class Satisfaction:
    """Element score = NRR × 25 (``nrr`` kept in the result); composite ``ALL`` = IKM, graded."""

    leaf_config: tuple[str, ...] = ()  # ``columns`` reads no setting (only checks them)
    defaults: Mapping[str, Any] = {
        "k": 10,
        "weights": None,  # None = equal weights 1/n over the instrument's elements
        "grades": SKM_GRADES,
        "precision": 2,
    }

    def validate_config(self, config: Mapping[str, Any]) -> dict[str, Any]:
        check_keys(config, self.defaults)
        merged = {**self.defaults, **config}
        merged["k"] = check_k(merged["k"])
        merged["precision"] = check_precision(merged["precision"])
        if merged["weights"] is not None:
            merged["weights"] = check_weights(merged["weights"], name="weights")
        merged["grades"] = check_bands(
            merged["grades"], name="grades", low=0.0, high=100.0, precision=merged["precision"]
        )
        return merged

    def _weights(self, instrument: Instrument, config: Mapping[str, Any]) -> dict[str, float]:
        dims = instrument.dimensions
        weights = config["weights"] or {d: 1.0 / len(dims) for d in dims}
        if set(weights) != set(dims):
            raise ConfigError(f"weights must weigh exactly the instrument's elements {list(dims)}.")
        return dict(weights)

    def columns(
        self, matrix: Matrix, instrument: Instrument, config: Mapping[str, Any]
    ) -> list[Column]:
        """One column per element (respondent NRR), then respondents with any element."""
        self._weights(instrument, config)
        table = instrument.score_table()
        dims = instrument.dimensions
        columns = [respondent_means(matrix.answers, table, instrument.slots_of(d)) for d in dims]
        columns.append(any_valid(columns, matrix.n_responses))
        return columns

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
        weights = self._weights(instrument, config)
        picked = np.asarray(nodes, dtype=np.int64)
        mean, se = cells.mean[picked], cells.se[picked]
        count = len(dims)
        nrr, nrr_se = weighted_arrays(
            np.array([weights[d] for d in dims]), mean[..., :count], se[..., :count]
        )
        nrrs = np.concatenate([mean[..., :count], nrr[..., None]], axis=2)
        scores = nrrs * 25
        ses = np.concatenate([se[..., :count], nrr_se[..., None]], axis=2) * 25
        n, hide, k = cells.n[picked], hidden[picked], config["k"]
        grade = np.full(scores.shape, None, dtype=object)
        shown = ~((n[..., count] < k) | hide[..., count]) & np.isfinite(scores[..., count])
        for node, t in zip(*np.nonzero(shown), strict=True):
            grade[node, t, count] = band_label(
                float(scores[node, t, count]), config["grades"], config["precision"]
            )
        return build_results(
            codes=[tree.codes[node] for node in nodes],
            dimensions=(*dims, ALL),
            types=(*type_names, ALL_TYPES),
            score=scores,
            se=ses,
            n=n,
            hidden=hide,
            k=k,
            grade=grade,
            nrr=nrrs,
        )
