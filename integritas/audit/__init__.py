"""Append-only, hash-chained audit trail.

Every state change calls ``audit.record(...)``; the event table is at once the audit trail, the
history shown on each object and the source of notifications.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from integritas.audit.models import Event


def record(action: str, **kwargs: Any) -> Event:
    """Append one event; see ``integritas.audit.services.record`` for the arguments."""
    # Imported here: this package is imported while Django loads the apps, before the models
    # that ``services`` needs exist.
    from integritas.audit.services import record as _record

    return _record(action, **kwargs)
