"""SKM / IKM (PermenPANRB 14/2017): element NRR on the 1–4 scale, IKM = Σ NRR × w × 25."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .aggregate import any_valid, respondent_means, summarise, weighted
from .config import band_label, check_bands, check_k, check_keys, check_precision, check_weights
from .data import ALL, ALL_TYPES, ConfigError, Instrument, Matrix, Result, Tree, make_result
from .registry import register

SKM_GRADES = [
    ["A", 88.31, 100.0],
    ["B", 76.61, 88.30],
    ["C", 65.00, 76.60],
    ["D", 25.00, 64.99],
]


@register("satisfaction")
class Satisfaction:
    """Element score = NRR × 25 (``nrr`` kept in the result); composite ``ALL`` = IKM, graded."""

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

    def compute(
        self, matrix: Matrix, instrument: Instrument, tree: Tree, config: Mapping[str, Any]
    ) -> list[Result]:
        dims = instrument.dimensions
        weights = config["weights"] or {d: 1.0 / len(dims) for d in dims}
        if set(weights) != set(dims):
            raise ConfigError(f"weights must weigh exactly the instrument's elements {list(dims)}.")
        table = instrument.score_table()
        columns = [respondent_means(matrix.answers, table, instrument.slots_of(d)) for d in dims]
        columns.append(any_valid(columns, matrix.n_responses))
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
                            score=mean[c] * 25,
                            se=se[c] * 25,
                            n=int(n[c]),
                            k=k,
                            nrr=mean[c],
                        )
                    )
                nrr, nrr_se = weighted([(weights[d], mean[c], se[c]) for c, d in enumerate(dims)])
                ikm = None if nrr is None else nrr * 25
                results.append(
                    make_result(
                        node=code,
                        dimension=ALL,
                        respondent_type=type_name,
                        score=ikm,
                        se=None if nrr_se is None else nrr_se * 25,
                        n=int(n[-1]),
                        k=k,
                        grade=band_label(ikm, config["grades"], config["precision"]),
                        nrr=nrr,
                    )
                )
        return results
