"""Action plan pages: the plan with its activities, evidence and history; the workflow buttons
the viewer may use; activities and progress; evidence uploads, versions and downloads."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.audit.models import Event
from integritas.core import extensions, history, policy
from integritas.core.models import Unit, User
from integritas.followup import workflow
from integritas.followup.access import actors_for
from integritas.followup.forms import (
    ActivityForm,
    EvidenceForm,
    ProgressForm,
    ReasonForm,
    ReturnForm,
    VerifyForm,
    VersionForm,
)
from integritas.followup.models import ActionPlan, Activity, Evidence, EvidenceFile
from integritas.followup.services import plans as services
from integritas.followup.views.feedback import plan_section
from integritas.lib.forms import add_service_errors


def transition_labels() -> dict[str, str]:
    """Button labels of the workflow steps, in the words of the people who press them."""
    return {
        "submit": _("Submit the plan for approval"),
        "return_plan": _("Return the plan for revision"),
        "approve": _("Approve the plan"),
        "start": _("Start work"),
        "submit_evidence": _("Submit evidence for verification"),
        "return": _("Return the evidence for revision"),
        "verify": _("Verify"),
        "cancel": _("Cancel the plan"),
    }


def activity_labels() -> dict[str, str]:
    """Button labels of the per-activity steps."""
    return {
        "done": _("Mark done and submit its evidence"),
        "return": _("Return this activity for revision"),
        "verify": _("Verify this activity"),
    }


def _people(plan: ActionPlan) -> Any:
    """Who may be responsible for an activity: active staff of the plan's unit and sub-units."""
    return User.objects.filter(is_active=True, unit_id__in=Unit.objects.subtree_ids([plan.unit_id]))


def _unit_actor(user: Any, plan: ActionPlan) -> bool:
    return bool(actors_for(user, plan) & workflow.UNIT)


