"""Rows of the role × page matrix for the staff pages of citizens' feedback (gathered by core's
matrix test): the Inspectorate moderates; units read their own actions' approved feedback and
answer it; other units' staff are told it does not exist."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import POST_ONLY, World, row
from integritas.followup.models import Feedback
from integritas.followup.services import feedback as services
from integritas.followup.testing import recommendation, running_plan
from integritas.followup.tests.feedback_photos import jpeg_with_gps

OUTSIDE = {"officer_b": 404, "handler": 404, "custodian": 404, "nobody": 404}


def _item(w: World, comment: str, *, approve: bool) -> Feedback:
    item = Feedback.objects.filter(comment=comment).first()
    if item is None:
        plan = running_plan(w, recommendation(w, title=f"Matrix feedback {comment}"))
        item = services.submit(plan=plan, seen="no", comment=comment, photo=jpeg_with_gps())
        if approve:
            item = services.moderate(feedback=item, step="approve", by=w.inspector)
    return item


def pending(w: World) -> dict[str, Any]:
    return {"public_id": _item(w, "Matrix pending", approve=False).public_id}


def approved(w: World) -> dict[str, Any]:
    return {"public_id": _item(w, "Matrix approved", approve=True).public_id}


MATRIX = {
    "followup-feedback-list": (
        lambda w: {},
        row(403, inspector_general=200, inspector=200, head_a=200, officer_a=200, officer_b=200),
    ),
    "followup-feedback-flagged": (lambda w: {}, row(403, inspector_general=200, inspector=200)),
    "followup-feedback-step": (lambda w: {**pending(w), "name": "hide"}, POST_ONLY),
    "followup-feedback-answer": (approved, POST_ONLY),
    # An approved item's photo: whoever reads the item (the unit, leadership, administrators).
    "followup-feedback-photo": (approved, row(200, **OUTSIDE)),
}

# Empty POSTs: hiding without a reason and an empty answer are refused with a message (302,
# nothing changes); the wrong roles get 403, other units 404.
POST_MATRIX = {
    "followup-feedback-step": (
        lambda w: {**pending(w), "name": "hide"},
        row(403, anonymous=302, inspector_general=302, inspector=302, **OUTSIDE),
    ),
    "followup-feedback-answer": (
        approved,
        row(403, anonymous=302, head_a=302, officer_a=302, **OUTSIDE),
    ),
}
