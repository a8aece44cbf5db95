"""Zona Integritas perception indices (IPAK, IPKP): means on the answer scale, optional target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .aggregate import respondent_means, summarise
from .config import check_k, check_keys, number
from .data import ALL, ALL_TYPES, Instrument, Matrix, Result, Tree, make_result
from .registry import register


@register("zi_perception")
class ZiPerception:
    """Per dimension and overall (``ALL``): mean of respondent means; no ×25 rescaling."""

    defaults: Mapping[str, Any] = {
        "k": 10,
        "target": None,  # e.g. 3.5: the overall score gets grade "met" / "not met"
    }

    def validate_config(self, config: Mapping[str, Any]) -> dict[str, Any]:
        check_keys(config, self.defaults)
        merged = {**self.defaults, **config}
        merged["k"] = check_k(merged["k"])
        if merged["target"] is not None:
            merged["target"] = number(merged["target"], name="target")
        return merged

    def compute(
        self, matrix: Matrix, instrument: Instrument, tree: Tree, config: Mapping[str, Any]
    ) -> list[Result]:
        dims = instrument.dimensions
        table = instrument.score_table()
        columns = [respondent_means(matrix.answers, table, instrument.slots_of(d)) for d in dims]
        columns.append(respondent_means(matrix.answers, table, instrument.scored_slots()))
        cells = summarise(columns, matrix, tree)
        types = (*matrix.type_names, ALL_TYPES)
        target, results = config["target"], []
        for node, code in enumerate(tree.codes):
            for t, type_name in enumerate(types):
                for c, dim in enumerate((*dims, ALL)):
                    score = float(cells.mean[node, t, c])
                    grade = None
                    if dim == ALL and target is not None and score == score:
                        grade = "met" if score >= target else "not met"
                    results.append(
                        make_result(
                            node=code,
                            dimension=dim,
                            respondent_type=type_name,
                            score=score,
                            se=float(cells.se[node, t, c]),
                            n=int(cells.n[node, t, c]),
                            k=config["k"],
                            grade=grade,
                        )
                    )
        return results
