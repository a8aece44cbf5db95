"""Publishing the chain head as a daily anchor: one per day, kept for ever, never of a broken
chain; from the command (cron) and from the background worker's daily chain."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from integritas import audit
from integritas.audit.models import GENESIS_HASH, Anchor, ChainHead
from integritas.audit.services import ChainBroken, publish_anchor
from integritas.audit.tests.tampering import rewrite_chain, tampering

pytestmark = pytest.mark.django_db

# 6 Dec 2026, 08:00 in Jakarta (WIB, UTC+7).
MORNING = dt.datetime(2026, 12, 6, 1, 0, tzinfo=dt.UTC)


def events(count: int) -> None:
    for i in range(count):
        audit.record("test.thing", object_type="test.thing", object_id=str(i))


def test_publishing_records_the_chain_head_under_todays_local_date() -> None:
    events(3)
    head = ChainHead.objects.get(pk=1)
    # 23:30 UTC on the 5th is already the 6th in Jakarta.
    with time_machine.travel(dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC), tick=False):
        anchor, created = publish_anchor()
    assert created is True
    assert (anchor.date, anchor.seq, anchor.hash) == (dt.date(2026, 12, 6), 3, head.hash)
    assert anchor.published_at == dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)


def test_publishing_twice_on_one_day_keeps_the_first_anchor() -> None:
    events(2)
    with time_machine.travel(MORNING, tick=False):
        first, created = publish_anchor()
    events(2)
    with time_machine.travel(MORNING + dt.timedelta(hours=5), tick=False):
        again, created_again = publish_anchor()
    assert created is True and created_again is False
    assert again == first and again.seq == 2
    assert Anchor.objects.count() == 1


def test_every_day_gets_its_own_anchor_and_past_anchors_are_kept() -> None:
    for day in range(3):
        events(1)
        with time_machine.travel(MORNING + dt.timedelta(days=day), tick=False):
            publish_anchor()
    assert list(Anchor.objects.order_by("date").values_list("date", "seq")) == [
        (dt.date(2026, 12, 6), 1),
        (dt.date(2026, 12, 7), 2),
        (dt.date(2026, 12, 8), 3),
    ]


def test_an_empty_chain_is_anchored_at_sequence_zero() -> None:
    with time_machine.travel(MORNING, tick=False):
        anchor, _created = publish_anchor()
    assert (anchor.seq, anchor.hash) == (0, GENESIS_HASH)


def test_a_broken_chain_is_not_anchored() -> None:
    events(3)
    with tampering(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET object_label = 'forged' WHERE seq = 2")
    with time_machine.travel(MORNING, tick=False), pytest.raises(ChainBroken, match="#2"):
        publish_anchor()
    assert not Anchor.objects.exists()


def test_a_chain_rewritten_since_an_earlier_anchor_is_not_anchored_again() -> None:
    events(3)
    with time_machine.travel(MORNING, tick=False):
        publish_anchor()
    rewrite_chain(from_seq=2)
    with (
        time_machine.travel(MORNING + dt.timedelta(days=1), tick=False),
        pytest.raises(ChainBroken, match="anchor of 2026-12-06"),
    ):
        publish_anchor()
    assert Anchor.objects.count() == 1


def test_the_model_refuses_to_change_or_delete_an_anchor() -> None:
    with time_machine.travel(MORNING, tick=False):
        anchor, _created = publish_anchor()
    with pytest.raises(ValueError, match="append-only"):
        anchor.save()
    with pytest.raises(ValueError, match="append-only"):
        anchor.delete()


def test_postgresql_rejects_update_and_delete_on_the_anchor_table() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    with time_machine.travel(MORNING, tick=False):
        anchor, _created = publish_anchor()
    for statement in (
        "UPDATE audit_anchor SET seq = 99 WHERE id = %s",
        "DELETE FROM audit_anchor WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [anchor.pk])


def test_the_command_publishes_todays_anchor_once(capsys: pytest.CaptureFixture[str]) -> None:
    events(4)
    with time_machine.travel(MORNING, tick=False):
        call_command("publish_anchor")
        call_command("publish_anchor")
    out = capsys.readouterr().out
    assert "2026-12-06: anchor published at event #4" in out
    assert "2026-12-06: anchor already published at event #4" in out
    assert Anchor.objects.count() == 1


def test_the_command_refuses_to_anchor_a_broken_chain() -> None:
    events(3)
    with tampering(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE seq = 2")
    with time_machine.travel(MORNING, tick=False), pytest.raises(CommandError, match="#2"):
        call_command("publish_anchor")
    assert not Anchor.objects.exists()


def test_scheduling_publishes_at_once_when_today_has_no_anchor_then_daily_after_midnight() -> None:
    from django_tasks_db.models import DBTaskResult

    from integritas.audit.tasks import publish_anchor_daily, schedule_daily

    waiting = DBTaskResult.objects.filter(task_path=publish_anchor_daily.module_path)
    events(2)
    assert schedule_daily(now=MORNING) is True
    assert schedule_daily(now=MORNING) is False  # one chain at a time
    queued = waiting.get()
    assert queued.run_after == MORNING  # today has no anchor yet: at once
    queued.delete()
    with time_machine.travel(MORNING + dt.timedelta(seconds=5), tick=False):
        result = publish_anchor_daily.call()
    assert result == {"date": "2026-12-06", "seq": 2, "published": True}
    # The next run: 00:10 in Jakarta on the 7th.
    assert waiting.get().run_after == dt.datetime(2026, 12, 6, 17, 10, tzinfo=dt.UTC)
    waiting.delete()
    assert schedule_daily(now=MORNING) is True  # today is anchored: the next slot
    assert waiting.get().run_after == dt.datetime(2026, 12, 6, 17, 10, tzinfo=dt.UTC)


def test_the_daily_run_on_a_broken_chain_publishes_nothing_and_still_queues_tomorrow() -> None:
    from django_tasks_db.models import DBTaskResult

    from integritas.audit.tasks import publish_anchor_daily

    events(3)
    with tampering(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET reason = 'x' WHERE seq = 1")
    with time_machine.travel(MORNING, tick=False):
        result = publish_anchor_daily.call()
    assert result["published"] is False and "#1" in result["problem"]
    assert not Anchor.objects.exists()
    queued = DBTaskResult.objects.get(task_path=publish_anchor_daily.module_path)
    assert queued.run_after == dt.datetime(2026, 12, 6, 17, 10, tzinfo=dt.UTC)


def test_the_schedule_option_queues_the_daily_run(capsys: pytest.CaptureFixture[str]) -> None:
    with time_machine.travel(MORNING, tick=False):
        call_command("publish_anchor", "--schedule")
        call_command("publish_anchor", "--schedule")
    out = capsys.readouterr().out
    assert "daily audit anchor queued" in out
    assert "already queued" in out
    assert not Anchor.objects.exists()  # the worker publishes it
