"""Rows of the role × page matrix for follow-up pages (gathered by core's matrix test).

Two recommendations to DINKES: one whose plan is still a draft (activities editable) and one whose
plan is running with a stored evidence file (evidence pages, downloads)."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import POST_ONLY, World, row
from integritas.followup.models import ActionPlan, Evidence, Recommendation
from integritas.followup.testing import draft_plan, recommendation, running_plan


def draft(w: World) -> ActionPlan:
    plan = ActionPlan.objects.filter(recommendation__title="Matrix draft").first()
    return plan or draft_plan(w, recommendation(w, title="Matrix draft"))


def running(w: World) -> ActionPlan:
    plan = ActionPlan.objects.filter(recommendation__title="Matrix running").first()
    if plan is None:
        plan = running_plan(w, recommendation(w, title="Matrix running"))
    return plan


def rec_kwargs(w: World) -> dict[str, Any]:
    return {"code": running(w).recommendation.code}


def draft_kwargs(w: World) -> dict[str, Any]:
    return {"public_id": draft(w).public_id}


def running_kwargs(w: World) -> dict[str, Any]:
    return {"public_id": running(w).public_id}


def draft_activity(w: World) -> dict[str, Any]:
    return {"public_id": draft(w).activities.get().public_id}


def running_activity(w: World) -> dict[str, Any]:
    return {"public_id": running(w).activities.get().public_id}


def evidence(w: World) -> Evidence:
    return Evidence.objects.get(activity__plan=running(w))


OUTSIDE = {"officer_b": 404, "handler": 404, "custodian": 404, "nobody": 404}
INSPECTORATE_ONLY = row(403, inspector_general=200, inspector=200)
UNIT_STAFF_ONLY = row(403, head_a=200, officer_a=200, **OUTSIDE)
# Recommendation pages for the Inspectorate; unit staff of DINKES read the issued one (403 to
# change it), everyone else outside DINKES gets 404.
REC_CHANGE = row(403, **OUTSIDE)
_ = Recommendation  # the models named in this module's rows

MATRIX = {
    "followup-recommendation-list": (lambda w: {}, row(200)),
    "followup-recommendation-create": (lambda w: {}, INSPECTORATE_ONLY),
    "followup-recommendation": (rec_kwargs, row(200, **OUTSIDE)),
    # Issued already: the Inspectorate is sent back to the recommendation.
    "followup-recommendation-edit": (
        rec_kwargs,
        {**REC_CHANGE, "inspector_general": 302, "inspector": 302},
    ),
    "followup-recommendation-issue": (
        rec_kwargs,
        {**REC_CHANGE, "inspector_general": 302, "inspector": 302},
    ),
    "followup-recommendation-tlhp": (
        rec_kwargs,
        {**REC_CHANGE, "inspector_general": 200, "inspector": 200},
    ),
    # The running recommendation cannot be closed yet: the Inspectorate reads what blocks it;
    # it is not closed, so the inspector general is sent back from reopening it.
    "followup-recommendation-close": (
        rec_kwargs,
        {**REC_CHANGE, "inspector_general": 200, "inspector": 200},
    ),
    "followup-recommendation-reopen": (rec_kwargs, {**REC_CHANGE, "inspector_general": 302}),
    "followup-weak-point-requests": (lambda w: {}, INSPECTORATE_ONLY),
    "followup-plan-list": (lambda w: {}, row(200)),
    "followup-plan": (draft_kwargs, row(200, **OUTSIDE)),
    "followup-plan-transition": (lambda w: {**draft_kwargs(w), "name": "cancel"}, POST_ONLY),
    "followup-activity-create": (draft_kwargs, UNIT_STAFF_ONLY),
    "followup-activity-edit": (draft_activity, UNIT_STAFF_ONLY),
    "followup-activity-delete": (draft_activity, POST_ONLY),
    "followup-activity-progress": (running_activity, POST_ONLY),
    "followup-activity-step": (lambda w: {**running_activity(w), "name": "done"}, POST_ONLY),
    "followup-evidence-add": (running_activity, UNIT_STAFF_ONLY),
    "followup-evidence-version": (lambda w: {"public_id": evidence(w).public_id}, UNIT_STAFF_ONLY),
    "followup-evidence-download": (
        lambda w: {"public_id": evidence(w).public_id, "version": 1},
        row(200, **OUTSIDE),
    ),
    "followup-monitoring": (lambda w: {}, row(200)),
    "followup-overdue": (lambda w: {}, row(200)),
}

# Empty POSTs: the Inspectorate's cancel without a reason and the unit's changes to a running plan
# are refused with a message (302, nothing changes); other roles get 403, other units 404.
POST_MATRIX = {
    "followup-plan-transition": (
        lambda w: {**draft_kwargs(w), "name": "cancel"},
        row(403, anonymous=302, inspector_general=302, inspector=302, **OUTSIDE),
    ),
    "followup-activity-delete": (
        running_activity,
        row(403, anonymous=302, head_a=302, officer_a=302, **OUTSIDE),
    ),
    "followup-activity-progress": (
        running_activity,
        row(403, anonymous=302, head_a=302, officer_a=302, **OUTSIDE),
    ),
    # Marking the running activity done is the unit's step (it has evidence); the Inspectorate
    # gets 403.
    "followup-activity-step": (
        lambda w: {**running_activity(w), "name": "done"},
        row(403, anonymous=302, head_a=302, officer_a=302, **OUTSIDE),
    ),
}
