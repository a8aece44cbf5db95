"""The MCSP document desk: the years, a year's progress and scores, what is missing, a
requirement's documents with their versions, and the steps of the review and of KPK's verdict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.assessments.forms import (
    KpkForm,
    KpkScoreForm,
    MissingFilterForm,
    OpenDeskForm,
    ReopenForm,
    ReviewForm,
    StatusSheetForm,
    UnitsForm,
    UploadForm,
    VersionForm,
)
from integritas.assessments.models import (
    Assessment,
    Assignment,
    Document,
    DocumentVersion,
    Node,
)
from integritas.assessments.services import (
    desk,
    desk_progress,
    desk_reports,
    publication,
    recommendations,
    snapshots,
    status_sheet,
)
from integritas.assessments.services.status_sheet import COLUMNS as STATUS_COLUMNS
from integritas.core import extensions, policy
from integritas.core.models import READ_ALL_ROLES, UNIT_ROLES, Unit
from integritas.lib.forms import add_service_errors
from integritas.lib.imports import import_page
from integritas.lib.spreadsheets import export_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DESK_VIEWERS = READ_ALL_ROLES | UNIT_ROLES


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _run(
    request: HttpRequest,
    call: Callable[[], object],
    success: str,
    *,
    form: forms.Form | None = None,
) -> bool:
    """Run a desk service: its refusal goes onto ``form`` (or into the messages), its success
    into the messages. True when it succeeded."""
    try:
        call()
    except ValidationError as exc:
        if form is not None:
            add_service_errors(form, exc)
        else:
            _errors(request, exc)
        return False
    messages.success(request, success)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def desk_list(request: HttpRequest) -> HttpResponse:
    """The years of the desk; the Inspectorate opens a year for an active MCSP framework."""
    if not policy.grants(request.user).has(*DESK_VIEWERS):
        raise PermissionDenied
    can_create = policy.allows_model(request.user, "create", Assessment)
    form = OpenDeskForm(request.POST or None) if can_create else None
    status = 200
    if request.method == "POST":
        if form is None:
            policy.require(request.user, "create", Assessment)
        assert form is not None
        if form.is_valid():
            try:
                assessment = desk.open_assessment(
                    framework=form.cleaned_data["framework"],
                    upload_deadline=form.cleaned_data["upload_deadline"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The document desk is open."))
                return redirect("assessments-desk", assessment.public_id)
        status = 400
    items = policy.scope(request.user, Assessment).select_related("framework")
    return render(
        request,
        "assessments/desk_list.html",
        {"items": items, "form": form, "now": timezone.now()},
        status=status,
    )


def _assessment(request: HttpRequest, public_id: UUID, need: policy.Need = "view") -> Assessment:
    return policy.get_for_user(request.user, Assessment, need=need, public_id=public_id)


def _visible_lines(request: HttpRequest, assessment: Assessment) -> list[desk_progress.Line]:
    lines = desk_progress.lines(assessment)
    if policy.grants(request.user).has_global(*READ_ALL_ROLES):
        return lines
    mine = desk.unit_ids_of(request.user)
    return [line for line in lines if line.unit_id in mine]


def _area_rows(assessment: Assessment, board: dict[str, Any]) -> list[dict[str, Any]]:
    """The score board's areas, each marked weak or not, with the recommendation raised from it."""
    weak_below = recommendations.weak_below(assessment.framework)
    raised = {
        r.node_id: r.recommendation
        for r in assessment.raised_recommendations.filter(document=None).select_related(
            "recommendation"
        )
    }
    return [
        {**row, "weak": row["projected"][0] < weak_below, "raised": raised.get(row["node"].pk)}
        for row in board["areas"]
    ]


