"""The bulk path of the response import on PostgreSQL (``imports.response_store``): a large import
is written with the response table's secondary indexes and foreign keys dropped, and both are
recreated, identical and validated, before the transaction commits; a failure anywhere leaves the
table, its indexes and its constraints exactly as before."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.db import IntegrityError, connection

from integritas.core.testing import World
from integritas.surveys.imports import response_saving, response_store
from integritas.surveys.imports import responses as imports
from integritas.surveys.imports.responses import import_responses
from integritas.surveys.models import ImportBatch, Response, Wave
from integritas.surveys.tests.test_responses_import_columns import (
    GOOD_ROWS,
    data_of,
    row,
    stored,
    waves,  # noqa: F401 - fixture
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the bulk path is PostgreSQL's only"
    ),
]


def catalog() -> dict[str, list[tuple[Any, ...]]]:
    """The response table's indexes and constraints as PostgreSQL describes them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1",
            [Response._meta.db_table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), convalidated, condeferrable, "
            "condeferred FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY 1",
            [Response._meta.db_table],
        )
        constraints = cursor.fetchall()
    return {"indexes": indexes, "constraints": constraints}


class Spy:
    """Records whether the bulk path dropped anything."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.dropped: list[int] = []
        enter = response_store._postgres_bulk.__enter__

        def spy(bulk: Any) -> None:
            enter(bulk)
            self.dropped.append(len(bulk.indexes) + len(bulk.keys))

        monkeypatch.setattr(response_store._postgres_bulk, "__enter__", spy)


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> Spy:
    monkeypatch.setattr(response_store, "BULK_MIN_ROWS", 0)
    monkeypatch.setattr(imports, "INSERT_CHUNK", 4)  # several COPY statements
    return Spy(monkeypatch)


def test_a_large_import_stores_the_same_rows_and_recreates_every_index_and_foreign_key(
    waves: tuple[Wave, Wave],  # noqa: F811
    bulk: Spy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ordinary, large = waves
    before = catalog()
    data = data_of(*GOOD_ROWS)

    with monkeypatch.context() as patch:
        patch.setattr(response_store, "BULK_MIN_ROWS", 10**9)
        assert import_responses(wave=ordinary, path_or_bytes=data, filename="a.csv").ok
    assert bulk.dropped == []
    report = import_responses(wave=large, path_or_bytes=data, filename="b.csv")

    assert report.ok, report.errors
    assert bulk.dropped == [8]  # 4 indexes (one of them partial) and 4 foreign keys
    assert stored(large) == stored(ordinary)
    assert catalog() == before


def test_the_binary_copy_stores_the_same_rows_as_the_text_copy(
    waves: tuple[Wave, Wave],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    by_text, by_binary = waves
    data = data_of(*GOOD_ROWS)  # NULL and set services, types of two lengths, extra answers
    monkeypatch.setattr(imports, "INSERT_CHUNK", 4)  # several COPY statements
    copied: list[str] = []
    for wave, binary in ((by_text, False), (by_binary, True)):
        writers = (response_store._PostgresWriter, response_store._PostgresBinaryWriter)
        with monkeypatch.context() as patch:
            if not binary:
                patch.setattr(response_store, "_postgres_types", lambda: None)
            for writer in writers:
                patch.setattr(writer, "write", spied(writer, copied))
            assert import_responses(wave=wave, path_or_bytes=data, filename="a.csv").ok
    assert stored(by_binary) == stored(by_text)
    assert any(extra for *_, extra in stored(by_binary))
    assert set(copied) == {"_PostgresWriter", "_PostgresBinaryWriter"}


def spied(writer: Any, copied: list[str]) -> Any:
    write = writer.write

    def spy(self: Any, **columns: Any) -> None:
        copied.append(type(self).__name__)
        write(self, **columns)

    return spy


def test_a_failure_while_writing_leaves_the_table_its_indexes_and_constraints_as_before(
    waves: tuple[Wave, Wave],  # noqa: F811
    bulk: Spy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = catalog()
    write = response_store._PostgresBinaryWriter.write
    calls: list[int] = []

    def failing(writer: Any, **columns: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        write(writer, **columns)

    monkeypatch.setattr(response_store._PostgresBinaryWriter, "write", failing)

    with pytest.raises(RuntimeError, match="disk full"):
        import_responses(wave=waves[0], path_or_bytes=data_of(*GOOD_ROWS), filename="a.csv")

    assert bulk.dropped == [8]
    assert not Response.objects.exists()
    assert not ImportBatch.objects.exists()
    assert catalog() == before


def test_a_reference_the_database_refuses_rolls_the_whole_import_back(
    waves: tuple[Wave, Wave],  # noqa: F811
    bulk: Spy,
    monkeypatch: pytest.MonkeyPatch,
    world: World,
) -> None:
    """The foreign keys are re-validated over every row: a unit id that slipped past the checks
    in Python (here forced) is refused by the database, and nothing is stored."""
    before = catalog()
    write_rows = response_saving.write_rows

    def forged(**columns: Any) -> None:
        units = np.array(columns["units"], copy=True)
        units[len(units) // 2] = 10**9  # no such unit
        write_rows(**{**columns, "units": units})

    monkeypatch.setattr(response_saving, "write_rows", forged)
    lines = [row(unit_code=("DINKES", "DISDIK")[i % 2]) for i in range(10)]

    with pytest.raises(IntegrityError, match="unit_id"):
        import_responses(wave=waves[0], path_or_bytes=data_of(*lines), filename="a.csv")

    assert bulk.dropped == [8]
    assert not Response.objects.exists()
    assert not ImportBatch.objects.exists()
    assert catalog() == before


def test_only_an_import_large_against_the_table_takes_the_bulk_path() -> None:
    assert not response_store.bulk_worthwhile(response_store.BULK_MIN_ROWS - 1)
    assert response_store.bulk_worthwhile(response_store.BULK_MIN_ROWS)


def test_a_table_held_by_another_transaction_is_not_waited_for_the_rows_go_in_row_by_row(
    waves: tuple[Wave, Wave],  # noqa: F811
    bulk: Spy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import psycopg

    monkeypatch.setattr(response_store, "BULK_LOCK_TIMEOUT", "200ms")
    before = catalog()
    params = connection.get_connection_params()
    with psycopg.connect(**params) as other:  # a long reader of the responses
        other.execute(f"LOCK TABLE {Response._meta.db_table} IN ACCESS SHARE MODE")
        report = import_responses(
            wave=waves[0], path_or_bytes=data_of(*GOOD_ROWS), filename="a.csv"
        )
        other.rollback()

    assert report.ok, report.errors
    assert bulk.dropped == [0]  # nothing dropped: the ordinary write
    assert Response.objects.filter(wave=waves[0]).count() == report.imported > 0
    assert catalog() == before
