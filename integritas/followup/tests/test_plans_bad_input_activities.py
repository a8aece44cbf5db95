"""Bad activity input through the real pages: due dates in the past or on
a day off, weights outside 0–100, progress outside 0–100, and a plan whose weights do not add up
to 100. Each gives a clear error and changes nothing: no row changed, no audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.services.calendar import calendar_for
from integritas.core.testing import World, client_for
from integritas.followup.models import ActionPlan, Activity, Recommendation
from integritas.followup.services import plans as services
from integritas.followup.testing import draft_plan, recommendation, running_plan, working_day

pytestmark = pytest.mark.django_db


def state() -> dict[str, Any]:
    """Everything an activity form or a progress report could change."""
    return {
        "recommendations": list(Recommendation.objects.order_by("pk").values()),
        "plans": list(ActionPlan.objects.order_by("pk").values()),
        "activities": list(Activity.objects.order_by("pk").values()),
        "events": list(Event.objects.order_by("seq").values_list("seq", "action")),
    }


@contextmanager
def nothing_changes() -> Iterator[None]:
    before = state()
    yield
    assert state() == before


def new_url(plan: ActionPlan) -> str:
    return f"/followup/plans/{plan.public_id}/activities/new/"


def edit_url(activity: Activity) -> str:
    return f"/followup/activities/{activity.public_id}/edit/"


def activity_data(world: World, **overrides: object) -> dict[str, object]:
    return {
        "title": "Sosialisasi kode etik",
        "responsible": world.officer_a.pk,
        "output": "Daftar hadir dan materi",
        "due_on": working_day().isoformat(),
        "weight": "100",
        "order": "0",
        **overrides,
    }


def errors(response: Any, field: str) -> str:
    assert response.status_code == 400
    return " ".join(response.context["form"].errors.get(field, []))


def message_texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


# Due dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("days_ago", [1, 30, 400])
def test_a_due_date_before_today_is_refused_for_a_new_activity(world: World, days_ago: int) -> None:
    plan = recommendation(world).plans.get()
    past = timezone.localdate() - dt.timedelta(days=days_ago)
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            new_url(plan), activity_data(world, due_on=past.isoformat())
        )
    assert "cannot be in the past" in errors(response, "due_on")


def test_moving_a_due_date_into_the_past_is_refused(world: World) -> None:
    plan = draft_plan(world)
    activity = plan.activities.get()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with nothing_changes():
        response = client_for(world.head_a, language="en").post(
            edit_url(activity), activity_data(world, due_on=yesterday.isoformat())
        )
    assert "cannot be in the past" in errors(response, "due_on")


def test_a_due_date_on_a_day_off_is_refused(world: World) -> None:
    plan = recommendation(world).plans.get()
    calendar = calendar_for()
    day = working_day(45)
    while calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            new_url(plan), activity_data(world, due_on=day.isoformat())
        )
    assert "not a working day" in errors(response, "due_on")


@pytest.mark.parametrize("value", ["", "31/12/2026", "2026-02-30", "besok"])
def test_a_missing_or_malformed_due_date_is_refused(world: World, value: str) -> None:
    plan = recommendation(world).plans.get()
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            new_url(plan), activity_data(world, due_on=value)
        )
    assert errors(response, "due_on")


# Weights ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("weight", ["-5", "0", "100.01", "120", "1e3", "seratus", "33.333"])
def test_a_weight_outside_0_to_100_is_refused(world: World, weight: str) -> None:
    plan = recommendation(world).plans.get()
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            new_url(plan), activity_data(world, weight=weight)
        )
    assert errors(response, "weight")


@pytest.mark.parametrize(("weight", "words"), [("0", "more than 0"), ("150", "at most 100")])
def test_the_weight_error_says_what_a_weight_may_be(world: World, weight: str, words: str) -> None:
    plan = recommendation(world).plans.get()
    response = client_for(world.officer_a, language="en").post(
        new_url(plan), activity_data(world, weight=weight)
    )
    assert words in errors(response, "weight")


def test_changing_a_weight_to_over_100_is_refused(world: World) -> None:
    plan = draft_plan(world)
    activity = plan.activities.get()
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            edit_url(activity),
            activity_data(world, due_on=activity.due_on.isoformat(), weight="101"),
        )
    assert errors(response, "weight")


def test_a_plan_whose_weights_do_not_add_up_to_100_cannot_be_submitted(world: World) -> None:
    plan = draft_plan(world)  # one activity of weight 100
    services.activity_save(
        plan=plan,
        activity=Activity(),
        values={
            "title": "Evaluasi",
            "output": "Laporan evaluasi",
            "due_on": working_day(40),
            "weight": Decimal("20"),
        },
        by=world.officer_a,
    )
    with nothing_changes():
        response = client_for(world.head_a, language="en").post(
            f"/followup/plans/{plan.public_id}/steps/submit/"
        )
    assert response.status_code == 302
    assert any("add up to 120%" in text for text in message_texts(response))


# Progress --------------------------------------------------------------------------------------


@pytest.mark.parametrize("progress", ["-1", "100.5", "250", "sebagian", ""])
def test_progress_outside_0_to_100_is_refused(world: World, progress: str) -> None:
    plan = running_plan(world)
    activity = plan.activities.get()
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            f"/followup/activities/{activity.public_id}/progress/", {"progress": progress}
        )
    assert response.status_code == 302
    assert message_texts(response) == ["Progress is a percentage from 0 to 100."]


def test_progress_cannot_be_reported_on_a_draft_plan(world: World) -> None:
    plan = draft_plan(world)
    activity = plan.activities.get()
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            f"/followup/activities/{activity.public_id}/progress/", {"progress": "50"}
        )
    assert any("once the plan is approved" in text for text in message_texts(response))


# Activities of a plan that is no longer a draft -----------------------------------------------


def test_activities_of_an_approved_plan_cannot_be_added_changed_or_deleted(world: World) -> None:
    plan = running_plan(world)
    activity = plan.activities.get()
    client = client_for(world.officer_a, language="en")
    with nothing_changes():
        added = client.post(new_url(plan), activity_data(world))
        changed = client.post(edit_url(activity), activity_data(world, weight="50"))
        deleted = client.post(f"/followup/activities/{activity.public_id}/delete/")
    for response in (added, changed, deleted):
        assert response.status_code == 302
        assert any(
            "only be changed while the plan is a draft" in t for t in message_texts(response)
        )
