"""Framework pages for the Inspectorate: the list, a framework's tree, the workbook import and
export, copying a framework into a new year, activating and deleting a draft."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.assessments import imports
from integritas.assessments.forms import CopyForm, FrameworkFilterForm, FrameworkImportForm
from integritas.assessments.models import Framework, FrameworkKind, FrameworkStatus, Node
from integritas.assessments.services import framework_workbook, frameworks
from integritas.assessments.services.framework_workbook import (
    CHOICE_COLUMNS,
    SETTINGS_KEYS,
    STRUCTURE_COLUMNS,
    THRESHOLD_COLUMNS,
)
from integritas.core import extensions, policy
from integritas.lib.forms import add_service_errors
from integritas.lib.imports import import_page
from integritas.lib.tables import paginate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "view", Framework)
    items = (
        policy.scope(request.user, Framework)
        .annotate(node_count=Count("nodes"))
        .order_by("-year", "kind", "-version")
    )
    f = FrameworkFilterForm(request.GET).filters
    if f["kind"]:
        items = items.filter(kind=f["kind"])
    if f["year"]:
        items = items.filter(year=f["year"])
    if f["status"]:
        items = items.filter(status=f["status"])
    page, query = paginate(request, items)
    context = {
        "page": page,
        "query": query,
        "f": f,
        "kinds": FrameworkKind.choices,
        "statuses": FrameworkStatus.choices,
        "can_create": policy.allows_model(request.user, "create", Framework),
    }
    return render(request, "assessments/framework_list.html", context)


def _register_title(key: str) -> str:
    """The title of the data register a node points at ("" for none; the key itself when no
    installed app registers it any more)."""
    if not key:
        return ""
    register = extensions.data_register(key)
    return str(register.title) if register is not None else key


def _tree(framework: Framework) -> list[dict[str, Any]]:
    """The nodes in tree order with their depth, whether they are items, and the sum of their
    children's weights (to show where a draft's weights do not add up)."""
    nodes = list(framework.nodes.select_related("parent").prefetch_related("choices", "units"))
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    rows: list[dict[str, Any]] = []

    def walk(parent: int | None, depth: int) -> None:
        for node in children.get(parent, []):
            kids = children.get(node.pk, [])
            rows.append(
                {
                    "node": node,
                    "depth": depth,
                    "is_item": not kids,
                    "children_weight": sum((k.weight for k in kids), Decimal(0)),
                    "register": _register_title(node.register),
                }
            )
            walk(node.pk, depth + 1)

    walk(None, 0)
    return rows


def _detail_page(
    request: HttpRequest,
    framework: Framework,
    *,
    copy_form: CopyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    tree = _tree(framework)
    bands = list(framework.bands.all())
    context = {
        "bands": [
            {"band": band, "upper": bands[i + 1].lower if i + 1 < len(bands) else None}
            for i, band in enumerate(bands)
        ],
        "framework": framework,
        "tree": tree,
        "item_count": sum(1 for row in tree if row["is_item"]),
        "threshold_sets": framework.threshold_sets.prefetch_related("conditions"),
        "copy_form": copy_form or CopyForm(initial={"year": framework.year + 1}),
        "can_change": policy.allows_model(request.user, "change", Framework),
        "can_export": policy.allows_model(request.user, "export", Framework),
        "history": policy.history(request.user, framework),
    }
    return render(request, "assessments/framework_detail.html", context, status=status)


@login_required
def framework_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    framework = policy.get_for_user(request.user, Framework, public_id=public_id)
    return _detail_page(request, framework)


@login_required
def framework_export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    framework = policy.get_for_user(request.user, Framework, need="export", public_id=public_id)
    response = HttpResponse(framework_workbook.export(framework), content_type=XLSX)
    filename = framework_workbook.export_filename(framework)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def framework_import(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", Framework)

    def run(data: dict[str, Any]) -> imports.ImportResult:
        upload = data["file"]
        return imports.import_framework(
            data=upload.read(),
            filename=upload.name,
            by=request.user,  # type: ignore[arg-type]
        )

    def done(result: imports.ImportResult) -> HttpResponse:
        framework = result.framework
        assert framework is not None  # a good workbook is saved
        messages.success(
            request,
            _("The workbook was imported as draft version %(version)d of %(title)s.")
            % {"version": framework.version, "title": framework.title},
        )
        return redirect("assessments-framework", framework.public_id)

    return import_page(
        request,
        form=FrameworkImportForm(request.POST or None, request.FILES or None),
        template="assessments/framework_import.html",
        run=run,
        done=done,
        context={
            "sheets": [
                ("settings", SETTINGS_KEYS),
                ("structure", STRUCTURE_COLUMNS),
                ("choices", CHOICE_COLUMNS),
                ("thresholds", THRESHOLD_COLUMNS),
            ],
            "registers": [(key, _register_title(key)) for key in extensions.data_register_keys()],
        },
    )


@login_required
@require_POST
def framework_copy(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Start a new year from this framework: a draft with the same tree and thresholds."""
    framework = policy.get_for_user(request.user, Framework, need="change", public_id=public_id)
    form = CopyForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, framework, copy_form=form, status=400)
    try:
        copy = frameworks.copy_to_year(
            framework=framework,
            year=form.cleaned_data["year"],
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _detail_page(request, framework, copy_form=form, status=400)
    messages.success(
        request,
        _("Copied into %(year)d as draft version %(version)d.")
        % {"year": copy.year, "version": copy.version},
    )
    return redirect("assessments-framework", copy.public_id)


@login_required
@require_POST
def framework_activate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    framework = policy.get_for_user(request.user, Framework, need="change", public_id=public_id)
    try:
        frameworks.activate(framework=framework, by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _detail_page(request, framework, status=400)
    messages.success(request, _("The framework is now the active one for its year."))
    return redirect("assessments-framework", framework.public_id)


@login_required
@require_POST
def framework_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    framework = policy.get_for_user(request.user, Framework, need="change", public_id=public_id)
    try:
        frameworks.delete_draft(framework=framework, by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _detail_page(request, framework, status=400)
    messages.success(request, _("The draft was deleted."))
    return redirect("assessments-framework-list")
