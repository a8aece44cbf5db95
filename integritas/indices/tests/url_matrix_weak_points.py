"""Rows of the role × page matrix for weak-point pages (gathered by core's matrix test)."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import POST_ONLY, World, row
from integritas.indices.models import WeakPoint
from integritas.surveys.tests.url_matrix_waves import wave, wave_kwargs


def weak_point(w: World) -> WeakPoint:
    """An open weak point of unit A (DINKES) in the matrix wave."""
    return WeakPoint.objects.get_or_create(
        wave=wave(w),
        unit=w.dinkes,
        dimension="U1",
        question=None,
        respondent_type="all",
        defaults={"reason": WeakPoint.Reason.THRESHOLD, "score": 50.0, "n": 12, "severity": 20.0},
    )[0]


def weak_point_kwargs(w: World) -> dict[str, Any]:
    return {"public_id": weak_point(w).public_id}


# Unit staff outside unit A, and roles that see units but not survey results.
OUTSIDE = {"officer_b": 404, "handler": 404, "custodian": 404, "nobody": 404}
INSPECTORATE_ACTS = row(403, anonymous=302, inspector_general=400, inspector=400, **OUTSIDE)

MATRIX = {
    "indices-weak-points": (lambda w: {}, row(200)),
    "indices-weak-point": (weak_point_kwargs, row(200, **OUTSIDE)),
    "indices-weak-point-request": (weak_point_kwargs, POST_ONLY),
    "indices-weak-point-dismiss": (weak_point_kwargs, POST_ONLY),
    "indices-weak-points-detect": (wave_kwargs, POST_ONLY),
}

POST_MATRIX = {
    "indices-weak-point-request": (weak_point_kwargs, INSPECTORATE_ACTS),
    "indices-weak-point-dismiss": (weak_point_kwargs, INSPECTORATE_ACTS),
    # The matrix wave has no results: the inspectorate is sent back with a message.
    "indices-weak-points-detect": (
        wave_kwargs,
        row(403, anonymous=302, inspector_general=302, inspector=302, **OUTSIDE),
    ),
}
