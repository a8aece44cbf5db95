"""Receivers that keep stored indices in step with what they are computed from.

- Responses that change mark their wave's units dirty (and queue nothing: the scheduled refresh
  in ``indices.tasks`` recomputes stale waves, so no task dates a response).
- A changed method setting marks the computed waves that follow it stale, so the next scheduled
  refresh recomputes them in full with the rules now in force.
- Anything a kept wave dashboard shows that changes (a run computed, updated or deleted,
  responses, a unit, a wave, its units or its dimensions) retires the kept dashboards
  (``services.dashboard_cache``).
  The scheduled refresh and ``compute_indices`` then build the wave page again
  (``tasks.keep_wave_page``), outside the computation.

Connected by importing this module in ``apps.ready``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from integritas.core.models import Unit
from integritas.indices.models import IndexRun
from integritas.indices.services import dashboard_cache
from integritas.indices.services.compute import mark_responses_changed
from integritas.indices.services.settings import setting_changed
from integritas.surveys.models import Dimension, Wave, WaveUnit
from integritas.surveys.signals import responses_changed


@receiver(responses_changed, dispatch_uid="indices-mark-responses-changed")
def mark_dirty(
    sender: Any, *, wave_id: int, unit_ids: Iterable[int] | None, count: int, **kwargs: Any
) -> None:
    mark_responses_changed(wave_id=wave_id, unit_ids=unit_ids, count=count)
    dashboard_cache.invalidate()


@receiver(setting_changed, dispatch_uid="indices-recompute-after-setting-change")
def recompute_later(sender: Any, *, waves: Iterable[Wave], **kwargs: Any) -> None:
    for wave in waves:
        mark_responses_changed(wave_id=wave.pk, unit_ids=None, count=0)


DASHBOARD_SOURCES = (IndexRun, Unit, Wave, WaveUnit, Dimension)


def retire_dashboards(sender: Any, **kwargs: Any) -> None:
    dashboard_cache.invalidate()


for _model in DASHBOARD_SOURCES:
    post_save.connect(retire_dashboards, sender=_model, dispatch_uid=f"indices-board-{_model}")
    post_delete.connect(retire_dashboards, sender=_model, dispatch_uid=f"indices-board-d-{_model}")
