"""Citizens' feedback, the staff side: the Inspectorate's moderation list (approve, or hide with
a reason), the actions that many "no" answers flag, the unit's public answer, the photos, and the
home page's work queue for it. The public side (the form and what is shown) is the portal's."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integritas.core import policy
from integritas.core.extensions import QueueCount
from integritas.core.models import INSPECTORATE_ROLES, UNIT_ROLES, User
from integritas.core.workflow import TransitionError
from integritas.followup import workflow
from integritas.followup.access import actors_for
from integritas.followup.forms import FeedbackAnswerForm, FeedbackFilterForm
from integritas.followup.models import ActionPlan, Feedback, FeedbackQuerySet, flagged_plans
from integritas.followup.services import feedback as services
from integritas.lib.tables import paginate


def is_moderator(user: Any) -> bool:
    """The Inspectorate moderates citizens' feedback."""
    return policy.allows_model(user, "moderate", Feedback)


def _may_list(user: Any) -> bool:
    return is_moderator(user) or policy.grants(user).has(*UNIT_ROLES)


def visible(user: Any) -> FeedbackQuerySet:
    """The feedback ``user`` reads: all of it in their scope for the Inspectorate, the approved
    items of their units' plans for everyone else (pending ones may still be hidden)."""
    # The policy types its scope as a plain QuerySet; the manager makes it a FeedbackQuerySet.
    found = cast(FeedbackQuerySet, policy.scope(user, Feedback))
    return found if is_moderator(user) else found.approved()


def listed(user: Any, filters: dict[str, Any]) -> FeedbackQuerySet:
    """The list's items for these filters; the home page's counts use the same query."""
    found = visible(user)
    if filters.get("status"):
        found = found.filter(status=filters["status"])
    if filters.get("seen"):
        found = found.filter(seen=filters["seen"])
    if filters.get("unit"):
        found = found.filter(plan__unit__code=filters["unit"])
    if filters.get("answer") == "missing":
        found = found.filter(answer="")
    elif filters.get("answer") == "given":
        found = found.exclude(answer="")
    return found.select_related("plan__unit", "plan__recommendation", "moderated_by")


def step_labels() -> dict[str, str]:
    return {"approve": _("Approve for the portal"), "hide": _("Hide")}


def item_view(user: Any, item: Feedback) -> dict[str, Any]:
    """One item with what ``user`` may do to it: moderation steps and the answer form."""
    roles = actors_for(user, item.plan)
    labels = step_labels()
    steps = [
        {"name": t.name, "label": labels[t.name], "needs_reason": t.needs_reason}
        for t in workflow.FEEDBACK_TRANSITIONS.available(status=item.status, roles=roles)
    ]
    return {
        "item": item,
        "steps": steps,
        "answer_form": FeedbackAnswerForm() if services.can_answer(user, item) else None,
    }


def plan_section(user: Any, plan: ActionPlan) -> dict[str, Any]:
    """The citizen feedback section of a plan's staff page."""
    items = visible(user).filter(plan=plan).select_related("plan__unit", "moderated_by")
    tally = services.tally(plan)
    return {
        "tally": tally,
        "items": [item_view(user, item) for item in items[:50]],
        "moderator": is_moderator(user),
    }


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    """Citizens' feedback: for the Inspectorate everything, waiting for moderation first by
    default; for units the approved feedback on their actions, to answer."""
    user = request.user
    if not _may_list(user):
        raise PermissionDenied
    moderator = is_moderator(user)
    data = request.GET.copy()
    if moderator and "status" not in data:
        data["status"] = Feedback.Status.PENDING
    form = FeedbackFilterForm(data)
    f = form.filters
    page, query = paginate(request, listed(user, f))
    context = {
        "page": page,
        "query": query,
        "rows": [item_view(user, item) for item in page.object_list],
        "f": f,
        "moderator": moderator,
        "statuses": Feedback.Status.choices,
        "seens": Feedback.Seen.choices,
        "units": sorted(
            {
                (i.plan.unit.code, i.plan.unit.name)
                for i in visible(user).select_related("plan__unit")
            }
        ),
        "filtered": any(f.get(name) for name in ("seen", "unit", "answer")),
        "here": request.get_full_path(),
    }
    return render(request, "followup/feedback_list.html", context)


