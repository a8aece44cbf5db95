"""The signed PDF "Laporan Pemantauan Tindak Lanjut": letterhead, signer with NIP, summary,
per-unit table, TLHP categories with Rupiah and the overdue list."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from pypdf import PdfReader

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


def test_another_official_with_signing_authority_can_sign(
    world: World, data: Any, captured: list[str]
) -> None:
    signer = world.head_a
    signer.nip, signer.position = "198001012005011001", "Kepala Dinas Kesehatan"
    signer.can_sign = True
    signer.save()
    response = client_for(world.leader).get(URL, {"signer": str(signer.public_id), "year": ""})
    assert response.status_code == 200
    assert "Kepala Dinas Kesehatan" in captured[0] and "19800101 200501 1 001" in captured[0]


def test_someone_without_signing_authority_cannot_sign(world: World, data: Any) -> None:
    response = client_for(world.leader).get(URL, {"signer": str(world.officer_b.public_id)})
    assert response.status_code == 400
    assert b'name="signer"' in response.content


def test_an_official_with_a_nip_but_without_signing_authority_cannot_sign(
    world: World, data: Any
) -> None:
    world.head_a.nip = "198001012005011001"
    world.head_a.save()
    response = client_for(world.leader).get(URL, {"signer": str(world.head_a.public_id)})
    assert response.status_code == 400


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@time_machine.travel(dt.datetime(2026, 12, 6, 9, tzinfo=dt.UTC), tick=False)
def test_the_report_shows_its_number_and_the_place_before_the_date(world: World, data: Any) -> None:
    world.gov.signing_place = "Kota Uji"
    world.gov.save()
    response = client_for(world.inspector).get(
        URL, {"signer": "", "report_number": "700/123/Itda/XII/2026"}
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Nomor: 700/123/Itda/XII/2026" in text
    assert "Kota Uji, 6 Desember 2026" in text
    assert text.index("Nomor: 700/123") < text.index("Kota Uji, 6 Desember 2026")


@time_machine.travel(dt.datetime(2026, 12, 6, 9, tzinfo=dt.UTC), tick=False)
def test_the_number_is_proposed_from_the_governments_pattern(world: World, data: Any) -> None:
    world.gov.report_number_pattern = "700/…/Itda/{roman_month}/{year}"
    world.gov.save()
    page = client_for(world.inspector).get("/followup/dashboard/").content.decode()
    assert 'name="report_number" value="700/…/Itda/XII/2026"' in page
    response = client_for(world.inspector).get(URL)  # a plain link prints the proposal
    assert "Nomor: 700/…/Itda/XII/2026" in pdf_text(response.content)


def test_the_report_follows_the_filters(world: World, data: Any, captured: list[str]) -> None:
    response = client_for(world.leader).get(URL, {"source": "kpk_letter"})
    assert response.status_code == 200
    assert "Kelebihan bayar proyek jalan" not in captured[0]


def test_unit_staff_cannot_print_the_report(world: World, data: Any) -> None:
    assert client_for(world.head_a).get(URL).status_code == 403
