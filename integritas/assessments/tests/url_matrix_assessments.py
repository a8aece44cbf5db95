"""Rows of the role × page matrix for the assessment pages (gathered by core's matrix test).

The Inspectorate keeps the frameworks (import, copy, activate, delete a draft); leadership and
administrators read and export them; everyone else gets 403 on the list and 404 on a
framework."""

from __future__ import annotations

from typing import Any

from integritas.assessments.models import Framework
from integritas.core.testing import World, row


def framework_for(year: int) -> Framework:
    found = Framework.objects.filter(year=year).first()
    if found is None:
        from integritas.assessments.tests.conftest import make_framework

        found = make_framework(year=year)
    return found


def public_id(w: World) -> dict[str, Any]:
    return {"public_id": framework_for(2030).public_id}


def to_activate(w: World) -> dict[str, Any]:
    return {"public_id": framework_for(2031).public_id}


def to_delete(w: World) -> dict[str, Any]:
    return {"public_id": framework_for(2032).public_id}


READERS = row(403, admin=200, inspector_general=200, inspector=200, leader=200)
READ_ONE = row(404, admin=200, inspector_general=200, inspector=200, leader=200)
OUT_OF_SCOPE = {
    "head_a": 404,
    "officer_a": 404,
    "officer_b": 404,
    "handler": 404,
    "custodian": 404,
    "nobody": 404,
}
# Readers who may not change a framework are refused (403); the others do not see it (404).
POSTED = {"anonymous": 302, "admin": 403, "leader": 403, **OUT_OF_SCOPE}

MATRIX = {
    "assessments-framework-list": (lambda w: {}, READERS),
    "assessments-framework-import": (
        lambda w: {},
        row(403, inspector_general=200, inspector=200),
    ),
    "assessments-framework": (public_id, READ_ONE),
    "assessments-framework-export": (public_id, READ_ONE),
    "assessments-framework-copy": (public_id, row(405)),
    "assessments-framework-activate": (to_activate, row(405)),
    "assessments-framework-delete": (to_delete, row(405)),
}

# Empty POSTs: the Inspectorate gets the form back with what is missing (400); the others are
# refused before validation.
POST_MATRIX = {
    "assessments-framework-import": (
        lambda w: {},
        row(403, anonymous=302, inspector_general=400, inspector=400),
    ),
    "assessments-framework-copy": (
        public_id,
        {**POSTED, "inspector_general": 400, "inspector": 400},
    ),
    # The inspector general activates the draft; for the inspector, who posts next, it is
    # active already.
    "assessments-framework-activate": (
        to_activate,
        {**POSTED, "inspector_general": 302, "inspector": 400},
    ),
    # The inspector general deletes the draft; for those who post next, it is gone.
    "assessments-framework-delete": (
        to_delete,
        {**POSTED, "inspector_general": 302, "inspector": 404, "leader": 404},
    ),
}
