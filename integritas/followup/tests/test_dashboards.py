"""Dashboard figures (``followup/dashboards.py``): plan progress, group means, timeliness, the
scoreboard's ranking rule and progress over months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from integritas.core.testing import World
from integritas.followup.models import ActionPlan, Activity
from integritas.followup.services import dashboards
from integritas.followup.services import plans as services
from integritas.followup.services.dashboards import PlanFacts, Tally
from integritas.followup.testing import draft_plan, recommendation, running_plan, working_day


def tally(key: str, verified: str, on_time: int, due: int, overdue: int) -> Tally:
    row = Tally(key, key, plans=1, verified_sum=Decimal(verified))
    row.on_time, row.due_or_done, row.overdue = on_time, due, overdue
    return row


def test_units_are_ranked_by_verified_progress_first() -> None:
    rows = [tally("A", "40", 1, 1, 0), tally("B", "90", 0, 2, 2)]
    assert [r.key for r in dashboards.scoreboard(rows)] == ["B", "A"]


def test_equal_progress_is_decided_by_timeliness_then_by_fewer_overdue_plans() -> None:
    rows = [
        tally("A", "50", 1, 2, 0),  # 50% on time
        tally("B", "50", 2, 2, 0),  # 100% on time
        tally("C", "50", 1, 2, 3),  # 50% on time, more overdue than A
    ]
    assert [r.key for r in dashboards.scoreboard(rows)] == ["B", "A", "C"]


def test_a_unit_without_any_plan_due_comes_after_a_unit_with_zero_percent_on_time() -> None:
    rows = [tally("A", "0", 0, 0, 0), tally("B", "0", 0, 1, 1)]
    ranked = dashboards.scoreboard(rows)
    assert [r.key for r in ranked] == ["B", "A"]
    assert ranked[1].timeliness is None


def test_equal_units_share_a_rank_and_the_next_rank_is_skipped() -> None:
    rows = [tally("A", "80", 1, 1, 0), tally("B", "80", 1, 1, 0), tally("C", "10", 0, 1, 1)]
    assert [(r.key, r.rank) for r in dashboards.scoreboard(rows)] == [
        ("A", 1),
        ("B", 1),
        ("C", 3),
    ]


def test_units_whose_plans_are_all_cancelled_are_not_ranked() -> None:
    rows = [Tally("A", "A"), tally("B", "10", 0, 0, 0)]
    assert [r.key for r in dashboards.scoreboard(rows)] == ["B"]


@pytest.mark.django_db
def test_plan_progress_is_weighted_and_a_unit_is_the_mean_of_its_plans(world: World) -> None:
    first = draft_plan(world)  # one activity, weight 100
    Activity.objects.filter(plan=first).update(
        weight=Decimal("25"), progress_claimed=Decimal("100")
    )
    Activity.objects.create(
        plan=first, title="Kedua", output="x", due_on=working_day(), weight=Decimal("75")
    )
    second = draft_plan(world, recommendation(world, title="Kedua rekomendasi"))
    Activity.objects.filter(plan=second).update(progress_claimed=Decimal("50"))
    facts = dashboards.facts_for(
        ActionPlan.objects.prefetch_related("activities").select_related("unit", "recommendation")
    )
    claimed = sorted(f.claimed for f in facts)
    assert claimed == [Decimal("25.0"), Decimal("50.0")]  # 100 × 25/100; 50 × 100/100
    (unit,) = dashboards.by_unit(facts)
    assert unit.key == "DINKES" and unit.claimed == Decimal("37.5")
    assert unit.verified == Decimal("0.0")


@pytest.mark.django_db
def test_verification_makes_the_claimed_progress_verified(world: World) -> None:
    plan = running_plan(world)
    activity = plan.activities.get()
    services.activity_report_progress(
        activity=activity, progress=Decimal("100"), by=world.officer_a
    )
    services.plan_transition(plan=plan, name="submit_evidence", by=world.head_a)
    services.activity_step(activity=activity, name="verify", by=world.inspector)
    services.plan_transition(plan=plan, name="verify", by=world.inspector)
    (facts,) = dashboards.facts_for(dashboards.visible_plans(world.leader))
    assert (facts.claimed, facts.verified) == (Decimal("100.0"), Decimal("100.0"))
    assert facts.verified_on == timezone.localdate() and facts.on_time


def facts(
    *, due: dt.date | None, verified_on: dt.date | None, issued_on: dt.date, status: str
) -> PlanFacts:
    plan = ActionPlan(status=status)
    today = dt.date(2026, 6, 15)
    return PlanFacts(
        plan=plan,
        due=due,
        claimed=Decimal("100"),
        verified=Decimal("100") if verified_on else Decimal("0"),
        verified_on=verified_on,
        issued_on=issued_on,
        overdue=verified_on is None and due is not None and due < today,
    )


def test_timeliness_counts_plans_due_or_done_and_those_verified_by_their_due_date() -> None:
    S = ActionPlan.Status
    group = dashboards.tally(
        [
            facts(
                due=dt.date(2026, 5, 1),
                verified_on=dt.date(2026, 4, 30),
                issued_on=dt.date(2026, 1, 5),
                status=S.VERIFIED,
            ),
            facts(
                due=dt.date(2026, 5, 1),
                verified_on=dt.date(2026, 5, 4),
                issued_on=dt.date(2026, 1, 5),
                status=S.VERIFIED,
            ),
            facts(
                due=dt.date(2026, 5, 1),
                verified_on=None,
                issued_on=dt.date(2026, 1, 5),
                status=S.IN_PROGRESS,
            ),
            facts(
                due=dt.date(2026, 9, 1),
                verified_on=None,
                issued_on=dt.date(2026, 1, 5),
                status=S.IN_PROGRESS,
            ),
            facts(
                due=dt.date(2026, 5, 1),
                verified_on=None,
                issued_on=dt.date(2026, 1, 5),
                status=S.CANCELLED,
            ),
        ]
    )
    assert (group.due_or_done, group.on_time, group.overdue) == (3, 1, 1)
    assert group.timeliness == Decimal("33.3")
    assert group.plans == 4 and group.total == 5
    assert group.verified == Decimal("50.0")


def test_progress_over_months_counts_plans_from_issue_and_progress_from_verification() -> None:
    S = ActionPlan.Status
    rows = [
        facts(
            due=dt.date(2026, 5, 1),
            verified_on=dt.date(2026, 4, 20),
            issued_on=dt.date(2026, 2, 10),
            status=S.VERIFIED,
        ),
        facts(
            due=dt.date(2026, 9, 1),
            verified_on=None,
            issued_on=dt.date(2026, 3, 2),
            status=S.IN_PROGRESS,
        ),
        facts(  # verified late: overdue at the end of April
            due=dt.date(2026, 4, 15),
            verified_on=dt.date(2026, 5, 20),
            issued_on=dt.date(2026, 3, 2),
            status=S.VERIFIED,
        ),
    ]
    months = dashboards.months(rows, dt.date(2026, 6, 15), count=6)
    assert [(m.month, m.plans, m.verified, m.overdue) for m in months] == [
        (1, 0, 0, 0),
        (2, 1, 0, 0),
        (3, 3, 0, 0),
        (4, 3, 1, 1),
        (5, 3, 2, 0),
        (6, 3, 2, 0),
    ]
    assert months[0].share_verified is None
    assert months[3].share_verified == Decimal("33.3")
    assert months[4].average_verified_progress == Decimal("66.7")
    assert months[-1].as_of == dt.date(2026, 6, 15)  # this month: today, not the month's end
    assert months[1].as_of == dt.date(2026, 2, 28)


def test_months_cross_the_turn_of_the_year() -> None:
    months = dashboards.months([], dt.date(2026, 2, 10), count=4)
    assert [(m.year, m.month) for m in months] == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
    assert months[1].as_of == dt.date(2025, 12, 31)
