"""Index demo data: compute every demo wave that has responses and no stored results yet, look
for its weak points, and add the official SPI results of the demo city and its neighbours.

Called by ``manage.py seed_demo`` after the survey demo (apps are seeded in INSTALLED_APPS order).
Idempotent: waves that already have results are left alone.
"""

from __future__ import annotations

from integritas.indices import weak_points
from integritas.indices.demo_official import seed_official
from integritas.indices.models import IndexRun
from integritas.indices.services import compute_wave
from integritas.surveys.models import Response, Wave


def seed_indices() -> list[str]:
    """Compute the waves that have responses but no results; one line per wave."""
    lines = []
    computed = set(IndexRun.objects.values_list("wave_id", flat=True))
    with_responses = set(Response.objects.values_list("wave_id", flat=True).distinct())
    for wave in Wave.objects.filter(pk__in=with_responses - computed).order_by("code"):
        run = compute_wave(wave=wave)
        found = weak_points.detect(run=run)
        lines.append(
            f"indices of {wave.code}: {run.results.count()} results, {found.found} weak points"
        )
    return lines


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    seed_official()
    return seed_indices() or ["indices already computed"]
