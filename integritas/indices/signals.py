"""Receivers that keep stored indices in step with what they are computed from.

- Responses that change mark their wave's units dirty (and queue nothing: the scheduled refresh
  in ``indices.tasks`` recomputes stale waves, so no task dates a response).
- A changed method setting marks the computed waves that follow it stale, so the next scheduled
  refresh recomputes them in full with the rules now in force.

Connected by importing this module in ``apps.ready``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.dispatch import receiver

from integritas.indices.services.compute import mark_responses_changed
from integritas.indices.services.settings import setting_changed
from integritas.surveys.models import Wave
from integritas.surveys.signals import responses_changed


@receiver(responses_changed, dispatch_uid="indices-mark-responses-changed")
def mark_dirty(
    sender: Any, *, wave_id: int, unit_ids: Iterable[int] | None, count: int, **kwargs: Any
) -> None:
    mark_responses_changed(wave_id=wave_id, unit_ids=unit_ids, count=count)


@receiver(setting_changed, dispatch_uid="indices-recompute-after-setting-change")
def recompute_later(sender: Any, *, waves: Iterable[Wave], **kwargs: Any) -> None:
    for wave in waves:
        mark_responses_changed(wave_id=wave.pk, unit_ids=None, count=0)
