"""Publishing a year's LHKPN compliance on the portal: a decision of the Inspectorate, audited;
unpublishing needs a reason and keeps the record; the portal shows only published years, per
unit and for the government with both rates labelled and the trend by year, units with too few
officials withheld, and never an official's name, NIP or NIK."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.core.models import Unit
from integritas.core.testing import client_for
from integritas.prevention import lhkpn
from integritas.prevention.models import (
    LhkpnObligation,
    LhkpnPublication,
    LhkpnReportType,
    LhkpnSource,
)
from integritas.prevention.services import lhkpn_publication
from integritas.prevention.services.lhkpn_status import import_statuses
from integritas.prevention.tests.conftest import travel
from integritas.prevention.tests.lhkpn_data import CRAFTED, csv_file, nip, register_2025

STAFF = "/pencegahan/lhkpn/kepatuhan/"
PORTAL = "/kepatuhan-lhkpn/"


def list_2024(unit: Unit, count: int, complete: int, first: int) -> None:
    for n in range(count):
        LhkpnObligation.objects.create(
            year=2024,
            report_type=LhkpnReportType.PERIODIC,
            nip=nip(first + n),
            name=f"Pejabat Lama {n}",
            position="Kepala Seksi",
            unit=unit,
            due_on=lhkpn.periodic_due(2024),
            source=LhkpnSource.DECREE,
            status=3 if n < complete else 1,
        )


@pytest.fixture
def imported(world: Any) -> None:
    """2025: Dinkes 6 obliged (4 filed, 2 complete), Disdik 4 (4 filed, 1 complete)."""
    register_2025(world.dinkes, world.disdik)
    with travel(dt.date(2026, 3, 1)):
        import_statuses(data=csv_file(CRAFTED), filename="s.csv", year=2025, by=world.inspector)


def test_the_inspectorate_publishes_a_year_and_the_portal_shows_it(
    world: Any, imported: None
) -> None:
    assert client_for(world.inspector).post(f"{STAFF}2025/terbitkan/").status_code == 302
    publication = LhkpnPublication.objects.get()
    assert publication.year == 2025 and publication.published_by == world.inspector
    assert Event.objects.filter(action="prevention.lhkpn_compliance_published").exists()
    response = client_for(None).get(PORTAL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kepatuhan LHKPN 2025" in page
    assert "Tingkat penyampaian" in page and "Tingkat kelengkapan" in page
    # The government: 10 obliged, 8 filed, 3 complete.
    assert "80,00%" in page and "30,00%" in page
    # Disdik has 4 officials obliged: withheld, and Dinkes with it so the total cannot tell.
    assert world.disdik.name in page and "&lt; 5" in page and "≥ 5" in page
    assert "66,67%" not in page
    for n in range(1, 11):
        assert f"Pejabat {n}<" not in page and nip(n) not in page


def test_small_units_are_withheld_and_the_total_cannot_give_them_away(
    world: Any, imported: None
) -> None:
    figures = lhkpn_publication.public_figures(2025)
    shown = {row.unit.code: row for row in figures.units}
    assert shown[world.disdik.code].figures is None
    assert shown[world.disdik.code].withheld == "< 5"
    # The government's total is shown: Dinkes is withheld too ("≥ 5").
    assert shown[world.dinkes.code].figures is None
    assert shown[world.dinkes.code].withheld == "≥ 5"
    assert figures.government.obliged == 10 and figures.government.complete == 3


def test_the_portal_shows_the_trend_of_published_years_only(world: Any, imported: None) -> None:
    list_2024(world.dinkes, 5, complete=5, first=100)
    list_2024(world.disdik, 5, complete=4, first=200)
    client = client_for(world.inspector)
    client.post(f"{STAFF}2025/terbitkan/")
    page = client_for(None).get(PORTAL).content.decode()
    assert ">2024<" not in page  # not published
    client.post(f"{STAFF}2024/terbitkan/")
    page = client_for(None).get(PORTAL).content.decode()
    assert ">2024<" in page and "90,00%" in page
    older = client_for(None).get(PORTAL, {"year": 2024}).content.decode()
    assert "Kepatuhan LHKPN 2024" in older and "100,00%" in older  # Dinkes, 5 obliged


def test_only_the_inspectorate_publishes(world: Any, imported: None) -> None:
    for user in (world.officer_a, world.leader, world.admin, world.head_a):
        assert client_for(user).post(f"{STAFF}2025/terbitkan/").status_code == 403
    assert not LhkpnPublication.objects.exists()
    assert client_for(world.inspector_general).post(f"{STAFF}2025/terbitkan/").status_code == 302


def test_unpublishing_needs_a_reason_and_keeps_the_record(world: Any, imported: None) -> None:
    client = client_for(world.inspector)
    client.post(f"{STAFF}2025/terbitkan/")
    assert client.post(f"{STAFF}2025/tarik/", {"reason": " "}).status_code == 400
    assert LhkpnPublication.objects.live().exists()
    assert client.post(f"{STAFF}2025/tarik/", {"reason": "Status dikoreksi"}).status_code == 302
    publication = LhkpnPublication.objects.get()
    assert publication.unpublish_reason == "Status dikoreksi" and publication.unpublished_at
    event = Event.objects.get(action="prevention.lhkpn_compliance_unpublished")
    assert event.reason == "Status dikoreksi"
    assert client_for(None).get(PORTAL, {"year": 2025}).status_code == 404
    assert "Belum ada yang diterbitkan" in client_for(None).get(PORTAL).content.decode()


def test_a_year_without_officials_not_open_or_already_published_is_refused(
    world: Any, imported: None
) -> None:
    client = client_for(world.inspector)
    empty = client.post(f"{STAFF}2023/terbitkan/", follow=True).content.decode()
    assert "Belum ada pejabat wajib lapor untuk tahun ini" in empty
    with travel(dt.date(2025, 6, 1)):
        with pytest.raises(ValidationError, match="belum dapat disampaikan"):
            lhkpn_publication.publish(year=2025, by=world.inspector)
    client.post(f"{STAFF}2025/terbitkan/")
    again = client.post(f"{STAFF}2025/terbitkan/", follow=True).content.decode()
    assert "sudah diterbitkan" in again
    assert LhkpnPublication.objects.count() == 1
    assert client_for(None).get(PORTAL, {"year": 2023}).status_code == 404
