"""Zona Integritas perception indices (IPAK, IPKP): means on the answer scale, optional target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .aggregate import Cells, Column, respondent_means
from .config import check_k, check_keys, number
from .data import ALL, ALL_TYPES, Instrument, Matrix, Result, Tree, build_results
from .registry import register
from .suppression import Mask


@register("zi_perception")
class ZiPerception:
    """Per dimension and overall (``ALL``): mean of respondent means; no ×25 rescaling."""

    leaf_config: tuple[str, ...] = ()  # ``columns`` reads no setting (only checks them)
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

    def columns(
        self, matrix: Matrix, instrument: Instrument, config: Mapping[str, Any]
    ) -> list[Column]:
        """One column per dimension, then the respondent mean over every scored item."""
        table = instrument.score_table()
        dims = instrument.dimensions
        columns = [respondent_means(matrix.answers, table, instrument.slots_of(d)) for d in dims]
        columns.append(respondent_means(matrix.answers, table, instrument.scored_slots()))
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
        picked = np.asarray(nodes, dtype=np.int64)
        scores = cells.mean[picked]
        grade = np.full(scores.shape, None, dtype=object)
        target = config["target"]
        if target is not None:
            overall = scores[..., len(dims)]
            labels = np.where(overall >= target, "met", "not met").astype(object)
            labels[np.isnan(overall)] = None
            grade[..., len(dims)] = labels
        return build_results(
            codes=[tree.codes[node] for node in nodes],
            dimensions=(*dims, ALL),
            types=(*type_names, ALL_TYPES),
            score=scores,
            se=cells.se[picked],
            n=cells.n[picked],
            hidden=hidden[picked],
            k=config["k"],
            grade=grade,
        )
