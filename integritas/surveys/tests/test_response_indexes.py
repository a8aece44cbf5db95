"""The indexes of the responses table (migration ``surveys.0002``): the (wave, unit) index
answers every lookup by wave, so the wave reference has no index of its own, which every insert
would have to keep up to date too."""

from __future__ import annotations

import pytest
from django.db import connection

from integritas.surveys.models import Response

pytestmark = pytest.mark.django_db


def indexed_columns() -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Response._meta.db_table)
    return sorted(
        info["columns"]
        for info in constraints.values()
        if info["index"] and not info["primary_key"] and not info["unique"]
    )


def test_a_wave_s_responses_are_found_by_the_wave_and_unit_index_alone() -> None:
    columns = indexed_columns()

    assert ["wave_id", "unit_id"] in columns
    assert ["wave_id"] not in columns
    assert sorted(c for c in columns if len(c) == 1) == [["batch_id"], ["service_id"], ["unit_id"]]
