"""Publishing an MCSP year's scores or a unit's LKE result on the portal, and taking it down with
a reason (the Inspectorate; ``services/publication.py``). Plain forms on the desk's and the LKE's
pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integritas.assessments.models import Assessment, LkeAssessment
from integritas.assessments.services import publication
from integritas.core import policy


def _decide(request: HttpRequest, obj: Any) -> None:
    by: Any = request.user
    if not publication.may_publish(by):
        raise PermissionDenied
    try:
        if request.POST.get("action") == "unpublish":
            publication.unpublish(obj=obj, by=by, reason=request.POST.get("reason", ""))
            messages.success(request, _("Taken off the portal."))
        else:
            publication.publish(obj=obj, by=by)
            messages.success(request, _("Published on the portal."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)


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
