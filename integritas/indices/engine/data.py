"""Plain-data inputs and outputs of the index engine (no Django, see docs/index-engine.md)."""

from __future__ import annotations

import gc
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

ALL = "ALL"
"""Code of the synthetic root node (the whole government) and of composite results."""
ALL_TYPES = "all"
"""Respondent type of results that pool every respondent type."""
GROUPS = ("internal", "external", "expert")
Z95 = 1.96


class ConfigError(ValueError):
    """A method configuration is invalid; the message says which key and why."""


@dataclass(frozen=True)
class Tree:
    """Units as a forest: ``parent[i]`` is the index of node i's parent, -1 for roots.

    The engine adds a synthetic root ``ALL`` (index ``len(nodes)``) above every root.
    """

    nodes: Sequence[str]
    parent: Sequence[int]

    def __post_init__(self) -> None:
        object.__setattr__(self, "nodes", tuple(self.nodes))
        object.__setattr__(self, "parent", tuple(int(p) for p in self.parent))
        size = len(self.nodes)
        if len(self.parent) != size:
            raise ValueError("Tree.nodes and Tree.parent must have the same length.")
        if ALL in self.nodes:
            raise ValueError(f"{ALL!r} is reserved for the synthetic root node.")
        if len(set(self.nodes)) != size:
            raise ValueError("Tree node codes must be unique.")
        for i, p in enumerate(self.parent):
            if p < -1 or p >= size or p == i:
                raise ValueError(f"Node {self.nodes[i]!r} has an invalid parent index {p}.")
        self.depths()  # raises on cycles

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """Node codes including the synthetic root, which comes last (built once: results look
        codes up per node)."""
        return (*self.nodes, ALL)

    def extended_parent(self) -> npt.NDArray[np.int64]:
        """Parents with roots attached to the synthetic root; the synthetic root has -1
        (read-only: built once per tree)."""
        return self._extended_parent

    def depths(self) -> npt.NDArray[np.int64]:
        """Depth of every node in the extended tree (synthetic root = 0; read-only: built once
        per tree, the roll-up and suppression ask for it many times)."""
        return self._depths

    @cached_property
    def _extended_parent(self) -> npt.NDArray[np.int64]:
        size = len(self.nodes)
        parent = np.array([size if p == -1 else p for p in self.parent] + [-1], dtype=np.int64)
        parent.flags.writeable = False
        return parent

    @cached_property
    def _depths(self) -> npt.NDArray[np.int64]:
        parent = self.extended_parent()
        depth = np.full(len(parent), -1, dtype=np.int64)
        depth[-1] = 0
        for start in range(len(parent) - 1):
            path = []
            node = start
            while depth[node] < 0:
                if node in path:
                    raise ValueError(f"Tree has a cycle through node {self.nodes[node]!r}.")
                path.append(node)
                node = int(parent[node])
            for offset, member in enumerate(reversed(path), start=1):
                depth[member] = depth[node] + offset
        depth.flags.writeable = False
        return depth


@dataclass(frozen=True, eq=False)
class Matrix:
    """One wave of responses: coded answers (0 = no answer, k = k-th choice), unit and type.

    ``unit[r]`` indexes ``Tree.nodes``; ``respondent_type[r]`` indexes ``type_names``.
    """

    answers: npt.NDArray[np.int16]
    unit: npt.NDArray[np.int32]
    respondent_type: npt.NDArray[np.int8]
    type_names: Sequence[str] = ("respondent",)

    def __post_init__(self) -> None:
        object.__setattr__(self, "type_names", tuple(self.type_names))
        if self.answers.ndim != 2:
            raise ValueError("Matrix.answers must be two-dimensional (responses × slots).")
        rows = self.answers.shape[0]
        if self.unit.shape != (rows,) or self.respondent_type.shape != (rows,):
            raise ValueError("Matrix.unit and Matrix.respondent_type need one entry per response.")
        if not self.type_names:
            raise ValueError("Matrix.type_names must name at least one respondent type.")
        if ALL_TYPES in self.type_names or len(set(self.type_names)) != len(self.type_names):
            raise ValueError(
                f"Matrix.type_names must be unique and must not include {ALL_TYPES!r}."
            )
        if rows and (
            self.respondent_type.min() < 0 or self.respondent_type.max() >= len(self.type_names)
        ):
            raise ValueError("Matrix.respondent_type has an index outside type_names.")

    @classmethod
    def empty(cls, n_slots: int, type_names: Sequence[str] = ("respondent",)) -> Matrix:
        """A wave with no responses."""
        return cls(
            answers=np.zeros((0, n_slots), dtype=np.int16),
            unit=np.zeros(0, dtype=np.int32),
            respondent_type=np.zeros(0, dtype=np.int8),
            type_names=type_names,
        )

    @property
    def n_responses(self) -> int:
        return int(self.answers.shape[0])

    @property
    def n_slots(self) -> int:
        return int(self.answers.shape[1])


