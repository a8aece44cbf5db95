"""Follow-up rules for the one permission policy (``core/policy.py``), registered at start-up.

- Recommendations: the Inspectorate writes and issues them; leadership and administrators read
  all; unit staff read the issued recommendations that target their units.
- Action plans, activities and evidence: the Inspectorate, leadership and administrators see
  all; unit staff see only their own units' (and their sub-units').
- Who may move a plan through its workflow is decided per plan by ``actors_for`` and
  ``workflow.py``; segregation of duties is enforced by the services.
- Closing a recommendation is the Inspectorate's (``close``); reopening one closed by mistake is
  the inspector general's alone (``reopen``). ``recommendation_actors`` turns both into the
  actors of ``workflow.RECOMMENDATION_TRANSITIONS``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, cast
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integritas.core import extensions, policy
from integritas.core.extensions import QueueCount
from integritas.core.models import INSPECTORATE_ROLES, READ_ALL_ROLES, UNIT_ROLES, Role
from integritas.followup.models import (
    ActionPlan,
    ActionPlanQuerySet,
    Activity,
    Evidence,
    EvidenceFile,
    Feedback,
    PlanDue,
    PlanStage,
    Recommendation,
    RecommendationTemplate,
    due_soon_working_days,
)
from integritas.followup.workflow import Actor, RecommendationActor
from integritas.indices.models import WeakPoint

# A weak point in one of these states can still become a recommendation.
WEAK_POINT_STATES = (WeakPoint.Status.OPEN, WeakPoint.Status.RECOMMENDATION_REQUESTED)


def _recommendations(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if g.has_global(*READ_ALL_ROLES):
        return qs
    return qs.filter(
        status__in=[Recommendation.Status.ISSUED, Recommendation.Status.CLOSED],
        plans__unit_id__in=g.unit_ids(),
    ).distinct()


def _by_unit(path: str) -> policy.ScopeRule:
    def rule(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if g.has_global(*READ_ALL_ROLES):
            return qs
        return qs.filter(**{f"{path}__in": g.unit_ids()})

    return rule


def _templates(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if g.roles else qs.none()


def actors_for(user: Any, plan: ActionPlan) -> frozenset[Actor]:
    """The workflow actors ``user`` is for ``plan``: unit head, unit officer, Inspectorate."""
    g = policy.grants(user)
    actors: set[Actor] = set()
    if g.has_global(*INSPECTORATE_ROLES) or plan.unit_id in g.unit_roles.get(
        Role.INSPECTOR, frozenset()
    ):
        actors.add(Actor.INSPECTORATE)
    if plan.unit_id in g.unit_roles.get(Role.UNIT_HEAD, frozenset()):
        actors.add(Actor.UNIT_HEAD)
    if plan.unit_id in g.unit_roles.get(Role.UNIT_OFFICER, frozenset()):
        actors.add(Actor.UNIT_OFFICER)
    return frozenset(actors)


def recommendation_actors(user: Any) -> frozenset[RecommendationActor]:
    """Who ``user`` is for closing and reopening recommendations, as the policy says."""
    actors: set[RecommendationActor] = set()
    if policy.allows_model(user, "close", Recommendation):
        actors.add(RecommendationActor.INSPECTORATE)
    if policy.allows_model(user, "reopen", Recommendation):
        actors.add(RecommendationActor.INSPECTOR_GENERAL)
    return frozenset(actors)


def register() -> None:
    manage: dict[str, frozenset[str]] = {"create": INSPECTORATE_ROLES, "change": INSPECTORATE_ROLES}
    extensions.register_policy(
        Recommendation,
        scope=_recommendations,
        capabilities={
            **manage,
            "export": READ_ALL_ROLES,
            "close": INSPECTORATE_ROLES,
            "reopen": frozenset({Role.INSPECTOR_GENERAL}),
        },
    )
    extensions.register_policy(RecommendationTemplate, scope=_templates, capabilities=manage)
    extensions.register_policy(
        ActionPlan, scope=_by_unit("unit_id"), capabilities={"export": READ_ALL_ROLES}
    )
    extensions.register_policy(Activity, scope=_by_unit("plan__unit_id"), capabilities={})
    extensions.register_policy(Evidence, scope=_by_unit("activity__plan__unit_id"), capabilities={})
    extensions.register_policy(
        EvidenceFile, scope=_by_unit("evidence__activity__plan__unit_id"), capabilities={}
    )
    # Citizens' feedback: seen with the plan it is about; the Inspectorate moderates it.
    extensions.register_policy(
        Feedback, scope=_by_unit("plan__unit_id"), capabilities={"moderate": INSPECTORATE_ROLES}
    )


def navigation(user: Any) -> dict[str, str] | None:
    """The "Follow-up" menu entry, for anyone who sees a recommendation or plan or writes them."""
    if (
        policy.allows_model(user, "create", Recommendation)
        or policy.scope(user, ActionPlan).exists()
        or policy.scope(user, Recommendation).exists()
    ):
        return {
            "url": reverse("followup-recommendation-list"),
            "label": _("Follow-up"),
            "name": "followup-",
        }
    return None


def plans_url(**filters: Any) -> str:
    """The address of the cross-unit plan list filtered by ``filters`` (``ActionPlanQuerySet.
    listed``'s keywords)."""
    return f"{reverse('followup-plan-list')}?{urlencode(filters)}"


def _count(
    plans: ActionPlanQuerySet, label: str, empty: str, *, urgent: bool = False, **filters: Any
) -> QueueCount:
    """A line of the queue counted by the very query the linked list runs."""
    return QueueCount(
        label=label,
        n=plans.listed(**filters).count(),
        url=plans_url(**filters),
        empty=empty,
        urgent=urgent,
    )


def _deadline_counts(plans: ActionPlanQuerySet) -> list[QueueCount]:
    days = due_soon_working_days()
    return [
        _count(
            plans, _("plans overdue"), _("No plan is overdue."), urgent=True, due=PlanDue.OVERDUE
        ),
        _count(
            plans,
            ngettext(
                "plans due within %(n)d working day",
                "plans due within %(n)d working days",
                days,
            )
            % {"n": days},
            _("Nothing due soon."),
            due=PlanDue.SOON,
        ),
    ]


def _returned_items(plans: ActionPlanQuerySet) -> list[dict[str, Any]]:
    """Plans sent back to their unit and not yet resubmitted, the latest first, each with the
    return to answer (its reason and the evidence concerned)."""
    returned = plans.returned().select_related("unit", "recommendation")
    pairs = [(plan, plan.current_return) for plan in returned]
    # A plan resubmitted between the two queries has no current return any more: left out.
    latest = sorted(
        ((plan, current) for plan, current in pairs if current is not None),
        key=lambda pair: pair[1].returned_at,
        reverse=True,
    )
    return [{"plan": plan, "current": current} for plan, current in latest[:10]]


def _inspectorate_queue(plans: ActionPlanQuerySet) -> dict[str, Any]:
    waiting = plans.filter(
        status__in=[ActionPlan.Status.SUBMITTED, ActionPlan.Status.EVIDENCE_SUBMITTED]
    ).select_related("unit", "recommendation")
    return {
        "counts": [
            _count(
                plans,
                _("plans waiting for approval"),
                _("No plan waits for approval."),
                status=ActionPlan.Status.SUBMITTED,
            ),
            _count(
                plans,
                _("plans with evidence waiting for verification"),
                _("No evidence waits for verification."),
                status=ActionPlan.Status.EVIDENCE_SUBMITTED,
            ),
            _count(
                plans,
                _("plans with activities waiting for verification"),
                _("No activity waits for verification."),
                status=PlanStage.ACTIVITIES_DONE,
            ),
            _count(
                plans,
                _("units that have not started their plan"),
                _("Every unit has started its plan."),
                status=PlanStage.NOT_STARTED,
            ),
            _count(
                plans,
                _("units late to submit their plan"),
                _("No unit is late to submit its plan."),
                urgent=True,
                status=PlanStage.DRAFT_LATE,
            ),
            *_deadline_counts(plans),
        ],
        "waiting": list(waiting.order_by("status_changed_at")[:10]),
    }


def _unit_queue(plans: ActionPlanQuerySet) -> dict[str, Any]:
    return {
        "returned": _returned_items(plans),
        "counts": [
            _count(
                plans,
                _("plans returned to your unit, to revise"),
                _("Nothing was returned to your unit."),
                urgent=True,
                status=PlanStage.RETURNED,
            ),
            _count(
                plans,
                _("plans to draft and submit"),
                _("No plan to draft."),
                status=PlanStage.NOT_STARTED,
            ),
            _count(
                plans,
                _("plans late: submit them now"),
                _("No plan is late to be submitted."),
                urgent=True,
                status=PlanStage.DRAFT_LATE,
            ),
            _count(
                plans,
                _("approved plans to start"),
                _("No approved plan waits to be started."),
                status=ActionPlan.Status.APPROVED,
            ),
            *_deadline_counts(plans),
        ],
    }


def _leadership_summary(plans: ActionPlanQuerySet) -> dict[str, Any]:
    """Completion (verified plans among those not cancelled) and the units with overdue plans,
    each linked to the list of exactly those plans."""
    counted = plans.exclude(status=ActionPlan.Status.CANCELLED).count()
    verified = _count(
        plans,
        _("plans verified"),
        _("No plan verified yet."),
        status=ActionPlan.Status.VERIFIED,
    )
    # Counted in Python: grouping by unit would regroup the aggregate that defines "overdue".
    late = Counter(plans.listed(due=PlanDue.OVERDUE).values_list("unit__code", "unit__name"))
    by_unit = sorted(late.items(), key=lambda item: (-item[1], item[0][0]))
    return {
        "counted": counted,
        "percent": round(100 * verified.n / counted) if counted else None,
        "queue": [
            verified,
            _count(
                plans,
                _("plans overdue"),
                _("No plan is overdue."),
                urgent=True,
                due=PlanDue.OVERDUE,
            ),
        ],
        "overdue_units": [
            {"code": code, "name": name, "n": n, "url": plans_url(due=PlanDue.OVERDUE, unit=code)}
            for (code, name), n in by_unit[:10]
        ],
        "overdue_unit_count": len(by_unit),
    }


def home_panel(request: Any) -> dict[str, Any] | None:
    """Home page panel, a work queue by role, each count linked to the plan list that shows
    exactly those plans: for the Inspectorate, what waits for its review, the units that have
    not started and the deadlines; for unit heads and officers, what their unit must do now (the
    plans returned to it first, with the reason); for leadership, completion and the units
    with overdue plans; for everyone who sees plans, the units that have not answered a BPK
    audit report whose answer is overdue or due soon."""
    user = request.user
    # The policy types its scope as a plain QuerySet; the manager makes it an ActionPlanQuerySet.
    plans = cast(ActionPlanQuerySet, policy.scope(user, ActionPlan))
    if not plans.exists():
        return None
    g = policy.grants(user)
    panel: dict[str, Any] = {"template": "followup/home_panel.html"}
    if g.has(*INSPECTORATE_ROLES):
        panel["inspectorate"] = _inspectorate_queue(plans)
    if g.has(*UNIT_ROLES):
        panel["unit"] = _unit_queue(plans)
    if g.has(Role.LEADERSHIP):
        panel["leadership"] = _leadership_summary(plans)
    if not any(key in panel for key in ("inspectorate", "unit", "leadership")):
        panel["deadlines"] = _deadline_counts(plans)
    by_receipt = ("recommendation__report_received_on", "unit__code")
    answers = plans.select_related("unit", "recommendation")
    panel["answers_overdue"] = list(answers.answer_overdue().order_by(*by_receipt)[:10])
    panel["answers_soon"] = list(answers.answer_due_soon().order_by(*by_receipt)[:10])
    return panel


def weak_point_links(user: Any, weak_point: Any) -> list[dict[str, str]]:
    """On a weak point's page: the recommendations written for it that the user may see, or,
    for whoever writes recommendations, the form prefilled from it while it has none."""
    links = [
        {
            "url": reverse("followup-recommendation", args=[rec.code]),
            "label": f"{rec.code} — {rec.title} ({rec.get_status_display()})",
            "kind": "related",
        }
        for rec in policy.scope(user, Recommendation).filter(weak_point=weak_point)
    ]
    if (
        not weak_point.recommendation_ref
        and weak_point.status in WEAK_POINT_STATES
        and policy.allows_model(user, "create", Recommendation)
    ):
        query = urlencode({"weak_point": weak_point.public_id})
        links.append(
            {
                "url": f"{reverse('followup-recommendation-create')}?{query}",
                "label": _("Create recommendation"),
                "kind": "action",
            }
        )
    return links


def _activity_label(activity: Activity) -> str:
    plan = activity.plan
    return f"{plan.recommendation.code} · {plan.unit.code} · {activity.title}"


def evidence_targets(user: Any) -> list[tuple[str, str]]:
    """The activities whose evidence another app's records may count as (``core.extensions.
    register_evidence_targets``): the open activities of the plans this user sees that take
    evidence now (approved or in progress)."""
    plans = policy.scope(user, ActionPlan).filter(
        status__in=[ActionPlan.Status.APPROVED, ActionPlan.Status.IN_PROGRESS]
    )
    activities = (
        Activity.objects.filter(plan__in=plans, status=Activity.Status.OPEN)
        .select_related("plan__recommendation", "plan__unit")
        .order_by("plan__recommendation__code", "plan__unit__code", "order", "pk")
    )
    return [(str(a.public_id), _activity_label(a)) for a in activities]


def evidence_target_label(target: str) -> str | None:
    """The label of the activity ``target`` names, or None when there is none."""
    try:
        activity = Activity.objects.select_related("plan__recommendation", "plan__unit").get(
            public_id=target
        )
    except (Activity.DoesNotExist, ValueError, ValidationError):
        return None
    return _activity_label(activity)
