"""The action plan page: scope by unit, activities with working-day due dates, the workflow
buttons each role may use, reasons for returning, and segregation of duties through the views."""

from __future__ import annotations

import datetime as dt

import pytest

from integritas.audit.models import Event
from integritas.core.models import Role, RoleAssignment
from integritas.core.services.calendar import calendar_for
from integritas.core.testing import World, client_for, make_user
from integritas.followup.models import ActionPlan, Activity
from integritas.followup.testing import draft_plan, recommendation, running_plan, working_day

pytestmark = pytest.mark.django_db


def url(plan: ActionPlan, tail: str = "") -> str:
    return f"/followup/plans/{plan.public_id}/{tail}"


def activity_data(world: World, due: dt.date, **overrides: object) -> dict[str, object]:
    return {
        "title": "Sosialisasi kode etik",
        "responsible": world.officer_a.pk,
        "output": "Daftar hadir dan materi",
        "due_on": due.isoformat(),
        "weight": "100",
        "order": "0",
        **overrides,
    }


def test_a_unit_officer_of_another_unit_gets_404_on_the_plan(world: World) -> None:
    plan = draft_plan(world)
    assert client_for(world.officer_b).get(url(plan)).status_code == 404
    assert client_for(world.officer_a).get(url(plan)).status_code == 200


def test_a_unit_officer_adds_an_activity_to_a_draft_plan(world: World) -> None:
    plan = recommendation(world).plans.get()
    due = working_day()
    response = client_for(world.officer_a).post(
        url(plan, "activities/new/"), activity_data(world, due)
    )
    assert response.status_code == 302
    activity = plan.activities.get()
    assert (activity.due_on, activity.responsible) == (due, world.officer_a)
    assert Event.objects.get(action="activity.saved").object_id == str(plan.pk)


def test_a_due_date_on_a_holiday_names_the_next_working_day(world: World) -> None:
    plan = recommendation(world).plans.get()
    calendar = calendar_for()
    day = working_day(60) + dt.timedelta(days=1)
    while calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    response = client_for(world.officer_a, language="en").post(
        url(plan, "activities/new/"), activity_data(world, day)
    )
    assert response.status_code == 400
    error = " ".join(response.context["form"].errors["due_on"])
    assert "not a working day" in error
    assert f"{calendar.next_working_day(day).day}" in error
    assert not Activity.objects.exists()


def test_a_due_date_in_the_past_or_a_weight_over_100_is_refused(world: World) -> None:
    plan = recommendation(world).plans.get()
    client = client_for(world.officer_a)
    response = client.post(
        url(plan, "activities/new/"), activity_data(world, dt.date(2025, 3, 3), weight="120")
    )
    assert response.status_code == 400
    assert {"due_on", "weight"} <= set(response.context["form"].errors)
    assert not Activity.objects.exists()


def test_only_the_units_staff_edit_activities(world: World) -> None:
    plan = draft_plan(world)
    activity = plan.activities.get()
    edit = f"/followup/activities/{activity.public_id}/edit/"
    assert client_for(world.inspector).get(edit).status_code == 403
    assert client_for(world.officer_b).get(edit).status_code == 404
    response = client_for(world.head_a).post(
        edit, activity_data(world, activity.due_on, title="Sosialisasi ulang")
    )
    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).title == "Sosialisasi ulang"


def test_each_role_sees_only_the_steps_it_may_take(world: World) -> None:
    plan = draft_plan(world)

    def steps(user: object) -> list[str]:
        return [b["name"] for b in client_for(user).get(url(plan)).context["buttons"]]  # type: ignore[arg-type]

    assert steps(world.head_a) == ["submit"]
    assert steps(world.officer_a) == []
    assert steps(world.inspector) == ["cancel"]
    assert steps(world.leader) == []


def test_the_head_submits_and_the_inspector_returns_with_a_reason(world: World) -> None:
    plan = draft_plan(world)
    assert (
        client_for(world.officer_a, language="en").post(url(plan, "steps/submit/")).status_code
        == 403
    )
    client_for(world.head_a, language="en").post(url(plan, "steps/submit/"))
    assert ActionPlan.objects.get(pk=plan.pk).status == "submitted"
    inspector = client_for(world.inspector, language="en")
    response = inspector.post(url(plan, "steps/return_plan/"), {"reason": " "}, follow=True)
    assert ActionPlan.objects.get(pk=plan.pk).status == "submitted"
    assert "Give a reason" in response.content.decode()
    inspector.post(url(plan, "steps/return_plan/"), {"reason": "Bobot kegiatan belum jelas"})
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.last_reason == "Bobot kegiatan belum jelas"
    assert Event.objects.get(action="plan.return_plan").reason == "Bobot kegiatan belum jelas"


def test_an_unknown_step_is_404(world: World) -> None:
    plan = draft_plan(world)
    assert client_for(world.head_a).post(url(plan, "steps/publish/")).status_code == 404


def test_whoever_uploaded_evidence_cannot_verify_it_through_the_page(world: World) -> None:
    # An inspector who is also DINKES's liaison uploads the evidence himself.
    dual = make_user("dual", unit=world.dinkes, role=Role.INSPECTOR)
    RoleAssignment.objects.create(user=dual, role=Role.UNIT_OFFICER, unit=world.dinkes)
    plan = running_plan(world)
    client_for(dual, language="en").post(url(plan, "steps/submit_evidence/"))
    assert ActionPlan.objects.get(pk=plan.pk).status == "evidence_submitted"
    response = client_for(dual, language="en").post(url(plan, "steps/verify/"), follow=True)
    assert "someone else must verify" in response.content.decode()
    assert ActionPlan.objects.get(pk=plan.pk).status == "evidence_submitted"
    client_for(world.inspector, language="en").post(
        url(plan, "steps/verify/"), {"confirm": "on", "reason": "Kegiatan belum selesai"}
    )
    assert ActionPlan.objects.get(pk=plan.pk).status == "verified"


def test_a_unit_officer_reports_progress_once_work_started(world: World) -> None:
    plan = running_plan(world)
    activity = plan.activities.get()
    progress = f"/followup/activities/{activity.public_id}/progress/"
    client_for(world.officer_a).post(progress, {"progress": "60"})
    assert str(Activity.objects.get(pk=activity.pk).progress_claimed) == "60.00"
    assert client_for(world.inspector).post(progress, {"progress": "90"}).status_code == 403
    page = client_for(world.leader).get(url(plan))
    assert str(page.context["claimed"]) == "60.0"


def test_the_plan_shows_its_history(world: World) -> None:
    plan = running_plan(world)
    history = client_for(world.inspector).get(url(plan)).context["history"]
    assert {"plan.submit", "plan.approve", "plan.start", "evidence.added"} <= {
        e.action for e in history
    }


def test_the_history_names_activity_and_evidence_fields_readably(world: World) -> None:
    plan = running_plan(world)
    html = client_for(world.inspector, language="en").get(url(plan)).content.decode()
    assert "activity.responsible" not in html and "Responsible person" in html
    assert "<strong>sha256</strong>" not in html and "SHA-256" in html
