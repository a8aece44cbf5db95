"""The web import of responses: upload page, background task, progress and result page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from integritas.audit.models import Event
from integritas.core.testing import World, body, client_for
from integritas.surveys.imports.response_batches import run_import
from integritas.surveys.imports.responses import MAX_ERRORS_KEPT, too_large_message
from integritas.surveys.models import ImportBatch, Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DAY = (timezone.localdate() - dt.timedelta(days=1)).isoformat()


WAITING = (
    "The file is waiting for the background worker to start the import. This page refreshes itself."
)
NO_WORKER = (
    "No background worker has picked the import up yet. The worker may not be running: the "
    "administrator starts it with “manage.py db_worker” (“make run” starts it together with the "
    "web server). The import will start as soon as a worker runs; nothing needs to be uploaded "
    "again."
)


def in_indonesian(message: str) -> str:
    with translation.override("id"):
        return escape(gettext(message))


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def wave(world: World) -> Wave:
    return build_wave(build_version(), [world.dinkes, world.disdik], code="skm-2026")


def upload(text: str, name: str = "paper.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def good_file(rows: int = 3) -> str:
    lines = ["unit_code,respondent_type,submitted_on,sex,U1,U2"]
    lines += [f"DINKES,public,{DAY},f,{1 + i % 4},3" for i in range(rows)]
    return "\n".join(lines) + "\n"


def post(world: World, wave: Wave, file: SimpleUploadedFile):  # type: ignore[no-untyped-def]
    return client_for(world.inspector).post(
        reverse("surveys-data-import", args=[wave.code]), {"file": file}
    )


def test_the_upload_page_describes_the_layout_of_this_wave(world: World, wave: Wave) -> None:
    response = client_for(world.inspector).get(reverse("surveys-data-import", args=[wave.code]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-columns"' in page
    for code in ("unit_code", "respondent_type", "submitted_on", "U1", "complaint_text"):
        assert f"<code>{code}</code>" in page
    assert 'enctype="multipart/form-data"' in page and 'for="id_file"' in page


def test_an_upload_is_imported_by_the_background_task_and_the_result_is_shown(
    world: World, wave: Wave, settings: Any, media: Path
) -> None:
    settings.TASKS = IMMEDIATE

    response = post(world, wave, upload(good_file(3)))

    batch = ImportBatch.objects.get(wave=wave)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "surveys-data-import-batch", args=[wave.code, batch.public_id]
    )
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 3
    assert batch.created_by == world.inspector
    assert Response.objects.filter(wave=wave, batch=batch).count() == 3
    assert not batch.file and not any(media.rglob("*.csv"))  # no second copy of the answers
    imported = Event.objects.get(action="wave.responses_imported")
    assert imported.actor == world.inspector
    assert Event.objects.filter(action="wave.import_submitted").count() == 1
    page = client_for(world.inspector).get(response["Location"])
    assert page.status_code == 200
    assert "Refresh" not in page and 'http-equiv="refresh"' not in page.content.decode()
    assert in_indonesian("Imported") in page.content.decode()


def test_an_xlsx_upload_is_imported_too(world: World, wave: Wave, settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["unit_code", "respondent_type", "submitted_on", "U1", "U2"])
    sheet.append(["DISDIK", "public", dt.date.fromisoformat(DAY), 4, 4])
    buffer = io.BytesIO()
    workbook.save(buffer)

    post(world, wave, SimpleUploadedFile("paper.xlsx", buffer.getvalue()))

    batch = ImportBatch.objects.get(wave=wave)
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 1


def test_without_a_worker_the_page_says_the_import_is_waiting_and_refreshes_itself(
    world: World, wave: Wave
) -> None:
    response = post(world, wave, upload(good_file()))
    batch = ImportBatch.objects.get(wave=wave)
    url = response["Location"]

    page = client_for(world.inspector).get(url)

    assert batch.status == ImportBatch.Status.PENDING and batch.file
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [str(batch.public_id)], "kwargs": {}}
    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html and page["Refresh"] == "2"
    assert in_indonesian(WAITING) in html
    assert in_indonesian(NO_WORKER) not in html

    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=2)
    )
    late = client_for(world.inspector).get(url).content.decode()
    assert in_indonesian(NO_WORKER) in late
    assert "db_worker" in late

    run_import.call(str(batch.public_id))  # what the worker does when it runs

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 3
    done = client_for(world.inspector).get(url)
    assert "Refresh" not in done


def test_a_running_import_shows_its_progress(world: World, wave: Wave) -> None:
    batch = ImportBatch.objects.create(
        wave=wave,
        filename="big.csv",
        content_hash="h",
        status=ImportBatch.Status.RUNNING,
        rows_done=250,
        rows_total=1000,
    )

    page = client_for(world.inspector).get(
        reverse("surveys-data-import-batch", args=[wave.code, batch.public_id])
    )

    html = page.content.decode()
    assert '<progress id="import-progress" max="1000" value="250">25%</progress>' in html
    assert page["Refresh"] == "2"


def test_a_bad_file_is_rejected_with_a_table_of_its_bad_cells(
    world: World, wave: Wave, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    text = good_file(2) + f"DINKES,public,{DAY},f,7,3\nNOWHERE,public,{DAY},f,1,3\n"

    response = post(world, wave, upload(text))
    page = client_for(world.inspector).get(response["Location"])

    batch = ImportBatch.objects.get(wave=wave)
    assert batch.status == ImportBatch.Status.FAILED and batch.error_count == 2
    assert not Response.objects.filter(wave=wave).exists()
    html = page.content.decode()
    assert 'id="import-errors"' in html
    assert "<td>U1</td><td>7</td>" in html and "<td>unit_code</td><td>NOWHERE</td>" in html
    problems = client_for(world.inspector).get(response["Location"] + "?export=csv")
    assert problems.status_code == 200
    lines = body(problems).decode("utf-8-sig").splitlines()
    assert lines[0] == "row,column,value,problem" and lines[1].startswith("4,U1,7,")


def test_a_long_list_of_problems_is_paginated_and_the_rest_counted(
    world: World, wave: Wave
) -> None:
    errors = [
        {"row": i + 2, "column": "U1", "value": "9", "message": "bad"}
        for i in range(MAX_ERRORS_KEPT)
    ]
    batch = ImportBatch.objects.create(
        wave=wave,
        filename="x.csv",
        content_hash="h",
        status=ImportBatch.Status.FAILED,
        errors=errors,
        error_count=MAX_ERRORS_KEPT + 5,
    )
    url = reverse("surveys-data-import-batch", args=[wave.code, batch.public_id])

    first = client_for(world.inspector).get(url).content.decode()
    last = client_for(world.inspector).get(url + "?page=20").content.decode()

    assert first.count("<td>U1</td>") == 50 and 'rel="next"' in first
    assert '<td class="num">1001</td>' in last
    with translation.override("id"):
        more = translation.ngettext(
            "%(n)s more problem is not listed; fix these first.",
            "%(n)s more problems are not listed; fix these first.",
            5,
        ) % {"n": 5}
    assert more in last


def test_an_upload_larger_than_the_limit_is_refused_before_anything_is_kept(
    world: World, wave: Wave, settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 50

    response = post(world, wave, upload(good_file(5)))

    assert response.status_code == 400
    with translation.override("id"):
        assert response.context["form"].errors["file"] == [too_large_message(50)]
    assert not ImportBatch.objects.exists() and not DBTaskResult.objects.exists()


def test_a_file_already_imported_is_refused_at_the_upload(
    world: World, wave: Wave, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    post(world, wave, upload(good_file()))

    again = post(world, wave, upload(good_file(), name="copy.csv"))

    assert again.status_code == 400
    assert "file" in again.context["form"].errors
    assert ImportBatch.objects.count() == 1 and Response.objects.count() == 3


def test_only_csv_and_xlsx_files_are_accepted(world: World, wave: Wave) -> None:
    response = post(world, wave, upload(good_file(), name="paper.pdf"))

    assert response.status_code == 400 and not ImportBatch.objects.exists()


def test_the_list_of_imports_paginates_and_exports(world: World, wave: Wave) -> None:
    for i in range(30):
        ImportBatch.objects.create(
            wave=wave, filename=f"f{i}.csv", content_hash=str(i), status=ImportBatch.Status.DONE
        )
    url = reverse("surveys-data-import", args=[wave.code])

    page = client_for(world.inspector).get(url).content.decode()
    export = client_for(world.inspector).get(url + "?export=xlsx")

    assert page.count("surveys/waves/skm-2026/imports/") == 25 and 'rel="next"' in page
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_a_batch_of_another_wave_is_not_found(world: World, wave: Wave) -> None:
    other = build_wave(wave.version, [world.dinkes], code="other-wave")
    batch = ImportBatch.objects.create(wave=other, filename="x.csv", content_hash="h")

    response = client_for(world.inspector).get(
        reverse("surveys-data-import-batch", args=[wave.code, batch.public_id])
    )

    assert response.status_code == 404


def test_unit_staff_who_see_the_wave_may_not_import(world: World, wave: Wave) -> None:
    response = client_for(world.head_a).post(
        reverse("surveys-data-import", args=[wave.code]), {"file": upload(good_file())}
    )

    assert response.status_code == 403 and not ImportBatch.objects.exists()
