"""Rows of the role × page matrix for wave and service pages (gathered by core's matrix test)."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import POST_ONLY, World, row
from integritas.surveys.models import Service, Wave
from integritas.surveys.testing import build_version, build_wave


def wave(w: World) -> Wave:
    existing = Wave.objects.filter(code="matrix-wave").first()
    if existing is not None:
        return existing
    return build_wave(build_version(), [w.dinkes], code="matrix-wave")


def service(w: World) -> Service:
    return Service.objects.get_or_create(
        unit=w.dinkes, code="KIA", defaults={"name": "Layanan KIA"}
    )[0]


def wave_kwargs(w: World) -> dict[str, Any]:
    return {"code": wave(w).code}


OUTSIDE = {"officer_b": 404, "handler": 404, "custodian": 404, "nobody": 404}
MANAGERS_ONLY = row(403, inspector_general=200, inspector=200, **OUTSIDE)

MATRIX = {
    "surveys-wave-list": (lambda w: {}, row(200)),
    "surveys-wave-create": (lambda w: {}, row(403, inspector_general=200, inspector=200)),
    "surveys-wave": (wave_kwargs, row(200, **OUTSIDE)),
    "surveys-wave-edit": (wave_kwargs, MANAGERS_ONLY),
    "surveys-wave-status": (wave_kwargs, POST_ONLY),
    "surveys-wave-populations": (wave_kwargs, POST_ONLY),
    "surveys-wave-add-units": (wave_kwargs, POST_ONLY),
    "surveys-wave-remove-unit": (lambda w: {**wave_kwargs(w), "unit_code": "DINKES"}, POST_ONLY),
    "surveys-wave-invitations": (wave_kwargs, MANAGERS_ONLY),
    "surveys-wave-reminders": (wave_kwargs, POST_ONLY),
    "surveys-wave-posters": (wave_kwargs, MANAGERS_ONLY),
    "surveys-service-list": (lambda w: {}, row(200)),
    "surveys-service-create": (lambda w: {}, POST_ONLY),
    "surveys-service-edit": (
        lambda w: {"unit_code": "DINKES", "code": service(w).code},
        row(403, admin=200, inspector_general=200, inspector=200, **OUTSIDE),
    ),
}

POST_MATRIX = {
    "surveys-wave-status": (
        wave_kwargs,
        row(403, anonymous=302, inspector_general=302, inspector=302, **OUTSIDE),
    ),
    "surveys-wave-populations": (
        wave_kwargs,
        row(403, anonymous=302, inspector_general=302, inspector=302, **OUTSIDE),
    ),
    "surveys-wave-reminders": (
        wave_kwargs,
        row(403, anonymous=302, inspector_general=302, inspector=302, **OUTSIDE),
    ),
    "surveys-service-create": (
        lambda w: {},
        row(403, anonymous=302, admin=400, inspector_general=400, inspector=400),
    ),
}
