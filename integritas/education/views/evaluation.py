"""The participants' evaluation survey of an event (``services.evaluation``): the Inspectorate
creates it, shows its address and QR in the room, and reads the summary; leadership and
administrators read."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integritas.core import policy
from integritas.education.forms import EvaluationForm
from integritas.education.models import Event
from integritas.education.services import evaluation as services
from integritas.education.views.certificates import base_url
from integritas.lib.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_page(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, code=code)
    can_change = policy.allows_model(request.user, "change", Event)
    form = None
    status = 200
    if event.evaluation_id is None and can_change:
        data = request.POST if request.method == "POST" else None
        form = EvaluationForm(data, versions=services.versions())
    if request.method == "POST":
        policy.require(request.user, "change", Event)
        if form is None:  # already created: nothing to do
            return redirect("education-evaluation", event.code)
        if form.is_valid():
            try:
                services.create(event=event, version=form.chosen(), by=request.user)  # type: ignore[arg-type]
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The evaluation survey is ready."))
                return redirect("education-evaluation", event.code)
        status = 400
    link = services.link(event)
    url = base_url(request).rstrip("/") + link if link else ""
    context = {
        "event": event,
        "form": form,
        "wave": event.evaluation,
        "url": url,
        "qr": segno.make(url, error="m").svg_inline(scale=5, border=2) if url else "",
        "is_open": services.is_open(event),
        "summary": services.summary(event),
        "can_change": can_change,
    }
    return render(request, "education/evaluation.html", context, status=status)
