"""Rows of the role × page matrix for the public respondent pages (gathered by core's matrix
test). Everyone, signed in or not, gets the same answer: these pages know no accounts."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import POST_ONLY, World, row
from integritas.surveys.models import Invitation, Wave, WaveUnit
from integritas.surveys.testing import build_version, build_wave
from integritas.surveys.tokens import digest

MATRIX_TOKEN = "matrixinvitationtoken"


def wave(w: World) -> Wave:
    existing = Wave.objects.filter(code="matrix-respond").first()
    if existing is not None:
        return existing
    created = build_wave(build_version(), [w.dinkes], code="matrix-respond")
    Invitation.objects.create(
        wave=created, unit=w.dinkes, token_digest=digest(MATRIX_TOKEN, purpose="invitation")
    )
    return created


def public_code(w: World) -> dict[str, Any]:
    return {"code": WaveUnit.objects.get(wave=wave(w)).public_code}


def everyone(status: int) -> dict[str, int]:
    return row(status, anonymous=status)


MATRIX = {
    "surveys-respond-public": (public_code, everyone(200)),
    "surveys-respond-invitation": (
        lambda w: (wave(w), {"token": MATRIX_TOKEN})[1],
        everyone(200),
    ),
    "surveys-respond-start": (lambda w: {}, POST_ONLY),
    # Without a draft on this device the page says so (and offers the resume form).
    "surveys-respond-page": (lambda w: {"wave": wave(w).public_id, "number": 1}, everyone(404)),
    "surveys-respond-resume": (lambda w: {}, everyone(200)),
    "surveys-respond-thanks": (lambda w: {"wave": wave(w).public_id}, everyone(200)),
}

# An empty POST names no survey: a clear "not found" page, whoever posts it.
POST_MATRIX = {"surveys-respond-start": (lambda w: {}, everyone(404))}
