"""Exports of large waves prepared in the background: the threshold, the export's page (waiting,
progress, ready, failed) and the permission-checked download of its file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from integritas.audit.models import Event
from integritas.core.testing import World, body, client_for
from integritas.surveys.models import Response, ResponseExport, Wave
from integritas.surveys.services import response_exports
from integritas.surveys.services import responses as exports
from integritas.surveys.services.response_exports import run_export
from integritas.surveys.testing import build_version, build_wave

# Every test writes its files to a folder of its own (the fixture is in conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_dir")]
DAY = timezone.localdate() - dt.timedelta(days=1)
WAITING = (
    "The export is waiting for the background worker to prepare the file. This page refreshes "
    "itself."
)
NO_WORKER = (
    "No background worker has picked the export up yet. The worker may not be running: the "
    "administrator starts it with “manage.py db_worker” (“make run” starts it together with the "
    "web server). The file will be prepared as soon as a worker runs; nothing needs to be asked "
    "again."
)
FAILED = (
    "The export stopped because of an unexpected problem; no file was made. Try again; if it "
    "fails again, ask the administrator to look at the background worker's log."
)


def in_indonesian(message: str) -> str:
    with translation.override("id"):
        return escape(gettext(message))


@pytest.fixture
def wave(world: World) -> Wave:
    wave = build_wave(build_version(), [world.dinkes, world.disdik], code="skm-2026")
    for unit, n in ((world.dinkes, 12), (world.disdik, 14)):
        Response.objects.bulk_create(
            Response(
                wave=wave,
                unit=unit,
                respondent_type="public",
                submitted_on=DAY,
                answers=Response.pack([1, 4, 3, 2]),
            )
            for _ in range(n)
        )
    return wave


def export_url(wave: Wave) -> str:
    return reverse("surveys-data-export", args=[wave.code])


def page_url(job: ResponseExport) -> str:
    return reverse("surveys-data-export-job", args=[job.wave.code, job.public_id])


def download_url(job: ResponseExport) -> str:
    return reverse("surveys-data-export-download", args=[job.wave.code, job.public_id])


def test_a_wave_at_the_limit_is_still_exported_inside_the_request(
    world: World, wave: Wave, settings: Any
) -> None:
    settings.EXPORT_INLINE_MAX_RESPONSES = 26

    response = client_for(world.inspector).post(
        export_url(wave), {"format": "csv", "values": "codes"}
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert body(response)[:2] == b"PK"
    assert not ResponseExport.objects.exists() and not DBTaskResult.objects.exists()
    assert Event.objects.filter(action="wave.responses_exported").count() == 1


def test_a_larger_wave_becomes_a_job_and_nothing_is_built_in_the_request(
    world: World, wave: Wave, settings: Any, export_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.EXPORT_INLINE_MAX_RESPONSES = 25

    def no_build(**kwargs: Any) -> Any:
        raise AssertionError("the export was built inside the request")

    monkeypatch.setattr(exports, "write_export", no_build)
    page = client_for(world.inspector).get(export_url(wave))
    response = client_for(world.inspector).post(
        export_url(wave), {"format": "xlsx", "values": "labels"}
    )

    assert 'id="export-background"' in page.content.decode()
    job = ResponseExport.objects.get()
    assert response.status_code == 302 and response["Location"] == page_url(job)
    assert job.wave == wave and job.created_by == world.inspector
    assert (job.fmt, job.labels, job.status) == ("xlsx", True, ResponseExport.Status.PENDING)
    assert job.rows_total == 26 and job.rows_done == 0
    assert job.filename == f"skm-2026-responses-{timezone.localdate().isoformat()}.xlsx"
    assert not export_dir.exists() or not any(export_dir.iterdir())
    task = DBTaskResult.objects.get(task_path=run_export.module_path)
    assert task.args_kwargs == {"args": [str(job.public_id)], "kwargs": {}}
    event = Event.objects.get(action="wave.responses_exported")
    assert event.actor == world.inspector
    assert event.changes["format"] == [None, "xlsx"] and event.changes["responses"] == [None, 26]


def test_the_page_says_the_export_is_waiting_then_that_no_worker_took_it(
    world: World, wave: Wave, settings: Any
) -> None:
    settings.EXPORT_INLINE_MAX_RESPONSES = 0
    client = client_for(world.inspector)
    url = client.post(export_url(wave), {"format": "csv", "values": "codes"})["Location"]

    page = client.get(url)

    html = page.content.decode()
    assert page["Refresh"] == "2" and '<meta http-equiv="refresh" content="2">' in html
    assert in_indonesian(WAITING) in html and in_indonesian(NO_WORKER) not in html
    assert 'id="export-download"' not in html
    ResponseExport.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    late = client.get(url).content.decode()
    assert in_indonesian(NO_WORKER) in late and "db_worker" in late


def test_a_running_export_shows_its_progress(world: World, wave: Wave) -> None:
    job = ResponseExport.objects.create(
        wave=wave, fmt="csv", status=ResponseExport.Status.RUNNING, rows_done=250, rows_total=1000
    )

    page = client_for(world.inspector).get(page_url(job))

    html = page.content.decode()
    assert '<progress id="export-progress" max="1000" value="250">25%</progress>' in html
    assert page["Refresh"] == "2" and 'id="export-download"' not in html


def test_when_the_worker_is_done_the_page_offers_the_file_and_stops_refreshing(
    world: World, wave: Wave, settings: Any
) -> None:
    settings.EXPORT_INLINE_MAX_RESPONSES = 0
    client = client_for(world.inspector)
    url = client.post(export_url(wave), {"format": "csv", "values": "codes"})["Location"]
    job = ResponseExport.objects.get()

    run_export.call(str(job.public_id))  # what the worker does when it runs
    page = client.get(url)
    download = client.get(download_url(job))

    html = page.content.decode()
    assert "Refresh" not in page and 'http-equiv="refresh"' not in html
    assert f'href="{download_url(job)}"' in html and job.filename in html
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    assert body(download)[:2] == b"PK"
    # Recorded once, when it was asked for; not again by the worker nor at the download.
    assert Event.objects.filter(action="wave.responses_exported").count() == 1


def test_the_page_lists_nothing_about_respondents(world: World, wave: Wave) -> None:
    job = ResponseExport.objects.create(
        wave=wave, fmt="csv", status=ResponseExport.Status.DONE, rows_done=26, rows_total=26
    )

    html = client_for(world.inspector).get(page_url(job)).content.decode()

    assert "DINKES" not in html and "DISDIK" not in html and DAY.isoformat() not in html


def done_job(wave: Wave, world: World, export_dir: Path) -> ResponseExport:
    job = ResponseExport.objects.create(
        wave=wave,
        fmt="csv",
        status=ResponseExport.Status.DONE,
        filename="skm-2026-responses.zip",
        created_by=world.inspector,
    )
    export_dir.mkdir(parents=True, exist_ok=True)
    response_exports.export_path(job).write_bytes(b"PK-the-file")
    return job


@pytest.mark.parametrize("persona", ["inspector", "inspector_general"])
def test_the_owner_and_another_inspector_may_download_the_file(
    world: World, wave: Wave, export_dir: Path, persona: str
) -> None:
    job = done_job(wave, world, export_dir)

    response = client_for(getattr(world, persona)).get(download_url(job))

    assert response.status_code == 200 and body(response) == b"PK-the-file"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("officer_b", 403),  # another unit's officer: sees the wave (DISDIK takes part), no more
        ("officer_a", 403),
        ("leader", 403),  # leadership reads every wave, but does not export responses
        ("handler", 404),
        ("nobody", 404),
    ],
)
def test_the_file_is_refused_to_whoever_may_not_export_the_wave(
    world: World, wave: Wave, export_dir: Path, persona: str, status: int
) -> None:
    job = done_job(wave, world, export_dir)

    response = client_for(world.personas()[persona]).get(download_url(job))

    assert response.status_code == status
    assert b"PK-the-file" not in (body(response) if status == 200 else response.content)


def test_the_file_is_only_found_under_its_own_wave(
    world: World, wave: Wave, export_dir: Path
) -> None:
    job = done_job(wave, world, export_dir)
    other = build_wave(build_version(), [world.dinkes], code="other")

    response = client_for(world.inspector).get(
        reverse("surveys-data-export-download", args=[other.code, job.public_id])
    )

    assert response.status_code == 404


def test_an_export_not_ready_or_whose_file_is_gone_has_nothing_to_download(
    world: World, wave: Wave, export_dir: Path
) -> None:
    running = ResponseExport.objects.create(
        wave=wave, fmt="csv", status=ResponseExport.Status.RUNNING
    )
    gone = done_job(wave, world, export_dir)
    response_exports.export_path(gone).unlink()
    client = client_for(world.inspector)

    assert client.get(download_url(running)).status_code == 404
    assert client.get(download_url(gone)).status_code == 404


def test_a_failed_export_says_so_and_offers_to_try_again(
    world: World, wave: Wave, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.EXPORT_INLINE_MAX_RESPONSES = 0
    client = client_for(world.inspector)
    url = client.post(export_url(wave), {"format": "xlsx", "values": "labels"})["Location"]
    job = ResponseExport.objects.get()

    def broken(**kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_export", broken)
    with pytest.raises(OSError, match="disk full"):
        run_export.call(str(job.public_id))
    page = client.get(url)

    job.refresh_from_db()
    assert job.status == ResponseExport.Status.FAILED and job.finished_at is not None
    html = page.content.decode()
    assert "Refresh" not in page and in_indonesian(FAILED) in html
    assert f'action="{export_url(wave)}"' in html
    assert '<input type="hidden" name="format" value="xlsx">' in html
    assert '<input type="hidden" name="values" value="labels">' in html
    assert client.get(download_url(job)).status_code == 404

    again = client.post(export_url(wave), {"format": "xlsx", "values": "labels"})

    retry = ResponseExport.objects.exclude(pk=job.pk).get()
    assert again["Location"] == page_url(retry) and retry.status == ResponseExport.Status.PENDING


def test_the_export_page_lists_the_exports_prepared_for_the_wave(world: World, wave: Wave) -> None:
    other = build_wave(build_version(), [world.dinkes], code="other")
    mine = ResponseExport.objects.create(wave=wave, fmt="xlsx", created_by=world.inspector)
    theirs = ResponseExport.objects.create(wave=other, fmt="csv")

    html = client_for(world.inspector).get(export_url(wave)).content.decode()

    assert 'id="export-jobs"' in html and page_url(mine) in html and page_url(theirs) not in html
