"""Publishing an MCSP year's scores or a unit's LKE result on the portal, and taking it down with
a reason (the Inspectorate; ``services/publication.py``). Plain forms on the desk's and the LKE's
pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from integritas.assessments.models import Assessment, LkeAssessment
from integritas.assessments.services import publication
from integritas.core import policy
from integritas.lib import publishing as decisions


def _decide(request: HttpRequest, obj: Any) -> None:
    by: Any = request.user
    if not publication.may_publish(by):
        raise PermissionDenied
    if request.POST.get("action") == "unpublish":
        reason = request.POST.get("reason", "")
        decisions.decide(
            request,
            lambda: publication.unpublish(obj=obj, by=by, reason=reason),
            decisions.TAKEN_OFF,
        )
    else:
        decisions.publish(request, lambda: publication.publish(obj=obj, by=by))


@login_required
@require_POST
def desk_publication(request: HttpRequest, public_id: UUID) -> HttpResponse:
    assessment = policy.get_for_user(request.user, Assessment, public_id=public_id)
    _decide(request, assessment)
    return redirect("assessments-desk", assessment.public_id)


@login_required
@require_POST
def lke_publication(request: HttpRequest, public_id: UUID) -> HttpResponse:
    lke = policy.get_for_user(request.user, LkeAssessment, public_id=public_id)
    _decide(request, lke)
    return redirect("assessments-lke", lke.public_id)
