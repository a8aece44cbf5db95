"""Returned plans and evidence: a return is a visible state of its own with its reason and the
evidence concerned, until the unit resubmits; earlier rounds stay as history, not as current."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from integritas.core.testing import World, client_for
from integritas.followup.models import ActionPlan, Activity, Evidence, PlanReturn
from integritas.followup.services import plans as services
from integritas.followup.testing import PDF, draft_plan, running_plan

pytestmark = pytest.mark.django_db


def url(plan: ActionPlan, tail: str = "") -> str:
    return f"/followup/plans/{plan.public_id}/{tail}"


def submitted_evidence(world: World) -> ActionPlan:
    plan = running_plan(world)
    services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    return ActionPlan.objects.get(pk=plan.pk)


def test_a_returned_plan_is_listed_as_returned_until_the_head_resubmits_it(world: World) -> None:
    plan = draft_plan(world)
    services.plan_transition(plan=plan, name="submit", by=world.head_a)
    assert not ActionPlan.objects.returned().exists()
    services.plan_transition(plan=plan, name="return_plan", by=world.inspector, reason="Bobot")
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert list(ActionPlan.objects.returned()) == [plan]
    assert plan.current_return is not None
    assert (plan.current_return.step, plan.current_return.reason) == ("plan", "Bobot")
    services.plan_transition(plan=plan, name="submit", by=world.head_a)
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert not ActionPlan.objects.returned().exists()
    assert plan.current_return is None
    assert plan.returns.get().resolved_at is not None


def test_the_inspector_names_the_evidence_concerned_when_returning_it(world: World) -> None:
    plan = submitted_evidence(world)
    evidence = Evidence.objects.get(activity__plan=plan)
    services.plan_transition(
        plan=plan,
        name="return",
        by=world.inspector,
        reason="Tidak ditandatangani",
        files=[evidence],
    )
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.current_return is not None
    assert list(plan.current_return.evidence.all()) == [evidence]
    assert plan.current_return.step == PlanReturn.Step.EVIDENCE


def test_evidence_of_another_plan_cannot_be_named_and_nothing_changes(world: World) -> None:
    plan = submitted_evidence(world)
    other = running_plan(world)
    stranger = Evidence.objects.get(activity__plan=other)
    with pytest.raises(ValidationError):
        services.plan_transition(
            plan=plan, name="return", by=world.inspector, reason="x", files=[stranger]
        )
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.status == "evidence_submitted"
    assert not PlanReturn.objects.exists()


def test_the_plan_page_shows_the_current_return_and_earlier_rounds_as_history(
    world: World,
) -> None:
    plan = draft_plan(world)
    services.plan_transition(plan=plan, name="submit", by=world.head_a)
    services.plan_transition(plan=plan, name="return_plan", by=world.inspector, reason="Ronde satu")
    services.plan_transition(plan=plan, name="submit", by=world.head_a)
    services.plan_transition(plan=plan, name="return_plan", by=world.inspector, reason="Ronde dua")
    page = client_for(world.officer_a).get(url(plan))
    current = page.context["current_return"]
    assert current.reason == "Ronde dua"
    assert [r.reason for r in page.context["earlier_returns"]] == ["Ronde satu"]
    html = page.content.decode()
    assert "Dikembalikan untuk perbaikan" in html
    assert html.index("Ronde dua") < html.index("Ronde satu")


def test_the_return_form_offers_the_plans_evidence_and_the_view_records_the_choice(
    world: World,
) -> None:
    plan = submitted_evidence(world)
    evidence = Evidence.objects.get(activity__plan=plan)
    inspector = client_for(world.inspector)
    page = inspector.get(url(plan))
    assert f'value="{evidence.public_id}"' in page.content.decode()
    response = inspector.post(
        url(plan, "steps/return/"),
        {"reason": "Salinan buram", "concerned": [str(evidence.public_id)]},
    )
    assert response.status_code == 302
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.status == "in_progress"
    assert plan.current_return is not None
    assert list(plan.current_return.evidence.all()) == [evidence]
    officer_page = client_for(world.officer_a).get(url(plan)).content.decode()
    assert "Salinan buram" in officer_page and "perwal.pdf" in officer_page


def test_a_new_version_does_not_resolve_the_return_but_resubmitting_does(world: World) -> None:
    plan = submitted_evidence(world)
    evidence = Evidence.objects.get(activity__plan=plan)
    services.plan_transition(
        plan=plan, name="return", by=world.inspector, reason="Buram", files=[evidence]
    )
    services.evidence_add_version(
        evidence=evidence, by=world.officer_a, upload=io.BytesIO(PDF), upload_name="perwal-2.pdf"
    )
    assert ActionPlan.objects.returned().count() == 1
    services.plan_transition(
        plan=ActionPlan.objects.get(pk=plan.pk), name="submit_evidence", by=world.officer_a
    )
    assert not ActionPlan.objects.returned().exists()
    assert Activity.objects.filter(plan=plan).count() == 1