def _detail(
    request: HttpRequest,
    assessment: Assessment,
    *,
    reopen: ReopenForm | None = None,
    kpk_score: KpkScoreForm | None = None,
) -> HttpResponse:
    lines = _visible_lines(request, assessment)
    snapshot_rows = snapshots.rows(assessment)
    board = desk_progress.score_board(assessment)
    context = {
        "assessment": assessment,
        "framework": assessment.framework,
        "open": assessment.uploads_open(timezone.now()),
        "board": board,
        "by_area": desk_progress.progress(lines, "area"),
        "by_unit": desk_progress.progress(lines, "unit"),
        "by_official": desk_progress.progress(lines, "official"),
        "requirements": desk.requirements(assessment.framework),
        "can_change": policy.allows_model(request.user, "change", Assessment),
        "can_reopen": policy.allows_model(request.user, "reopen", Assessment),
        "can_export": policy.allows_model(request.user, "export", Assessment),
        "reopen_form": reopen or ReopenForm(),
        "snapshot_rows": snapshot_rows,
        "area_rows": _area_rows(assessment, board),
        "snapshot_chart": snapshots.chart(assessment, snapshot_rows),
        "kpk_score_form": kpk_score or KpkScoreForm(),
        "history": policy.history(request.user, assessment),
    }
    failed = reopen is not None or kpk_score is not None
    context["portal"] = publication.portal_context(request.user, assessment)
    return render(request, "assessments/desk_detail.html", context, status=400 if failed else 200)


@login_required
def desk_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _detail(request, _assessment(request, public_id))


