"""The index helpers of the project's migrations (``integritas.lib.migrations``): an index on one
column is found by its column whatever its name, dropped, and created again only when missing."""

from __future__ import annotations

import pytest
from django.db import connection

from integritas.lib.migrations import (
    create_single_column_index,
    drop_single_column_indexes,
    single_column_indexes,
)

pytestmark = pytest.mark.django_db

TABLE = "lib_migrations_probe"


class Editor:
    """What the helpers use of a schema editor (SQLite refuses a real one inside a test's
    transaction)."""

    connection = connection
    quote_name = staticmethod(connection.ops.quote_name)

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.fixture
def editor() -> Editor:
    editor = Editor()
    editor.execute(f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, a integer, b integer)")
    editor.execute(f"CREATE INDEX probe_a_1f2e3d ON {TABLE} (a)")
    editor.execute(f"CREATE INDEX probe_a_b ON {TABLE} (a, b)")
    editor.execute(f"CREATE INDEX probe_b ON {TABLE} (b)")
    return editor


def test_a_single_column_index_is_found_by_its_column_dropped_and_created_again(
    editor: Editor,
) -> None:
    assert single_column_indexes(editor, TABLE, "a") == ["probe_a_1f2e3d"]
    assert single_column_indexes(editor, TABLE, "a", keep="probe_a_1f2e3d") == []

    drop_single_column_indexes(editor, TABLE, "a")
    assert single_column_indexes(editor, TABLE, "a") == []
    assert sorted(single_column_indexes(editor, TABLE, "b")) == ["probe_b"]

    create_single_column_index(editor, TABLE, "a", "probe_a")
    create_single_column_index(editor, TABLE, "a", "probe_a_again")  # one is there: nothing
    assert single_column_indexes(editor, TABLE, "a") == ["probe_a"]
