"""Staff pages for waves: list, create, detail with progress, populations, invitations,
reminders, status, QR posters; and the services that SKM waves cover."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.audit.models import Event
from integritas.core import history, policy
from integritas.core.models import Unit
from integritas.lib.imports import import_page
from integritas.lib.tables import Column, export_format, export_response, paginate
from integritas.surveys.forms.waves import (
    AddUnitsForm,
    InvitationUploadForm,
    ServiceFilterForm,
    ServiceForm,
    StatusForm,
    WaveCreateForm,
    WaveFilterForm,
    WaveForm,
)
from integritas.surveys.imports.invitations import (
    INVITATION_COLUMNS,
    InvitationReport,
    invitations_import,
)
from integritas.surveys.models import Service, Wave, WaveUnit
from integritas.surveys.sampling import sample_size
from integritas.surveys.services import posters, waves

# Rows of the wave list are annotated with ``unit_n`` (units in the wave).
WAVE_COLUMNS: list[Column[Any]] = [
    Column("code", "code"),
    Column("title", "title"),
    Column("instrument", lambda w: w.version.instrument.code),
    Column("version", lambda w: w.version.number),
    Column("opens_on", "opens_on"),
    Column("closes_on", "closes_on"),
    Column("status", "status"),
    Column("units", "unit_n"),
]
SERVICE_COLUMNS: list[Column[Service]] = [
    Column("unit_code", lambda s: s.unit.code),
    Column("code", "code"),
    Column("name", "name"),
    Column("active", lambda s: "yes" if s.is_active else "no"),
]


def _base_url(request: HttpRequest) -> str:
    return settings.PUBLIC_BASE_URL or request.build_absolute_uri("/")


@login_required
def wave_list(request: HttpRequest) -> HttpResponseBase:
    items = (
        policy.scope(request.user, Wave)
        .select_related("version__instrument")
        .annotate(unit_n=Count("wave_units", distinct=True))
    )
    f = WaveFilterForm(request.GET).filters
    if f["q"]:
        items = items.filter(Q(code__icontains=f["q"]) | Q(title__icontains=f["q"]))
    if f["status"]:
        items = items.filter(status=f["status"])
    items = items.order_by("-opens_on", "code")
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem="waves",
            columns=WAVE_COLUMNS,
            objects=items,
        )
    page, query = paginate(request, items)
    context = {
        "page": page,
        "query": query,
        "q": f["q"],
        "status": f["status"],
        "statuses": Wave.Status.choices,
        "can_create": policy.allows_model(request.user, "create", Wave),
    }
    return render(request, "surveys/waves/wave_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def wave_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", Wave)
    form = WaveCreateForm(
        request.POST or None, initial={"respondent_types": ["public"], "margin_of_error": "0.05"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = waves.wave_create(
                version=data["version"],
                code=data["code"],
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                respondent_types=data["respondent_types"],
                units=form.chosen_units(),
                fiscal_year=data["fiscal_year"],
                margin_of_error=data["margin_of_error"],
                sample_method=data["sample_method"],
                min_group_size=data["min_group_size"],
                public_links=data["public_links"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("Wave %(code)s was created as a draft.") % {"code": wave.code}
            )
            return redirect("surveys-wave", wave.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "surveys/waves/wave_form.html", {"form": form, "wave": None}, status=status
    )


@login_required
def wave_detail(request: HttpRequest, code: str) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, code=code)
    visible_units = policy.scope(request.user, Unit).values_list("pk", flat=True)
    rows = waves.progress(wave, units=visible_units)
    total_responses = sum(r.responses for r in rows)
    total_target = sum(r.wave_unit.target or 0 for r in rows)
    can_change = policy.allows(request.user, "change", wave)
    context: dict[str, Any] = {
        "wave": wave,
        "rows": rows,
        "total_responses": total_responses,
        "total_target": total_target,
        "can_change": can_change,
        "can_invite": policy.allows(request.user, "invite", wave),
        "can_import": policy.allows(request.user, "import", wave),
        "can_export": policy.allows(request.user, "export", wave),
        "status_actions": sorted(t.target for t in waves.TRANSITIONS.available(status=wave.status))
        if can_change
        else [],
        "add_units_form": AddUnitsForm() if can_change else None,
        "history": history.for_viewer(
            request.user,
            Event.objects.filter(object_type="surveys.wave", object_id=str(wave.pk)).select_related(
                "actor"
            )[:30],
        ),
        "formula_example": sample_size(
            1000, wave.margin_of_error, wave.sample_method, (get_language() or "id")[:2]
        ),
    }
    return render(request, "surveys/waves/wave_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def wave_edit(request: HttpRequest, code: str) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, need="change", code=code)
    form = WaveForm(request.POST or None, instance=wave)
    if request.method == "POST" and form.is_valid():
        waves.wave_update(wave=Wave.objects.get(pk=wave.pk), values=form.cleaned_data)
        messages.success(request, _("The wave was saved."))
        return redirect("surveys-wave", wave.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "surveys/waves/wave_form.html", {"form": form, "wave": wave}, status=status
    )


@require_POST
@login_required
def wave_status(request: HttpRequest, code: str) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, need="change", code=code)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("surveys-wave", wave.code)
    try:
        waves.wave_set_status(
            wave=wave, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The wave is now %(status)s.") % {"status": wave.get_status_display()}
        )
    return redirect("surveys-wave", wave.code)


@require_POST
@login_required
def wave_populations(request: HttpRequest, code: str) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, need="change", code=code)
    populations: dict[int, int | None] = {}
    problems = []
    for wave_unit in wave.wave_units.select_related("unit"):
        raw = (
            request.POST.get(f"population-{wave_unit.pk}", "")
            .strip()
            .replace(".", "")
            .replace(",", "")
        )
        if raw == "":
            populations[wave_unit.pk] = None
        elif raw.isdigit() and int(raw) <= 10_000_000:
            populations[wave_unit.pk] = int(raw)
        else:
            problems.append(wave_unit.unit.code)
    if problems:
        messages.error(
            request,
            _("Nothing was saved: the population must be a whole number for %(units)s.")
            % {"units": ", ".join(problems)},
        )
        return redirect("surveys-wave", wave.code)
    changed = waves.wave_set_populations(wave=wave, populations=populations)
    messages.success(
        request, _("Populations saved (%(n)d changed); targets recomputed.") % {"n": changed}
    )
    return redirect("surveys-wave", wave.code)


@require_POST
@login_required
def wave_add_units(request: HttpRequest, code: str) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, need="change", code=code)
    form = AddUnitsForm(request.POST)
    if form.is_valid():
        added = waves.wave_add_units(wave=wave, units=form.cleaned_data["units"])
        messages.success(
            request,
            ngettext("%(n)d unit added.", "%(n)d units added.", len(added)) % {"n": len(added)},
        )
    else:
        messages.error(request, _("Choose at least one unit."))
    return redirect("surveys-wave", wave.code)


@require_POST
@login_required
def wave_remove_unit(request: HttpRequest, code: str, unit_code: str) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, need="change", code=code)
    wave_unit = get_object_or_404(WaveUnit, wave=wave, unit__code=unit_code)
    try:
        waves.wave_remove_unit(wave_unit=wave_unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(unit)s was taken out of the wave.") % {"unit": unit_code})
    return redirect("surveys-wave", wave.code)


@login_required
@require_http_methods(["GET", "POST"])
def wave_invitations(request: HttpRequest, code: str) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, need="invite", code=code)

    def run(data: dict[str, Any]) -> InvitationReport:
        upload = data["file"]
        return invitations_import(
            wave=wave, data=upload.read(), filename=upload.name, base_url=_base_url(request)
        )

    def done(report: InvitationReport) -> HttpResponse | None:
        if report.manual_links:  # shown once, on this page
            return None
        messages.success(
            request,
            ngettext(
                "%(n)d invitation was emailed.",
                "%(n)d invitations were emailed.",
                report.emailed,
            )
            % {"n": report.emailed},
        )
        return redirect("surveys-wave", wave.code)

    return import_page(
        request,
        form=InvitationUploadForm(request.POST or None, request.FILES or None),
        template="surveys/waves/invitations.html",
        run=run,
        done=done,
        context={"wave": wave, "columns": INVITATION_COLUMNS},
    )


@require_POST
@login_required
def wave_reminders(request: HttpRequest, code: str) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, need="invite", code=code)
    sent = waves.send_reminders(wave=wave, base_url=_base_url(request))
    if sent:
        messages.success(
            request,
            ngettext("%(n)d reminder was emailed.", "%(n)d reminders were emailed.", sent)
            % {"n": sent},
        )
    else:
        messages.info(
            request,
            _(
                "No reminder was due: everyone answered or was reminded in the last three days, or the wave is not open."
            ),
        )
    return redirect("surveys-wave", wave.code)


@login_required
def wave_posters(request: HttpRequest, code: str) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, need="change", code=code)
    unit_code = request.GET.get("unit", "")
    wave_units = wave.wave_units.select_related("unit").prefetch_related("wave_services__service")
    if unit_code:
        wave_units = wave_units.filter(unit__code=unit_code)
    if not wave.public_links or not wave_units.exists():
        messages.error(request, _("This wave has no public links."))
        return redirect("surveys-wave", wave.code)
    pdf = posters.render_posters(
        wave=wave, wave_units=list(wave_units), base_url=_base_url(request)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = f"-{unit_code.lower()}" if unit_code else ""
    response["Content-Disposition"] = f'attachment; filename="poster-{wave.code}{suffix}.pdf"'
    return response


@login_required
def service_list(request: HttpRequest) -> HttpResponseBase:
    services = (
        policy.scope(request.user, Service).select_related("unit").order_by("unit__code", "code")
    )
    q = ServiceFilterForm(request.GET).filters["q"]
    if q:
        services = services.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(unit__code__icontains=q)
        )
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem="services",
            columns=SERVICE_COLUMNS,
            objects=services,
        )
    page, query = paginate(request, services)
    can_create = policy.allows_model(request.user, "create", Service)
    form = (
        ServiceForm(units=policy.scope(request.user, Unit).order_by("code")) if can_create else None
    )
    return render(
        request,
        "surveys/waves/service_list.html",
        {"page": page, "query": query, "q": q, "form": form},
    )


@require_POST
@login_required
def service_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", Service)
    form = ServiceForm(request.POST, units=policy.scope(request.user, Unit).order_by("code"))
    if form.is_valid():
        service = waves.service_save(service=Service(), values=form.cleaned_data)
        messages.success(request, _("Service %(code)s was added.") % {"code": service.code})
        return redirect("surveys-service-list")
    services = (
        policy.scope(request.user, Service).select_related("unit").order_by("unit__code", "code")
    )
    page, query = paginate(request, services)
    return render(
        request,
        "surveys/waves/service_list.html",
        {"page": page, "query": query, "q": "", "form": form},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, unit_code: str, code: str) -> HttpResponse:
    service = policy.get_for_user(
        request.user, Service, need="change", unit__code=unit_code, code=code
    )
    form = ServiceForm(
        request.POST or None,
        instance=service,
        units=policy.scope(request.user, Unit).order_by("code"),
    )
    if request.method == "POST" and form.is_valid():
        waves.service_save(service=Service.objects.get(pk=service.pk), values=form.cleaned_data)
        messages.success(request, _("The service was saved."))
        return redirect("surveys-service-list")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "service": service,
        "history": history.for_viewer(
            request.user, Event.objects.for_object(service).select_related("actor")[:30]
        ),
    }
    return render(request, "surveys/waves/service_form.html", context, status=status)
