"""Receivers: responses that change mark their wave's units dirty and queue a recomputation
(``services.mark_responses_changed``). Connected by importing this module in ``apps.ready``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.dispatch import receiver

from integritas.surveys.signals import responses_changed


@receiver(responses_changed, dispatch_uid="indices-mark-responses-changed")
def mark_dirty(
    sender: Any, *, wave_id: int, unit_ids: Iterable[int] | None, count: int, **kwargs: Any
) -> None:
    from integritas.indices.services import mark_responses_changed

    mark_responses_changed(wave_id=wave_id, unit_ids=unit_ids, count=count)
