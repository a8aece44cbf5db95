"""The references of imported rows when SQLite's own foreign key checks are off for the import's
transaction (``imports.response_store.sqlite_commit`` and ``check_references``): every unit,
service, wave and batch the rows name must exist when the import commits, checked once per
distinct value, and an import naming one that is gone stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection

from integritas.core.testing import World
from integritas.surveys.imports import response_saving
from integritas.surveys.imports.response_store import check_references, sqlite_commit
from integritas.surveys.imports.responses import ResponseImporter, import_responses
from integritas.surveys.models import ImportBatch, Response, Service, Wave
from integritas.surveys.testing import build_version
from integritas.surveys.tests.test_responses_import_columns import SPEC, data_of, make_wave, row

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="PostgreSQL keeps its own foreign key checks during an import (or re-adds them)",
    ),
]


@pytest.fixture
def wave(world: World) -> Wave:
    return make_wave(world, build_version(SPEC), "refs")


class _Unchecked(sqlite_commit):
    """As on a SQLite file outside a test's transaction: the rows' references are the
    caller's to check."""

    def __enter__(self) -> sqlite_commit:
        super().__enter__()
        self.references_unchecked = True
        return self


@pytest.fixture
def unchecked(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The import's references are checked by ``check_references``; its calls are recorded."""
    calls: list[dict[str, Any]] = []

    def spy(**kwargs: Any) -> None:
        calls.append(kwargs)
        check_references(**kwargs)

    monkeypatch.setattr(response_saving, "sqlite_commit", _Unchecked)
    monkeypatch.setattr(response_saving, "check_references", spy)
    return calls


@pytest.fixture(params=[True, False], ids=["while-checking", "after"])
def written(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Both ways of writing a plain file: block by block while checking, or after the check."""
    monkeypatch.setattr("integritas.surveys.imports.responses.WRITE_WHILE_CHECKING", request.param)
    return bool(request.param)


def lines(count: int) -> list[str]:
    return [row(unit_code=("DINKES", "DISDIK")[i % 2], U1=str(i % 4 + 1)) for i in range(count)]


def test_the_references_of_a_good_import_are_checked_once_per_distinct_value(
    wave: Wave, world: World, unchecked: list[dict[str, Any]], written: bool
) -> None:
    kia = Service.objects.get(code="KIA")

    report = import_responses(
        wave=wave,
        path_or_bytes=data_of(*lines(20), row(unit_code="DINKES", service_code="KIA")),
        filename="file.csv",
    )

    assert report.ok and report.imported == 21
    [call] = unchecked
    assert call["wave_id"] == wave.pk and call["batch_id"] == report.batch.pk
    assert sorted(set(map(int, call["unit_ids"]))) == sorted([world.dinkes.pk, world.disdik.pk])
    assert set(map(int, call["service_ids"])) - {0} == {kia.pk}


def test_an_import_naming_a_unit_gone_since_it_was_read_stores_nothing(
    wave: Wave, unchecked: list[dict[str, Any]], written: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    init = ResponseImporter.__init__

    def read_then_gone(self: ResponseImporter, *args: Any) -> None:
        init(self, *args)
        self.units["DISDIK"] = 10**9  # the unit read at the start no longer exists

    monkeypatch.setattr(ResponseImporter, "__init__", read_then_gone)

    with pytest.raises(IntegrityError, match="core_unit"):
        import_responses(wave=wave, path_or_bytes=data_of(*lines(6)), filename="file.csv")

    assert len(unchecked) == 1
    assert not Response.objects.filter(wave=wave).exists()
    assert not ImportBatch.objects.filter(wave=wave).exists()


def test_check_references_names_the_table_of_the_first_missing_reference(
    wave: Wave, world: World
) -> None:
    batch = ImportBatch.objects.create(wave=wave, filename="f.csv", content_hash="1" * 64)
    kia = Service.objects.get(code="KIA")
    good = {"wave_id": wave.pk, "batch_id": batch.pk}
    units = [world.dinkes.pk, world.disdik.pk, world.dinkes.pk]

    check_references(**good, unit_ids=units, service_ids=[0, kia.pk, 0, kia.pk])
    check_references(**good, unit_ids=[], service_ids=[])
    with pytest.raises(IntegrityError, match="surveys_service"):
        check_references(**good, unit_ids=units, service_ids=[kia.pk, kia.pk + 1000])
    with pytest.raises(IntegrityError, match="core_unit"):
        check_references(**good, unit_ids=[*units, 10**9], service_ids=[0])
    with pytest.raises(IntegrityError, match="surveys_wave"):
        check_references(wave_id=10**9, batch_id=batch.pk, unit_ids=units, service_ids=[])
    with pytest.raises(IntegrityError, match="surveys_importbatch"):
        check_references(wave_id=wave.pk, batch_id=10**9, unit_ids=units, service_ids=[])


def test_inside_an_outer_transaction_sqlite_keeps_checking_the_references_itself() -> None:
    # A test's transaction, like any outer one: the pragma could not change inside it.
    with sqlite_commit() as commit:
        assert not commit.references_unchecked
