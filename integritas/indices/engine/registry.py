"""The method registry. A method is a module in this package that uses ``@register``.

Every module of the engine package is imported on first lookup, so adding a method means
adding one file and touching no other.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .aggregate import Cells, Column, Leaves, leaf_stats, roll_up
from .data import ConfigError, Instrument, Matrix, Result, Tree
from .suppression import Mask, complementary


class Method(Protocol):
    """An index method: documented defaults, a validator, its per-respondent columns, and how
    the rolled-up cells become results."""

    defaults: Mapping[str, Any]
    # Optional ``leaf_config: tuple[str, ...]``: the configuration keys ``columns`` reads (see
    # ``leaf_key``); without it every key counts.

    def validate_config(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """Merge ``config`` over the defaults and check it; raise ConfigError when invalid."""
        ...

    def columns(
        self, matrix: Matrix, instrument: Instrument, config: Mapping[str, Any]
    ) -> list[Column]:
        """Per-respondent values (and whether each respondent counts) of every column."""
        ...

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
        """Results of the given nodes for every dimension (plus "ALL") and type (plus "all")."""
        ...


@dataclass(frozen=True, eq=False)
class Summary:
    """A wave's rolled-up cells and which of them suppression hides."""

    cells: Cells
    hidden: Mask


_METHODS: dict[str, Method] = {}
_loaded = False


def register(name: str) -> Callable[[type[Any]], type[Any]]:
    """Class decorator: instantiate the class and register it under ``name``."""

    def decorate(cls: type[Any]) -> type[Any]:
        if name in _METHODS and type(_METHODS[name]) is not cls:
            raise ValueError(f"Index method {name!r} is already registered.")
        _METHODS[name] = cls()
        return cls

    return decorate


def _load_plugins() -> None:
    global _loaded
    if _loaded:
        return
    package = __name__.rpartition(".")[0]
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        importlib.import_module(f"{package}.{module.name}")
    _loaded = True


def available_methods() -> list[str]:
    _load_plugins()
    return sorted(_METHODS)


def get_method(name: str) -> Method:
    _load_plugins()
    try:
        return _METHODS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown index method {name!r}; available: {', '.join(sorted(_METHODS))}."
        ) from None


def validate_config(method: str, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The complete configuration of ``method`` (defaults filled in); raises ConfigError."""
    return get_method(method).validate_config(config or {})


def leaves(
    method: str,
    *,
    matrix: Matrix,
    instrument: Instrument,
    tree: Tree,
    config: Mapping[str, Any] | None = None,
) -> Leaves:
    """The wave's leaf statistics per (unit, respondent type, column) for ``method``."""
    plugin = get_method(method)
    valid = plugin.validate_config(config or {})
    return leaf_stats(plugin.columns(matrix, instrument, valid), matrix, len(tree.nodes))


def leaf_key(method: str, instrument: Instrument, config: Mapping[str, Any] | None = None) -> str:
    """What a wave's leaf statistics depend on besides its responses: the method, the
    instrument's slots, scores and groups, and the configuration keys the method's columns read
    (its ``leaf_config``; every key for a method that does not declare them). Equal keys over
    the same responses give bit-identical leaves, so stored leaves can be reused after a change
    of any other setting (weights, corrections, grades, k)."""
    plugin = get_method(method)
    valid = plugin.validate_config(config or {})
    keys = getattr(plugin, "leaf_config", None)
    used = valid if keys is None else {key: valid[key] for key in keys}
    payload = [
        method,
        used,
        list(instrument.dimension),
        [list(row) for row in instrument.scores],
        sorted(instrument.groups.items(), key=lambda item: item[0]),
    ]
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def summary(
    method: str,
    *,
    leaves: Leaves,
    instrument: Instrument,
    tree: Tree,
    config: Mapping[str, Any] | None = None,
) -> Summary:
    """Roll the leaves up the tree and decide suppression (see ``engine.suppression``)."""
    plugin = get_method(method)
    valid = plugin.validate_config(config or {})
    cells = roll_up(leaves, tree)
    hidden = complementary(cells.n, tree, valid["k"])
    # Composites (groups, the index) are computed from the parts that are shown, so a hidden part
    # can never be solved for from a composite and the other parts: hidden means are NaN here.
    shown = Cells(
        n=cells.n, mean=np.where(hidden, np.nan, cells.mean), se=np.where(hidden, np.nan, cells.se)
    )
    return Summary(shown, hidden)


def finish(
    method: str,
    *,
    leaves: Leaves,
    instrument: Instrument,
    tree: Tree,
    config: Mapping[str, Any] | None = None,
    nodes: Iterable[int] | None = None,
    summarised: Summary | None = None,
) -> list[Result]:
    """Results from leaf statistics: of every node, or only of ``nodes`` (indices into
    ``tree.codes``, the synthetic root last) in tree order. ``summarised`` reuses a summary."""
    plugin = get_method(method)
    valid = plugin.validate_config(config or {})
    if summarised is None:
        summarised = summary(method, leaves=leaves, instrument=instrument, tree=tree, config=valid)
    picked = range(len(tree.codes)) if nodes is None else sorted(set(nodes))
    return plugin.results(
        summarised.cells,
        summarised.hidden,
        instrument,
        tree,
        leaves.type_names,
        valid,
        list(picked),
    )


def compute(
    method: str,
    *,
    matrix: Matrix,
    instrument: Instrument,
    tree: Tree,
    config: Mapping[str, Any] | None = None,
) -> list[Result]:
    """Validate the configuration and run ``method`` over one wave: columns, leaf statistics,
    roll-up, suppression, results."""
    valid = validate_config(method, config)
    stats = leaves(method, matrix=matrix, instrument=instrument, tree=tree, config=valid)
    return finish(method, leaves=stats, instrument=instrument, tree=tree, config=valid)
