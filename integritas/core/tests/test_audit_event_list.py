"""The audit trail page: Inspectorate only, filters, CSV/XLSX export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone

from integritas import audit
from integritas.audit.context import acting_as
from integritas.core.testing import body
from integritas.core.tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def make_events(world: World) -> None:
    with time_machine.travel(dt.datetime(2024, 5, 29, 3, 0, tzinfo=dt.UTC), tick=False):
        with acting_as(label="Inspektur", user=world.inspector_general):
            audit.record("unit.updated", obj=world.dinkes, changes={"name": ["A", "B"]})
    with time_machine.travel(dt.datetime(2024, 6, 10, 3, 0, tzinfo=dt.UTC), tick=False):
        with acting_as(label="Admin", user=world.admin):
            audit.record("user.updated", obj=world.officer_a, reason="moved unit")


def test_the_inspectorate_sees_events_newest_first(world: World) -> None:
    make_events(world)
    response = client_for(world.inspector).get("/audit/")
    assert response.status_code == 200
    page = list(response.context["page"].object_list)
    assert [e.action for e in page] == ["user.updated", "unit.updated"]
    assert "moved unit" in response.content.decode()


def test_it_filters_by_actor_object_type_and_dates(world: World) -> None:
    make_events(world)
    client = client_for(world.admin)
    by_actor = client.get("/audit/", {"actor": "Inspektur"}).context["page"].object_list
    assert [e.action for e in by_actor] == ["unit.updated"]
    by_type = client.get("/audit/", {"object_type": "core.user"}).context["page"].object_list
    assert [e.action for e in by_type] == ["user.updated"]
    by_dates = (
        client.get("/audit/", {"date_from": "2024-06-01", "date_to": "2024-06-30"})
        .context["page"]
        .object_list
    )
    assert [e.action for e in by_dates] == ["user.updated"]
    on_day = (
        client.get("/audit/", {"date_from": "2024-05-29", "date_to": "2024-05-29"})
        .context["page"]
        .object_list
    )
    assert [e.action for e in on_day] == ["unit.updated"]


def test_an_inverted_date_range_is_an_error_not_an_empty_success(world: World) -> None:
    make_events(world)
    response = client_for(world.admin).get(
        "/audit/", {"date_from": "2024-06-30", "date_to": "2024-06-01"}
    )
    assert (
        "must not be before" in response.content.decode()
        or "tidak boleh sebelum" in response.content.decode()
    )
    assert list(response.context["page"].object_list) == []


def test_it_exports_the_filtered_events_as_csv(world: World) -> None:
    make_events(world)
    response = client_for(world.inspector_general).get(
        "/audit/", {"object_type": "core.unit", "export": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    # Headers and cells in the reader's language (Indonesian by default), as on the page.
    assert rows[0][:6] == ["Nomor urut", "Waktu", "Pelaku", "Tindakan", "Jenis objek", "Objek"]
    assert len(rows) == 2 and rows[1][3] == "Unit kerja diubah"
    assert rows[1][4] == "Unit kerja"
    moment = timezone.localtime(dt.datetime(2024, 5, 29, 3, 0, tzinfo=dt.UTC))
    assert rows[1][1] == f"29 Mei 2024 {moment:%H}.{moment:%M}"
    assert rows[1][6] == "Nama: A → B"


def test_unit_staff_and_leadership_cannot_open_it(world: World) -> None:
    for user in (world.officer_a, world.head_a, world.leader, world.handler):
        assert client_for(user).get("/audit/").status_code == 403
        assert client_for(user).get("/audit/", {"export": "csv"}).status_code == 403
