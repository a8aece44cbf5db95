"""The deadline to draft the action plan (``ActionPlan.draft_due_on``): a unit that has not
submitted its plan ``FOLLOWUP_PLAN_DRAFT_WORKING_DAYS`` working days after the recommendation
was issued is late; the daily reminders tell the unit before the deadline and escalate to the
unit head and the Inspectorate after it, each once.

The recommendation is issued on Monday 24 March 2025, just before the Idul Fitri holidays and
collective leave (28 March – 7 April). Ten working days later is Wednesday 16 April, not 7 April
as Monday-to-Friday counting would give.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from integritas.core.models import Notification, Role
from integritas.core.testing import World, make_user
from integritas.followup.models import ActionPlan, Recommendation
from integritas.followup.services import reminders
from integritas.followup.testing import recommendation

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
ISSUED = dt.date(2025, 3, 24)
DUE = dt.date(2025, 4, 16)


def at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(7), tzinfo=JAKARTA), tick=False)


def run(day: dt.date) -> reminders.Report:
    with at(day):
        return reminders.send_reminders(today=day)


def told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(key__startswith=f"followup.{kind}:").values_list(
            "user__username", flat=True
        )
    )


@pytest.fixture(autouse=True)
def _public_address(settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://integritas.kota-uji.go.id"
    settings.FOLLOWUP_PLAN_DRAFT_WORKING_DAYS = 10


@pytest.fixture
def plan(world: World) -> ActionPlan:
    with at(ISSUED):
        rec = recommendation(world)
    return rec.plans.get()


def test_the_deadline_counts_working_days_and_skips_the_idul_fitri_leave(
    world: World, plan: ActionPlan
) -> None:
    assert plan.draft_due_on == DUE
    assert not plan.is_draft_late(DUE)
    assert plan.is_draft_late(DUE + dt.timedelta(days=1))
    assert list(ActionPlan.objects.draft_late(DUE)) == []
    assert list(ActionPlan.objects.draft_late(DUE + dt.timedelta(days=1))) == [plan]


def test_the_number_of_working_days_is_a_setting(
    world: World, plan: ActionPlan, settings: Any
) -> None:
    settings.FOLLOWUP_PLAN_DRAFT_WORKING_DAYS = 5
    assert plan.draft_due_on == dt.date(2025, 4, 9)


def test_a_submitted_plan_has_no_drafting_deadline(world: World, plan: ActionPlan) -> None:
    plan.status = ActionPlan.Status.SUBMITTED
    plan.submitted_by = world.head_a
    plan.save()
    assert plan.draft_due_on is None
    assert list(ActionPlan.objects.draft_late(dt.date(2025, 6, 1))) == []


def test_a_bpk_finding_keeps_the_bpk_answer_deadline_instead(world: World) -> None:
    with at(ISSUED):
        rec = recommendation(
            world,
            source=Recommendation.Source.BPK,
            reference_number="LHP 12/LHP/XVIII.JKT/03/2025",
            reference_date=ISSUED - dt.timedelta(days=3),
            report_received_on=ISSUED,
            finding="Kelebihan bayar perjalanan dinas",
        )
    plan = rec.plans.get()
    assert plan.draft_due_on is None
    assert list(ActionPlan.objects.draft_late(dt.date(2025, 6, 1))) == []


def test_the_unit_is_reminded_once_before_the_deadline(world: World, plan: ActionPlan) -> None:
    run(dt.date(2025, 4, 10))
    assert told("draft") == []
    run(dt.date(2025, 4, 11))  # three working days before 16 April
    run(dt.date(2025, 4, 14))
    run(DUE)
    assert told("draft") == ["head_a", "officer_a"]
    assert told("draft_overdue") == []
    titles = set(Notification.objects.values_list("title", flat=True))
    assert titles == {f"Rencana aksi segera jatuh tempo: {plan.recommendation.code} (DINKES)"}
    body = Notification.objects.filter(user=world.officer_a).get().body
    assert "16 April 2025" in body
    assert "24 Maret 2025" in body


def test_it_escalates_once_to_the_unit_head_and_the_inspectorate_after_the_deadline(
    world: World, plan: ActionPlan
) -> None:
    run(DUE + dt.timedelta(days=1))
    run(DUE + dt.timedelta(days=2))
    run(DUE + dt.timedelta(days=9))
    assert told("draft_overdue") == ["head_a", "inspector", "inspector_general"]
    emails = sorted(address for m in mail.outbox for address in m.to)
    assert emails == [world.head_a.email, world.inspector.email, world.inspector_general.email]
    title = Notification.objects.filter(user=world.inspector).get().title
    assert title == f"Rencana aksi belum diajukan tepat waktu: {plan.recommendation.code} (DINKES)"


def test_the_escalation_goes_to_the_inspector_assigned_to_the_unit(
    world: World, plan: ActionPlan
) -> None:
    make_user("irban_dinkes", role=Role.INSPECTOR, role_unit=world.dinkes)
    run(DUE + dt.timedelta(days=1))
    assert told("draft_overdue") == ["head_a", "irban_dinkes"]


def test_a_person_who_chose_the_digest_gets_the_reminder_in_the_days_digest(
    world: World, plan: ActionPlan
) -> None:
    world.officer_a.notification_delivery = "digest"
    world.officer_a.save(update_fields=["notification_delivery"])
    report = run(dt.date(2025, 4, 11))
    assert report.digests == 1
    to_officer = [m for m in mail.outbox if m.to == [world.officer_a.email]]
    assert len(to_officer) == 1
    assert "Rencana aksi segera jatuh tempo" in to_officer[0].body
    run(dt.date(2025, 4, 11))
    assert len([m for m in mail.outbox if m.to == [world.officer_a.email]]) == 1
