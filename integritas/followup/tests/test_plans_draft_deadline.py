"""A plan not submitted by its drafting deadline shows as late on the plan page, the
recommendation page and list, and the overdue list; a plan still in time shows its deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from integritas.core.testing import World, client_for
from integritas.followup.models import ActionPlan
from integritas.followup.testing import recommendation

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
ISSUED = dt.date(2025, 3, 24)
DUE = dt.date(2025, 4, 16)  # ten working days later, across the Idul Fitri leave
LATE = "Rencana aksi belum diajukan tepat waktu"


def at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=JAKARTA), tick=False)


@pytest.fixture(autouse=True)
def _ten_working_days(settings: Any) -> None:
    settings.FOLLOWUP_PLAN_DRAFT_WORKING_DAYS = 10


@pytest.fixture
def plan(world: World) -> ActionPlan:
    with at(ISSUED):
        rec = recommendation(world, world.dinkes, world.disdik)
    return rec.plans.get(unit=world.dinkes)


def test_in_time_the_plan_page_shows_the_deadline_without_a_late_badge(
    world: World, plan: ActionPlan
) -> None:
    with at(DUE):
        html = client_for(world.officer_a).get(f"/followup/plans/{plan.public_id}/").content
    text = html.decode()
    assert "16 April 2025" in text
    assert LATE not in text


def test_after_the_deadline_the_plan_and_recommendation_pages_say_it_is_late(
    world: World, plan: ActionPlan
) -> None:
    client = client_for(world.inspector)
    with at(DUE + dt.timedelta(days=1)):
        plan_page = client.get(f"/followup/plans/{plan.public_id}/").content.decode()
        rec_page = client.get(f"/followup/recommendations/{plan.recommendation.code}/")
        listing = client.get("/followup/").content.decode()
    assert LATE in plan_page
    assert rec_page.content.decode().count(LATE) == 2  # both target units
    assert "2 unit belum mengajukan rencana aksi tepat waktu" in listing


def test_the_overdue_list_has_the_plans_not_submitted_in_time_for_the_viewers_units(
    world: World, plan: ActionPlan
) -> None:
    with at(DUE + dt.timedelta(days=3)):
        inspector = client_for(world.inspector).get("/followup/overdue/")
        officer = client_for(world.officer_a).get("/followup/overdue/")
    rows = inspector.context["draft_rows"]
    assert [(r["plan"].unit.code, r["due"], r["late"]) for r in rows] == [
        ("DINKES", DUE, 3),
        ("DISDIK", DUE, 3),
    ]
    assert [r["plan"].unit.code for r in officer.context["draft_rows"]] == ["DINKES"]
    assert 'id="drafts-late"' in inspector.content.decode()
