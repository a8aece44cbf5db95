"""The index engine: pure Python + numpy, no Django. See docs/index-engine.md.

Usage::

    results = compute("satisfaction", matrix=matrix, instrument=instrument, tree=tree)
    payload = [r.to_dict() for r in results]
"""

from .data import ALL, ALL_TYPES, GROUPS, ConfigError, Instrument, Matrix, Result, Tree
from .registry import available_methods, compute, get_method, register, validate_config

__all__ = [
    "ALL",
    "ALL_TYPES",
    "GROUPS",
    "ConfigError",
    "Instrument",
    "Matrix",
    "Result",
    "Tree",
    "available_methods",
    "compute",
    "get_method",
    "register",
    "validate_config",
]
