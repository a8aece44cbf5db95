"""The Zona Integritas self-assessment (LKE): the list and starting one, a unit's LKE with its
progress, scores, eligibility and stage, a question's answer, evidence and TPI review, and the
result as a letterhead PDF and an XLSX workbook. Plain forms, no JavaScript."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.assessments.forms import (
    AnswerForm,
    EvidenceForm,
    LkeFilterForm,
    LkeReviewForm,
    LkeStartForm,
)
from integritas.assessments.models import LkeAnswer, LkeAssessment, LkeEvidence, Node
from integritas.assessments.services import lke as lke_service
from integritas.assessments.services import lke_report, publication, recommendations
from integritas.core import policy
from integritas.core.models import READ_ALL_ROLES, UNIT_ROLES, Unit
from integritas.lib.forms import add_service_errors

VIEWERS = READ_ALL_ROLES | UNIT_ROLES


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _start_units(request: HttpRequest) -> Any:
    """The units the user may start an LKE for."""
    if lke_service.desk.is_inspectorate(request.user):
        return Unit.objects.filter(is_active=True)
    return Unit.objects.filter(pk__in=lke_service.desk.unit_ids_of(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def lke_list(request: HttpRequest) -> HttpResponse:
    """The LKEs the user may see, by year and stage; the Inspectorate or a unit starts one."""
    if not policy.grants(request.user).has(*VIEWERS):
        raise PermissionDenied
    units = _start_units(request)
    can_start = units.exists()  # the Inspectorate for any unit, unit staff for their own
    form = LkeStartForm(request.POST or None, units=units) if can_start else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                lke = lke_service.start(
                    framework=data["framework"],
                    unit=data["unit"],
                    target=data["target"],
                    held=data["held"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The self-assessment is started."))
                return redirect("assessments-lke", lke.public_id)
        status = 400
    f = LkeFilterForm(request.GET).filters
    items = policy.scope(request.user, LkeAssessment).select_related("framework", "unit")
    if f["year"]:
        items = items.filter(framework__year=f["year"])
    if f["stage"]:
        items = items.filter(stage=f["stage"])
    rows = [{"lke": lke, "progress": lke_service.progress(lke)} for lke in items]
    context = {"rows": rows, "form": form, "f": f, "filter": LkeFilterForm(request.GET)}
    return render(request, "assessments/lke_list.html", context, status=status)


def _lke(request: HttpRequest, public_id: UUID) -> LkeAssessment:
    return policy.get_for_user(request.user, LkeAssessment, public_id=public_id)


def _tree_rows(lke: LkeAssessment, summary: Any) -> list[dict[str, Any]]:
    """Every node in tree order with its depth, weight and both scores, and its answer."""
    answers = {a.node_id: a for a in lke.answers.all()}
    evidence: dict[int, int] = {}
    for node_id in lke.evidence.values_list("node_id", flat=True):
        evidence[node_id] = evidence.get(node_id, 0) + 1
    nodes = list(lke.framework.nodes.all())
    depth: dict[int, int] = {}
    rows = []
    for node in nodes:
        depth[node.pk] = depth.get(node.parent_id, -1) + 1 if node.parent_id else 0
        rows.append(
            {
                "node": node,
                "depth": depth[node.pk],
                "leaf": not any(n.parent_id == node.pk for n in nodes),
                "own": summary["own"].points.get(node.code),
                "reviewed": summary["reviewed"].points.get(node.code),
                "answer": answers.get(node.pk),
                "evidence": evidence.get(node.pk, 0),
            }
        )
    return rows


@login_required
def lke_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    lke = _lke(request, public_id)
    summary = lke_service.summary(lke)
    user = request.user
    actions = [a for (stage, a) in lke_service.TRANSITIONS if stage == lke.stage]
    context = {
        "lke": lke,
        "framework": lke.framework,
        "summary": summary,
        "progress": lke_service.progress(lke),
        "rows": _tree_rows(lke, summary),
        "may_answer": lke_service.may_answer(user, lke),
        "may_review": lke_service.may_review(user, lke),
        "actions": [a for a in actions if lke_service.may_act(user, lke, a)],
        "history": policy.history(user, lke),
        "today": timezone.localdate(),
        "conditions": recommendations.failing_conditions(lke),
        "raised": recommendations.raised_for_lke(lke),
        "may_raise": lke_service.desk.is_inspectorate(user),
        "portal": publication.portal_context(user, lke),
    }
    return render(request, "assessments/lke_detail.html", context)


@login_required
@require_POST
def lke_recommendation(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A failing eligibility condition becomes a draft recommendation in follow-up, in one step."""
    lke = _lke(request, public_id)
    by: Any = request.user
    try:
        raised = recommendations.raise_for_condition(
            lke=lke,
            condition=request.POST.get("condition", ""),
            node=request.POST.get("node", ""),
            by=by,
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("assessments-lke", lke.public_id)
    messages.success(request, _("The recommendation was drafted; review it and issue it."))
    return redirect("followup-recommendation", raised.code)


def _node(lke: LkeAssessment, code: str) -> Node:
    node = next((n for n in lke_service.questions(lke.framework) if n.code == code), None)
    if node is None:
        raise Http404
    return node


def _question_page(
    request: HttpRequest,
    lke: LkeAssessment,
    node: Node,
    *,
    answer_form: AnswerForm | None = None,
    evidence_form: EvidenceForm | None = None,
    review_form: LkeReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    row = LkeAnswer.objects.filter(lke=lke, node=node).first()
    survey = bool(lke_service.survey_kind(node))
    initial = (
        {"answer": row.answer, "note": row.note, "source_detail": row.source_detail} if row else {}
    )
    codes = [n.code for n in lke_service.questions(lke.framework)]
    at = codes.index(node.code)
    context = {
        "lke": lke,
        "node": node,
        "row": row,
        "survey": survey,
        "evidence": lke.evidence.filter(node=node),
        "may_answer": lke_service.may_answer(request.user, lke),
        "may_review": lke_service.may_review(request.user, lke) and lke.stage == "submitted",
        "answer_form": answer_form or AnswerForm(initial=initial, node=node, survey=survey),
        "evidence_form": evidence_form or EvidenceForm(),
        "review_form": review_form
        or LkeReviewForm(
            initial={
                "verdict": row.verdict,
                "adjusted": row.reviewed_answer,
                "note": row.review_note,
            }
            if row
            else {}
        ),
        "previous": codes[at - 1] if at > 0 else "",
        "next": codes[at + 1] if at + 1 < len(codes) else "",
    }
    return render(request, "assessments/lke_question.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def lke_question(request: HttpRequest, public_id: UUID, code: str) -> HttpResponse:
    """A question: the unit answers it and adds evidence; the TPI reviews the answer."""
    lke = _lke(request, public_id)
    node = _node(lke, code)
    if request.method == "GET":
        return _question_page(request, lke, node)
    user: Any = request.user
    part = request.POST.get("part")
    survey = bool(lke_service.survey_kind(node))
    try:
        if part == "answer":
            answer_form = AnswerForm(request.POST, node=node, survey=survey)
            if not answer_form.is_valid():
                return _question_page(request, lke, node, answer_form=answer_form, status=400)
            data = answer_form.cleaned_data
            try:
                lke_service.answer(
                    lke=lke,
                    code=node.code,
                    value=data["answer"],
                    note=data["note"],
                    source_detail=data.get("source_detail", ""),
                    by=user,
                )
            except ValidationError as exc:
                add_service_errors(answer_form, exc)
                return _question_page(request, lke, node, answer_form=answer_form, status=400)
            messages.success(request, _("The answer is saved."))
            following = request.POST.get("next")
            if following:
                return redirect("assessments-lke-question", lke.public_id, following)
        elif part == "evidence":
            evidence_form = EvidenceForm(request.POST, request.FILES)
            if not evidence_form.is_valid():
                return _question_page(request, lke, node, evidence_form=evidence_form, status=400)
            data = evidence_form.cleaned_data
            upload = data["file"]
            try:
                lke_service.add_evidence(
                    lke=lke,
                    code=node.code,
                    title=data["title"],
                    link=data["link"] or "",
                    upload=upload,
                    name=upload.name if upload else "",
                    by=user,
                )
            except ValidationError as exc:
                add_service_errors(evidence_form, exc)
                return _question_page(request, lke, node, evidence_form=evidence_form, status=400)
            messages.success(request, _("The evidence is added."))
        elif part == "review":
            review_form = LkeReviewForm(request.POST)
            if not review_form.is_valid():
                return _question_page(request, lke, node, review_form=review_form, status=400)
            data = review_form.cleaned_data
            try:
                lke_service.review_question(
                    lke=lke,
                    code=node.code,
                    verdict=data["verdict"],
                    note=data["note"],
                    adjusted=data["adjusted"],
                    by=user,
                )
            except ValidationError as exc:
                add_service_errors(review_form, exc)
                return _question_page(request, lke, node, review_form=review_form, status=400)
            messages.success(request, _("The review is saved."))
        else:
            return _question_page(request, lke, node, status=400)
    except PermissionDenied:
        raise
    return redirect("assessments-lke-question", lke.public_id, node.code)


@login_required
@require_POST
def lke_survey(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Take IPAK and IPKP from this system's Zona Integritas waves of the LKE's year."""
    lke = _lke(request, public_id)
    taken = lke_service.take_survey_results(lke=lke, by=request.user)  # type: ignore[arg-type]
    for code, index in taken.items():
        if index is None:
            messages.warning(
                request,
                _(
                    "No Zona Integritas survey of %(year)s has a result for %(code)s; enter it by hand with its source."
                )
                % {"year": lke.framework.year, "code": code},
            )
        else:
            messages.success(
                request,
                _("%(code)s taken from %(wave)s: %(value)s.")
                % {"code": code, "wave": index.wave_title, "value": index.value},
            )
    return redirect("assessments-lke", lke.public_id)


@login_required
@require_POST
def lke_step(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Move the LKE one stage along (submit, return, complete the review, propose, decide)."""
    lke = _lke(request, public_id)
    on = None
    if request.POST.get("on"):
        try:
            on = dt.date.fromisoformat(request.POST["on"])
        except ValueError:
            messages.error(request, _("Enter a valid date."))
            return redirect("assessments-lke", lke.public_id)
    try:
        lke_service.step(
            lke=lke,
            action=request.POST.get("action", ""),
            by=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", ""),
            on=on,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The stage is now “%(stage)s”.") % {"stage": lke.get_stage_display()}
        )
    return redirect("assessments-lke", lke.public_id)


@login_required
def lke_evidence_file(request: HttpRequest, public_id: UUID) -> FileResponse:
    evidence = policy.get_for_user(request.user, LkeEvidence, public_id=public_id)
    if not evidence.file:
        raise Http404
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name or "bukti",
        content_type=evidence.content_type or "application/octet-stream",
    )


@login_required
def lke_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    lke = _lke(request, public_id)
    response = HttpResponse(lke_report.pdf_bytes(lke), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{lke_report.filename(lke)}.pdf"'
    return response


@login_required
def lke_xlsx(request: HttpRequest, public_id: UUID) -> HttpResponse:
    lke = _lke(request, public_id)
    response = HttpResponse(
        lke_report.xlsx(lke),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{lke_report.filename(lke)}.xlsx"'
    return response
