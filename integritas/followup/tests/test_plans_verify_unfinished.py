"""Verifying a plan never closes unfinished work silently: while an activity is not verified, the
Inspectorate must confirm and give a reason, which the audit event and the plan page keep;
without them the step is refused with a clear message and nothing changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.followup.models import ActionPlan, Activity, Evidence, PlanReturn
from integritas.followup.services import plans as services
from integritas.followup.testing import add_pdf, finish_activities, two_activity_plan

pytestmark = pytest.mark.django_db


def evidence_submitted(world: World) -> ActionPlan:
    """Both activities have evidence; "Perwal" is done and verified, "Sosialisasi" is not."""
    plan = two_activity_plan(world)
    add_pdf(world, plan.activities.get(title="Sosialisasi"))
    services.activity_step(
        activity=plan.activities.get(title="Perwal"), name="done", by=world.officer_a
    )
    services.activity_step(
        activity=plan.activities.get(title="Perwal"), name="verify", by=world.inspector
    )
    return services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)


def snapshot() -> tuple[list[dict], list[dict], list[str]]:  # type: ignore[type-arg]
    return (
        list(ActionPlan.objects.order_by("pk").values()),
        list(Activity.objects.order_by("pk").values()),
        list(Event.objects.order_by("seq").values_list("action", flat=True)),
    )


def errors_shown(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def step_url(plan: ActionPlan, name: str) -> str:
    return f"/followup/plans/{plan.public_id}/steps/{name}/"


def test_a_plan_whose_activities_are_all_verified_is_verified_without_a_reason(
    world: World,
) -> None:
    plan = two_activity_plan(world)
    add_pdf(world, plan.activities.get(title="Sosialisasi"))
    plan = finish_activities(world, plan)
    services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    services.plan_transition(plan=plan, name="verify", by=world.inspector_general, reason="Ok")
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.status == "verified" and plan.last_reason == ""
    assert plan.progress() == (Decimal("100.0"), Decimal("100.0"))
    page = client_for(world.officer_a, language="en").get(f"/followup/plans/{plan.public_id}/")
    assert "Verified with unfinished activities" not in page.content.decode()


def test_verifying_with_an_unverified_activity_is_refused_without_confirmation(
    world: World,
) -> None:
    plan = evidence_submitted(world)
    before = snapshot()
    with pytest.raises(ValidationError, match="Sosialisasi"):
        services.plan_transition(plan=plan, name="verify", by=world.inspector_general)
    with pytest.raises(ValidationError, match="Sosialisasi"):
        services.plan_transition(
            plan=plan, name="verify", by=world.inspector_general, reason="Cukup"
        )
    with pytest.raises(ValidationError, match="reason"):
        services.plan_transition(
            plan=plan, name="verify", by=world.inspector_general, confirm=True, reason="  "
        )
    assert snapshot() == before


def test_a_confirmed_verification_keeps_the_reason_and_the_unfinished_activities(
    world: World,
) -> None:
    plan = evidence_submitted(world)
    services.plan_transition(
        plan=plan,
        name="verify",
        by=world.inspector_general,
        confirm=True,
        reason="Sosialisasi ditunda sampai anggaran perubahan",
    )
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.status == "verified"
    # Only the verified activity counts as verified progress; the other stays unverified.
    assert plan.progress()[1] == Decimal("60.0")
    assert plan.activities.get(title="Sosialisasi").status == Activity.Status.OPEN
    event = Event.objects.get(action="plan.verify")
    assert event.reason == "Sosialisasi ditunda sampai anggaran perubahan"
    assert event.changes["unverified_activities"] == [None, "Sosialisasi"]
    assert plan.last_reason == "Sosialisasi ditunda sampai anggaran perubahan"


def test_the_verify_form_asks_for_confirmation_and_a_reason_and_refusal_changes_nothing(
    world: World,
) -> None:
    plan = evidence_submitted(world)
    client = client_for(world.inspector_general, language="en")
    page = client.get(f"/followup/plans/{plan.public_id}/").content.decode()
    assert 'name="confirm"' in page and "Sosialisasi" in page
    before = snapshot()
    response = client.post(step_url(plan, "verify"))
    assert response.status_code == 302
    assert any("Sosialisasi" in e for e in errors_shown(response))
    response = client.post(step_url(plan, "verify"), {"confirm": "on"})
    assert errors_shown(response)
    assert snapshot() == before
    client.post(step_url(plan, "verify"), {"confirm": "on", "reason": "Ditunda"})
    assert ActionPlan.objects.get(pk=plan.pk).status == "verified"
    page = client_for(world.officer_a, language="en").get(f"/followup/plans/{plan.public_id}/")
    html = page.content.decode()
    assert "Verified with unfinished activities" in html and "Ditunda" in html


def test_a_plan_with_every_activity_verified_shows_no_confirmation(world: World) -> None:
    plan = two_activity_plan(world)
    add_pdf(world, plan.activities.get(title="Sosialisasi"))
    plan = finish_activities(world, plan)
    services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    page = client_for(world.inspector_general).get(f"/followup/plans/{plan.public_id}/")
    assert 'name="confirm"' not in page.content.decode()


def test_returning_the_plans_evidence_reopens_done_activities_but_not_verified_ones(
    world: World,
) -> None:
    plan = two_activity_plan(world)
    add_pdf(world, plan.activities.get(title="Sosialisasi"))
    services.activity_step(
        activity=plan.activities.get(title="Perwal"), name="done", by=world.officer_a
    )
    services.activity_step(
        activity=plan.activities.get(title="Perwal"), name="verify", by=world.inspector
    )
    services.activity_step(
        activity=plan.activities.get(title="Sosialisasi"), name="done", by=world.officer_a
    )
    services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    evidence = Evidence.objects.get(activity__title="Sosialisasi", activity__plan=plan)
    services.plan_transition(
        plan=plan, name="return", by=world.inspector, reason="Buram", files=[evidence]
    )
    statuses = dict(plan.activities.values_list("title", "status"))
    assert statuses == {"Perwal": "verified", "Sosialisasi": "open"}
    assert PlanReturn.objects.get().step == PlanReturn.Step.EVIDENCE


def test_submitting_the_plans_evidence_marks_done_only_activities_claimed_complete(
    world: World,
) -> None:
    plan = two_activity_plan(world)
    add_pdf(world, plan.activities.get(title="Sosialisasi"))
    services.activity_report_progress(
        activity=plan.activities.get(title="Perwal"), progress=Decimal("100"), by=world.officer_a
    )
    services.activity_report_progress(
        activity=plan.activities.get(title="Sosialisasi"),
        progress=Decimal("40"),
        by=world.officer_a,
    )
    services.plan_transition(plan=plan, name="submit_evidence", by=world.head_a)
    activities = {a.title: a for a in plan.activities.all()}
    assert activities["Perwal"].status == "done" and activities["Perwal"].done_by == world.head_a
    assert activities["Sosialisasi"].status == "open"
    # The inspector can verify the finished one; the unfinished one needs a confirmed reason.
    services.activity_step(activity=activities["Perwal"], name="verify", by=world.inspector)
    with pytest.raises(ValidationError, match="Sosialisasi"):
        services.plan_transition(plan=plan, name="verify", by=world.inspector)
