"""Workflow steps that are not allowed, posted to the real page anyway:
a step the role may not take, a step the plan's state does not allow, a return without a reason,
and verification by whoever uploaded the evidence. Each is refused with a clear answer (the login
page, 404 outside the user's units, 403 for the wrong role, or an error message on the plan page)
and changes nothing: the plan is as it was and no audit event is written.

The steps each persona *may* take are listed here by hand, independently of ``workflow.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.messages import get_messages

from integritas.audit.models import Event
from integritas.core.models import Role, RoleAssignment
from integritas.core.testing import PERSONAS, World, client_for, make_user
from integritas.followup import workflow
from integritas.followup.models import ActionPlan, Activity, Evidence, EvidenceFile
from integritas.followup.services import plans as services
from integritas.followup.testing import draft_plan, finish_activities, running_plan

pytestmark = pytest.mark.django_db

STEPS = list(workflow.TRANSITIONS)
INSPECTORATE = ("inspector", "inspector_general")
# Personas who cannot see DINKES's plan at all.
OUT_OF_SCOPE = {"officer_b", "nobody", "handler", "custodian"}


def submitted(world: World) -> ActionPlan:
    plan = draft_plan(world)
    return services.plan_transition(plan=plan, name="submit", by=world.head_a)


def evidence_submitted(world: World) -> ActionPlan:
    plan = running_plan(world)
    return services.plan_transition(plan=plan, name="submit_evidence", by=world.head_a)


def verified(world: World) -> ActionPlan:
    plan = finish_activities(world, running_plan(world))
    plan = services.plan_transition(plan=plan, name="submit_evidence", by=world.head_a)
    return services.plan_transition(plan=plan, name="verify", by=world.inspector)


def cancelled(world: World) -> ActionPlan:
    plan = draft_plan(world)
    return services.plan_transition(plan=plan, name="cancel", by=world.inspector, reason="Ganda")


Build = Callable[[World], ActionPlan]
STATES: dict[str, tuple[Build, dict[str, set[str]]]] = {
    # state: (how to get there, the steps each persona may take from it)
    "draft": (draft_plan, {"head_a": {"submit"}, **dict.fromkeys(INSPECTORATE, {"cancel"})}),
    "submitted": (
        submitted,
        dict.fromkeys(INSPECTORATE, {"return_plan", "approve", "cancel"}),
    ),
    "in_progress": (
        running_plan,
        {
            "head_a": {"submit_evidence"},
            "officer_a": {"submit_evidence"},
            **dict.fromkeys(INSPECTORATE, {"cancel"}),
        },
    ),
    "evidence_submitted": (
        evidence_submitted,
        dict.fromkeys(INSPECTORATE, {"return", "verify", "cancel"}),
    ),
    "verified": (verified, {}),
    "cancelled": (cancelled, {}),
}
# Who takes part in DINKES's workflow at all (everyone else in scope gets 403 on every step).
ACTORS = {
    "head_a": {"submit", "start", "submit_evidence"},
    "officer_a": {"start", "submit_evidence"},
    **dict.fromkeys(INSPECTORATE, {"return_plan", "approve", "return", "verify", "cancel"}),
}


def state() -> dict[str, Any]:
    """Everything a workflow step could change."""
    return {
        "plans": list(ActionPlan.objects.order_by("pk").values()),
        "activities": list(Activity.objects.order_by("pk").values()),
        "evidence": list(Evidence.objects.order_by("pk").values()),
        "files": list(EvidenceFile.objects.order_by("pk").values()),
        "events": list(Event.objects.order_by("seq").values_list("seq", "action")),
    }


@contextmanager
def nothing_changes() -> Iterator[None]:
    before = state()
    yield
    assert state() == before


def errors_shown(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def step_url(plan: ActionPlan, name: str) -> str:
    return f"/followup/plans/{plan.public_id}/steps/{name}/"


def test_the_table_above_matches_the_number_of_steps() -> None:
    # A new step in workflow.py must be added to the lists above, or this file tests too little.
    assert sorted(STEPS) == sorted(
        [
            "submit",
            "return_plan",
            "approve",
            "start",
            "submit_evidence",
            "return",
            "verify",
            "cancel",
        ]
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("status", list(STATES))
def test_a_step_the_role_or_state_does_not_allow_is_refused_and_changes_nothing(
    world: World, status: str, persona: str
) -> None:
    build, allowed = STATES[status]
    plan = build(world)
    assert plan.status == status
    client = client_for(world.personas()[persona], language="en")
    refused = [name for name in STEPS if name not in allowed.get(persona, set())]
    assert refused
    for name in refused:
        with nothing_changes():
            response = client.post(
                step_url(plan, name), {"reason": "Alasan yang cukup jelas"}, follow=True
            )
        where = f"{persona} {name} from {status}"
        chain = [url for url, _status in response.redirect_chain]
        if persona == "anonymous":
            assert chain and chain[0].startswith("/accounts/login/"), where
        elif persona in OUT_OF_SCOPE:
            assert (response.status_code, chain) == (404, []), where
        elif name not in ACTORS.get(persona, set()):
            assert (response.status_code, chain) == (403, []), where
            assert b"You may not do this" in response.content, where
        else:  # the right role, the wrong moment: back on the plan page, which says why
            assert chain == [f"/followup/plans/{plan.public_id}/"], where
            message = f"This step is not possible while the plan is “{plan.get_status_display()}”."
            assert [str(m) for m in response.context["messages"]] == [message], where
            assert message in response.content.decode(), where


@pytest.mark.parametrize(
    ("status", "name"),
    [("submitted", "return_plan"), ("evidence_submitted", "return"), ("draft", "cancel")],
)
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_step_that_needs_a_reason_is_refused_without_one(
    world: World, status: str, name: str, reason: str
) -> None:
    plan = STATES[status][0](world)
    with nothing_changes():
        response = client_for(world.inspector, language="en").post(
            step_url(plan, name), {"reason": reason}
        )
    assert response.status_code == 302
    assert errors_shown(response) == ["Give a reason."]


def test_whoever_uploaded_the_evidence_cannot_verify_it(world: World) -> None:
    # An inspector who is also DINKES's liaison officer uploads the evidence himself.
    dual = make_user("dual", unit=world.dinkes, role=Role.INSPECTOR)
    RoleAssignment.objects.create(user=dual, role=Role.UNIT_OFFICER, unit=world.dinkes)
    plan = draft_plan(world)
    services.plan_transition(plan=plan, name="submit", by=world.head_a)
    services.plan_transition(plan=plan, name="approve", by=world.inspector)
    services.plan_transition(plan=plan, name="start", by=dual)
    services.evidence_add(
        activity=Activity.objects.get(plan_id=plan.pk),
        values={
            "title": "Tautan perwal",
            "kind": "url",
            "url": "https://jdih.example.go.id/perwal/1",
            "effective_from": dt.date(2026, 1, 1),
        },
        by=dual,
    )
    services.plan_transition(plan=plan, name="submit_evidence", by=world.head_a)
    with nothing_changes():
        response = client_for(dual, language="en").post(step_url(plan, "verify"))
    assert errors_shown(response) == [
        "You uploaded or submitted evidence for this plan, so someone else must verify it."
    ]


def test_whoever_submitted_the_evidence_cannot_verify_it(world: World) -> None:
    dual = make_user("dual", unit=world.dinkes, role=Role.INSPECTOR)
    RoleAssignment.objects.create(user=dual, role=Role.UNIT_OFFICER, unit=world.dinkes)
    plan = running_plan(world)  # the evidence was uploaded by officer_a
    services.plan_transition(plan=plan, name="submit_evidence", by=dual)
    with nothing_changes():
        response = client_for(dual, language="en").post(step_url(plan, "verify"))
    assert "someone else must verify" in " ".join(errors_shown(response))


def test_an_unknown_step_is_404_and_changes_nothing(world: World) -> None:
    plan = draft_plan(world)
    with nothing_changes():
        for name in ("publish", "delete", "verified", "SUBMIT"):
            assert (
                client_for(world.inspector, language="en").post(step_url(plan, name)).status_code
                == 404
            )


def test_a_step_cannot_be_taken_with_get(world: World) -> None:
    plan = draft_plan(world)
    with nothing_changes():
        assert (
            client_for(world.head_a, language="en").get(step_url(plan, "submit")).status_code == 405
        )
