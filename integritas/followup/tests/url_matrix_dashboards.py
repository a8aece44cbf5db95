"""Rows of the role × page matrix for the follow-up dashboards (gathered by core's matrix test).

Everyone signed in opens the dashboards (each sees the plans of their own scope, possibly none);
a unit's page follows the policy on units; the signed PDF is for those who may export.
"""

from __future__ import annotations

from typing import Any

from integritas.core.testing import World, row
from integritas.followup.tests.url_matrix_followup import running


def dinkes(w: World) -> dict[str, Any]:
    running(w)  # a running plan of DINKES, so the page has something to show
    return {"code": w.dinkes.code}


MATRIX = {
    "followup-dashboard": (lambda w: {}, row(200)),
    "followup-scoreboard": (lambda w: {}, row(200)),
    "followup-dashboard-unit": (dinkes, row(200, officer_b=404, nobody=404)),
    "followup-dashboard-report": (
        lambda w: {},
        row(403, admin=200, inspector_general=200, inspector=200, leader=200),
    ),
}
POST_MATRIX: dict[str, Any] = {}
