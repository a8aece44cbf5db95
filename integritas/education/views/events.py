"""Event pages for the Inspectorate: the list (search, filters, pagination, export), creating
and changing an event, and its page with attendance by audience group."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from integritas.core import policy
from integritas.education.forms import (
    EventFilterForm,
    EventForm,
    MaterialForm,
    RevokeCertificateForm,
    UnpublishForm,
)
from integritas.education.models import Certificate, Event, Kind, Material, Registration, Theme
from integritas.education.services import certificates, checkin, evidence
from integritas.education.services import events as services
from integritas.lib.forms import add_service_errors
from integritas.lib.tables import Column, export_format, export_response, paginate

EVENT_COLUMNS: list[Column[Event]] = [
    Column("code", "code"),
    Column("title", "title"),
    Column("kind", lambda e: e.get_kind_display()),
    Column(_("Theme"), lambda e: e.get_theme_display()),
    Column(_("Starts"), lambda e: timezone.localtime(e.starts_at).replace(tzinfo=None)),
    Column(_("Ends"), lambda e: timezone.localtime(e.ends_at).replace(tzinfo=None)),
    Column(_("Venue"), "venue"),
    Column(_("Organiser"), lambda e: e.organiser.code),
    Column(
        _("Public page"),
        lambda e: str(
            pgettext_lazy("registration page", "Public") if e.is_public else _("Not public")
        ),
    ),
    Column(_("Capacity"), "capacity"),
    Column(_("Registered"), "registered"),
    Column(_("Checked in"), "checked_in"),
]


@login_required
def event_list(request: HttpRequest) -> HttpResponseBase:
    policy.require(request.user, "view", Event)
    items = policy.scope(request.user, Event).select_related("organiser")
    f = EventFilterForm(request.GET).filters
    if f["q"]:
        items = items.filter(
            Q(code__icontains=f["q"]) | Q(title__icontains=f["q"]) | Q(venue__icontains=f["q"])
        )
    if f["kind"]:
        items = items.filter(kind=f["kind"])
    if f["theme"]:
        items = items.filter(theme=f["theme"])
    if f["public"] == "yes":
        items = items.filter(published_at__isnull=False)
    elif f["public"] == "no":
        items = items.filter(published_at__isnull=True)
    now = timezone.now()
    if f["when"] == "upcoming":
        items = items.filter(ends_at__gte=now)
    elif f["when"] == "past":
        items = items.filter(ends_at__lt=now)
    items = items.annotate(
        registered=Count("registrations", filter=Q(registrations__status="confirmed")),
        checked_in=Count(
            "registrations",
            filter=Q(registrations__status="confirmed", registrations__checked_in_at__isnull=False),
        ),
    ).order_by("-starts_at", "code")
    fmt = export_format(request)
    if fmt:
        policy.require(request.user, "export", Event)
        return export_response(fmt=fmt, stem="events", columns=EVENT_COLUMNS, objects=items)
    page, query = paginate(request, items)
    context = {
        "page": page,
        "query": query,
        "f": f,
        "kinds": Kind.choices,
        "themes": Theme.choices,
        "can_create": policy.allows_model(request.user, "create", Event),
        "can_export": policy.allows_model(request.user, "export", Event),
    }
    return render(request, "education/event_list.html", context)


def _form_page(
    request: HttpRequest, form: EventForm, event: Event | None, status: int = 200
) -> HttpResponse:
    return render(
        request, "education/event_form.html", {"form": form, "event": event}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", Event)
    if request.method == "GET":
        return _form_page(request, EventForm(), None)
    form = EventForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, None, status=400)
    try:
        event = services.event_save(event=Event(), values=form.values(), by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _form_page(request, form, None, status=400)
    return redirect("education-event", event.code)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    if request.method == "GET":
        return _form_page(request, EventForm(instance=event), event)
    form = EventForm(request.POST, instance=event)
    if not form.is_valid():
        return _form_page(request, form, event, status=400)
    try:
        services.event_save(event=event, values=form.values(), by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _form_page(request, form, event, status=400)
    return redirect("education-event", event.code)


@login_required
def event_detail(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, code=code)
    return _detail_page(request, event)


def _detail_page(
    request: HttpRequest,
    event: Event,
    *,
    material_form: MaterialForm | None = None,
    unpublish_form: UnpublishForm | None = None,
    revoke_form: RevokeCertificateForm | None = None,
    revoke_serial: str = "",
    status: int = 200,
) -> HttpResponse:
    registrations = event.registrations.all()
    context = {
        "event": event,
        "materials": event.materials.all(),
        "material_form": material_form or MaterialForm(),
        "unpublish_form": unpublish_form or UnpublishForm(),
        "counts": checkin.counts(event),
        "confirmed": registrations.filter(status=Registration.Status.CONFIRMED).count(),
        "waiting": registrations.filter(status=Registration.Status.WAITING).count(),
        "checked_in": registrations.filter(checked_in_at__isnull=False).count(),
        "can_change": policy.allows_model(request.user, "change", Event),
        "history": policy.history(request.user, event),
        "certificates": Certificate.objects.filter(registration__event=event)
        .select_related("registration")
        .order_by("registration__name", "pk"),
        "certificates_due": len(certificates.eligible(event)),
        "can_export": policy.allows_model(request.user, "export", Event),
        "revoke_form": revoke_form or RevokeCertificateForm(),
        "revoke_serial": revoke_serial,
        "evidence_for": evidence.label_for(event),
    }
    return render(request, "education/event_detail.html", context, status=status)


@login_required
@require_POST
def material_add(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_page(request, event, material_form=form, status=400)
    upload = form.cleaned_data.get("file")
    try:
        cleaned = None
        if upload is not None:
            limit = services.material_max_bytes()
            content = upload.read(limit + 1) if upload.size <= limit else b"x" * (limit + 1)
            cleaned = services.clean_material_file(content, upload.name or "")
        services.material_add(
            event=event,
            title=form.cleaned_data["title"],
            url=form.cleaned_data["url"] or "",
            upload=cleaned,
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _detail_page(request, event, material_form=form, status=400)
    return redirect("education-event", event.code)


def material_response(material: Material) -> HttpResponse:
    """A material's file as a download, under the name it was uploaded with (read whole: a
    material is at most ``EDUCATION_MATERIAL_MAX_MB``)."""
    try:
        with material.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(
        content, content_type=material.content_type or "application/octet-stream"
    )
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=material.file_name or "material")
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def material_file(request: HttpRequest, code: str, public_id: UUID) -> HttpResponse:
    """A material's file for staff who read the event (public or not)."""
    event = policy.get_for_user(request.user, Event, code=code)
    material = event.materials.exclude(file="").filter(public_id=public_id).first()
    if material is None:
        raise Http404
    return material_response(material)


@login_required
@require_POST
def material_remove(request: HttpRequest, code: str, public_id: UUID) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    try:
        material = event.materials.get(public_id=public_id)
    except Material.DoesNotExist as exc:
        raise Http404 from exc
    services.material_remove(material=material)
    return redirect("education-event", event.code)


@login_required
@require_POST
def event_publish(request: HttpRequest, code: str) -> HttpResponse:
    """Make the registration page public (the Inspectorate)."""
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    services.event_publish(event=event, by=request.user)  # type: ignore[arg-type]
    return redirect("education-event", event.code)


@login_required
@require_POST
def event_unpublish(request: HttpRequest, code: str) -> HttpResponse:
    """Withdraw the registration page from the public, with a reason."""
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    form = UnpublishForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, event, unpublish_form=form, status=400)
    try:
        services.event_unpublish(
            event=event,
            by=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _detail_page(request, event, unpublish_form=form, status=400)
    return redirect("education-event", event.code)
