"""Writing a plain CSV file's rows while the rest of the file is checked (SQLite, an import
without a web upload's batch; ``imports.response_saving``): the same rows as when the whole file
is checked first, nothing kept when a row of a later block is bad, every bad row reported."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World
from integritas.surveys.imports import response_columns, response_store
from integritas.surveys.imports import responses as imports
from integritas.surveys.imports.responses import ImportReport, import_responses
from integritas.surveys.models import ImportBatch, Response, Wave
from integritas.surveys.testing import build_version
from integritas.surveys.tests.test_responses_import_columns import (
    SPEC,
    data_of,
    make_wave,
    problems,
    row,
    stored,
)

pytestmark = pytest.mark.django_db

WRITERS = (response_store._SqliteWriter, response_store._PostgresWriter)
WRITERS += (response_store._PostgresBinaryWriter,)


@pytest.fixture
def waves(world: World) -> tuple[Wave, Wave]:
    version = build_version(SPEC)
    return make_wave(world, version, "while-a"), make_wave(world, version, "while-b")


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """What the import did, in order: ("check", first row of a block), ("write", rows)."""
    seen: list[tuple[str, int]] = []
    merge = response_columns.ColumnChecker.merge

    def spy_merge(checker: Any, starts: Any, ends: Any, first: int, scan: Any) -> Any:
        seen.append(("check", first))
        return merge(checker, starts, ends, first, scan)

    monkeypatch.setattr(response_columns.ColumnChecker, "merge", spy_merge)
    for writer in WRITERS:

        def spy_write(self: Any, __write: Any = writer.write, **columns: Any) -> None:
            seen.append(("write", len(columns["units"])))
            __write(self, **columns)

        monkeypatch.setattr(writer, "write", spy_write)
    return seen


def lines(count: int, bad: dict[int, dict[str, str]] | None = None) -> list[str]:
    """Good rows over both units (answers varying, so the order of a unit's rows shows), with
    the cells of ``bad`` (by row index) changed."""
    units = ("DINKES", "DISDIK", "DISDIK")
    out = [
        row(unit_code=units[i % 3], U1=str(i % 4 + 1), U2=str(i // 4 % 4 + 1)) for i in range(count)
    ]
    for at, cells in (bad or {}).items():
        out[at] = row(unit_code=units[at % 3], **cells)
    return out


def imported(wave: Wave, data: bytes, batch: ImportBatch | None = None) -> ImportReport:
    return import_responses(wave=wave, path_or_bytes=data, filename="file.csv", batch=batch)


def test_on_sqlite_a_plain_file_is_written_block_by_block_while_the_next_blocks_are_checked(
    waves: tuple[Wave, Wave], monkeypatch: pytest.MonkeyPatch, events: list[tuple[str, int]]
) -> None:
    monkeypatch.setattr(response_columns, "BLOCK_LINES", 8)
    monkeypatch.setattr(imports, "INSERT_CHUNK", 5)

    report = imported(waves[0], data_of(*lines(30)))

    assert report.ok and report.imported == 30
    checks = [at for kind, at in events if kind == "check"]
    assert checks == [2, 10, 18, 26]
    if connection.vendor == "sqlite":
        # Each block's rows (8, 8, 8, 6), five rows a statement, right after the block.
        assert events == [
            ("check", 2), ("write", 5), ("write", 3),
            ("check", 10), ("write", 5), ("write", 3),
            ("check", 18), ("write", 5), ("write", 3),
            ("check", 26), ("write", 5), ("write", 1),
        ]  # fmt: skip
    else:  # the check first, so that the bulk path holds its locks for the write only
        assert events == [*[("check", at) for at in checks], *[("write", 5)] * 6]


def test_a_web_upload_is_checked_before_anything_is_written_so_its_progress_shows(
    waves: tuple[Wave, Wave], monkeypatch: pytest.MonkeyPatch, events: list[tuple[str, int]]
) -> None:
    monkeypatch.setattr(response_columns, "BLOCK_LINES", 8)
    wave = waves[0]
    batch = ImportBatch.objects.create(
        wave=wave, filename="file.csv", content_hash="0" * 64, status=ImportBatch.Status.RUNNING
    )

    report = imported(wave, data_of(*lines(30)), batch)

    assert report.ok and report.imported == 30
    assert [kind for kind, _ in events] == ["check"] * 4 + ["write"]


def test_a_good_file_stores_the_same_rows_whether_written_while_checked_or_after(
    waves: tuple[Wave, Wave], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(response_columns, "BLOCK_LINES", 7)
    monkeypatch.setattr(imports, "INSERT_CHUNK", 3)
    data = data_of(*lines(40), row(age="34", visit_date=""), row(channels="web desk", sex="f"))
    after, meanwhile = waves

    monkeypatch.setattr(imports, "WRITE_WHILE_CHECKING", False)
    first = imported(after, data)
    monkeypatch.setattr(imports, "WRITE_WHILE_CHECKING", True)
    second = imported(meanwhile, data)

    assert first.ok and second.ok, (first.errors, second.errors)
    assert second.imported == first.imported == second.total_rows == first.total_rows == 42
    assert stored(meanwhile) == stored(after)  # unit by unit, each unit's rows in file order
    assert any(extra for *_, extra in stored(meanwhile))
    assert second.batch is not None and first.batch is not None
    for batch in (first.batch, second.batch):
        assert (batch.status, batch.rows_total, batch.rows_done, batch.imported) == (
            ImportBatch.Status.DONE, 42, 42, 42
        )  # fmt: skip
    assert AuditEvent.objects.filter(action="wave.responses_imported").count() == 2


def test_a_bad_row_in_a_late_block_stores_nothing_and_every_bad_row_is_reported(
    waves: tuple[Wave, Wave], monkeypatch: pytest.MonkeyPatch, events: list[tuple[str, int]]
) -> None:
    monkeypatch.setattr(response_columns, "BLOCK_LINES", 6)
    monkeypatch.setattr(imports, "INSERT_CHUNK", 4)
    wave = waves[1]
    earlier = imported(wave, data_of(*lines(9)))  # kept as it is
    before = stored(wave)
    events.clear()
    audit_before = AuditEvent.objects.count()

    report = imported(wave, data_of(*lines(40, {31: {"U1": "7"}, 38: {"U2": "x"}})))

    assert earlier.ok and not report.ok
    assert [(r, column, value) for r, column, value, _ in problems(report)] == [
        (33, "U1", "7"),
        (40, "U2", "x"),
    ]
    assert report.error_count == 2 and report.total_rows == 40
    if connection.vendor == "sqlite":  # rows of the first blocks had been written
        assert events.index(("write", 4)) < events.index(("check", 32))
    assert stored(wave) == before
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [earlier.batch.pk]
    assert AuditEvent.objects.count() == audit_before
    assert Response.objects.filter(wave=wave).count() == 9
