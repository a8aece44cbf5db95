"""Follow-up rules for the one permission policy (``core/policy.py``), registered at start-up.

- Recommendations: the Inspectorate writes and issues them; leadership and administrators read
  all; unit staff read the issued recommendations that target their units.
- Action plans, activities and evidence: the Inspectorate, leadership and administrators see
  all; unit staff see only their own units' (and their sub-units').
- Who may move a plan through its workflow is decided per plan by ``actors_for`` and
  ``workflow.py``; segregation of duties is enforced by the services.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from integritas.core import extensions, policy
from integritas.core.models import INSPECTORATE_ROLES, READ_ALL_ROLES, Role
from integritas.followup.models import (
    ActionPlan,
    ActionPlanQuerySet,
    Activity,
    Evidence,
    EvidenceFile,
    Recommendation,
    RecommendationTemplate,
    due_soon_working_days,
)
from integritas.followup.workflow import Actor
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


def register() -> None:
    manage: dict[str, frozenset[str]] = {"create": INSPECTORATE_ROLES, "change": INSPECTORATE_ROLES}
    extensions.register_policy(
        Recommendation, scope=_recommendations, capabilities={**manage, "export": READ_ALL_ROLES}
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


def home_panel(request: Any) -> dict[str, Any] | None:
    """Home page panel: the Inspectorate's queue (plans to approve, evidence to verify) and, for
    everyone who sees plans, the ones overdue and due soon, and the units that have not answered
    a BPK audit report whose answer is overdue or due soon."""
    user = request.user
    # The policy types its scope as a plain QuerySet; the manager makes it an ActionPlanQuerySet.
    plans = cast(ActionPlanQuerySet, policy.scope(user, ActionPlan)).select_related(
        "unit", "recommendation"
    )
    if not plans.exists():
        return None
    g = policy.grants(user)
    inspectorate = g.has(*INSPECTORATE_ROLES)
    queue = (
        list(
            plans.filter(
                status__in=[ActionPlan.Status.SUBMITTED, ActionPlan.Status.EVIDENCE_SUBMITTED]
            ).order_by("status_changed_at")[:10]
        )
        if inspectorate
        else []
    )
    overdue = list(plans.overdue().order_by("due")[:10])
    soon = list(plans.due_soon().order_by("due")[:10])
    by_receipt = ("recommendation__report_received_on", "unit__code")
    answers_overdue = list(plans.answer_overdue().order_by(*by_receipt)[:10])
    answers_soon = list(plans.answer_due_soon().order_by(*by_receipt)[:10])
    if not (queue or overdue or soon or answers_overdue or answers_soon):
        return None
    return {
        "template": "followup/home_panel.html",
        "queue": queue,
        "overdue": overdue,
        "soon": soon,
        "answers_overdue": answers_overdue,
        "answers_soon": answers_soon,
        "inspectorate": inspectorate,
        "soon_days": due_soon_working_days(),
    }


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
