"""The participant's pages under /acara/ ("event"): register for an event, see the ticket with
its QR, cancel. No account and no JavaScript; public pages (``core.public``): no session, no log
record of the requests, no referrer to other sites.

The ticket and cancellation pages are reached through a signed link (``services.registration.
link_token``), given on the confirmation and sent by email. The registration page shows only a
published event (``Event.is_public``); the signed links keep working when the event is taken off
the public, so those who registered can still show their ticket and cancel.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from integritas.core import public
from integritas.core.public import public_page
from integritas.education import ratelimit
from integritas.education.forms import RegistrationForm
from integritas.education.models import Certificate, Event, Invitee, Material, Registration
from integritas.education.services import assessment, certificates, evaluation, invitations
from integritas.education.services import registration as services
from integritas.education.views.certificates import pdf_response
from integritas.education.views.events import material_response
from integritas.lib.forms import add_service_errors

BASE = "education/public/base.html"


def _event(code: str) -> Event:
    """A public event; a non-public one answers the same 404 as a code that does not exist."""
    try:
        return Event.objects.public().select_related("organiser").get(code=code)
    except Event.DoesNotExist as exc:
        raise Http404 from exc


def _registration(token: str) -> Registration:
    try:
        return services.from_token(token)
    except Registration.DoesNotExist as exc:
        raise Http404 from exc


def _notice(
    request: HttpRequest, *, status: int, title: str, message: str, detail: str = ""
) -> HttpResponse:
    return public.notice(
        request,
        status=status,
        title=title,
        message=message,
        detail=detail,
        base=BASE,
        retry_after=ratelimit.WINDOW if status == 429 else None,
    )


def _form_page(
    request: HttpRequest,
    event: Event,
    form: RegistrationForm,
    *,
    status: int = 200,
    duplicate: bool = False,
) -> HttpResponse:
    context = {
        "event": event,
        "form": form,
        "duplicate": duplicate,
        "open": event.accepts_registrations(),
        "full": event.capacity is not None and services.confirmed_count(event) >= event.capacity,
        "public_base": BASE,
    }
    return public.render(request, "education/public/register.html", context, status=status)


@public_page("GET", "POST", base=BASE)
def register(request: HttpRequest, code: str) -> HttpResponse:
    """The event's page with its registration form; a valid POST shows the ticket."""
    event = _event(code)
    if request.method == "GET":
        return _form_page(request, event, RegistrationForm(event=event))
    if ratelimit.registration_refused(request):
        return _notice(
            request,
            status=429,
            title=_("Please wait a while"),
            message=_("There have been many attempts from your network in the last hour."),
            detail=_("Please try again in an hour."),
        )
    form = RegistrationForm(request.POST, event=event)
    if form.is_robot():
        return _notice(
            request,
            status=400,
            title=_("The registration could not be accepted"),
            message=_("A field meant to stay empty was filled in."),
            detail=_("Open the page again and fill in only the visible fields."),
        )
    if not form.is_valid():
        return _form_page(request, event, form, status=400)
    try:
        registration = services.register(event=event, person=form.person())
    except services.RegistrationClosed:
        return _form_page(request, event, form, status=409)
    except services.DuplicateRegistration:
        return _form_page(request, event, form, status=409, duplicate=True)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _form_page(request, event, form, status=400)
    return redirect("education-public-ticket", services.link_token(registration))


@public_page("GET", base=BASE)
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    """The ticket: its code and QR, the event, and the link to cancel."""
    registration = _registration(token)
    context = {
        "registration": registration,
        "event": registration.event,
        "code": services.ticket_code(registration),
        "qr": services.qr_svg(registration),
        "token": token,
        "certificate": Certificate.objects.filter(registration=registration).first(),
        "test_open": assessment.has_open_phase(registration.event),
        "evaluation_url": evaluation.link(registration.event)
        if evaluation.offered_to(registration)
        else "",
        "public_base": BASE,
    }
    return public.render(request, "education/public/ticket.html", context)


