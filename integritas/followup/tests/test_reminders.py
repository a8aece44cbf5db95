"""Follow-up reminders (``followup/reminders.py``): who is told what, and when, around the 2025
Idul Fitri leave; nothing twice; escalation to the unit head; the weekly leadership digest.

DINKES's activity is due on Tuesday 8 April 2025, the first working day after the Idul Fitri
holidays and collective leave (28 March – 7 April). Three working days before it is therefore
Tuesday 25 March, not 3 April.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from integritas.audit.models import Event
from integritas.core.models import Notification, Role
from integritas.core.testing import World, make_user
from integritas.followup.models import ActionPlan, Activity
from integritas.followup.services import plans as services
from integritas.followup.services import reminders
from integritas.followup.testing import draft_plan, recommendation

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
DUE = dt.date(2025, 4, 8)


def at(day: dt.date) -> Any:
    """Frozen at 07:00 in Jakarta on ``day``, when the daily job runs."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(7), tzinfo=JAKARTA), tick=False)


def run(day: dt.date, **kwargs: Any) -> reminders.Report:
    with at(day):
        return reminders.send_reminders(today=day, **kwargs)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture(autouse=True)
def _public_address(settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://integritas.kota-uji.go.id"


@pytest.fixture
def plan(world: World) -> Iterator[ActionPlan]:
    """DINKES's plan, in progress, with one activity due on 8 April 2025 (written 10 March)."""
    with at(dt.date(2025, 3, 10)):
        plan = draft_plan(world, due=DUE)
        services.plan_transition(plan=plan, name="submit", by=world.head_a)
        services.plan_transition(plan=plan, name="approve", by=world.inspector)
        services.plan_transition(plan=plan, name="start", by=world.officer_a)
    yield ActionPlan.objects.get(pk=plan.pk)


def test_nothing_is_sent_before_the_reminder_window_opens(world: World, plan: ActionPlan) -> None:
    report = run(dt.date(2025, 3, 24))
    assert report.total == 0
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_it_counts_working_days_across_the_idul_fitri_leave(world: World, plan: ActionPlan) -> None:
    # Counting calendar days or weekdays only would wait until 3 or 5 April.
    run(dt.date(2025, 3, 25))
    assert recipients() == [world.officer_a.email]


def test_the_unit_officer_gets_an_email_with_a_link_to_the_plan(
    world: World, plan: ActionPlan
) -> None:
    run(dt.date(2025, 3, 25))
    (message,) = mail.outbox
    link = f"https://integritas.kota-uji.go.id/followup/plans/{plan.public_id}/"
    assert "Susun peraturan wali kota" in message.subject
    assert link in message.body
    html, mimetype = message.alternatives[0]  # type: ignore[attr-defined]
    assert mimetype == "text/html"
    assert f'href="{link}"' in str(html)
    notification = Notification.objects.get(user=world.officer_a)
    assert notification.url == f"/followup/plans/{plan.public_id}/"
    assert notification.read_at is None


def test_other_units_heads_and_leadership_get_no_advance_reminder(
    world: World, plan: ActionPlan
) -> None:
    run(dt.date(2025, 3, 25))
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"officer_a"}


def test_running_twice_a_day_sends_nothing_twice(world: World, plan: ActionPlan) -> None:
    first = run(dt.date(2025, 3, 25))
    second = run(dt.date(2025, 3, 25))
    next_day = run(dt.date(2025, 3, 26))
    assert (first.total, second.total, next_day.total) == (1, 0, 0)
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_a_missed_day_still_sends_the_advance_reminder(world: World, plan: ActionPlan) -> None:
    # The job did not run on 25–27 March; on the first working day after the leave it catches up.
    run(dt.date(2025, 4, 7))
    assert recipients() == [world.officer_a.email]


