"""The index engine: pure Python + numpy, no Django. See docs/index-engine.md.

Usage::

    results = compute("satisfaction", matrix=matrix, instrument=instrument, tree=tree)
    payload = [r.to_dict() for r in results]
"""

from .aggregate import Leaves
from .data import ALL, ALL_TYPES, GROUPS, ConfigError, Instrument, Matrix, Result, Tree
from .registry import (
    Summary,
    available_methods,
    compute,
    finish,
    get_method,
    leaf_key,
    leaves,
    register,
    summary,
    validate_config,
)

__all__ = [
    "ALL",
    "ALL_TYPES",
    "GROUPS",
    "ConfigError",
    "Instrument",
    "Leaves",
    "Matrix",
    "Result",
    "Summary",
    "Tree",
    "available_methods",
    "compute",
    "finish",
    "get_method",
    "leaf_key",
    "leaves",
    "register",
    "summary",
    "validate_config",
]
