"""The background task that imports a web upload (``response_batches.run_import``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.surveys.imports import response_batches
from integritas.surveys.imports import responses as imports
from integritas.surveys.imports.response_batches import run_import
from integritas.surveys.models import ImportBatch, Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db
DAY = (timezone.localdate() - dt.timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def wave(world: World) -> Wave:
    return build_wave(build_version(), [world.dinkes], code="skm-2026")


def pending(wave: Wave, world: World, text: str, **fields: Any) -> ImportBatch:
    data = text.encode()
    batch = ImportBatch(
        wave=wave,
        filename="paper.csv",
        content_hash=imports.content_hash([data]),
        created_by=world.inspector,
        **fields,
    )
    batch.file.save("paper.csv", ContentFile(data), save=False)
    batch.save()
    return batch


def rows(n: int, u1: str = "4") -> str:
    return "unit_code,respondent_type,submitted_on,U1,U2\n" + "".join(
        f"DINKES,public,{DAY},{u1},3\n" for _ in range(n)
    )


def test_it_imports_a_pending_batch_as_its_uploader_and_deletes_the_file(
    world: World, wave: Wave, media: Path
) -> None:
    batch = pending(wave, world, rows(4))

    result = run_import.call(str(batch.public_id))

    batch.refresh_from_db()
    assert result == {"status": "done", "imported": 4}
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 4
    assert batch.rows_done == batch.rows_total == 4 and batch.finished_at is not None
    assert Response.objects.filter(batch=batch).count() == 4
    assert not batch.file and not list(media.rglob("*.csv"))
    event = Event.objects.get(action="wave.responses_imported")
    assert event.actor == world.inspector


def test_it_writes_progress_to_the_batch_while_checking(
    world: World, wave: Wave, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = pending(wave, world, rows(30))
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(response_batches, "PROGRESS_SECONDS", 0)
    seen: list[tuple[int, int]] = []
    real = response_batches._BatchProgress.__call__

    def spy(self: response_batches._BatchProgress, phase: str, done: int, total: int) -> None:
        real(self, phase, done, total)
        seen.append(
            tuple(
                ImportBatch.objects.filter(pk=self.batch_id)
                .values_list("rows_done", "rows_total")
                .get()
            )
        )  # type: ignore[arg-type]

    monkeypatch.setattr(response_batches._BatchProgress, "__call__", spy)

    run_import.call(str(batch.public_id))

    assert (10, 30) in seen and (30, 30) in seen


def test_problems_are_written_in_the_uploaders_language(world: World, wave: Wave) -> None:
    world.inspector.language = "en"
    world.inspector.save()
    batch = pending(wave, world, rows(2, u1="7"))

    run_import.call(str(batch.public_id))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.error_count == 2
    assert batch.errors[0]["message"].startswith("“7” is not an answer to U1")
    assert not Response.objects.exists()


def test_a_batch_that_is_no_longer_pending_is_left_alone(world: World, wave: Wave) -> None:
    batch = pending(wave, world, rows(2), status=ImportBatch.Status.RUNNING)

    assert run_import.call(str(batch.public_id)) == {"status": "running"}
    assert not Response.objects.exists()
    assert run_import.call("00000000-0000-0000-0000-000000000000") == {"status": "missing"}


def test_an_unexpected_failure_marks_the_batch_and_is_raised_for_the_workers_log(
    world: World, wave: Wave, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.inspector.language = "en"
    world.inspector.save()
    batch = pending(wave, world, rows(2))

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(response_batches, "import_responses", broken)

    with pytest.raises(RuntimeError):
        run_import.call(str(batch.public_id))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.error_count == 1
    assert "unexpected problem" in batch.errors[0]["message"]
    assert not batch.file
