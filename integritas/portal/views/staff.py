"""The Inspectorate's publishing page: one record, its public history, and the decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.core import policy
from integritas.followup.models import Evidence, Recommendation
from integritas.lib.forms import add_service_errors
from integritas.portal import access
from integritas.portal.forms import UnpublishForm
from integritas.portal.models import Publication
from integritas.portal.services import publishing
from integritas.surveys.models import Wave


def _target(user: Any, kind: str, ref: str) -> models.Model:
    if kind == Publication.Kind.WAVE:
        return policy.get_for_user(user, Wave, code=ref)
    if kind == Publication.Kind.RECOMMENDATION:
        return policy.get_for_user(user, Recommendation, code=ref)
    if kind == Publication.Kind.EVIDENCE:
        try:
            return policy.get_for_user(user, Evidence, public_id=ref)
        except ValidationError as bad:  # not a UUID
            raise Http404 from bad
    raise Http404


def _back(obj: models.Model) -> str:
    if isinstance(obj, Wave):
        return reverse("indices-wave", args=[obj.code])
    if isinstance(obj, Recommendation):
        return reverse("followup-recommendation", args=[obj.code])
    assert isinstance(obj, Evidence)
    return reverse("followup-plan", args=[obj.activity.plan.public_id])


@login_required
def publication(request: HttpRequest, kind: str, ref: str) -> HttpResponse:
    """GET: the record's state on the portal; POST ``action=publish`` or ``action=unpublish``
    (with a reason). Only the Inspectorate may decide; others are refused before anything."""
    obj = _target(request.user, kind, ref)
    if not publishing.may_publish(request.user):
        raise PermissionDenied
    live = publishing.live_publication(obj)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = UnpublishForm(request.POST if action == "unpublish" else None)
    problems: list[str] = []
    status = 200
    if action == "publish":
        try:
            publishing.publish(obj=obj, by=request.user)
        except ValidationError as refused:
            problems, status = refused.messages, 400
        else:
            messages.success(request, _("Published on the portal."))
            return redirect(_back(obj))
    elif action == "unpublish":
        if form.is_valid():
            try:
                publishing.unpublish(obj=obj, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, _("Taken off the portal."))
                return redirect(_back(obj))
        status = 400
    elif request.method == "POST":
        status = 400
    history = Publication.objects.filter(**{publishing.kind_of(obj): obj}).select_related(
        "published_by", "unpublished_by"
    )
    context = {
        "obj": obj,
        "kind": publishing.kind_of(obj),
        "kind_label": Publication.Kind(publishing.kind_of(obj)).label,
        "live": live,
        "blocked": publishing.why_not_publishable(obj),
        "form": form,
        "problems": problems,
        "history": history,
        "back": _back(obj),
        "public_url": access.public_url(obj) if live else None,
    }
    return render(request, "portal/publication.html", context, status=status)