@public_page("GET", "POST", base=BASE)
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Ask, then cancel (POST); the freed place goes to the waiting list."""
    registration = _registration(token)
    context = {"registration": registration, "event": registration.event, "token": token}
    if request.method == "POST" and registration.is_live:
        try:
            services.cancel(registration=registration)
        except services.AlreadyCheckedIn:
            return _notice(
                request,
                status=409,
                title=_("This registration cannot be cancelled"),
                message=_("You have already been checked in at the event."),
            )
        context["cancelled_now"] = True
    return public.render(request, "education/public/cancel.html", context)


@public_page("GET", base=BASE)
def material_file(request: HttpRequest, code: str, public_id: UUID) -> HttpResponse:
    """A material's file, only while the event is public (else the same 404 as an unknown
    address)."""
    material = (
        Material.objects.select_related("event")
        .filter(event__code=code, public_id=public_id, event__published_at__isnull=False)
        .exclude(file="")
        .first()
    )
    if material is None:
        raise Http404
    return material_response(material)


@public_page("GET", base=BASE)
def certificate_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's own certificate, once issued (the same PDF the staff download)."""
    registration = _registration(token)
    certificate = Certificate.objects.filter(registration=registration).first()
    if certificate is None:
        raise Http404
    return public.private(pdf_response(request, certificate))


@public_page("GET", base=BASE)
def verify_certificate(request: HttpRequest, serial: str) -> HttpResponse:
    """Whether a certificate is genuine and valid: the participant's name, the event's title and
    date and the status, nothing else about the person. An unknown serial is a clear 404."""
    certificate = certificates.find(serial)
    if certificate is None:
        return _notice(
            request,
            status=404,
            title=_("Certificate not found"),
            message=_("No certificate has the serial number %(serial)s.") % {"serial": serial[:20]},
            detail=_(
                "Check the number on the certificate: it has ten letters and digits, "
                "such as 7KQ2M-XD94T. A forged certificate is not found either."
            ),
        )
    context = {
        "certificate": certificate,
        "name": certificate.registration.name
        or _("(removed after the retention period of personal data)"),
        "event": certificate.registration.event,
        "public_base": BASE,
    }
    return public.render(request, "education/public/certificate.html", context)


@public_page("GET", "POST", base=BASE)
def invitation_register(request: HttpRequest, token: str) -> HttpResponse:
    """An invitee's personal registration link: the event's form with their details filled in,
    whether or not the event's page is public. Once they have registered the link leads to their
    ticket."""
    try:
        invitee = invitations.from_token(token)
    except Invitee.DoesNotExist as exc:
        raise Http404 from exc
    event = invitee.event
    if invitee.has_registered:
        return redirect("education-public-ticket", services.link_token(invitee.registration))  # type: ignore[arg-type]
    groups = [*event.audience, invitee.group] if event.audience else []
    if request.method == "GET":
        form = RegistrationForm(initial=invitations.prefill(invitee), event=event, groups=groups)
        return _invited_page(request, event, form, invitee)
    form = RegistrationForm(request.POST, event=event, groups=groups)
    if form.is_robot():
        return _notice(
            request,
            status=400,
            title=_("The registration could not be accepted"),
            message=_("A field meant to stay empty was filled in."),
            detail=_("Open the page again and fill in only the visible fields."),
        )
    if not form.is_valid():
        return _invited_page(request, event, form, invitee, status=400)
    try:
        registration = invitations.register(invitee=invitee, person=form.person())
    except services.RegistrationClosed:
        return _invited_page(request, event, form, invitee, status=409)
    except services.DuplicateRegistration:
        return _invited_page(request, event, form, invitee, status=409, duplicate=True)
    except invitations.AlreadyRegistered as exc:
        registration = exc.registration
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _invited_page(request, event, form, invitee, status=400)
    return redirect("education-public-ticket", services.link_token(registration))


def _invited_page(
    request: HttpRequest,
    event: Event,
    form: RegistrationForm,
    invitee: Invitee,
    *,
    status: int = 200,
    duplicate: bool = False,
) -> HttpResponse:
    context = {
        "event": event,
        "form": form,
        "duplicate": duplicate,
        "open": event.accepts_invited_registrations(),
        "full": event.capacity is not None and services.confirmed_count(event) >= event.capacity,
        "invitee": invitee,
        "public_base": BASE,
    }
    return public.render(request, "education/public/register.html", context, status=status)
