"""``manage.py send_reminders``: the daily run from cron, a dry run, a given date, bad input."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from integritas.audit.models import Event
from integritas.core.models import Notification
from integritas.core.testing import World
from integritas.followup.services import plans as services
from integritas.followup.testing import draft_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world: World, settings: Any) -> None:
    """DINKES's draft plan with one activity due on 8 April 2025 (after the Idul Fitri leave)."""
    settings.PUBLIC_BASE_URL = "https://integritas.kota-uji.go.id"
    with time_machine.travel(dt.datetime(2025, 3, 10, 1, 0, tzinfo=dt.UTC), tick=False):
        services.plan_transition(
            plan=draft_plan(world, due=dt.date(2025, 4, 8)), name="submit", by=world.head_a
        )


def command(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_it_sends_the_reminders_of_the_given_date(world: World, plan: None) -> None:
    output = command("--date", "2025-04-09")
    assert "2025-04-09: sent 2 notification(s) (digest 1, overdue 1) in 2 email(s)" in output
    assert sorted(m.to[0] for m in mail.outbox) == [world.head_a.email, world.leader.email]
    event = Event.objects.get(action="followup.reminders_sent")
    assert event.actor_label == "send_reminders"


def test_it_uses_todays_date_by_default(world: World, plan: None) -> None:
    # 07:00 in Jakarta on 25 March 2025 is 00:00 UTC.
    with time_machine.travel(dt.datetime(2025, 3, 25, 0, 0, tzinfo=dt.UTC), tick=False):
        output = command()
    assert "2025-03-25: sent 1 notification(s) (before 1)" in output
    assert [m.to for m in mail.outbox] == [[world.officer_a.email]]


def test_running_it_twice_sends_nothing_the_second_time(world: World, plan: None) -> None:
    command("--date", "2025-04-09")
    output = command("--date", "2025-04-09")
    assert "sent 0 notification(s) in 0 email(s)" in output
    assert len(mail.outbox) == 2


def test_a_dry_run_sends_nothing(world: World, plan: None) -> None:
    output = command("--date", "2025-04-09", "--dry-run")
    assert "would send 2 notification(s)" in output
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not Event.objects.filter(action="followup.reminders_sent").exists()


def test_it_refuses_a_date_it_cannot_read(world: World, plan: None) -> None:
    with pytest.raises(CommandError, match="--date must be a date like 2025-04-08"):
        command("--date", "9/4/2025")
    assert mail.outbox == []