@login_required
def flagged_list(request: HttpRequest) -> HttpResponse:
    """The actions that citizens' "no" answers flag, with their tallies (the Inspectorate's)."""
    if not is_moderator(request.user):
        raise PermissionDenied
    plans = flagged_plans(policy.scope(request.user, ActionPlan)).select_related(
        "unit", "recommendation"
    )
    page, query = paginate(request, plans)
    context = {
        "page": page,
        "query": query,
        "threshold": int(settings.FOLLOWUP_FEEDBACK_FLAG_NO_VOTES),
    }
    return render(request, "followup/feedback_flagged.html", context)


def _back(request: HttpRequest, item: Feedback) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/followup/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect("followup-plan", item.plan.public_id)


@require_POST
@login_required
def feedback_step(request: HttpRequest, public_id: UUID, name: str) -> HttpResponse:
    """Approve an item for the portal, or hide it with a reason."""
    item = policy.get_for_user(request.user, Feedback, public_id=public_id)
    if name not in workflow.FEEDBACK_TRANSITIONS:
        raise Http404
    if not is_moderator(request.user):
        raise PermissionDenied
    try:
        services.moderate(
            feedback=item,
            step=name,
            by=cast(User, request.user),
            reason=request.POST.get("reason", ""),
        )
    except TransitionError as error:
        if error.code == "reason":
            messages.error(request, _("Give the reason for hiding this feedback."))
        elif error.code == "role":
            raise PermissionDenied from error
        else:
            messages.error(request, _("This feedback was already moderated; nothing changed."))
    else:
        if name == "approve":
            messages.success(request, _("The feedback is approved and shown on the portal."))
        else:
            messages.success(request, _("The feedback is hidden from the portal."))
    return _back(request, item)


@require_POST
@login_required
def feedback_answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The unit's one public answer to an approved item."""
    item = policy.get_for_user(request.user, Feedback, public_id=public_id)
    form = FeedbackAnswerForm(request.POST)
    text = form.data.get("answer", "")
    try:
        services.answer(feedback=item, by=cast(User, request.user), text=str(text))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer is shown under the feedback on the portal."))
    return _back(request, item)


@login_required
def feedback_photo(request: HttpRequest, public_id: UUID) -> FileResponse:
    """A feedback photo for staff who may read the item (already cleaned when received)."""
    item = visible(request.user).filter(public_id=public_id).first()
    if item is None or not item.photo:
        raise Http404
    try:
        handle = item.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.photo_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The home page's work queue for citizens' feedback: for the Inspectorate, the feedback
    waiting for moderation and the actions that many "no" answers flag; for units, the approved
    feedback on their actions still without an answer. Each count links to the list that shows
    exactly those items. Nobody gets the panel before there is feedback they may read."""
    user = request.user
    if not visible(user).exists():
        return None  # no citizen feedback this person reads: no panel
    g = policy.grants(user)
    counts: list[QueueCount] = []
    list_url = reverse("followup-feedback-list")
    if g.has(*INSPECTORATE_ROLES) and is_moderator(user):
        counts.append(
            QueueCount(
                label=_("citizen feedback waiting for moderation"),
                n=listed(user, {"status": Feedback.Status.PENDING}).count(),
                url=f"{list_url}?status={Feedback.Status.PENDING}",
                empty=_("No citizen feedback waits for moderation."),
            )
        )
        counts.append(
            QueueCount(
                label=_('actions flagged by citizens\' "no" answers'),
                n=flagged_plans(policy.scope(user, ActionPlan)).count(),
                url=reverse("followup-feedback-flagged"),
                empty=_("No action is flagged by citizens."),
                urgent=True,
            )
        )
    if g.has(*UNIT_ROLES):
        filters = {"status": Feedback.Status.APPROVED, "answer": "missing"}
        counts.append(
            QueueCount(
                label=_("citizen feedback to answer"),
                n=listed(user, filters).count(),
                url=f"{list_url}?status={Feedback.Status.APPROVED}&answer=missing",
                empty=_("No citizen feedback waits for your answer."),
            )
        )
    if not counts:
        return None
    return {"template": "followup/feedback_home_panel.html", "counts": counts}
