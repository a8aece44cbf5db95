"""The signed PDF "Laporan Pemantauan Tindak Lanjut": letterhead, signer with NIP, summary,
per-unit table, TLHP categories with Rupiah and the overdue list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from integritas.core.testing import World, client_for
from integritas.followup.services import recommendations as services
from integritas.followup.testing import draft_plan, recommendation
from integritas.lib import pdf

pytestmark = pytest.mark.django_db
URL = "/followup/dashboard/report.pdf"


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML handed to WeasyPrint, which still renders it."""
    pages: list[str] = []
    real = pdf.html_to_pdf

    def spy(html: str) -> bytes:
        pages.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", spy)
    return pages


@pytest.fixture
def data(world: World) -> Any:
    """A BPK finding of Rp1.250.000 half recovered, and an overdue plan at DINKES."""
    rec = recommendation(
        world,
        source="bpk",
        title="Kelebihan bayar proyek jalan",
        amount_to_recover=Decimal("1250000"),
    )
    services.recommendation_set_tlhp(
        recommendation=rec,
        category="belum_sesuai",
        amount_recovered=Decimal("625000"),
        by=world.inspector,
    )
    from integritas.core.services.calendar import calendar_for

    past = calendar_for().previous_working_day(dt.date(2026, 1, 20))
    return draft_plan(world, rec, due=past)


def test_the_report_is_a_pdf_signed_by_the_inspector_general_by_default(
    world: World, data: Any, captured: list[str]
) -> None:
    ig = world.inspector_general
    ig.nip, ig.position = "197203021995022938", "Inspektur Daerah"
    ig.save()
    response = client_for(world.inspector).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = captured[0]
    assert "Pemerintah Kota Uji" in html  # letterhead
    assert ig.name in html and "Inspektur Daerah" in html and "19720302 199502 2 938" in html
    assert "Rp1.250.000" in html and "Rp625.000" in html  # TLHP amounts, in Rupiah
    assert "Dinas Kesehatan" in html  # per-unit table
    assert data.recommendation.code in html  # the overdue list
    assert "Kelebihan bayar proyek jalan" in html


def test_another_official_with_a_nip_can_sign(world: World, data: Any, captured: list[str]) -> None:
    signer = world.head_a
    signer.nip, signer.position = "198001012005011001", "Kepala Dinas Kesehatan"
    signer.save()
    response = client_for(world.leader).get(URL, {"signer": str(signer.public_id), "year": ""})
    assert response.status_code == 200
    assert "Kepala Dinas Kesehatan" in captured[0] and "19800101 200501 1 001" in captured[0]


def test_someone_without_a_nip_or_the_role_cannot_sign(world: World, data: Any) -> None:
    response = client_for(world.leader).get(URL, {"signer": str(world.officer_b.public_id)})
    assert response.status_code == 400
    assert b'name="signer"' in response.content


def test_the_report_follows_the_filters(world: World, data: Any, captured: list[str]) -> None:
    response = client_for(world.leader).get(URL, {"source": "kpk_letter"})
    assert response.status_code == 200
    assert "Kelebihan bayar proyek jalan" not in captured[0]


def test_unit_staff_cannot_print_the_report(world: World, data: Any) -> None:
    assert client_for(world.head_a).get(URL).status_code == 403