@login_required
def desk_missing(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """What is still missing, and who owns it, filtered by area, unit and official."""
    assessment = _assessment(request, public_id)
    lines = [line for line in _visible_lines(request, assessment) if line.missing]
    f = MissingFilterForm(request.GET).filters
    if f["area"]:
        lines = [line for line in lines if line.area and line.area.code == f["area"]]
    if f["unit"]:
        lines = [line for line in lines if line.unit_code == f["unit"]]
    if f["official"]:
        lines = [line for line in lines if line.official == f["official"]]
    all_lines = desk_progress.lines(assessment)
    context = {
        "assessment": assessment,
        "lines": lines,
        "f": f,
        "areas": sorted({(x.area.code, x.area.name) for x in all_lines if x.area}),
        "units": sorted({(x.unit_code, x.unit_name) for x in all_lines}),
        "officials": sorted({x.official for x in all_lines if x.official}),
    }
    return render(request, "assessments/desk_missing.html", context)


def _node(assessment: Assessment, code: str) -> Node:
    node = Node.objects.filter(framework=assessment.framework, code=code).first()
    if node is None or node not in desk.requirements(assessment.framework):
        raise Http404
    return node


def _requirement_page(
    request: HttpRequest,
    assessment: Assessment,
    node: Node,
    *,
    upload_form: UploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    assigned = Unit.objects.filter(
        pk__in=Assignment.objects.filter(assessment=assessment, node=node).values("unit_id")
    )
    mine = (
        assigned
        if desk.is_inspectorate(request.user)
        else assigned.filter(pk__in=desk.unit_ids_of(request.user))
    )
    documents = (
        policy.scope(request.user, Document)
        .filter(assessment=assessment, node=node)
        .select_related("unit")
        .prefetch_related("versions__uploaded_by")
    )
    register = desk.register_of(node)
    context = {
        "assessment": assessment,
        "node": node,
        "register": (
            extensions.read_data_register(request.user, register, assessment.framework.year)
            if register
            else None
        ),
        "assigned": assigned,
        "documents": documents,
        "open": assessment.uploads_open(timezone.now()),
        "may_upload": mine.exists(),
        "upload_form": upload_form or UploadForm(units=mine),
        "version_form": VersionForm(),
        "units_form": UnitsForm(initial={"units": assigned}),
        "can_change": desk.is_inspectorate(request.user),
        "user_id": request.user.pk,
        "raised": (
            recommendations.evidence_for(assessment, node)
            if policy.grants(request.user).has_global(*READ_ALL_ROLES)
            else []
        ),
    }
    return render(request, "assessments/desk_requirement.html", context, status=status)


@login_required
def desk_requirement(request: HttpRequest, public_id: UUID, code: str) -> HttpResponse:
    assessment = _assessment(request, public_id)
    return _requirement_page(request, assessment, _node(assessment, code))


@login_required
@require_POST
def desk_upload(request: HttpRequest, public_id: UUID, code: str) -> HttpResponse:
    """A new document for the requirement, from one of the uploader's assigned units."""
    assessment = _assessment(request, public_id)
    node = _node(assessment, code)
    units = Unit.objects.filter(
        pk__in=Assignment.objects.filter(assessment=assessment, node=node).values("unit_id")
    )
    if not desk.is_inspectorate(request.user):
        units = units.filter(pk__in=desk.unit_ids_of(request.user))
    if not units.exists():
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        data = form.cleaned_data
        try:
            desk.upload(
                assessment=assessment,
                node=node,
                unit=data["unit"],
                file=data["file"],
                name=data["file"].name,
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                title=data["title"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was uploaded for review."))
            return redirect("assessments-desk-requirement", assessment.public_id, node.code)
    return _requirement_page(request, assessment, node, upload_form=form, status=400)


@login_required
@require_POST
def desk_units(request: HttpRequest, public_id: UUID, code: str) -> HttpResponse:
    assessment = _assessment(request, public_id, need="change")
    node = _node(assessment, code)
    form = UnitsForm(request.POST)
    if form.is_valid():
        desk.set_units(
            assessment=assessment,
            node=node,
            units=form.cleaned_data["units"],
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("The units were saved."))
    return redirect("assessments-desk-requirement", assessment.public_id, node.code)


def _document(request: HttpRequest, public_id: UUID) -> Document:
    return policy.get_for_user(request.user, Document, public_id=public_id)


def _back(document: Document) -> HttpResponse:
    return redirect(
        "assessments-desk-requirement", document.assessment.public_id, document.node.code
    )


@login_required
@require_POST
def document_version(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A new version of a document, kept beside the old ones."""
    document = _document(request, public_id)
    if not desk.may_upload(request.user, document.unit):
        raise PermissionDenied
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        for message in form.errors.as_data().values():
            for error in message:
                messages.error(request, " ".join(error.messages))
        return _back(document)
    data = form.cleaned_data
    try:
        desk.upload(
            assessment=document.assessment,
            node=document.node,
            unit=document.unit,
            document=document,
            file=data["file"],
            name=data["file"].name,
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The new version was uploaded for review."))
    return _back(document)


@login_required
@require_POST
def document_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    document = _document(request, public_id)
    policy.require(request.user, "change", Document)
    form = ReviewForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: desk.review(
                document=document,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                by=request.user,  # type: ignore[arg-type]
            ),
            _("The review was saved."),
        )
    else:
        messages.error(request, _("Choose to return the document or mark it ready."))
    return _back(document)


@login_required
@require_POST
def document_kpk(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The upload to KPK's portal (its date) or KPK's verdict, recorded by hand."""
    document = _document(request, public_id)
    policy.require(request.user, "change", Document)
    form = KpkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what KPK did."))
        return _back(document)
    data = form.cleaned_data
    by: Any = request.user
    try:
        if data["action"] == "kpk_upload":
            if data["on"] is None:
                raise ValidationError(_("The date of the upload to KPK is required."))
            desk.record_kpk_upload(document=document, on=data["on"], by=by)
        else:
            desk.record_verdict(
                document=document, accepted=data["action"] == "accept", note=data["note"], by=by
            )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("KPK's status was recorded."))
    return _back(document)


@login_required
def version_download(request: HttpRequest, public_id: UUID, version: int) -> FileResponse:
    """The only way to a stored document file: through the policy, as an attachment."""
    stored = policy.get_for_user(
        request.user,
        DocumentVersion,
        document__public_id=public_id,
        version=version,
    )
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def desk_reopen(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """An administrator reopens uploads after the deadline, with a reason (audited)."""
    assessment = _assessment(request, public_id)
    if not policy.allows_model(request.user, "reopen", Assessment):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if form.is_valid() and _run(
        request,
        lambda: desk.reopen_uploads(
            assessment=assessment,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
            by=request.user,  # type: ignore[arg-type]
        ),
        _("Uploads are reopened."),
        form=form,
    ):
        return redirect("assessments-desk", assessment.public_id)
    return _detail(request, assessment, reopen=form)


@login_required
@require_http_methods(["GET", "POST"])
def desk_status_import(request: HttpRequest, public_id: UUID) -> HttpResponse:
    assessment = _assessment(request, public_id, need="change")

    def run(data: dict[str, Any]) -> status_sheet.StatusReport:
        upload = data["file"]
        return status_sheet.import_status_sheet(
            assessment=assessment,
            data=upload.read(),
            filename=upload.name,
            by=request.user,  # type: ignore[arg-type]
        )

    def done(report: status_sheet.StatusReport) -> HttpResponse:
        messages.success(
            request,
            _("KPK's status sheet was applied: %(accepted)d accepted, %(rejected)d rejected.")
            % {"accepted": report.accepted, "rejected": report.rejected},
        )
        return redirect("assessments-desk", assessment.public_id)

    return import_page(
        request,
        form=StatusSheetForm(request.POST or None, request.FILES or None),
        template="assessments/desk_import.html",
        run=run,
        done=done,
        context={"assessment": assessment, "columns": STATUS_COLUMNS},
    )


@login_required
@require_POST
def desk_snapshot(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The Inspectorate keeps today's scores as a snapshot."""
    assessment = _assessment(request, public_id, need="change")
    by: Any = request.user
    _run(
        request,
        lambda: snapshots.take(assessment=assessment, by=by),
        _("The scores were kept as a snapshot."),
    )
    return redirect(reverse("assessments-desk", args=[assessment.public_id]) + "#scores-over-time")


@login_required
@require_POST
def desk_kpk_score(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """KPK's published score, entered by hand with its date and source."""
    assessment = _assessment(request, public_id, need="change")
    form = KpkScoreForm(request.POST)
    by: Any = request.user
    if form.is_valid() and _run(
        request,
        lambda: snapshots.record_kpk_score(
            assessment=assessment,
            score=form.cleaned_data["score"],
            on=form.cleaned_data["on"],
            source=form.cleaned_data["source"],
            by=by,
        ),
        _("KPK's published score was recorded."),
        form=form,
    ):
        return redirect(
            reverse("assessments-desk", args=[assessment.public_id]) + "#scores-over-time"
        )
    return _detail(request, assessment, kpk_score=form)


@login_required
def desk_report_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The progress report per area and unit on the letterhead."""
    assessment = _assessment(request, public_id, need="export")
    response = HttpResponse(desk_reports.progress_pdf(assessment), content_type="application/pdf")
    year = assessment.framework.year
    response["Content-Disposition"] = f'attachment; filename="laporan-mcsp-{year}.pdf"'
    return response


@login_required
def desk_export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The desk as a workbook: requirements per unit with their owners, documents and states."""
    assessment = _assessment(request, public_id, need="export")
    with translation.override("id"):
        body = desk_reports.desk_workbook(assessment)
    response = HttpResponse(body, content_type=XLSX)
    name = export_filename(f"meja-mcsp-{assessment.framework.year}", "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def area_recommendation(request: HttpRequest, public_id: UUID, code: str) -> HttpResponse:
    """A weak area becomes a draft recommendation in follow-up, in one step."""
    assessment = _assessment(request, public_id, need="change")
    area = Node.objects.filter(framework=assessment.framework, code=code, parent=None).first()
    if area is None:
        raise Http404
    by: Any = request.user
    try:
        raised = recommendations.raise_for_area(assessment=assessment, area=area, by=by)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("assessments-desk", assessment.public_id)
    messages.success(request, _("The recommendation was drafted; review it and issue it."))
    return redirect("followup-recommendation", raised.code)


@login_required
@require_POST
def document_recommendation(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A requirement whose document KPK rejected becomes a draft recommendation."""
    document = _document(request, public_id)
    policy.require(request.user, "change", Document)
    by: Any = request.user
    try:
        raised = recommendations.raise_for_document(document=document, by=by)
    except ValidationError as exc:
        _errors(request, exc)
        return _back(document)
    messages.success(request, _("The recommendation was drafted; review it and issue it."))
    return redirect("followup-recommendation", raised.code)
