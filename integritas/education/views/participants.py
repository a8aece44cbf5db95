"""An event's participants for the Inspectorate: the list (search, filters, pages), its export
as CSV or XLSX, and the attendance list (daftar hadir) as a PDF with a signature column."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from integritas.core import policy
from integritas.core.models import Government
from integritas.education.forms import ParticipantFilterForm
from integritas.education.models import AudienceGroup, Event, Registration
from integritas.education.services import checkin, tickets
from integritas.lib import pdf
from integritas.lib.tables import Column, export_format, export_response, paginate


def _local(moment: object) -> object:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None  # type: ignore[arg-type]


PARTICIPANT_COLUMNS: list[Column[Registration]] = [
    Column(_("Ticket code"), lambda r: tickets.code_for(r.ticket)),
    Column("name", "name"),
    Column(_("Institution"), "institution"),
    Column(_("Audience group"), lambda r: r.get_group_display()),
    Column("email", "email"),
    Column(_("Phone"), "phone"),
    Column("status", lambda r: r.get_status_display()),
    Column(_("registered at"), lambda r: _local(r.registered_at)),
    Column(_("checked in at"), lambda r: _local(r.checked_in_at)),
    Column(_("walk-in"), "walk_in"),
]


@login_required
def participant_list(request: HttpRequest, code: str) -> HttpResponseBase:
    event = policy.get_for_user(request.user, Event, code=code)
    items = event.registrations.all()
    f = ParticipantFilterForm(request.GET).filters
    if f["q"]:
        items = items.filter(
            Q(name__icontains=f["q"])
            | Q(institution__icontains=f["q"])
            | Q(email__icontains=f["q"])
            | Q(phone__icontains=f["q"])
        )
    if f["group"]:
        items = items.filter(group=f["group"])
    if f["status"]:
        items = items.filter(status=f["status"])
    if f["present"] == "yes":
        items = items.filter(checked_in_at__isnull=False)
    elif f["present"] == "no":
        items = items.filter(checked_in_at__isnull=True)
    items = items.order_by("registered_at", "pk")
    fmt = export_format(request)
    if fmt:
        policy.require(request.user, "export", Event)
        return export_response(
            fmt=fmt, stem=f"peserta-{event.code}", columns=PARTICIPANT_COLUMNS, objects=items
        )
    page, query = paginate(request, items)
    context = {
        "event": event,
        "page": page,
        "query": query,
        "f": f,
        "groups": AudienceGroup.choices,
        "statuses": Registration.Status.choices,
        "counts": checkin.counts(event),
        "can_export": policy.allows_model(request.user, "export", Event),
    }
    return render(request, "education/participant_list.html", context)


@login_required
def attendance_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The daftar hadir: everyone with a place, by name, with a column to sign in; those already
    checked in are marked, and walk-ins are on it too."""
    event = policy.get_for_user(request.user, Event, code=code)
    policy.require(request.user, "export", Event)
    people = event.registrations.filter(status=Registration.Status.CONFIRMED).order_by("name", "pk")
    with translation.override(pdf.DEFAULT_LANGUAGE):
        content = pdf.render_pdf(
            "education/attendance.html",
            {"event": event, "people": people, "counts": checkin.counts(event)},
            government=Government.current(),
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="daftar-hadir-{event.code}.pdf"'
    return response
