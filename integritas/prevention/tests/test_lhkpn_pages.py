"""The LHKPN pages: the register with its filters, search, pages and empty state; an official's
own obligation; a unit head's units; recording an appointment; the positions and listing their
holders; the decree and status uploads (a bad file shows every problem and stores nothing); the
compliance page with both rates labelled and the trend; the leadership scoreboard's section."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from integritas.core.models import Role
from integritas.core.testing import client_for, make_user
from integritas.prevention.models import LhkpnObligation
from integritas.prevention.tests.conftest import travel
from integritas.prevention.tests.lhkpn_data import CRAFTED, TODAY, csv_file, nip, register_2025

LIST = "/pencegahan/lhkpn/"


@pytest.fixture
def register(world: Any) -> list[LhkpnObligation]:
    return register_2025(world.dinkes, world.disdik)


def test_an_empty_register_says_how_to_start(world: Any) -> None:
    page = client_for(world.inspector).get(LIST).content.decode()
    assert "Belum ada pejabat yang terdaftar" in page


def test_the_register_filters_searches_and_pages(world: Any, register: Any) -> None:
    LhkpnObligation.objects.filter(nip=nip(1)).update(status=0)
    LhkpnObligation.objects.filter(nip=nip(2)).update(status=3)
    client = client_for(world.inspector)
    response = client.get(LIST, {"year": 2025, "unit": world.dinkes.pk})
    assert response.status_code == 200 and response.context["total"] == 6
    assert client.get(LIST, {"filed": "no"}).context["total"] == 9  # a draft is not filed
    assert client.get(LIST, {"filed": "complete"}).context["total"] == 1
    found = client.get(LIST, {"q": "Pejabat 10"})
    assert [o.nip for o in found.context["page"].object_list] == [nip(10)]
    assert client.get(LIST, {"q": nip(7)}).context["total"] == 1
    empty = client.get(LIST, {"q": "tidak ada"}).content.decode()
    assert "Tidak ada kewajiban yang cocok" in empty
    assert client.get(LIST, {"year": "abc"}).status_code == 200  # a bad filter is ignored


def test_an_official_reads_their_own_obligation_and_not_others(world: Any, register: Any) -> None:
    own = register[0]
    own.user = world.officer_b
    own.save()
    client = client_for(world.officer_b)
    assert client.get(f"{LIST}{own.pk}/").status_code == 200
    assert client.get(f"{LIST}{register[1].pk}/").status_code == 404
    assert client.get(LIST).status_code == 403


def test_a_unit_head_reads_their_units_officials(world: Any, register: Any) -> None:
    client = client_for(world.head_a)
    response = client.get(LIST)
    assert response.status_code == 200 and response.context["total"] == 6
    assert client.get(f"{LIST}{register[9].pk}/").status_code == 404  # Disdik
    page = client.get(f"{LIST}kepatuhan/").content.decode()
    assert "Dinas Kesehatan" in page and "Dinas Pendidikan" not in page


def test_the_upg_records_an_appointment(world: Any) -> None:
    upg = make_user("upg", role=Role.UPG_OFFICER)
    client = client_for(upg)
    data = {
        "report_type": "initial",
        "event_date": "2026-11-30",
        "nip": nip(5),
        "name": "Pejabat Baru",
        "position": "Camat",
        "unit": world.disdik.pk,
    }
    response = client.post(f"{LIST}khusus/", data)
    obligation = LhkpnObligation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LIST}{obligation.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "28 Februari 2027" in page
    bad = client.post(f"{LIST}khusus/", {**data, "nip": "123"})
    assert bad.status_code == 400 and LhkpnObligation.objects.count() == 1


def test_the_inspectorate_names_positions_and_lists_their_holders(world: Any) -> None:
    world.head_a.position, world.head_a.nip = "Kepala Dinas", nip(1)
    world.head_a.save()
    client = client_for(world.inspector)
    client.post(f"{LIST}jabatan/", {"titles": "Kepala Dinas\nCamat"})
    response = client.post(f"{LIST}jabatan/", {"year": 2025})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?year=2025"
    assert LhkpnObligation.objects.get().user == world.head_a
    assert client_for(world.leader).post(f"{LIST}jabatan/", {"year": 2025}).status_code == 403


def test_a_bad_status_file_shows_every_problem_and_stores_nothing(
    world: Any, register: Any
) -> None:
    client = client_for(world.inspector)
    rows = [*CRAFTED[:2], {**CRAFTED[2], "Status": "9"}]
    upload = SimpleUploadedFile("status.csv", csv_file(rows), content_type="text/csv")
    with travel(TODAY):
        response = client.post(f"{LIST}impor-status/", {"year": 2025, "file": upload})
    assert response.status_code == 400
    assert "dari 0 sampai 7" in response.content.decode()
    assert not LhkpnObligation.objects.exclude(status=None).exists()


def test_the_status_upload_leads_to_the_compliance_page_with_both_rates(
    world: Any, register: Any
) -> None:
    client = client_for(world.inspector)
    upload = SimpleUploadedFile("status.csv", csv_file(CRAFTED), content_type="text/csv")
    with travel(TODAY):
        response = client.post(f"{LIST}impor-status/", {"year": 2025, "file": upload})
        assert response.status_code == 302 and response["Location"] == f"{LIST}kepatuhan/"
        page = client.get(f"{LIST}kepatuhan/?year=2025").content.decode()
        figures = client.get(f"{LIST}kepatuhan/?year=2025").context["trend"]
        unit_page = client.get(f"{LIST}kepatuhan/", {"year": 2025, "unit": world.dinkes.pk})
        bad = client.get(f"{LIST}kepatuhan/", {"year": "x", "unit": "y"})
    assert "Tingkat penyampaian" in page and "Tingkat kelengkapan" in page
    assert "80,00%" in page and "30,00%" in page  # the government
    assert "66,67%" in page and "33,33%" in page  # Dinkes
    assert [year for year, _ in figures] == [2025]
    assert unit_page.context["unit"] == world.dinkes
    assert bad.status_code == 200  # bad filters are ignored


def test_the_leadership_scoreboard_shows_lhkpn_compliance(world: Any, register: Any) -> None:
    LhkpnObligation.objects.filter(nip__in=[nip(7), nip(8)]).update(status=4)
    page = client_for(world.leader).get("/followup/dashboard/scoreboard/").content.decode()
    assert 'id="lhkpn-compliance"' in page and "Kepatuhan LHKPN 2025" in page
    assert "50,00%" in page  # Disdik: 2 of 4 complete
    officer = client_for(world.officer_b).get("/followup/dashboard/scoreboard/")
    assert 'id="lhkpn-compliance"' not in officer.content.decode()
