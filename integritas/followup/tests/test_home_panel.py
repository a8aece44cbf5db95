"""The follow-up panel on the home page and the menu entry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from integritas.core.testing import World, client_for
from integritas.followup.services import plans as services
from integritas.followup.testing import draft_plan, running_plan

pytestmark = pytest.mark.django_db


def panel(user: object) -> dict[str, object] | None:
    page = client_for(user).get("/")  # type: ignore[arg-type]
    panels = [
        p for p in page.context["extra_panels"] if p["template"] == "followup/home_panel.html"
    ]
    return panels[0] if panels else None


def test_the_inspectorate_sees_evidence_waiting_for_verification(world: World) -> None:
    plan = running_plan(world)
    services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    shown = panel(world.inspector)
    assert shown is not None and [p.pk for p in shown["queue"]] == [plan.pk]  # type: ignore[attr-defined]
    assert (
        b"evidence waiting for verification"
        in client_for(world.inspector, language="en").get("/").content
    )


def test_unit_staff_see_their_plans_overdue_and_due_soon(world: World) -> None:
    late = draft_plan(world, due=dt.date(2025, 3, 3))
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        shown = panel(world.officer_a)
        assert shown is not None and list(shown["overdue"]) == [late]  # type: ignore[call-overload]
        assert shown["queue"] == []
        assert panel(world.officer_b) is None


def test_a_plan_due_within_five_working_days_is_due_soon(world: World) -> None:
    soon = draft_plan(world, due=dt.date(2025, 3, 14))  # a Friday
    with time_machine.travel(dt.datetime(2025, 3, 7, 9, tzinfo=dt.UTC), tick=False):
        shown = panel(world.head_a)
        assert shown is not None and list(shown["soon"]) == [soon]  # type: ignore[call-overload]
    with time_machine.travel(dt.datetime(2025, 3, 6, 9, tzinfo=dt.UTC), tick=False):
        shown = panel(world.head_a)
        assert shown is None or list(shown["soon"]) == []  # type: ignore[call-overload]


def test_the_menu_has_follow_up_for_staff_with_plans_or_the_right_to_write(world: World) -> None:
    draft_plan(world)

    def labels(user: object) -> list[str]:
        return [i["url"] for i in client_for(user).get("/").context["nav_items"]]  # type: ignore[arg-type]

    assert "/followup/" in labels(world.inspector)
    assert "/followup/" in labels(world.officer_a)
    assert "/followup/" not in labels(world.officer_b)
