"""The indices app's tables, one module per sub-area.

- ``audit``: the actions the app records in the audit trail (``AuditAction``).
- ``results``: stored computations of a wave (``IndexRun``, ``IndexResult``).
- ``settings``: year-versioned method configuration (``MethodSetting``).
- ``official``: KPK's published SPI results (``Institution``, ``SpiResult``, ``NationalFigure``).
- ``weak_points``: dimensions and questions where a unit scores badly (``WeakPoint``).
"""

from .audit import AuditAction
from .official import Institution, NationalFigure, SpiResult
from .results import IndexLeaf, IndexResult, IndexRun, WaveIndexState
from .settings import MethodSetting
from .weak_points import WeakPoint

__all__ = [
    "AuditAction",
    "IndexLeaf",
    "IndexResult",
    "IndexRun",
    "Institution",
    "MethodSetting",
    "NationalFigure",
    "SpiResult",
    "WaveIndexState",
    "WeakPoint",
]
