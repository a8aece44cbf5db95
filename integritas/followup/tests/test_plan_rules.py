"""Rules about one action plan, on the model: open, overdue, due soon (as named queries and as
methods, which must agree), and which work the plan's state allows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from integritas.core.testing import World
from integritas.followup.models import ActionPlan, Activity, due_soon_limit
from integritas.followup.testing import draft_plan, working_day

pytestmark = pytest.mark.django_db

S = ActionPlan.Status


def plan_due(world: World, due: dt.date, status: str = S.IN_PROGRESS) -> ActionPlan:
    """A plan due on ``due`` in ``status`` (set directly: a past due date cannot be entered)."""
    plan = draft_plan(world)
    Activity.objects.filter(plan=plan).update(due_on=due)
    ActionPlan.objects.filter(pk=plan.pk).update(status=status)
    return ActionPlan.objects.get(pk=plan.pk)


def test_open_plans_are_neither_verified_nor_cancelled(world: World) -> None:
    today = timezone.localdate()
    plans = {status: plan_due(world, today, status) for status in S.values}
    open_ids = set(ActionPlan.objects.open().values_list("pk", flat=True))
    assert open_ids == {p.pk for s, p in plans.items() if s not in (S.VERIFIED, S.CANCELLED)}
    assert all(p.is_open == (p.pk in open_ids) for p in plans.values())


def test_overdue_and_due_soon_agree_with_the_plans_own_answers(world: World) -> None:
    today = timezone.localdate()
    late = plan_due(world, today - dt.timedelta(days=3))
    soon = plan_due(world, working_day(0))
    later = plan_due(world, today + dt.timedelta(days=90))
    late_but_verified = plan_due(world, today - dt.timedelta(days=3), S.VERIFIED)
    soon_but_cancelled = plan_due(world, working_day(0), S.CANCELLED)

    overdue = set(ActionPlan.objects.overdue(today).values_list("pk", flat=True))
    due_soon = set(ActionPlan.objects.due_soon(today).values_list("pk", flat=True))
    assert overdue == {late.pk}
    assert due_soon == {soon.pk}
    for plan in (late, soon, later, late_but_verified, soon_but_cancelled):
        assert plan.is_overdue(today) == (plan.pk in overdue)
        assert plan.is_due_soon(today) == (plan.pk in due_soon)


def test_due_soon_ends_on_the_limit_day_included(world: World) -> None:
    today = timezone.localdate()
    limit = due_soon_limit(today)
    on_limit = plan_due(world, limit)
    after = plan_due(world, limit + dt.timedelta(days=1))
    assert on_limit.is_due_soon(today) and not after.is_due_soon(today)
    assert on_limit.is_due_soon(today, limit=limit)
    assert not on_limit.is_due_soon(today, limit=limit - dt.timedelta(days=1))
    assert list(ActionPlan.objects.due_soon(today)) == [on_limit]


def test_a_plan_without_activities_is_never_late(world: World) -> None:
    plan = draft_plan(world)
    Activity.objects.filter(plan=plan).delete()
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert not plan.is_overdue() and not plan.is_due_soon()
    assert not ActionPlan.objects.overdue().exists()


@pytest.mark.parametrize(
    ("status", "editable", "evidence"),
    [
        (S.DRAFT, True, False),
        (S.SUBMITTED, False, False),
        (S.APPROVED, False, True),
        (S.IN_PROGRESS, False, True),
        (S.EVIDENCE_SUBMITTED, False, False),
        (S.VERIFIED, False, False),
        (S.CANCELLED, False, False),
    ],
)
def test_the_state_decides_whether_activities_and_evidence_may_change(
    status: str, editable: bool, evidence: bool
) -> None:
    plan = ActionPlan(status=status)
    assert (plan.activities_editable, plan.accepts_evidence) == (editable, evidence)
