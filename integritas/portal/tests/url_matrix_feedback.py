"""Rows of the role × page matrix for a published action's page with its feedback form, and
feedback photos (gathered by core's matrix test): the same answer for everyone."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import World, row
from integritas.portal.tests.url_matrix_portal import EVERYONE, published


def plan_kwargs(w: World) -> dict[str, Any]:
    return {"code": published(w).code, "unit": "DINKES"}


MATRIX = {
    "portal-plan": (plan_kwargs, EVERYONE),
    # No feedback is approved in the matrix's world: the portal's 404 for everyone.
    "portal-feedback-photo": (
        lambda w: {"public_id": "00000000-0000-0000-0000-000000000000"},
        row(404, anonymous=404),
    ),
}
