"""Rows of the role × page matrix for the portal (gathered by core's matrix test).

The public pages answer everyone alike (a signed-in person is anonymous there); the publishing
page is the Inspectorate's."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import World, row
from integritas.education.models import Event
from integritas.followup.models import Recommendation
from integritas.followup.testing import recommendation
from integritas.portal.services import publishing
from integritas.portal.tests.stories import computed_wave
from integritas.surveys.models import Wave


def published(w: World) -> Recommendation:
    rec = Recommendation.objects.filter(title="Matrix published").first()
    if rec is None:
        rec = recommendation(w, title="Matrix published")
        publishing.publish(obj=rec, by=w.inspector)
    return rec


def unpublished(w: World) -> Recommendation:
    rec = Recommendation.objects.filter(title="Matrix preview").first()
    return rec or recommendation(w, title="Matrix preview")


def rec_kwargs(w: World) -> dict[str, Any]:
    return {"code": published(w).code}


def published_wave(w: World) -> Wave:
    wave = Wave.objects.filter(code="matrix-published").first()
    if wave is None:
        wave = computed_wave(w, code="matrix-published", title="Matrix published wave")
        publishing.publish(obj=wave, by=w.inspector)
    return wave


def published_event(w: World) -> Event:
    from integritas.education.tests.conftest import make_event

    found = Event.objects.filter(title="Matrix portal event").first()
    return found or make_event(w, title="Matrix portal event")


EVERYONE = row(200, anonymous=200)
OUTSIDE = {"officer_b": 404, "handler": 404, "custodian": 404, "nobody": 404}

MATRIX = {
    "portal-home": (lambda w: {}, EVERYONE),
    "portal-robots": (lambda w: {}, EVERYONE),
    "portal-sitemap": (lambda w: {}, EVERYONE),
    "portal-tracker": (lambda w: {}, EVERYONE),
    "portal-recommendation": (rec_kwargs, EVERYONE),
    "portal-unit": (lambda w: {"code": "DINKES"}, EVERYONE),
    "portal-waves": (lambda w: {}, EVERYONE),
    "portal-wave": (lambda w: {"code": published_wave(w).code}, EVERYONE),
    "portal-year": (lambda w: {"year": published(w).year}, EVERYONE),
    "portal-complaint-statistics": (lambda w: {}, EVERYONE),
    "portal-gratification-statistics": (lambda w: {}, EVERYONE),
    "portal-lhkpn-compliance": (lambda w: {}, EVERYONE),
    "portal-assessments": (lambda w: {}, EVERYONE),
    "portal-events": (lambda w: {}, EVERYONE),
    "portal-event": (lambda w: {"code": published_event(w).code}, EVERYONE),
    # The verification form's target: back to the events when no serial is given.
    "portal-certificate-lookup": (lambda w: {}, row(302, anonymous=302)),
    "portal-data": (lambda w: {}, EVERYONE),
    "portal-data-catalog": (lambda w: {}, EVERYONE),
    "portal-feed": (lambda w: {}, EVERYONE),
    "portal-data-file": (
        lambda w: {"slug": "tindak-lanjut", "fmt": "xlsx"} if published(w) else {},
        EVERYONE,
    ),
    # No evidence is published in the matrix's world: the portal's 404 for everyone.
    "portal-evidence": (
        lambda w: {"public_id": "00000000-0000-0000-0000-000000000000"},
        row(404, anonymous=404),
    ),
    # The public API: published records as JSON, the same for everyone (a session is ignored).
    "api-v1:profile": (lambda w: {}, EVERYONE),
    "api-v1:units": (lambda w: {}, EVERYONE),
    "api-v1:unit": (lambda w: {"code": "DINKES"}, EVERYONE),
    "api-v1:waves": (lambda w: {}, EVERYONE),
    "api-v1:wave": (lambda w: {"code": published_wave(w).code}, EVERYONE),
    "api-v1:wave_units": (lambda w: {"code": published_wave(w).code}, EVERYONE),
    "api-v1:recommendations": (lambda w: {}, EVERYONE),
    "api-v1:recommendation": (rec_kwargs, EVERYONE),
    "portal-publication": (
        lambda w: {"kind": "recommendation", "ref": published(w).code},
        row(403, inspector_general=200, inspector=200, **OUTSIDE),
    ),
    "portal-preview": (
        lambda w: {"kind": "recommendation", "ref": unpublished(w).code},
        row(403, inspector_general=200, inspector=200, **OUTSIDE),
    ),
}
