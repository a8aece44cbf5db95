"""A recommendation shows its progress (plans verified of all plans, weighted progress claimed
and verified) and a follow-up (TLHP) category suggested from its plans, which the inspector
confirms in one click or overrides; the stored category changes only then, audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.followup.models import ActionPlan, Recommendation
from integritas.followup.services import plans as plan_services
from integritas.followup.services.recommendations import recommendation_progress
from integritas.followup.testing import (
    add_pdf,
    finish_activities,
    recommendation,
    running_plan,
    two_activity_plan,
)

pytestmark = pytest.mark.django_db


def verified_plan(world: World, rec: Recommendation) -> ActionPlan:
    plan = finish_activities(world, running_plan(world, rec))
    plan_services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    return plan_services.plan_transition(plan=plan, name="verify", by=world.inspector_general)


def test_a_recommendation_whose_plans_have_not_started_suggests_not_followed_up(
    world: World,
) -> None:
    rec = recommendation(world, world.dinkes, world.disdik)
    progress = recommendation_progress(rec.plans.all())
    assert (progress.verified, progress.total) == (0, 2)
    assert (progress.claimed, progress.verified_progress) == (Decimal("0.0"), Decimal("0.0"))
    assert progress.suggested == Recommendation.Tlhp.BELUM_DITINDAKLANJUTI


def test_some_progress_suggests_not_yet_as_recommended_with_weighted_figures(
    world: World,
) -> None:
    rec = recommendation(world, world.dinkes, world.disdik)
    plan = two_activity_plan(world, rec)
    plan_services.activity_step(
        activity=plan.activities.get(title="Perwal"), name="done", by=world.officer_a
    )
    plan_services.activity_step(
        activity=plan.activities.get(title="Perwal"), name="verify", by=world.inspector
    )
    progress = recommendation_progress(rec.plans.all())
    assert (progress.verified, progress.total) == (0, 2)
    # DINKES 60 % claimed and verified, DISDIK 0 %: each plan counts the same.
    assert (progress.claimed, progress.verified_progress) == (Decimal("30.0"), Decimal("30.0"))
    assert progress.suggested == Recommendation.Tlhp.BELUM_SESUAI


def test_every_plan_verified_in_full_suggests_completed_and_cancelled_plans_are_left_out(
    world: World,
) -> None:
    rec = recommendation(world, world.dinkes, world.disdik)
    verified_plan(world, rec)
    disdik = rec.plans.get(unit=world.disdik)
    plan_services.plan_transition(plan=disdik, name="cancel", by=world.inspector, reason="Merger")
    progress = recommendation_progress(rec.plans.all())
    assert (progress.verified, progress.total) == (1, 1)
    assert progress.verified_progress == Decimal("100.0")
    assert progress.suggested == Recommendation.Tlhp.SESUAI


def test_a_plan_verified_with_unfinished_activities_does_not_suggest_completed(
    world: World,
) -> None:
    rec = recommendation(world)
    plan = two_activity_plan(world, rec)
    perwal = plan.activities.get(title="Perwal")
    plan_services.activity_step(activity=perwal, name="done", by=world.officer_a)
    plan_services.activity_step(activity=perwal, name="verify", by=world.inspector)
    add_pdf(world, plan.activities.get(title="Sosialisasi"))
    plan_services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    plan_services.plan_transition(
        plan=plan, name="verify", by=world.inspector_general, confirm=True, reason="Ditunda"
    )
    progress = recommendation_progress(rec.plans.all())
    assert (progress.verified, progress.total) == (1, 1)
    assert progress.suggested == Recommendation.Tlhp.BELUM_SESUAI


def test_a_draft_recommendation_has_no_suggestion(world: World) -> None:
    rec = recommendation(world, issue=False)
    progress = recommendation_progress(rec.plans.all())
    assert progress.total == 0 and progress.suggested is None


def test_the_recommendation_page_and_list_show_progress_and_the_suggestion(
    world: World,
) -> None:
    rec = recommendation(world, world.dinkes, world.disdik)
    verified_plan(world, rec)
    client = client_for(world.inspector, language="en")
    page = client.get(f"/followup/recommendations/{rec.code}/")
    html = page.content.decode()
    assert "1 of 2 plans verified" in html
    assert page.context["progress"].verified_progress == Decimal("50.0")
    assert "Suggested category" in html and "Not yet as recommended (belum sesuai)" in html
    listing = client.get("/followup/").content.decode()
    assert "1 / 2" in listing and "50.0%" in listing


def test_the_inspector_accepts_the_suggestion_in_one_click_and_it_is_audited(
    world: World,
) -> None:
    rec = recommendation(world)
    verified_plan(world, rec)
    client = client_for(world.inspector, language="en")
    form = client.get(f"/followup/recommendations/{rec.code}/tlhp/").content.decode()
    assert "Completed as recommended (sesuai)" in form and 'name="accept"' in form
    # Viewing the suggestion changes nothing.
    assert Recommendation.objects.get(pk=rec.pk).tlhp == Recommendation.Tlhp.BELUM_DITINDAKLANJUTI
    response = client.post(f"/followup/recommendations/{rec.code}/tlhp/", {"accept": "1"})
    assert response.status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).tlhp == Recommendation.Tlhp.SESUAI
    event = Event.objects.get(action="recommendation.tlhp_set")
    assert event.changes["tlhp"] == ["belum_ditindaklanjuti", "sesuai"]
    assert event.changes["suggested"] == [None, "sesuai"]


def test_the_inspector_may_choose_another_category_than_the_suggestion(world: World) -> None:
    rec = recommendation(world)
    verified_plan(world, rec)
    client = client_for(world.inspector, language="en")
    response = client.post(
        f"/followup/recommendations/{rec.code}/tlhp/",
        {"tlhp": "tidak_dapat", "tlhp_reason": "Pejabat meninggal", "amount_recovered": "0"},
    )
    assert response.status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).tlhp == Recommendation.Tlhp.TIDAK_DAPAT
    event = Event.objects.get(action="recommendation.tlhp_set")
    assert event.changes["suggested"] == [None, "sesuai"]


def test_accepting_without_a_suggestion_or_by_unit_staff_changes_nothing(world: World) -> None:
    draft = recommendation(world, issue=False)
    client = client_for(world.inspector, language="en")
    response = client.post(f"/followup/recommendations/{draft.code}/tlhp/", {"accept": "1"})
    assert response.status_code == 400
    rec = recommendation(world)
    response = client_for(world.head_a).post(
        f"/followup/recommendations/{rec.code}/tlhp/", {"accept": "1"}
    )
    assert response.status_code in (403, 404)
    assert not Event.objects.filter(action="recommendation.tlhp_set").exists()
    assert set(Recommendation.objects.values_list("tlhp", flat=True)) == {"belum_ditindaklanjuti"}
