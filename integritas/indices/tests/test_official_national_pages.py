"""National SPI figures: the list with export, and the form for a new year."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
import time_machine

from integritas.audit.models import Event
from integritas.core.testing import World, body, client_for
from integritas.indices.models import NationalFigure

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_seeded_years_and_exports(world: World) -> None:
    client = client_for(world.officer_b)
    text = client.get("/indices/spi/national/").content.decode()
    assert "71,53" in text and "601.453" in text
    lines = body(client.get("/indices/spi/national/?export=csv")).decode("utf-8-sig")
    rows = lines.splitlines()
    assert rows[0].startswith("Tahun,Indeks,Responden,Responden yang dikumpulkan,Instansi")
    assert rows[2].startswith("2023,70.97,553321,,,72,,69,")


@time_machine.travel("2026-02-01 10:00 +0700")
def test_a_new_year_is_added_with_averages_by_type(world: World) -> None:
    response = client_for(world.inspector).post(
        "/indices/spi/national/add/",
        {
            "year": "2025",
            "index": "72,05",
            "respondents": "610000",
            "average_city": "73,4",
            "average_province": "",
            "source": "KPK",
        },
    )
    assert response.status_code == 302, response.content.decode()
    figure = NationalFigure.objects.get(year=2025)
    assert figure.index == D("72.05") and figure.averages_by_kind == {"city": 73.4}
    assert Event.objects.filter(action="indices.national_figure_created").count() == 1


@time_machine.travel("2026-02-01 10:00 +0700")
def test_bad_values_are_refused(world: World) -> None:
    client = client_for(world.admin)
    for values in (
        {"year": "2027", "index": "72"},  # a year that has not happened
        {"year": "2025", "index": "101"},
        {"year": "2025", "index": "72", "average_city": "120"},
        {"year": "2025", "index": "72", "respondents": "10", "respondents_collected": "5"},
        {"year": "2024", "index": "72"},  # already saved
    ):
        assert client.post("/indices/spi/national/add/", values).status_code == 400, values
    assert not NationalFigure.objects.filter(year__in=[2025, 2027]).exists()


def test_editing_a_year_keeps_its_averages_in_the_form(world: World) -> None:
    client = client_for(world.inspector_general)
    form = client.get("/indices/spi/national/2023/edit/").content.decode()
    assert 'name="average_city"' in form and 'value="72"' in form
    response = client.post(
        "/indices/spi/national/2023/edit/",
        {
            "year": "2023",
            "index": "70,97",
            "respondents": "553321",
            "average_city": "72",
            "average_province": "69",
            "source": "KPK",
        },
    )
    assert response.status_code == 302
    assert NationalFigure.objects.get(year=2023).averages_by_kind == {"city": 72, "province": 69}
    event = Event.objects.get(action="indices.national_figure_updated")
    assert event.changes == {"source": ["KPK, Survei Penilaian Integritas 2023", "KPK"]}
