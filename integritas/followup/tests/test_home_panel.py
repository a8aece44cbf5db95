"""The follow-up work queues on the home page: what waits for the Inspectorate, what a unit must
do now (returned plans first, with their reason), leadership's completion and overdue units.
Every count links to the plan list that shows exactly those plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from integritas.core.testing import World, assert_counts_match_lists, client_for, home_queue
from integritas.followup.models import Activity, Evidence
from integritas.followup.services import plans as services
from integritas.followup.testing import (
    draft_plan,
    finish_activities,
    recommendation,
    running_plan,
)
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC)


def followup_panel(user: Any) -> dict[str, Any] | None:
    page = client_for(user).get("/")
    panels = [
        p for p in page.context["extra_panels"] if p["template"] == "followup/home_panel.html"
    ]
    return panels[0] if panels else None


def a_year_of_plans(world: World) -> dict[str, Any]:
    """DINKES: one plan submitted, one with evidence submitted, one returned, one overdue;
    DISDIK: one not started."""
    submitted = draft_plan(world, recommendation(world, title="Diajukan"), due=dt.date(2025, 6, 2))
    services.plan_transition(plan=submitted, name="submit", by=world.head_a)
    evidence = running_plan(world, recommendation(world, title="Bukti"), due=dt.date(2025, 6, 2))
    services.plan_transition(plan=evidence, name="submit_evidence", by=world.officer_a)
    returned = draft_plan(world, recommendation(world, title="Dikembalikan"))
    services.plan_transition(plan=returned, name="submit", by=world.head_a)
    services.plan_transition(
        plan=returned, name="return_plan", by=world.inspector, reason="Bobot kegiatan tidak jelas"
    )
    late = draft_plan(world, recommendation(world, title="Terlambat"), due=dt.date(2025, 3, 3))
    fresh = recommendation(world, world.disdik, title="Belum dimulai")
    return {
        "submitted": submitted,
        "evidence": evidence,
        "returned": returned,
        "late": late,
        "fresh": fresh,
    }


def test_the_inspectorates_queue_counts_equal_the_lists_they_link_to(world: World) -> None:
    a_year_of_plans(world)
    with time_machine.travel(NOW, tick=False):
        counts = assert_counts_match_lists(world.inspector)
    assert counts["plans waiting for approval"] == 1
    assert counts["plans with evidence waiting for verification"] == 1
    # DISDIK's fresh plan and DINKES's overdue draft; the returned plan is not "not started".
    assert counts["units that have not started their plan"] == 2
    assert counts["plans overdue"] == 1


def test_a_units_queue_lists_returned_plans_with_their_reason_first(world: World) -> None:
    plans = a_year_of_plans(world)
    with time_machine.travel(NOW, tick=False):
        counts = assert_counts_match_lists(world.officer_a)
        page = client_for(world.officer_a, language="en").get("/").content.decode()
    assert counts["plans returned to your unit, to revise"] == 1
    assert counts["plans to draft and submit"] == 1  # the overdue draft; DISDIK's is not ours
    assert counts["plans overdue"] == 1
    assert "Bobot kegiatan tidak jelas" in page
    returned_at = page.index(str(plans["returned"].public_id))
    assert returned_at < page.index("plans to draft and submit")
    assert returned_at < page.index("Latest changes")  # before the unit's own card


def test_returned_evidence_names_the_file_and_a_resubmitted_plan_leaves_the_queue(
    world: World,
) -> None:
    plan = running_plan(world)
    services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    evidence = Evidence.objects.get(activity__plan=plan)
    services.plan_transition(
        plan=plan,
        name="return",
        by=world.inspector,
        reason="Belum ditandatangani",
        files=[evidence],
    )
    page = client_for(world.officer_a, language="en").get("/").content.decode()
    assert "Evidence returned for revision" in page
    assert "Belum ditandatangani" in page and "perwal.pdf" in page
    assert assert_counts_match_lists(world.officer_a)["plans returned to your unit, to revise"] == 1
    services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    assert assert_counts_match_lists(world.officer_a)["plans returned to your unit, to revise"] == 0
    assert "Belum ditandatangani" not in client_for(world.officer_a).get("/").content.decode()


def test_the_units_queue_comes_before_the_open_survey_waves(world: World) -> None:
    a_year_of_plans(world)
    build_wave(build_version(), [world.dinkes])
    panels = client_for(world.officer_a).get("/").context["extra_panels"]
    assert [p["template"] for p in panels] == [
        "followup/home_panel.html",
        "surveys/waves/home_panel.html",
    ]


def test_another_unit_sees_only_its_own_queue(world: World) -> None:
    a_year_of_plans(world)
    with time_machine.travel(NOW, tick=False):
        counts = assert_counts_match_lists(world.officer_b)
    assert counts["plans to draft and submit"] == 1
    assert counts["plans returned to your unit, to revise"] == 0
    page = client_for(world.officer_b, language="en").get("/").content.decode()
    assert "Bobot kegiatan tidak jelas" not in page
    assert "Nothing was returned to your unit." in page


def test_leadership_sees_completion_and_the_units_with_overdue_plans(world: World) -> None:
    plans = a_year_of_plans(world)
    verified = running_plan(world, recommendation(world, title="Selesai"), due=dt.date(2025, 6, 2))
    finish_activities(world, verified)
    services.plan_transition(plan=verified, name="submit_evidence", by=world.officer_a)
    services.plan_transition(plan=verified, name="verify", by=world.inspector)
    with time_machine.travel(NOW, tick=False):
        counts = assert_counts_match_lists(world.leader)
        panel = followup_panel(world.leader)
    assert counts["plans verified"] == 1
    assert panel is not None
    summary = panel["leadership"]
    assert summary["counted"] == 6 and summary["percent"] == 17
    assert [(u["code"], u["n"]) for u in summary["overdue_units"]] == [("DINKES", 1)]
    client = client_for(world.leader)
    with time_machine.travel(NOW, tick=False):
        listed = client.get(summary["overdue_units"][0]["url"]).context["rows"]
    assert [row["plan"] for row in listed] == [plans["late"]]


def test_a_plan_due_within_five_working_days_is_due_soon(world: World) -> None:
    draft_plan(world, due=dt.date(2025, 3, 14))  # a Friday
    with time_machine.travel(dt.datetime(2025, 3, 7, 9, tzinfo=dt.UTC), tick=False):
        assert home_queue(world.head_a)["plans due within 5 working days"].n == 1
    with time_machine.travel(dt.datetime(2025, 3, 6, 9, tzinfo=dt.UTC), tick=False):
        assert home_queue(world.head_a)["plans due within 5 working days"].n == 0


def test_an_empty_queue_says_so_in_words(world: World) -> None:
    recommendation(world, world.disdik)
    page = client_for(world.inspector, language="en").get("/").content.decode()
    assert "No plan waits for approval." in page
    assert "No evidence waits for verification." in page
    assert followup_panel(world.officer_a) is None


def test_the_menu_has_follow_up_for_staff_with_plans_or_the_right_to_write(world: World) -> None:
    draft_plan(world)

    def labels(user: object) -> list[str]:
        return [i["url"] for i in client_for(user).get("/").context["nav_items"]]  # type: ignore[arg-type]

    assert "/followup/" in labels(world.inspector)
    assert "/followup/" in labels(world.officer_a)
    assert "/followup/" not in labels(world.officer_b)


def test_late_drafts_and_activities_waiting_for_verification_are_queued(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        recommendation(world, world.disdik, title="Belum diajukan")
        running = running_plan(world, recommendation(world, title="Berjalan"))
        finish = Activity.objects.get(plan=running)
        services.activity_step(activity=finish, name="done", by=world.officer_a)
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        inspector = assert_counts_match_lists(world.inspector)
        unit = assert_counts_match_lists(world.officer_b)
    assert inspector["units late to submit their plan"] == 1
    assert inspector["plans with activities waiting for verification"] == 1
    assert unit["plans late: submit them now"] == 1
