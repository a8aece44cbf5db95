"""The ``send_reminders_today`` background task runs the same daily reminders as the command."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail

from integritas.core.testing import World
from integritas.followup.services import plans as services
from integritas.followup.tasks import send_reminders_today
from integritas.followup.testing import draft_plan

pytestmark = pytest.mark.django_db


def test_the_task_sends_todays_reminders_once(world: World, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://integritas.kota-uji.go.id"
    with time_machine.travel(dt.datetime(2025, 3, 10, 1, 0, tzinfo=dt.UTC), tick=False):
        plan = draft_plan(world, due=dt.date(2025, 4, 8))
        services.plan_transition(plan=plan, name="submit", by=world.head_a)
    with time_machine.travel(dt.datetime(2025, 4, 9, 0, 0, tzinfo=dt.UTC), tick=False):
        first = send_reminders_today.call()
        second = send_reminders_today.call()
    assert first["date"] == "2025-04-09"
    assert first["notifications"] == {"overdue": 1, "digest": 1}
    assert second["notifications"] == {}
    assert sorted(m.to[0] for m in mail.outbox) == [world.head_a.email, world.leader.email]


def test_the_daily_chain_runs_today_and_queues_tomorrow_at_seven_once(world: World) -> None:
    from django_tasks_db.models import DBTaskResult

    from integritas.followup.tasks import schedule_daily, send_reminders_daily

    waiting = DBTaskResult.objects.filter(task_path=send_reminders_daily.module_path)
    # 29 Nov 2026, 08:00 WIB: the next 07:00 is tomorrow's.
    now = dt.datetime(2026, 11, 29, 1, 0, tzinfo=dt.UTC)
    assert schedule_daily(now=now) is True
    assert schedule_daily(now=now) is False  # one chain at a time
    queued = waiting.get()
    assert queued.run_after == dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.UTC)  # 07:00 WIB
    queued.delete()
    with time_machine.travel(dt.datetime(2026, 11, 30, 0, 0, 5, tzinfo=dt.UTC), tick=False):
        result = send_reminders_daily.call()
    assert result["date"] == "2026-11-30"
    assert waiting.get().run_after == dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)