def test_the_unit_officer_is_reminded_again_on_the_due_date(world: World, plan: ActionPlan) -> None:
    run(dt.date(2025, 3, 25))
    run(dt.date(2025, 4, 8))
    run(dt.date(2025, 4, 8))
    assert recipients() == [world.officer_a.email, world.officer_a.email]
    keys = Notification.objects.order_by("created_at").values_list("key", flat=True)
    assert [key.split(":")[0] for key in keys] == ["followup.before", "followup.due"]


def test_the_responsible_person_is_reminded_even_without_the_officer_role(
    world: World, plan: ActionPlan
) -> None:
    helper = make_user("staf_dinkes", unit=world.dinkes)
    Activity.objects.filter(plan=plan).update(responsible=helper)
    run(dt.date(2025, 4, 8))
    assert recipients() == sorted([world.officer_a.email, helper.email])


def test_an_overdue_activity_is_escalated_to_the_unit_head_once_then_weekly(
    world: World, plan: ActionPlan
) -> None:
    sent = {day: run(day).total for day in (dt.date(2025, 4, d) for d in range(9, 24))}
    heads = list(Notification.objects.filter(user=world.head_a).order_by("created_at"))
    assert [n.created_at.astimezone(JAKARTA).date() for n in heads] == [
        dt.date(2025, 4, 9),
        dt.date(2025, 4, 16),
        dt.date(2025, 4, 23),
    ]
    assert all(n.key.startswith("followup.overdue:") for n in heads)
    assert not Notification.objects.filter(user=world.officer_a).exists()
    assert sent[dt.date(2025, 4, 10)] == 0


def test_escalation_reaches_the_head_of_a_unit_above(world: World) -> None:
    with at(dt.date(2025, 3, 10)):
        rec = recommendation(world, world.puskesmas)
        plan = rec.plans.get()
        services.activity_save(
            plan=plan,
            activity=Activity(),
            values={
                "title": "Pasang maklumat pelayanan",
                "output": "Maklumat terpasang",
                "due_on": DUE,
                "weight": Decimal("100"),
            },
            by=world.officer_a,
        )
    run(dt.date(2025, 4, 9))
    assert Notification.objects.filter(user=world.head_a, title__contains="DINKES.PKM").exists()


def test_an_activity_reported_as_done_is_neither_reminded_nor_escalated(
    world: World, plan: ActionPlan
) -> None:
    Activity.objects.filter(plan=plan).update(progress_claimed=Decimal("100"))
    for day in (dt.date(2025, 3, 25), DUE, dt.date(2025, 4, 9)):
        run(day)
    assert not Notification.objects.filter(user__in=[world.officer_a, world.head_a]).exists()


def test_cancelled_plans_get_no_reminders(world: World, plan: ActionPlan) -> None:
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.CANCELLED)
    assert run(dt.date(2025, 3, 25)).total == 0
    assert run(dt.date(2025, 4, 9)).total == 0
    assert mail.outbox == []


def test_leadership_gets_one_digest_a_week_listing_overdue_plans_by_unit(
    world: World, plan: ActionPlan
) -> None:
    for day in (dt.date(2025, 4, d) for d in (9, 10, 11, 14, 15)):
        run(day)
    digests = Notification.objects.filter(user=world.leader).order_by("created_at")
    assert [n.created_at.astimezone(JAKARTA).date() for n in digests] == [
        dt.date(2025, 4, 9),  # Wednesday of ISO week 15
        dt.date(2025, 4, 14),  # Monday of week 16
    ]
    message = next(m for m in mail.outbox if m.to == [world.leader.email])
    assert "DINKES — Dinas Kesehatan" in message.body
    assert plan.recommendation.code in message.body
    assert "https://integritas.kota-uji.go.id/followup/overdue/" in message.body


def test_no_digest_is_sent_in_a_week_without_overdue_plans(world: World, plan: ActionPlan) -> None:
    run(DUE)
    assert not Notification.objects.filter(user=world.leader).exists()


