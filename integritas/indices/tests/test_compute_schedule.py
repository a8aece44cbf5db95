"""The scheduled index refresh: responses submitted on the respondent pages queue no task and
log nothing; a refresh task queued by the schedule (every ``INDICES_REFRESH_MINUTES``) brings every
out-of-date wave up to date and purges finished task rows after ``TASK_RESULTS_RETENTION_DAYS``."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from integritas.core.testing import World
from integritas.indices.models import IndexRun
from integritas.indices.models.results import WaveIndexState
from integritas.indices.services.compute import fill_state
from integritas.indices.tasks import next_refresh, refresh_stale_indices, schedule_refresh
from integritas.surveys.models import Response, Wave
from integritas.surveys.tests.test_respond_helpers import answer_all, make_wave, start

pytestmark = pytest.mark.django_db

Status = WaveIndexState.Status
TASK_LOGGERS = ("django_tasks", "django_tasks_db")


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


@pytest.fixture
def wave(world: World) -> Wave:
    return make_wave(world.dinkes, min_group_size=1)


def submit(wave: Wave) -> None:
    client = Client()
    assert start(client, wave).status_code == 302
    answer_all(client, wave)


def test_responses_submitted_on_the_pages_queue_no_task_and_date_nothing(
    wave: Wave, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            submit(wave)
    assert Response.objects.filter(wave=wave).count() == 3
    assert not DBTaskResult.objects.exists()
    assert not [r for r in caplog.records if r.name.startswith(TASK_LOGGERS)]
    stored = WaveIndexState.objects.get(wave=wave)
    assert stored.status == Status.STALE
    # The fill-state holds no time at all while out of date (computed_at is the last run's).
    times = [
        getattr(stored, f.name)
        for f in WaveIndexState._meta.concrete_fields
        if isinstance(f, models.DateTimeField | models.DateField)
    ]
    assert times == [None] * len(times)


def test_the_scheduled_refresh_brings_stale_waves_up_to_date(
    wave: Wave, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            submit(wave)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = refresh_stale_indices.call()
    assert outcome["refreshed"] == 1
    assert "responses" not in str(outcome)  # no count of responses in the task's result
    assert IndexRun.objects.get(wave=wave).response_count == 2
    assert fill_state(wave).is_current
    # It queued its next run on the schedule, with no arguments.
    (waiting,) = DBTaskResult.objects.filter(status="READY")
    assert waiting.task_path == refresh_stale_indices.module_path
    assert waiting.args_kwargs == {"args": [], "kwargs": {}}
    assert waiting.run_after.second == 0 and waiting.run_after.microsecond == 0


def test_the_next_refresh_falls_on_the_schedule_not_on_when_it_is_asked(settings: Any) -> None:
    settings.INDICES_REFRESH_MINUTES = 60
    zone = timezone.get_current_timezone()
    asked = dt.datetime(2026, 3, 2, 10, 17, 42, 123456, tzinfo=zone)
    assert timezone.localtime(next_refresh(asked)) == dt.datetime(2026, 3, 2, 11, 0, tzinfo=zone)
    settings.INDICES_REFRESH_MINUTES = 15
    assert timezone.localtime(next_refresh(asked)) == dt.datetime(2026, 3, 2, 10, 30, tzinfo=zone)


def test_scheduling_twice_keeps_one_chain() -> None:
    assert schedule_refresh() is True
    assert schedule_refresh() is False
    assert DBTaskResult.objects.filter(task_path=refresh_stale_indices.module_path).count() == 1


def _row(status: str, finished: dt.datetime | None, path: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=path,
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=finished or timezone.now(),
        finished_at=finished,
        started_at=finished,
    )


def test_the_scheduled_refresh_purges_finished_task_rows_after_the_retention(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASK_RESULTS_RETENTION_DAYS = 1
    now = timezone.now()
    ours = "integritas.indices.services.compute.refresh_indices"
    old_ok = _row("SUCCESSFUL", now - dt.timedelta(days=2), ours)
    old_failed = _row("FAILED", now - dt.timedelta(days=1, minutes=1), ours)
    recent = _row("SUCCESSFUL", now - dt.timedelta(hours=2), ours)
    waiting = _row("READY", None, "integritas.followup.tasks.send_reminders_daily")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = refresh_stale_indices.call()
    assert outcome["purged"] == 2
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert old_ok.pk not in left and old_failed.pk not in left
    assert {recent.pk, waiting.pk} <= left


# The worker closes the database connections it used, as it does between tasks in production;
# inside the usual per-test transaction that would close the test's own connection.
@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_nothing_at_info_about_the_tasks_it_runs(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    schedule_refresh(now=timezone.now() - dt.timedelta(hours=2))
    DBTaskResult.objects.update(run_after=timezone.now() - dt.timedelta(minutes=1))
    caplog.set_level(logging.DEBUG)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=1)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1  # it did run
    printed = capsys.readouterr()
    assert "Task id=" not in printed.out + printed.err
    assert not [
        r for r in caplog.records if r.name.startswith(TASK_LOGGERS) and r.levelno < logging.WARNING
    ]
