"""Linking an event to a follow-up activity, as its evidence (the Inspectorate). The activities
come from ``core.extensions`` (follow-up registers them); see ``services.evidence``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integritas.core import extensions, policy
from integritas.education.forms import EvidenceLinkForm
from integritas.education.models import Event, EvidenceLink
from integritas.education.services import evidence as services
from integritas.lib.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def evidence_link(request: HttpRequest, code: str) -> HttpResponse:
    """Choose the activity the event counts as evidence for, or remove the link."""
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    choices = extensions.evidence_target_choices(request.user)
    current = EvidenceLink.objects.filter(event=event).first()
    status = 200
    if request.method == "POST" and "unlink" in request.POST:
        services.unlink(event=event, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The event no longer counts as evidence."))
        return redirect("education-event", event.code)
    if request.method == "POST":
        form = EvidenceLinkForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                services.link(event=event, target=form.cleaned_data["target"], by=request.user)  # type: ignore[arg-type]
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The event now counts as evidence for the activity."))
                return redirect("education-event", event.code)
        status = 400
    else:
        initial = {"target": current.target} if current else {}
        form = EvidenceLinkForm(initial=initial, choices=choices)
    context = {
        "event": event,
        "form": form,
        "current": current,
        "label": services.label_for(event),
        "has_choices": bool(choices),
    }
    return render(request, "education/evidence_link.html", context, status=status)
