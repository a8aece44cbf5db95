"""Signals the surveys app sends for apps above it (indices), which must not be imported here.

``responses_changed`` is sent once the transaction that created or deleted responses has
committed, with ``wave_id``, ``unit_ids`` (the units whose responses changed, or None when not
known) and ``count`` (how many responses changed).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

responses_changed = Signal()


def announce_responses_changed(*, wave_id: int, unit_ids: Iterable[int] | None, count: int) -> None:
    """Send ``responses_changed`` when the current transaction commits (at once outside one)."""
    units = None if unit_ids is None else sorted({int(u) for u in unit_ids})
    transaction.on_commit(
        lambda: responses_changed.send(sender=None, wave_id=wave_id, unit_ids=units, count=count)
    )
