"""Helpers for the project's migrations that change an index without Django's ``AlterField``,
which on SQLite rebuilds the whole table to change a field's ``db_index`` (at national scale a
responses table of millions of rows copied row by row). A plain ``DROP INDEX`` and
``CREATE INDEX`` do the same on both databases at once.

Migrations are history: what is here must keep doing what it does for the migrations that
use it."""

from __future__ import annotations

from typing import Any


def single_column_indexes(
    schema_editor: Any, table: str, column: str, *, keep: str = ""
) -> list[str]:
    """The names of the plain (not unique, not primary key) indexes of ``table`` on ``column``
    alone, found by their column since Django generates their names; ``keep`` is left out."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["primary_key"]
        and not info["unique"]
        and info["columns"] == [column]
        and name != keep
    ]


def drop_single_column_indexes(
    schema_editor: Any, table: str, column: str, *, keep: str = ""
) -> None:
    """Drop what ``single_column_indexes`` finds."""
    quote = schema_editor.quote_name
    for name in single_column_indexes(schema_editor, table, column, keep=keep):
        schema_editor.execute(f"DROP INDEX {quote(name)}")


def create_single_column_index(
    schema_editor: Any, table: str, column: str, name: str, *, keep: str = ""
) -> None:
    """Create the plain index ``name`` on ``column`` unless ``table`` has one already (the
    reverse of ``drop_single_column_indexes``)."""
    if single_column_indexes(schema_editor, table, column, keep=keep):
        return
    quote = schema_editor.quote_name
    schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(table)} ({quote(column)})")
