"""Rows of the role × page matrix for the index dashboards, and the small computed wave that the
dashboard tests share (gathered by core's matrix test)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from integritas.core.testing import World, row
from integritas.indices.services.compute import compute_wave
from integritas.surveys.models import Response, Wave
from integritas.surveys.testing import build_version, build_wave

# SMALL_SPEC slots: 0 sex (unscored), 1 U1, 2 U2 (Likert 1-4), 3 complained (unscored). k = 2.
# All respondents ("all"):
#   DINKES subtree (itself + DINKES.PKM): U1 4,3,4,2,3 = 3.2 -> 80.00; U2 4,4,3,2,2 = 3 -> 75.00
#                                         IKM (3.2 + 3) / 2 × 25 = 77.50 (B)
#   DINKES.PKM: U1 2,3 -> 62.50; U2 2,2 -> 50.00; IKM (2.5 + 2) / 2 × 25 = 56.25 (D)
#   DISDIK:     U1 3,3,2,1 = 2.25 -> 56.25; U2 3,2,1 = 2 -> 50.00; IKM 53.125 (D)
# The one internal respondent (DISDIK) is a group of 1 < k: every "internal" cell is suppressed.
ANSWERS = {
    "DINKES": [("public", [0, 4, 4, 0]), ("public", [0, 3, 4, 0]), ("public", [0, 4, 3, 0])],
    "DINKES.PKM": [("public", [0, 2, 2, 0]), ("public", [0, 3, 2, 0])],
    "DISDIK": [
        ("public", [0, 3, 3, 0]),
        ("public", [0, 3, 2, 0]),
        ("public", [0, 2, 0, 0]),
        ("internal", [0, 1, 1, 0]),
    ],
}


def dashboard_wave(w: World, *, code: str = "dash-wave", computed: bool = True) -> Wave:
    """A wave of DINKES, its sub-unit and DISDIK with nine responses, computed with k = 2."""
    existing = Wave.objects.filter(code=code).first()
    if existing is not None:
        return existing
    units = {"DINKES": w.dinkes, "DINKES.PKM": w.puskesmas, "DISDIK": w.disdik}
    wave = build_wave(
        build_version(),
        list(units.values()),
        code=code,
        min_group_size=2,
        title="SKM uji",
        respondent_types=["public", "internal"],
    )
    for unit_code, rows in ANSWERS.items():
        for respondent_type, answers in rows:
            Response.objects.create(
                wave=wave,
                unit=units[unit_code],
                respondent_type=respondent_type,
                submitted_on=timezone.localdate(),
                answers=Response.pack(answers),
            )
    if computed:
        compute_wave(wave=wave)
    return wave


def wave_kwargs(w: World) -> dict[str, Any]:
    return {"code": dashboard_wave(w).code}


OUTSIDE = {"handler": 404, "custodian": 404, "nobody": 404}
EXPORTERS_ONLY = row(403, admin=200, inspector_general=200, inspector=200, leader=200, **OUTSIDE)

MATRIX = {
    "indices-home": (lambda w: {}, row(200)),
    "indices-wave": (wave_kwargs, row(200, **OUTSIDE)),
    "indices-wave-report": (wave_kwargs, EXPORTERS_ONLY),
    "indices-year": (lambda w: {"year": timezone.localdate().year}, row(200)),
}