@dataclass(frozen=True)
class Instrument:
    """Per answer slot: its dimension (None = not scored) and the score of choices 1..m.

    A choice scored ``None`` (e.g. "don't know") counts as no answer. ``groups`` maps a
    dimension to its respondent group ("internal", "external", "expert") or None.
    """

    dimension: Sequence[str | None]
    scores: Sequence[Sequence[float | None]]
    groups: Mapping[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimension", tuple(self.dimension))
        object.__setattr__(
            self,
            "scores",
            tuple(tuple(None if s is None else float(s) for s in row) for row in self.scores),
        )
        object.__setattr__(self, "groups", dict(self.groups))
        if len(self.dimension) != len(self.scores):
            raise ValueError("Instrument.dimension and Instrument.scores must have equal length.")
        for dim, group in self.groups.items():
            if group is not None and group not in GROUPS:
                raise ValueError(f"Dimension {dim!r} has unknown group {group!r}.")

    @property
    def min_score(self) -> list[float | None]:
        return [min((s for s in row if s is not None), default=None) for row in self.scores]

    @property
    def max_score(self) -> list[float | None]:
        return [max((s for s in row if s is not None), default=None) for row in self.scores]

    @property
    def dimensions(self) -> tuple[str, ...]:
        """Dimension codes in order of first appearance."""
        return tuple(dict.fromkeys(d for d in self.dimension if d is not None))

    def slots_of(self, dimension: str) -> npt.NDArray[np.intp]:
        return np.array([i for i, d in enumerate(self.dimension) if d == dimension], dtype=np.intp)

    def scored_slots(self) -> npt.NDArray[np.intp]:
        return np.array([i for i, d in enumerate(self.dimension) if d is not None], dtype=np.intp)

    def group_of(self, dimension: str) -> str | None:
        return self.groups.get(dimension)

    def score_table(self, *, rescale: bool = False) -> npt.NDArray[np.float64]:
        """Lookup table ``[slot, answer] -> score``; NaN for no answer or an unscored choice.

        With ``rescale`` each slot's scores map to 0–100 by (s − min) / (max − min) × 100; a
        slot whose scored choices all score the same carries no information and is NaN.
        """
        width = 1 + max((len(row) for row in self.scores), default=0)
        table = np.full((len(self.scores), width), np.nan)
        for slot, row in enumerate(self.scores):
            low, high = self.min_score[slot], self.max_score[slot]
            for choice, score in enumerate(row, start=1):
                if score is None:
                    continue
                if not rescale:
                    table[slot, choice] = score
                elif low is not None and high is not None and high > low:
                    table[slot, choice] = (score - low) / (high - low) * 100.0
        return table


class Result(NamedTuple):
    """One cell of the output. When ``suppressed`` (n < k) no value is kept at all.

    A named tuple rather than a dataclass: a wave has ~200,000 cells, and a tuple is built several
    times faster than a frozen dataclass instance (and can be handed to a database driver as a
    row as it is).
    """

    node: str
    dimension: str
    respondent_type: str
    score: float | None
    n: int
    se: float | None
    ci_low: float | None
    ci_high: float | None
    grade: str | None
    suppressed: bool
    nrr: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict; suppressed cells carry only their key, n and the flag."""
        hidden = self.suppressed
        return {
            "node": self.node,
            "dimension": self.dimension,
            "respondent_type": self.respondent_type,
            "score": None if hidden else self.score,
            "n": self.n,
            "se": None if hidden else self.se,
            "ci_low": None if hidden else self.ci_low,
            "ci_high": None if hidden else self.ci_high,
            "grade": None if hidden else self.grade,
            "suppressed": hidden,
            "nrr": None if hidden else self.nrr,
        }


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def make_result(
    *,
    node: str,
    dimension: str,
    respondent_type: str,
    score: float | None,
    n: int,
    se: float | None,
    k: int,
    grade: str | None = None,
    nrr: float | None = None,
    hidden: bool = False,
) -> Result:
    """Build a result, adding the 95 % interval and blanking every value when n < k or when
    complementary suppression ``hidden`` it (see ``engine.suppression``)."""
    suppressed = n < k or hidden
    score, se = _finite(score), _finite(se)
    if suppressed or score is None:
        return Result(node, dimension, respondent_type, None, n, None, None, None, None, suppressed)
    if n < 2 or se is None:
        se = None
        low = high = None
    else:
        low, high = score - Z95 * se, score + Z95 * se
    return Result(
        node, dimension, respondent_type, score, n, se, low, high, grade, False, _finite(nrr)
    )


def build_results(
    *,
    codes: Sequence[str],
    dimensions: Sequence[str],
    types: Sequence[str],
    score: npt.NDArray[np.float64],
    se: npt.NDArray[np.float64],
    n: npt.NDArray[np.int64],
    hidden: npt.NDArray[np.bool_],
    k: int,
    grade: npt.NDArray[np.object_] | None = None,
    nrr: npt.NDArray[np.float64] | None = None,
) -> list[Result]:
    """``make_result`` over whole arrays ``[node, type, column]`` (one node per code, one column
    per dimension), in node, type, dimension order: the arithmetic runs in numpy and Python only
    assembles the records, which matters at 200,000 cells."""
    nodes, n_types, columns = score.shape
    size = score.size
    suppressed = (n < k) | hidden
    shown = ~suppressed & np.isfinite(score)
    interval = shown & (n >= 2) & np.isfinite(se)

    def values(array: npt.NDArray[np.float64], mask: npt.NDArray[np.bool_]) -> list[Any]:
        picked: list[Any] = array.ravel().tolist()
        for index in np.flatnonzero(~mask.ravel()).tolist():
            picked[index] = None
        return picked

    with np.errstate(invalid="ignore"):
        low, high = score - Z95 * se, score + Z95 * se
    grades: list[Any] = [None] * size
    if grade is not None:
        kept = grade.copy()
        kept[~shown] = None
        grades = list(kept.ravel().tolist())
    nrrs: list[Any] = [None] * size if nrr is None else values(nrr, shown & np.isfinite(nrr))
    node_codes = [code for code in codes for _ in range(n_types * columns)]
    type_names = [name for _ in range(nodes) for name in types for _ in range(columns)]
    rows = zip(
        node_codes,
        list(dimensions) * (nodes * n_types),
        type_names,
        values(score, shown),
        n.ravel().tolist(),
        values(se, interval),
        values(low, interval),
        values(high, interval),
        grades,
        suppressed.ravel().tolist(),
        nrrs,
        strict=True,
    )
    # ~200,000 fresh tuples hold no cycles: pausing the cyclic collector while they are made
    # halves the time (its passes would otherwise walk every object built so far).
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Every row has the eleven fields (``zip(strict=True)``): ``tuple.__new__`` directly
        # skips ``_make``'s Python frame and length check.
        return list(map(partial(tuple.__new__, Result), rows))
    finally:
        if collecting:
            gc.enable()