@login_required
def plan_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = policy.get_for_user(
        request.user, ActionPlan, public_id=public_id
    )  # 404 outside the user's units
    actors = actors_for(request.user, plan)
    is_unit = bool(actors & workflow.UNIT)
    activities = list(
        plan.activities.select_related("responsible", "verified_by").prefetch_related(
            "evidence__files"
        )
    )
    labels = transition_labels()
    buttons = [
        {"name": t.name, "label": labels[t.name], "needs_reason": t.needs_reason}
        for t in workflow.TRANSITIONS.available(status=plan.status, roles=actors)
    ]
    claimed, verified = plan.progress()
    due = plan.due_on
    returns = list(
        plan.returns.select_related("returned_by", "activity").prefetch_related(
            "evidence__files", "evidence__activity"
        )
    )
    open_returns = [r for r in returns if r.resolved_at is None]
    current_return = open_returns[0] if open_returns else None
    steps = activity_labels()
    for activity in activities:
        # The per-activity steps this viewer may take now (``workflow.ACTIVITY_TRANSITIONS``).
        available = {
            t.name
            for t in workflow.ACTIVITY_TRANSITIONS.available(status=activity.status, roles=actors)
        }
        if not plan.accepts_evidence:
            available.discard("done")
            available.discard("return")
            if plan.status != ActionPlan.Status.EVIDENCE_SUBMITTED:
                available.discard("verify")
        activity.linked_evidence = extensions.linked_evidence(str(activity.public_id))  # type: ignore[attr-defined]
        if not activity.evidence.all() and not activity.linked_evidence:  # type: ignore[attr-defined]
            available.discard("done")
        activity.steps = [  # type: ignore[attr-defined]
            {"name": name, "label": label} for name, label in steps.items() if name in available
        ]
        activity.return_form = (  # type: ignore[attr-defined]
            ReturnForm(plan=plan, activity=activity) if "return" in available else None
        )
    context = {
        "plan": plan,
        "recommendation": plan.recommendation,
        "activities": activities,
        "buttons": buttons,
        "claimed": claimed,
        "verified": verified,
        "due": due,
        "overdue": plan.is_overdue(),
        "due_soon": plan.is_due_soon(),
        "draft_due": plan.draft_due_on,
        "draft_late": plan.is_draft_late(),
        "can_edit_activities": is_unit and plan.activities_editable,
        "can_add_evidence": is_unit and plan.accepts_evidence,
        "unverified": plan.unverified_activities if plan.is_open else [],
        "progress_form": ProgressForm(),
        "reason_form": ReasonForm(),
        "return_form": ReturnForm(plan=plan),
        "current_return": current_return,
        "open_returns": open_returns,
        "earlier_returns": [r for r in returns if r.resolved_at is not None],
        "history": history.for_viewer(
            request.user, Event.objects.for_object(plan).select_related("actor")[:50]
        ),
        "feedback": plan_section(request.user, plan),
        "here": request.get_full_path(),
    }
    return render(request, "followup/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = policy.get_for_user(request.user, ActionPlan, public_id=public_id)
    return _activity_form(request, plan, Activity())


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    activity = policy.get_for_user(request.user, Activity, public_id=public_id)
    return _activity_form(request, activity.plan, activity)


def _activity_form(request: HttpRequest, plan: ActionPlan, activity: Activity) -> HttpResponse:
    if not _unit_actor(request.user, plan):
        raise PermissionDenied
    if not plan.activities_editable:
        messages.error(request, _("Activities can only be changed while the plan is a draft."))
        return redirect("followup-plan", plan.public_id)
    form = ActivityForm(request.POST or None, instance=activity, people=_people(plan))
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            services.activity_save(
                plan=plan,
                activity=Activity.objects.get(pk=activity.pk) if activity.pk else Activity(),
                values=values,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("followup-plan", plan.public_id)
    return render(
        request,
        "followup/activity_form.html",
        {"form": form, "plan": plan, "activity": activity if activity.pk else None},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def activity_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    activity = policy.get_for_user(request.user, Activity, public_id=public_id)
    plan = activity.plan
    try:
        services.activity_delete(activity=activity, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The activity was deleted."))
    return redirect("followup-plan", plan.public_id)


@require_POST
@login_required
def activity_progress(request: HttpRequest, public_id: UUID) -> HttpResponse:
    activity = policy.get_for_user(request.user, Activity, public_id=public_id)
    plan = activity.plan
    if not _unit_actor(request.user, plan):
        raise PermissionDenied
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Progress is a percentage from 0 to 100."))
        return redirect("followup-plan", plan.public_id)
    try:
        services.activity_report_progress(
            activity=activity,
            progress=form.cleaned_data["progress"],
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Progress was reported."))
    return redirect("followup-plan", plan.public_id)


@require_POST
@login_required
def plan_transition(request: HttpRequest, public_id: UUID, name: str) -> HttpResponse:
    plan = policy.get_for_user(request.user, ActionPlan, public_id=public_id)
    if name not in workflow.TRANSITIONS:
        raise Http404
    if not workflow.TRANSITIONS[name].allows(actors_for(request.user, plan)):
        raise PermissionDenied
    form: ReasonForm
    if name == "return":
        form = ReturnForm(request.POST, plan=plan)
    elif name == "verify":
        form = VerifyForm(request.POST)
    else:
        form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose only evidence of this plan."))
        return redirect("followup-plan", plan.public_id)
    try:
        services.plan_transition(
            plan=plan,
            name=name,
            by=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data.get("reason", ""),
            files=form.chosen() if isinstance(form, ReturnForm) else (),
            confirm=bool(form.cleaned_data.get("confirm")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("followup-plan", plan.public_id)
    plan.refresh_from_db()
    messages.success(
        request, _("Done: the plan is now “%(status)s”.") % {"status": plan.get_status_display()}
    )
    return redirect("followup-plan", plan.public_id)


@require_POST
@login_required
def activity_step(request: HttpRequest, public_id: UUID, name: str) -> HttpResponse:
    """One activity's step: the unit marks it done, the Inspectorate verifies or returns it."""
    activity = policy.get_for_user(request.user, Activity, public_id=public_id)
    plan = activity.plan
    if name not in workflow.ACTIVITY_TRANSITIONS:
        raise Http404
    if not workflow.ACTIVITY_TRANSITIONS[name].allows(actors_for(request.user, plan)):
        raise PermissionDenied
    form = (
        ReturnForm(request.POST, plan=plan, activity=activity)
        if name == "return"
        else ReasonForm(request.POST)
    )
    if not form.is_valid():
        messages.error(request, _("Choose only evidence of this activity."))
        return redirect("followup-plan", plan.public_id)
    try:
        done = services.activity_step(
            activity=activity,
            name=name,
            by=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data.get("reason", ""),
            files=form.chosen() if isinstance(form, ReturnForm) else (),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Done: “%(activity)s” is now “%(status)s”.")
            % {"activity": done.title, "status": done.get_status_display()},
        )
    return redirect("followup-plan", plan.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    activity = policy.get_for_user(request.user, Activity, public_id=public_id)
    plan = activity.plan
    if not _unit_actor(request.user, plan):
        raise PermissionDenied
    if not plan.accepts_evidence:
        messages.error(request, _("Evidence can be added once the plan is approved."))
        return redirect("followup-plan", plan.public_id)
    form = EvidenceForm(request.POST or None, request.FILES or None, initial={"kind": "file"})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        is_file = form.cleaned_data["kind"] == Evidence.Kind.FILE
        try:
            services.evidence_add(
                activity=activity,
                values=form.values(),
                by=request.user,  # type: ignore[arg-type]
                upload=upload if is_file else None,
                upload_name=upload.name if is_file and upload else "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The evidence was added."))
            return redirect("followup-plan", plan.public_id)
    return render(
        request,
        "followup/evidence_form.html",
        {"form": form, "plan": plan, "activity": activity, "evidence": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_version(request: HttpRequest, public_id: UUID) -> HttpResponse:
    evidence = policy.get_for_user(request.user, Evidence, public_id=public_id)
    activity = evidence.activity
    plan = activity.plan
    if not _unit_actor(request.user, plan):
        raise PermissionDenied
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = services.evidence_add_version(
                evidence=evidence,
                upload=upload,
                upload_name=upload.name,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Version %(n)d was uploaded.") % {"n": stored.version})
            return redirect("followup-plan", plan.public_id)
    return render(
        request,
        "followup/evidence_form.html",
        {"form": form, "plan": plan, "activity": activity, "evidence": evidence},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def evidence_download(request: HttpRequest, public_id: UUID, version: int) -> FileResponse:
    """The only way to a stored evidence file: through the policy, as an attachment."""
    stored = policy.get_for_user(
        request.user, EvidenceFile, evidence__public_id=public_id, version=version
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
