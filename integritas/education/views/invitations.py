"""Invitations for the Inspectorate: the invitee list of an event (work units and external
guests, with who has registered, filters and its export), adding units and guests one by one or
from a spreadsheet, the invitation letter (undangan) as a PDF, and emailing the personal links.
The invitee's own registration page is ``views.public.invitation_register``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from integritas.core import policy
from integritas.education.forms import (
    GuestForm,
    GuestImportForm,
    InvitationLetterForm,
    InviteeFilterForm,
    InviteUnitsForm,
)
from integritas.education.models import Event, InvitationLetter, Invitee
from integritas.education.services import invitations as services
from integritas.education.services import tickets
from integritas.education.views.certificates import base_url
from integritas.lib.forms import add_service_errors
from integritas.lib.imports import import_page
from integritas.lib.tables import Column, export_format, export_response, paginate


def _registration_status(invitee: Invitee) -> str:
    if invitee.registration is None:
        return str(gettext_lazy("Not registered yet"))
    return invitee.registration.get_status_display()


def _local(moment: Any) -> Any:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def invitee_columns(base: str, *, with_links: bool) -> list[Column[Invitee]]:
    columns: list[Column[Invitee]] = [
        Column("name", "name"),
        Column(gettext_lazy("Institution"), "institution"),
        Column(gettext_lazy("Audience group"), lambda i: i.get_group_display()),
        Column(gettext_lazy("Unit"), lambda i: i.unit.code if i.unit else ""),
        Column("email", "email"),
        Column(gettext_lazy("Phone"), "phone"),
        Column(gettext_lazy("Registered"), lambda i: i.has_registered),
        Column(gettext_lazy("Registration"), _registration_status),
        Column(
            gettext_lazy("Ticket code"),
            lambda i: tickets.code_for(i.registration.ticket) if i.registration else "",
        ),
        Column(gettext_lazy("invited at"), lambda i: _local(i.invited_at)),
        Column(gettext_lazy("link emailed at"), lambda i: _local(i.emailed_at)),
    ]
    if with_links:
        columns.append(Column(gettext_lazy("Personal link"), lambda i: services.link_url(i, base)))
    return columns


def _filtered(event: Event, f: dict[str, Any]) -> QuerySet[Invitee]:
    items = event.invitees.select_related("unit", "registration")
    if f["q"]:
        items = items.filter(
            Q(name__icontains=f["q"])
            | Q(institution__icontains=f["q"])
            | Q(email__icontains=f["q"])
            | Q(phone__icontains=f["q"])
            | Q(unit__code__icontains=f["q"])
        )
    if f["kind"] == "unit":
        items = items.filter(unit__isnull=False)
    elif f["kind"] == "guest":
        items = items.filter(unit__isnull=True)
    registered = Q(registration__isnull=False) & ~Q(registration__status="cancelled")
    if f["registered"] == "yes":
        items = items.filter(registered)
    elif f["registered"] == "no":
        items = items.exclude(registered)
    return items.order_by(F("unit__code").asc(nulls_last=True), "invited_at", "pk")


def _page(
    request: HttpRequest,
    event: Event,
    *,
    units_form: InviteUnitsForm | None = None,
    guest_form: GuestForm | None = None,
    letter_form: InvitationLetterForm | None = None,
    status: int = 200,
) -> HttpResponseBase:
    can_change = policy.allows_model(request.user, "change", Event)
    f = InviteeFilterForm(request.GET).filters
    items = _filtered(event, f)
    fmt = export_format(request) if request.method == "GET" else None
    base = base_url(request)
    if fmt:
        policy.require(request.user, "export", Event)
        return export_response(
            fmt=fmt,
            stem=f"undangan-{event.code}",
            columns=invitee_columns(base, with_links=can_change),
            objects=items,
        )
    page, query = paginate(request, items)
    rows = [
        {"invitee": i, "link": services.link_url(i, base) if can_change else ""}
        for i in page.object_list
    ]
    letter = InvitationLetter.objects.filter(event=event).first()
    context = {
        "event": event,
        "page": page,
        "rows": rows,
        "query": query,
        "f": f,
        "counts": services.counts(event),
        "letter": letter,
        "can_change": can_change,
        "can_export": policy.allows_model(request.user, "export", Event),
        "units_form": units_form or InviteUnitsForm(),
        "guest_form": guest_form or GuestForm(),
        "letter_form": letter_form or InvitationLetterForm(initial=services.letter_initial(event)),
        "emails_due": sum(1 for i in services.invitees(event) if i.email and not i.has_registered),
    }
    return render(request, "education/invitation_list.html", context, status=status)


@login_required
def invitation_list(request: HttpRequest, code: str) -> HttpResponseBase:
    event = policy.get_for_user(request.user, Event, code=code)
    return _page(request, event)


@login_required
@require_POST
def invite_units(request: HttpRequest, code: str) -> HttpResponseBase:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    form = InviteUnitsForm(request.POST)
    if not form.is_valid():
        return _page(request, event, units_form=form, status=400)
    count = services.add_units(event=event, units=form.cleaned_data["units"], by=request.user)  # type: ignore[arg-type]
    if count:
        messages.success(
            request,
            ngettext("%(count)d unit invited.", "%(count)d units invited.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("These units were already invited."))
    return redirect("education-invitations", event.code)


@login_required
@require_POST
def invite_guest(request: HttpRequest, code: str) -> HttpResponseBase:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    form = GuestForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        guest = services.Guest(
            d["name"], d.get("institution") or "", d["group"], d.get("email") or "", d["phone"]
        )
        try:
            services.add_guest(event=event, guest=guest, by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s invited.") % {"name": guest.name.strip()})
            return redirect("education-invitations", event.code)
    return _page(request, event, guest_form=form, status=400)


@login_required
def import_guests(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)

    def run(data: dict[str, Any]) -> services.GuestImportReport:
        upload = data["file"]
        return services.import_guests(
            event=event,
            data=upload.read(),
            filename=upload.name,
            by=request.user,  # type: ignore[arg-type]
        )

    def done(report: services.GuestImportReport) -> HttpResponse:
        messages.success(
            request,
            ngettext("%(count)d invitee imported.", "%(count)d invitees imported.", report.added)
            % {"count": report.added},
        )
        return redirect("education-invitations", event.code)

    return import_page(
        request,
        form=GuestImportForm(request.POST or None, request.FILES or None),
        template="education/invitation_import.html",
        run=run,
        done=done,
        context={"event": event, "columns": services.GUEST_IMPORT_COLUMNS},
    )


@login_required
@require_POST
def invitee_remove(request: HttpRequest, code: str, public_id: UUID) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    try:
        invitee = event.invitees.select_related("unit").get(public_id=public_id)
    except Invitee.DoesNotExist as exc:
        raise Http404 from exc
    services.remove(invitee=invitee, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("%(name)s is no longer invited.") % {"name": invitee.name})
    return redirect("education-invitations", event.code)


@login_required
@require_POST
def letter_save(request: HttpRequest, code: str) -> HttpResponseBase:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    form = InvitationLetterForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.save_letter(
                event=event,
                number=d["number"],
                letter_date=d["letter_date"],
                place=d.get("place") or "",
                subject=d["subject"],
                note=d.get("note") or "",
                signer=d["signer"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The invitation letter is saved."))
            return redirect("education-invitations", event.code)
    return _page(request, event, letter_form=form, status=400)


@login_required
def letter_pdf(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, code=code)
    policy.require(request.user, "export", Event)
    letter = InvitationLetter.objects.filter(event=event).first()
    if letter is None:
        messages.info(request, _("Save the letter's number, date and signer first."))
        return redirect("education-invitations", event.code)
    response = HttpResponse(services.letter_pdf(event, letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="undangan-{event.code}.pdf"'
    return response


@login_required
@require_POST
def email_links(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    count = services.email_links(event=event, base=base_url(request), by=request.user)  # type: ignore[arg-type]
    if count:
        messages.success(
            request,
            ngettext(
                "The personal link was emailed to %(count)d invitee.",
                "The personal links were emailed to %(count)d invitees.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No invitee with an email address is waiting for a link."))
    return redirect("education-invitations", event.code)
