"""LHKPN reminders with frozen time: from 1 January the officials who have not filed (nothing in
e-LHKPN, or a draft) are reminded, a month and a week before 31 March again, and once it has
passed; from two weeks before, the unit heads are told how many have not filed. Each message is
sent once, however often the command runs."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command

from integritas.audit.models import Event
from integritas.core.models import Notification
from integritas.prevention.models import LhkpnObligation
from integritas.prevention.tests.conftest import travel
from integritas.prevention.tests.lhkpn_data import nip, register_2025


@pytest.fixture
def register(world: Any) -> list[LhkpnObligation]:
    made = register_2025(world.dinkes, world.disdik)
    made[0].user = world.officer_a  # Dinkes, not filed
    made[0].save()
    made[1].user = world.head_a  # Dinkes, filed
    made[1].status = 1
    made[1].save()
    made[6].user = world.officer_b  # Disdik, a draft
    made[6].status = 0
    made[6].save()
    return made


def run_on(day: dt.date) -> str:
    out = io.StringIO()
    with travel(day):
        call_command("lhkpn_reminders", stdout=out)
    return out.getvalue()


def titles(user: Any) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True)
    )


def test_nothing_is_sent_before_1_january(register: Any) -> None:
    assert "0 reminders, 0 escalations" in run_on(dt.date(2025, 12, 31))
    assert not Notification.objects.exists()


def test_from_1_january_those_not_filed_are_reminded_once(world: Any, register: Any) -> None:
    assert "2 reminders, 0 escalations" in run_on(dt.date(2026, 1, 1))
    assert titles(world.officer_a) == ["Laporkan LHKPN Anda paling lambat 31 Maret 2026"]
    assert len(titles(world.officer_b)) == 1  # a draft is not filed
    assert titles(world.head_a) == []  # filed
    assert "0 reminders, 0 escalations" in run_on(dt.date(2026, 1, 2))
    event = Event.objects.get(action="prevention.lhkpn_reminded")
    assert event.actor_label == "lhkpn_reminders"


def test_a_month_and_a_week_before_and_after_the_due_date_they_are_reminded_again(
    world: Any, register: Any
) -> None:
    run_on(dt.date(2026, 1, 1))
    run_on(dt.date(2026, 3, 1))  # 30 days before 31 March
    run_on(dt.date(2026, 3, 24))  # 7 days before
    run_on(dt.date(2026, 4, 1))  # passed
    run_on(dt.date(2026, 4, 2))
    assert len(titles(world.officer_a)) == 4


def test_the_unit_heads_are_told_two_weeks_before_and_after_the_due_date(
    world: Any, register: Any
) -> None:
    run_on(dt.date(2026, 3, 16))  # 15 days before: not yet
    assert titles(world.head_a) == []
    assert "1 escalations" in run_on(dt.date(2026, 3, 17))  # 14 days before
    (title,) = titles(world.head_a)
    # Dinkes: officials 1 (nothing), 3, 4, 5, 6 (nothing in e-LHKPN); official 2 filed.
    assert title.startswith("5 pejabat Dinas Kesehatan")
    run_on(dt.date(2026, 3, 20))
    assert len(titles(world.head_a)) == 1
    run_on(dt.date(2026, 4, 1))
    assert len(titles(world.head_a)) == 2


def test_a_filed_report_stops_the_reminders(world: Any, register: Any) -> None:
    run_on(dt.date(2026, 1, 1))
    LhkpnObligation.objects.filter(nip=nip(1)).update(status=3)
    run_on(dt.date(2026, 3, 1))
    assert len(titles(world.officer_a)) == 1
