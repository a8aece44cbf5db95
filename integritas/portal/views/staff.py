"""The Inspectorate's publishing page: one record, its public history, and the decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from integritas.core import policy
from integritas.followup.models import Evidence, Recommendation
from integritas.lib import publishing as decisions
from integritas.lib.forms import add_service_errors
from integritas.portal import access
from integritas.portal.forms import UnpublishForm
from integritas.portal.models import Publication
from integritas.portal.services import publishing
from integritas.portal.views import public
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
            messages.success(request, decisions.PUBLISHED)
            return redirect(_back(obj))
    elif action == "unpublish":
        if form.is_valid():
            try:
                publishing.unpublish(obj=obj, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, decisions.TAKEN_OFF)
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
        "preview_url": (
            reverse("portal-preview", args=[publishing.kind_of(obj), access.reference(obj)])
            if not live and _public_page(obj) is not None
            else None
        ),
    }
    return render(request, "portal/publication.html", context, status=status)


class _Discard(Exception):
    """Raised to roll back the preview's publication once its page is drawn."""


@login_required
def preview(request: HttpRequest, kind: str, ref: str) -> HttpResponse:
    """The public page of a wave or a recommendation not yet published, drawn exactly as the
    public will see it: the page is rendered inside a transaction that publishes the record and
    is then rolled back, so nothing is published, recorded or kept. Only the Inspectorate, who
    decides publication, may look; a published record's preview is its public page."""
    obj = _target(request.user, kind, ref)
    if not publishing.may_publish(request.user):
        raise PermissionDenied
    page = _public_page(obj)
    if page is None:
        raise Http404
    view, args, public_url = page
    if publishing.live_publication(obj) is not None:
        return redirect(public_url)
    if publishing.why_not_publishable(obj) is not None:
        return redirect("portal-publication", kind=kind, ref=ref)
    request.portal_preview = reverse("portal-publication", args=[kind, ref])  # type: ignore[attr-defined]
    response = HttpResponse(status=500)
    try:
        with transaction.atomic():
            Publication.objects.create(
                kind=publishing.kind_of(obj), **{publishing.kind_of(obj): obj}
            )
            response = view(request, *args)
            raise _Discard
    except _Discard:
        pass
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _public_page(obj: models.Model) -> tuple[Any, list[Any], str] | None:
    """The public view that shows ``obj``, its arguments and its address."""
    if isinstance(obj, Recommendation):
        return public.recommendation, [obj.code], access.public_url(obj) or ""
    if isinstance(obj, Wave):
        return public.wave, [obj.code], reverse("portal-wave", args=[obj.code])
    return None
