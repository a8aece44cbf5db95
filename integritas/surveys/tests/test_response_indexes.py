"""The indexes of the responses table (migrations ``surveys.0002`` and ``0003``): every insert
keeps each of them up to date, so there are only those lookups need. The (wave, unit) index
answers every lookup by wave, so the wave reference has no index of its own; the service
reference is indexed only where it is set (most waves have no services)."""

from __future__ import annotations

import pytest
from django.db import connection

from integritas.surveys.models import Response

pytestmark = pytest.mark.django_db

TABLE = Response._meta.db_table


def indexed_columns() -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return sorted(
        info["columns"]
        for info in constraints.values()
        if info["index"] and not info["primary_key"] and not info["unique"]
    )


def definition(name: str) -> str:
    """The SQL that defines the index ``name``, as the database keeps it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name]
            )
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        row = cursor.fetchone()
    assert row is not None, name
    return str(row[0])


def plan(sql: str, params: list[object]) -> str:
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        return " ".join(str(cell) for row in cursor.fetchall() for cell in row)


def test_a_wave_s_responses_are_found_by_the_wave_and_unit_index_alone() -> None:
    columns = indexed_columns()

    assert ["wave_id", "unit_id"] in columns
    assert ["wave_id"] not in columns
    assert sorted(c for c in columns if len(c) == 1) == [["batch_id"], ["service_id"], ["unit_id"]]


def test_the_service_index_holds_only_responses_with_a_service_and_answers_lookups() -> None:
    assert "IS NOT NULL" in definition("surveys_response_service").upper()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: force the choice

    by_service = plan("SELECT id FROM surveys_response WHERE service_id = %s", [1])
    by_services = plan("SELECT id FROM surveys_response WHERE service_id IN (%s, %s)", [1, 2])

    assert "surveys_response_service" in by_service
    assert "surveys_response_service" in by_services
