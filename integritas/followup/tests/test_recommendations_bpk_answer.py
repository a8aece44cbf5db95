"""BPK audit recommendations: the audited government answers within 60 calendar days of receiving
the audit report (UU 15/2004 art. 20(3)). The due date, its overdue flag, the form's checks and
the reminders.

The report of the main case is received on Monday 10 March 2025; 60 calendar days later is Friday
9 May 2025, across two month ends and the Idul Fitri holidays and collective leave (which count:
the rule is in calendar days, not working days).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from integritas.core.models import Notification
from integritas.core.testing import World, client_for
from integritas.followup.models import ActionPlan, Recommendation
from integritas.followup.services import plans as plan_services
from integritas.followup.services import reminders
from integritas.followup.testing import draft_plan, recommendation

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
RECEIVED = dt.date(2025, 3, 10)
DUE = dt.date(2025, 5, 9)


def at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(7), tzinfo=JAKARTA), tick=False)


def bpk(world: World, received: dt.date = RECEIVED, **values: Any) -> Recommendation:
    with at(received):
        return recommendation(
            world,
            source=Recommendation.Source.BPK,
            reference_number="LHP 12/LHP/XVIII.JKT/03/2025",
            reference_date=received - dt.timedelta(days=3),
            report_received_on=received,
            finding="Kelebihan bayar perjalanan dinas",
            **values,
        )


def bpk_form(world: World, **overrides: object) -> dict[str, object]:
    return {
        "source": "bpk",
        "title": "Setorkan kelebihan bayar",
        "reference_number": "LHP 12/LHP/XVIII.JKT/03/2025",
        "reference_date": "2025-03-07",
        "report_received_on": "2025-03-10",
        "finding": "Kelebihan bayar perjalanan dinas",
        "year": "2025",
        "priority": "high",
        "units": [world.dinkes.pk],
        "amount_to_recover": "15000000",
        **overrides,
    }


def test_the_answer_is_due_exactly_60_calendar_days_after_the_report_was_received(
    world: World,
) -> None:
    assert bpk(world).answer_due_on == DUE
    # Across the year end, Christmas and New Year's Day.
    assert bpk(world, dt.date(2024, 12, 20)).answer_due_on == dt.date(2025, 2, 18)


def test_the_number_of_days_is_a_setting(world: World, settings: Any) -> None:
    settings.FOLLOWUP_BPK_ANSWER_DAYS = 30
    assert bpk(world).answer_due_on == dt.date(2025, 4, 9)


def test_other_sources_have_no_answer_due_date(world: World) -> None:
    assert recommendation(world).answer_due_on is None


def test_it_is_overdue_the_day_after_the_due_date_until_every_unit_answered(
    world: World,
) -> None:
    rec = bpk(world)
    assert not rec.is_answer_overdue(DUE)
    assert rec.is_answer_overdue(DUE + dt.timedelta(days=1))
    assert list(ActionPlan.objects.answer_overdue(DUE)) == []
    assert list(ActionPlan.objects.answer_overdue(DUE + dt.timedelta(days=1))) == list(
        rec.plans.all()
    )
    with at(dt.date(2025, 4, 1)):
        plan = draft_plan(world, rec, due=dt.date(2025, 6, 10))
        plan_services.plan_transition(plan=plan, name="submit", by=world.head_a)
    rec = Recommendation.objects.get(pk=rec.pk)
    assert not rec.is_answer_overdue(DUE + dt.timedelta(days=1))
    assert list(ActionPlan.objects.answer_overdue(DUE + dt.timedelta(days=1))) == []


def test_it_is_due_soon_in_the_days_before(world: World) -> None:
    rec = bpk(world)
    assert rec.is_answer_due_soon(dt.date(2025, 5, 5))
    assert not rec.is_answer_due_soon(dt.date(2025, 4, 20))


def test_the_pages_show_the_due_date_and_flag_it_when_overdue(world: World) -> None:
    rec = bpk(world)
    with at(dt.date(2025, 5, 10)):
        detail = client_for(world.officer_a, language="en").get(
            f"/followup/recommendations/{rec.code}/"
        )
        listing = client_for(world.inspector, language="en").get("/followup/")
        overdue = client_for(world.inspector, language="en").get("/followup/overdue/")
    for response in (detail, listing):
        html = response.content.decode()
        assert "9 May 2025" in html or "9 Mei 2025" in html
        assert "answer-overdue" in html
    assert rec.code in overdue.content.decode()
    assert overdue.context["answer_rows"][0]["late"] == 1


def test_the_form_refuses_a_bpk_recommendation_without_the_date_the_report_was_received(
    world: World,
) -> None:
    response = client_for(world.inspector, language="en").post(
        "/followup/recommendations/new/", bpk_form(world, report_received_on="")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["report_received_on"] == [
        "Give the date the BPK audit report was received: the answer is due 60 days later."
    ]
    assert not Recommendation.objects.exists()


def test_the_form_refuses_a_date_in_the_future(world: World) -> None:
    with at(dt.date(2025, 3, 9)):
        response = client_for(world.inspector).post(
            "/followup/recommendations/new/", bpk_form(world)
        )
    assert response.status_code == 400
    assert "report_received_on" in response.context["form"].errors
    assert not Recommendation.objects.exists()


def test_the_form_saves_a_bpk_recommendation_with_the_date(world: World) -> None:
    with at(dt.date(2025, 3, 11)):
        response = client_for(world.inspector).post(
            "/followup/recommendations/new/", bpk_form(world)
        )
    assert response.status_code == 302
    assert Recommendation.objects.get().answer_due_on == DUE


def test_reminders_tell_the_unit_before_and_the_unit_head_after_the_answer_is_due(
    world: World, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://integritas.kota-uji.go.id"
    bpk(world)
    with at(dt.date(2025, 5, 6)):
        reminders.send_reminders(today=dt.date(2025, 5, 6))
    with at(dt.date(2025, 5, 10)):
        reminders.send_reminders(today=dt.date(2025, 5, 10))
    before = Notification.objects.get(user=world.officer_a)
    late = Notification.objects.get(user=world.head_a)
    assert "BPK" in before.title and "9 Mei 2025" in before.body
    assert "BPK" in late.title and "9 Mei 2025" in late.body
    assert {m.to[0] for m in mail.outbox} == {world.officer_a.email, world.head_a.email}
