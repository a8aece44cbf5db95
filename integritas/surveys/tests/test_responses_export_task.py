"""The background task that writes a large wave's export (``response_exports.run_export``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.testing import World, body, client_for
from integritas.surveys.models import Response, ResponseExport, Wave
from integritas.surveys.services import response_exports
from integritas.surveys.services import responses as exports
from integritas.surveys.services.response_exports import run_export, submit_export
from integritas.surveys.testing import build_version, build_wave

# Every test writes its files to a folder of its own (the fixture is in conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_dir")]
DAY = timezone.localdate() - dt.timedelta(days=1)
NOW = dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def wave(world: World) -> Wave:
    wave = build_wave(build_version(), [world.dinkes, world.disdik], code="skm-2026")
    answers = ([1, 4, 3, 2], [2, 3, 1, 1], [4, 4, 4, 4])
    Response.objects.bulk_create(
        Response(
            wave=wave,
            unit=unit,
            respondent_type="public",
            submitted_on=DAY,
            answers=Response.pack(answers[i % 3]),
        )
        for unit, n in ((world.dinkes, 12), (world.disdik, 14), (world.puskesmas, 2))
        for i in range(n)
    )
    return wave


@pytest.mark.parametrize(("fmt", "values"), [("csv", "codes"), ("xlsx", "labels")])
def test_the_task_writes_the_same_bytes_as_the_export_inside_the_request(
    world: World, wave: Wave, settings: Any, export_dir: Path, fmt: str, values: str
) -> None:
    with time_machine.travel(NOW, tick=False):
        inline = client_for(world.inspector).post(
            f"/surveys/waves/{wave.code}/export/", {"format": fmt, "values": values}
        )
        settings.EXPORT_INLINE_MAX_RESPONSES = 0
        client_for(world.inspector).post(
            f"/surveys/waves/{wave.code}/export/", {"format": fmt, "values": values}
        )
        job = ResponseExport.objects.get()
        result = run_export.call(str(job.public_id))

    job.refresh_from_db()
    assert inline.status_code == 200
    assert response_exports.export_path(job).read_bytes() == body(inline)
    # DINKES.PKM's two are withheld, and DINKES's twelve so they cannot be worked out.
    assert result == {"status": "done", "exported": 14}
    assert job.status == ResponseExport.Status.DONE and job.finished_at is not None
    assert job.rows_done == job.rows_total == 14
    assert [p.name for p in export_dir.iterdir()] == [job.stored_name]


def test_it_writes_its_progress_to_the_export_while_writing(
    world: World, wave: Wave, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = submit_export(wave=wave, fmt="csv", labels=False, by=world.inspector)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(response_exports, "PROGRESS_SECONDS", 0)
    seen: list[tuple[str, int, int]] = []
    real = response_exports._ExportProgress.__call__

    def spy(self: Any, done: int, total: int) -> None:
        real(self, done, total)
        row = ResponseExport.objects.get(pk=job.pk)
        seen.append((row.status, row.rows_done, row.rows_total))

    monkeypatch.setattr(response_exports._ExportProgress, "__call__", spy)

    run_export.call(str(job.public_id))

    assert seen == [("running", 10, 14), ("running", 14, 14)]


def test_it_runs_once(world: World, wave: Wave, export_dir: Path) -> None:
    job = submit_export(wave=wave, fmt="csv", labels=False, by=world.inspector)
    run_export.call(str(job.public_id))
    written = response_exports.export_path(job).stat().st_mtime_ns

    again = run_export.call(str(job.public_id))

    assert again == {"status": "done"}
    assert response_exports.export_path(job).stat().st_mtime_ns == written
    assert run_export.call("00000000-0000-0000-0000-000000000000") == {"status": "missing"}


def test_a_failing_export_marks_the_job_failed_and_leaves_no_file(
    world: World, wave: Wave, export_dir: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.EXPORT_INLINE_MAX_RESPONSES = 0
    # Asked for in a page in Indonesian: the worker writes the message in Indonesian too.
    client_for(world.inspector).post(
        f"/surveys/waves/{wave.code}/export/", {"format": "xlsx", "values": "codes"}
    )
    job = ResponseExport.objects.get()

    def breaks_halfway(**kwargs: Any) -> Any:
        kwargs["file"].write(b"half a file")
        raise ValueError("a broken row")

    monkeypatch.setattr(exports, "write_export", breaks_halfway)

    with pytest.raises(ValueError, match="a broken row"):
        run_export.call(str(job.public_id))

    job.refresh_from_db()
    assert job.status == ResponseExport.Status.FAILED and job.finished_at is not None
    assert job.language == "id" and job.error.startswith("Ekspor berhenti karena masalah")
    assert not any(export_dir.iterdir())
    assert Event.objects.filter(action="wave.responses_exported").count() == 1
