"""The scheduled clean-up of exports prepared in the background (``remove_expired_exports``,
the daily chain ``purge_exports_daily`` and ``manage.py purge_exports``)."""

from __future__ import annotations

import datetime as dt
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from integritas.core.testing import World
from integritas.surveys.models import ResponseExport, Wave
from integritas.surveys.services import response_exports
from integritas.surveys.services.response_exports import (
    purge_exports_daily,
    remove_expired_exports,
    submit_export,
)
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def made_export_dir(export_dir: Path) -> Path:
    """The exports' folder (conftest.py), made beforehand as the clean-up finds it."""
    export_dir.mkdir()
    return export_dir


@pytest.fixture
def wave(world: World) -> Wave:
    return build_wave(build_version(), [world.dinkes], code="skm-2026")


def job(wave: Wave, *, days_old: float) -> ResponseExport:
    export = ResponseExport.objects.create(
        wave=wave,
        fmt="csv",
        status=ResponseExport.Status.DONE,
        created_at=timezone.now() - dt.timedelta(days=days_old),
    )
    response_exports.export_path(export).write_bytes(b"PK")
    return export


def test_exports_older_than_the_retention_go_with_their_files(
    wave: Wave, export_dir: Path, settings: Any
) -> None:
    settings.EXPORT_RETENTION_DAYS = 7
    old = job(wave, days_old=7.1)
    recent = job(wave, days_old=6.9)
    stray = export_dir / "5f0c3a52-0000-4000-8000-000000000000.zip.part"
    stray.write_bytes(b"half")
    eight_days_ago = (timezone.now() - dt.timedelta(days=8)).timestamp()
    os.utime(stray, (eight_days_ago, eight_days_ago))
    fresh_stray = export_dir / "5f0c3a52-0000-4000-8000-000000000001.zip.part"
    fresh_stray.write_bytes(b"being written")

    removed = remove_expired_exports()

    assert removed == 1
    assert list(ResponseExport.objects.all()) == [recent]
    assert sorted(p.name for p in export_dir.iterdir()) == sorted(
        [recent.stored_name, fresh_stray.name]
    )
    assert not response_exports.export_path(old).exists()


def test_the_command_removes_them_too(wave: Wave, export_dir: Path) -> None:
    job(wave, days_old=30)
    out = StringIO()

    call_command("purge_exports", stdout=out)

    assert not ResponseExport.objects.exists() and not any(export_dir.iterdir())
    assert "removed 1 expired export(s)" in out.getvalue()


def test_the_daily_run_is_queued_once_and_queues_the_next(
    world: World, wave: Wave, export_dir: Path
) -> None:
    out = StringIO()
    call_command("purge_exports", "--schedule", stdout=out)
    call_command("purge_exports", "--schedule", stdout=out)
    submit_export(wave=wave, fmt="csv", labels=False, by=world.inspector)

    waiting = DBTaskResult.objects.filter(task_path=purge_exports_daily.module_path)
    assert waiting.count() == 1 and waiting.get().status == "READY"
    assert timezone.localtime(waiting.get().run_after).time() == dt.time(3, 0)
    assert "already queued" in out.getvalue()

    waiting.update(status="RUNNING")  # the worker takes it
    job(wave, days_old=8)
    result = purge_exports_daily.call()

    assert result == {"removed": 1}
    assert DBTaskResult.objects.filter(
        task_path=purge_exports_daily.module_path, status="READY"
    ).exists()
