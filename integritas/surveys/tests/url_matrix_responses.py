"""Rows of the role × page matrix for a wave's response data: import and export (gathered by
core's matrix test). Only the Inspectorate imports and exports; the rest of those who see the wave
get 403, everyone else 404."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import World, row
from integritas.surveys.models import ImportBatch, ResponseExport, Wave
from integritas.surveys.testing import build_version, build_wave


def wave(w: World) -> Wave:
    existing = Wave.objects.filter(code="matrix-data").first()
    if existing is not None:
        return existing
    return build_wave(build_version(), [w.dinkes], code="matrix-data")


def wave_kwargs(w: World) -> dict[str, Any]:
    return {"code": wave(w).code}


def batch_kwargs(w: World) -> dict[str, Any]:
    batch = ImportBatch.objects.create(
        wave=wave(w), filename="paper.csv", content_hash="0" * 64, status=ImportBatch.Status.DONE
    )
    return {"code": batch.wave.code, "batch": batch.public_id}


def export_kwargs(w: World) -> dict[str, Any]:
    job = ResponseExport.objects.create(
        wave=wave(w), fmt="csv", status=ResponseExport.Status.FAILED, error="-"
    )
    return {"code": job.wave.code, "job": job.public_id}


OUTSIDE = {"officer_b": 404, "handler": 404, "custodian": 404, "nobody": 404}
INSPECTORATE = row(403, inspector_general=200, inspector=200, **OUTSIDE)

MATRIX = {
    "surveys-data-import": (wave_kwargs, INSPECTORATE),
    "surveys-data-import-batch": (batch_kwargs, INSPECTORATE),
    "surveys-data-export": (wave_kwargs, INSPECTORATE),
    "surveys-data-export-job": (export_kwargs, INSPECTORATE),
    # A failed export has no file: the Inspectorate gets 404 too (the download itself is tested
    # in test_responses_export_job.py).
    "surveys-data-export-download": (
        export_kwargs,
        row(403, inspector_general=404, inspector=404, **OUTSIDE),
    ),
}

# An empty POST: the Inspectorate gets the form back with its errors (400); nothing changes.
POST_MATRIX = {
    "surveys-data-import": (
        wave_kwargs,
        row(403, anonymous=302, inspector_general=400, inspector=400, **OUTSIDE),
    ),
    "surveys-data-export": (
        wave_kwargs,
        row(403, anonymous=302, inspector_general=400, inspector=400, **OUTSIDE),
    ),
}
