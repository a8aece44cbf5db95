"""Certificates for the Inspectorate: issue them to everyone who checked in (one action,
idempotent), download one participant's PDF, revoke one with a reason. The participant's own
download and the public verification page are in ``views.public``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from integritas.core import policy
from integritas.education.forms import RevokeCertificateForm
from integritas.education.models import Certificate, Event
from integritas.education.services import certificates as services
from integritas.education.views.events import _detail_page
from integritas.lib.forms import add_service_errors


def base_url(request: HttpRequest) -> str:
    """The site's public origin for the QR: ``PUBLIC_BASE_URL``, else the request's own."""
    return settings.PUBLIC_BASE_URL or request.build_absolute_uri("/")


def pdf_response(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    response = HttpResponse(
        services.render(certificate, base=base_url(request)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{certificate.serial}.pdf"'
    return response


def _certificate(event: Event, serial: str) -> Certificate:
    found = services.find(serial)
    if found is None or found.registration.event_id != event.pk:
        raise Http404
    return found


@login_required
@require_POST
def issue(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    count = services.issue_for_event(event=event, by=request.user)  # type: ignore[arg-type]
    if count:
        messages.success(
            request,
            ngettext("%(count)d certificate issued.", "%(count)d certificates issued.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("Everyone who checked in already has a certificate."))
    return redirect("education-event", event.code)


@login_required
def download(request: HttpRequest, code: str, serial: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, code=code)
    policy.require(request.user, "export", Event)
    return pdf_response(request, _certificate(event, serial))


@login_required
@require_POST
def revoke(request: HttpRequest, code: str, serial: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    certificate = _certificate(event, serial)
    form = RevokeCertificateForm(request.POST)
    if form.is_valid():
        try:
            services.revoke(
                certificate=certificate,
                by=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Certificate %(serial)s revoked.") % {"serial": certificate.serial},
            )
            return redirect("education-event", event.code)
    return _detail_page(
        request, event, revoke_form=form, revoke_serial=certificate.serial, status=400
    )
