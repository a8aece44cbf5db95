"""The plan page's per-activity steps, posted as users would: the unit marks an activity done,
the Inspectorate verifies or returns it; wrong roles, wrong states and missing reasons are
refused with a clear answer and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.followup.models import ActionPlan, Activity, Evidence, PlanReturn
from integritas.followup.testing import two_activity_plan

pytestmark = pytest.mark.django_db


def step_url(activity: Activity, name: str) -> str:
    return f"/followup/activities/{activity.public_id}/steps/{name}/"


def page_url(plan: ActionPlan) -> str:
    return f"/followup/plans/{plan.public_id}/"


def errors_shown(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def snapshot() -> tuple[list[dict], list[str], int]:  # type: ignore[type-arg]
    return (
        list(Activity.objects.order_by("pk").values()),
        list(Event.objects.order_by("seq").values_list("action", flat=True)),
        PlanReturn.objects.count(),
    )


def test_the_unit_marks_done_and_the_inspector_verifies_from_the_plan_page(
    world: World,
) -> None:
    plan = two_activity_plan(world)
    perwal = plan.activities.get(title="Perwal")
    officer = client_for(world.officer_a, language="en")
    page = officer.get(page_url(plan)).content.decode()
    assert step_url(perwal, "done") in page
    assert step_url(plan.activities.get(title="Sosialisasi"), "done") not in page  # no evidence
    assert officer.post(step_url(perwal, "done")).status_code == 302
    assert Activity.objects.get(pk=perwal.pk).status == "done"
    inspector = client_for(world.inspector, language="en")
    page = inspector.get(page_url(plan)).content.decode()
    assert step_url(perwal, "verify") in page and step_url(perwal, "return") in page
    assert inspector.post(step_url(perwal, "verify")).status_code == 302
    assert Activity.objects.get(pk=perwal.pk).status == "verified"
    page = officer.get(page_url(plan)).content.decode()
    assert "Verified" in page
    assert f"/followup/activities/{perwal.public_id}/evidence/new/" not in page


def test_the_inspector_returns_one_activity_with_a_reason_and_the_file(world: World) -> None:
    plan = two_activity_plan(world)
    perwal = plan.activities.get(title="Perwal")
    evidence = Evidence.objects.get(activity=perwal)
    client_for(world.officer_a).post(step_url(perwal, "done"))
    inspector = client_for(world.inspector, language="en")
    response = inspector.post(
        step_url(perwal, "return"),
        {"reason": "Belum ditandatangani", "concerned": [str(evidence.public_id)]},
    )
    assert response.status_code == 302
    assert Activity.objects.get(pk=perwal.pk).status == "open"
    page = client_for(world.officer_a, language="en").get(page_url(plan)).content.decode()
    assert "Belum ditandatangani" in page and "bukti.pdf" in page


def test_a_return_without_a_reason_is_refused_with_a_message_and_changes_nothing(
    world: World,
) -> None:
    plan = two_activity_plan(world)
    perwal = plan.activities.get(title="Perwal")
    client_for(world.officer_a).post(step_url(perwal, "done"))
    before = snapshot()
    response = client_for(world.inspector, language="en").post(step_url(perwal, "return"))
    assert errors_shown(response) == ["Give a reason."]
    assert snapshot() == before


def test_wrong_roles_get_403_and_wrong_states_a_message_and_nothing_changes(
    world: World,
) -> None:
    plan = two_activity_plan(world)
    perwal = plan.activities.get(title="Perwal")
    before = snapshot()
    assert client_for(world.inspector).post(step_url(perwal, "done")).status_code == 403
    assert client_for(world.officer_a).post(step_url(perwal, "verify")).status_code == 403
    assert client_for(world.officer_b).post(step_url(perwal, "done")).status_code == 404
    assert client_for(world.officer_a).post(step_url(perwal, "nonsense")).status_code == 404
    response = client_for(world.inspector, language="en").post(step_url(perwal, "verify"))
    assert errors_shown(response)
    sosialisasi = plan.activities.get(title="Sosialisasi")
    response = client_for(world.officer_a, language="en").post(step_url(sosialisasi, "done"))
    assert any("evidence" in e for e in errors_shown(response))
    assert client_for(world.officer_a).get(step_url(perwal, "done")).status_code == 405
    assert snapshot() == before
