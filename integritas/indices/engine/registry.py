"""The method registry. A method is a module in this package that uses ``@register``.

Every module of the engine package is imported on first lookup, so adding a method means
adding one file and touching no other.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from .data import ConfigError, Instrument, Matrix, Result, Tree


class Method(Protocol):
    """An index method: documented defaults, a validator and the computation."""

    defaults: Mapping[str, Any]

    def validate_config(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """Merge ``config`` over the defaults and check it; raise ConfigError when invalid."""
        ...

    def compute(
        self, matrix: Matrix, instrument: Instrument, tree: Tree, config: Mapping[str, Any]
    ) -> list[Result]:
        """Results for every node, dimension (plus "ALL") and respondent type (plus "all")."""
        ...


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


def compute(
    method: str,
    *,
    matrix: Matrix,
    instrument: Instrument,
    tree: Tree,
    config: Mapping[str, Any] | None = None,
) -> list[Result]:
    """Validate the configuration and run ``method`` over one wave."""
    plugin = get_method(method)
    return plugin.compute(matrix, instrument, tree, plugin.validate_config(config or {}))
