"""Background tasks of the indices app, run by the database queue's worker (`manage.py db_worker`).

Responses arriving or leaving mark their units dirty in the wave's fill-state
(``services.mark_responses_changed``, through ``indices.signals``), which queues ``refresh_indices``
for the wave unless one is already pending. The task recomputes incrementally (only the dirty
units' responses are read), records the outcome in the fill-state and looks for weak points again.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from integritas.audit.context import acting_as
from integritas.indices.loader import LoadError
from integritas.surveys.models import Wave


@task()
def refresh_indices(wave_id: int) -> dict[str, Any]:
    """Bring one wave's stored indices up to date with its responses."""
    from integritas.indices import weak_points
    from integritas.indices.services import refresh_wave

    wave = Wave.objects.select_related("version__instrument").filter(pk=wave_id).first()
    if wave is None:
        return {"status": "missing"}
    try:
        with acting_as(label="refresh_indices"):
            run = refresh_wave(wave=wave)
            if run is not None:
                weak_points.detect(run=run)
    except LoadError as exc:
        # The wave's instrument has no index method: nothing to compute, ever.
        return {"status": "failed", "error": str(exc)}
    if run is None:
        return {"status": "empty"}
    return {"status": "fresh", "responses": run.response_count}
