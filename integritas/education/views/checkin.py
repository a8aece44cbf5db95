"""Check-in at the door, on a staff phone: type or paste the ticket code (the QR holds the same
code), register a walk-in, and see the counts by audience group. Works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.core import policy
from integritas.education.forms import CheckInForm, PersonForm
from integritas.education.models import Event, Registration
from integritas.education.services import checkin as services
from integritas.education.services import tickets
from integritas.education.services.registration import DuplicateRegistration
from integritas.lib.forms import add_service_errors

CAMERA_ALLOWED = "camera=(self), microphone=(), geolocation=(), payment=()"


def _page(
    request: HttpRequest,
    event: Event,
    *,
    form: CheckInForm | None = None,
    walk_in: PersonForm | None = None,
    outcome: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "event": event,
        "form": form or CheckInForm(),
        "walk_in": walk_in or PersonForm(event=event, prefix="w"),
        "outcome": outcome,
        "counts": services.counts(event),
    }
    response = render(request, "education/checkin.html", context, status=status)
    # The one page that may use the camera (to read tickets' QR codes); every other page
    # keeps the camera off (core.middleware.security_headers).
    response["Permissions-Policy"] = CAMERA_ALLOWED
    return response


def _refusal(message: str, registration: Registration | None = None) -> dict[str, Any]:
    return {"kind": "error", "message": message, "registration": registration}


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    if request.method == "GET":
        return _page(request, event)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _page(request, event, form=form, status=400)
    try:
        result = services.check_in(event=event, code=form.cleaned_data["code"], by=request.user)  # type: ignore[arg-type]
    except tickets.ForgedTicket:
        outcome = _refusal(_("This is not a valid ticket code. Check the code and try again."))
        return _page(request, event, form=form, outcome=outcome, status=400)
    except services.UnknownTicket:
        outcome = _refusal(_("No registration has this ticket."))
        return _page(request, event, form=form, outcome=outcome, status=404)
    except services.OtherEventTicket as exc:
        outcome = _refusal(
            _("This ticket is for another event: %(title)s.")
            % {"title": exc.registration.event.title},
            exc.registration,
        )
        return _page(request, event, form=form, outcome=outcome, status=409)
    except services.NotAdmitted as exc:
        if exc.registration.status == Registration.Status.WAITING:
            message = _("This ticket is on the waiting list: no place has been freed for it.")
        else:
            message = _("This registration was cancelled.")
        return _page(
            request, event, form=form, outcome=_refusal(message, exc.registration), status=409
        )
    outcome = {
        "kind": "warning" if result.already else "success",
        "registration": result.registration,
    }
    outcome["already"] = result.already
    return _page(request, event, outcome=outcome)


@login_required
@require_POST
def walk_in(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    form = PersonForm(request.POST, event=event, prefix="w")
    if not form.is_valid():
        return _page(request, event, walk_in=form, status=400)
    try:
        registration = services.walk_in(event=event, person=form.person(), by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _page(request, event, walk_in=form, status=400)
    except DuplicateRegistration as exc:
        outcome = _refusal(
            _(
                "%(name)s is already registered with this email or phone number. "
                "Check in their ticket instead."
            )
            % {"name": exc.existing.name},
            exc.existing,
        )
        if exc.existing.checked_in_at is None and exc.existing.status == "confirmed":
            outcome["code"] = tickets.code_for(exc.existing.ticket)
        return _page(request, event, walk_in=form, outcome=outcome, status=409)
    outcome = {"kind": "success", "registration": registration, "walk_in": True}
    return _page(request, event, outcome=outcome)
