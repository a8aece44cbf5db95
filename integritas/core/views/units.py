"""Browse, edit and import the unit tree."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integritas.core import history, policy
from integritas.core.forms.units import UnitFilterForm, UnitForm, UnitImportForm
from integritas.core.imports.units import UNIT_IMPORT_COLUMNS, ImportReport, import_units
from integritas.core.models import Unit
from integritas.core.services import units as services
from integritas.lib.imports import import_page
from integritas.lib.tables import Column, export_format, export_response, paginate

# Rows are annotated with ``staff_n`` (active staff) by the list view.
UNIT_COLUMNS: list[Column[Any]] = [
    Column("code", "code"),
    Column("name", "name"),
    Column("type", "type"),
    Column("parent_code", lambda u: u.parent.code if u.parent else ""),
    Column("size_class", "size_class"),
    Column("head_nip", lambda u: (u.head.nip or "") if u.head else ""),
    Column("address", "address"),
    Column("active", lambda u: "yes" if u.is_active else "no"),
    Column("staff", "staff_n"),
]


@login_required
def unit_list(request: HttpRequest) -> HttpResponseBase:
    units = policy.scope(request.user, Unit).select_related("parent", "head")
    form = UnitFilterForm(request.GET)
    f = form.filters
    if f["q"]:
        units = units.filter(Q(code__icontains=f["q"]) | Q(name__icontains=f["q"]))
    if f["type"]:
        units = units.filter(type=f["type"])
    units = form.filter_status(units)
    units = units.annotate(staff_n=Count("staff", filter=Q(staff__is_active=True))).order_by("code")
    fmt = export_format(request)
    if fmt:
        return export_response(fmt=fmt, stem="units", columns=UNIT_COLUMNS, objects=units)
    page, query = paginate(request, units)
    context = {
        "page": page,
        "query": query,
        "q": f["q"],
        "type": f["type"],
        "status": f["status"],
        "types": Unit.Type.choices,
        "can_create": policy.allows_model(request.user, "create", Unit),
        "can_import": policy.allows_model(request.user, "import", Unit),
    }
    return render(request, "core/unit_list.html", context)


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = policy.get_for_user(request.user, Unit, code=code)
    visible = policy.scope(request.user, Unit)
    context: dict[str, Any] = {
        "unit": unit,
        "ancestors": [a for a in unit.ancestors() if visible.filter(pk=a.pk).exists()],
        "children": visible.filter(parent=unit).order_by("code"),
        "staff": unit.staff.filter(is_active=True).order_by("name"),
        "history": history.for_viewer(request.user, policy.history(request.user, unit)[:50]),
        "can_change": policy.allows(request.user, "change", unit),
    }
    return render(request, "core/unit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", Unit)
    form = UnitForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        unit = services.unit_create(values=form.cleaned_data)
        messages.success(request, _("Unit %(code)s was created.") % {"code": unit.code})
        return redirect("core-unit", unit.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "core/unit_form.html", {"form": form, "unit": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = policy.get_for_user(request.user, Unit, need="change", code=code)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        services.unit_update(unit=Unit.objects.get(pk=unit.pk), values=form.cleaned_data)
        messages.success(
            request, _("Unit %(code)s was saved.") % {"code": form.cleaned_data["code"]}
        )
        return redirect("core-unit", form.cleaned_data["code"])
    status = 400 if request.method == "POST" else 200
    return render(request, "core/unit_form.html", {"form": form, "unit": unit}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def unit_import(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "import", Unit)

    def run(data: dict[str, Any]) -> ImportReport:
        upload = data["file"]
        return import_units(
            data=upload.read(),
            filename=upload.name,
            update_existing=data["update_existing"],
            dry_run=data["dry_run"],
        )

    def done(report: ImportReport) -> HttpResponse | None:
        if not report.saved:  # a dry run: the page shows what would change
            return None
        messages.success(
            request,
            _("Import finished: %(created)d units created, %(updated)d updated.")
            % {"created": report.created, "updated": report.updated},
        )
        return redirect("core-unit-list")

    return import_page(
        request,
        form=UnitImportForm(request.POST or None, request.FILES or None),
        template="core/unit_import.html",
        run=run,
        done=done,
        context={"columns": UNIT_IMPORT_COLUMNS},
    )
