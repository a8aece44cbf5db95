"""The commit of a response import on a SQLite file in write-ahead-log mode
(``imports.response_store.sqlite_commit``): no automatic checkpoint inside it, the log copied
into the database file right after, by a thread, SQLite's row-by-row foreign key checks off
for the transaction, and the connection's settings as before."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from integritas.surveys.imports import response_store


def in_file(path: Path) -> list[str]:
    """The tables in the database file itself, ignoring its write-ahead log."""
    uri = f"file:{path}?mode=ro&immutable=1"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        return [name for (name,) in db.execute("SELECT name FROM sqlite_master ORDER BY name")]


def pragmas(cursor: Any) -> list[Any]:
    values = []
    for name in ("synchronous", "wal_autocheckpoint", "foreign_keys"):
        cursor.execute(f"PRAGMA {name}")
        values.append(cursor.fetchone()[0])
    return values


@pytest.fixture
def wal_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any) -> Any:
    if connection.vendor != "sqlite":
        pytest.skip(
            "the checkpoint after the commit is SQLite's write-ahead log; PostgreSQL has none"
        )
    path = tmp_path / "import.sqlite3"
    settings = {
        **connection.settings_dict,
        "NAME": str(path),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
    }
    wrapper = DatabaseWrapper(settings, alias="checkpoint-test")
    monkeypatch.setattr(response_store, "connection", wrapper)
    with django_db_blocker.unblock():  # a database of this test's own, not the test database
        yield path, wrapper
        wrapper.close()


def test_the_log_is_copied_into_the_database_file_after_the_commit_not_in_it(
    wal_file: tuple[Path, Any],
) -> None:
    path, wrapper = wal_file
    with wrapper.cursor() as cursor:
        before = pragmas(cursor)

    with response_store.sqlite_commit() as commit, wrapper.cursor() as cursor:
        # FULL: the commit syncs the log; no checkpoint in it; no row-by-row reference checks
        # (the caller checks the references itself).
        assert pragmas(cursor) == [2, 0, 0]
        assert commit.references_unchecked
        cursor.execute("CREATE TABLE answers (x BLOB)")
        # Well over the 1,000 pages after which SQLite would checkpoint on its own.
        cursor.execute(
            "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 3000) "
            "INSERT INTO answers SELECT randomblob(4000) FROM c"
        )
        assert in_file(path) == []  # committed, in the log only
    for thread in threading.enumerate():
        if thread.name == "import-checkpoint":
            thread.join()

    assert in_file(path) == ["answers"]
    with wrapper.cursor() as cursor:
        assert pragmas(cursor) == before == [1, 1000, 1]
        cursor.execute("SELECT count(*) FROM answers")
        assert cursor.fetchone() == (3001,)


def test_a_rolled_back_import_leaves_the_settings_and_starts_no_checkpoint(
    wal_file: tuple[Path, Any],
) -> None:
    _path, wrapper = wal_file
    with wrapper.cursor() as cursor:
        before = pragmas(cursor)

    with pytest.raises(RuntimeError), response_store.sqlite_commit():
        raise RuntimeError("a bad row")

    assert not [t for t in threading.enumerate() if t.name == "import-checkpoint"]
    with wrapper.cursor() as cursor:
        assert pragmas(cursor) == before