def test_a_dry_run_sends_nothing_and_counts_what_would_be_sent(
    world: World, plan: ActionPlan
) -> None:
    report = run(dt.date(2025, 4, 9), dry_run=True)
    assert dict(report.notifications) == {"overdue": 1, "digest": 1}
    assert report.emails == 2
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not Event.objects.filter(action="followup.reminders_sent").exists()
    assert run(dt.date(2025, 4, 9)).total == 2


def test_each_run_that_sends_writes_one_audit_event(world: World, plan: ActionPlan) -> None:
    run(dt.date(2025, 4, 9))
    run(dt.date(2025, 4, 9))
    (event,) = Event.objects.filter(action="followup.reminders_sent")
    assert event.object_id == "2025-04-09"
    assert event.changes["notifications"] == [None, {"overdue": 1, "digest": 1}]
    assert event.changes["emails"] == [None, 2]


def test_the_email_follows_the_users_language(world: World, plan: ActionPlan) -> None:
    world.officer_a.language = "en"
    world.officer_a.save()
    run(dt.date(2025, 3, 25))
    run(DUE)
    html = [str(m.alternatives[0][0]) for m in mail.outbox]  # type: ignore[attr-defined]
    assert all('<html lang="en">' in page for page in html)
    world.officer_a.language = "id"
    world.officer_a.save()
    mail.outbox.clear()
    run(dt.date(2025, 4, 9))  # the head and the leader have Indonesian as their language
    assert all('<html lang="id">' in str(m.alternatives[0][0]) for m in mail.outbox)  # type: ignore[attr-defined]


def test_a_user_without_email_still_gets_the_in_app_notification(
    world: World, plan: ActionPlan
) -> None:
    world.officer_a.email = ""
    world.officer_a.save()
    report = run(dt.date(2025, 3, 25))
    assert report.total == 1
    assert report.emails == 0
    assert mail.outbox == []
    assert Notification.objects.filter(user=world.officer_a).count() == 1


def test_a_failed_email_is_retried_on_the_next_run(world: World, plan: ActionPlan) -> None:
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("no route")
    ):
        report = run(dt.date(2025, 3, 25))
    assert report.total == 0
    assert len(report.failures) == 1
    assert not Notification.objects.exists()
    assert run(dt.date(2025, 3, 25)).total == 1
    assert recipients() == [world.officer_a.email]


def test_a_year_missing_from_the_calendar_is_skipped_with_a_warning(
    world: World, plan: ActionPlan, caplog: pytest.LogCaptureFixture
) -> None:
    # 2028 has no holiday list yet: the advance reminder cannot be computed, and is skipped.
    Activity.objects.filter(plan=plan).update(due_on=dt.date(2028, 1, 5))
    report = run(dt.date(2027, 12, 30))
    assert report.total == 0
    assert "2028" in report.warnings[0]
    assert "no holidays for 2028" in caplog.text
    # On the due date itself no calendar is needed.
    assert run(dt.date(2028, 1, 5)).total == 1


def test_a_unit_without_a_head_is_reported(world: World, plan: ActionPlan) -> None:
    world.head_a.role_assignments.filter(role=Role.UNIT_HEAD).delete()
    report = run(dt.date(2025, 4, 9))
    assert any("DINKES" in w for w in report.warnings)
    assert dict(report.notifications) == {"digest": 1}


def test_inactive_people_are_not_told(world: World, plan: ActionPlan) -> None:
    world.officer_a.is_active = False
    world.officer_a.save()
    assert run(dt.date(2025, 3, 25)).total == 0


def test_the_number_of_working_days_is_a_setting(
    world: World, plan: ActionPlan, settings: Any
) -> None:
    settings.FOLLOWUP_REMINDER_WORKING_DAYS = 1
    assert run(dt.date(2025, 3, 25)).total == 0
    # One working day before 8 April is 27 March (28 March to 7 April are days off).
    assert run(dt.date(2025, 3, 27)).total == 1
