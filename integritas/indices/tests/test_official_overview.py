"""The SPI overview of this government and the institution page."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from integritas.core.testing import World, body, client_for
from integritas.indices.models import Institution, SpiResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(world: World) -> Institution:
    own = Institution.objects.create(
        code="kota-uji", name="Kota Uji", kind=Institution.Kind.CITY, is_own=True
    )
    SpiResult.objects.create(institution=own, year=2022, index=D("66.10"))
    SpiResult.objects.create(
        institution=own,
        year=2023,
        index=D("63.26"),
        internal=D("69.84"),
        external=D("74.10"),
        expert=D("60.12"),
        correction=D("7.80"),
        dimension_scores={"INT-PROC": 61.5},
    )
    for code, index in [("kota-a", "72.45"), ("kota-b", "69.30")]:
        other = Institution.objects.create(code=code, name=code, kind=Institution.Kind.CITY)
        SpiResult.objects.create(institution=other, year=2023, index=D(index))
    return own


def test_it_shows_the_category_the_distance_and_the_comparisons_of_the_latest_year(
    world: World, own: Institution
) -> None:
    response = client_for(world.officer_b).get("/indices/spi/")  # Indonesian, as users see it
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hasil SPI Kota Uji" in text
    # 2023 uses the four bands: 63.26 is Sangat Rentan, 68.0 − 63.26 = 4.74 below Rentan.
    assert "63,26" in text and "Sangat Rentan" in text
    assert "4,74 poin di bawah Rentan" in text
    assert "70,97" in text  # national index 2023 (seeded)
    assert "-7,71" in text  # 63.26 − 70.97
    assert "70,88" in text  # (72.45 + 69.30) / 2 = 70.875 → 70.88, the two other cities
    assert "-7,62" in text  # 63.26 − 70.88
    assert "-8,74" in text  # 63.26 − 72, KPK's published average of cities in 2023
    assert "13,98" in text  # expert 60.12 is 74.10 − 60.12 below the external score
    assert "Procurement of goods and services" in text or "Pengadaan" in text
    assert "<svg" in text and 'id="spi-years"' in text


def test_an_earlier_year_can_be_shown_in_detail(world: World, own: Institution) -> None:
    text = client_for(world.leader).get("/indices/spi/?year=2022").content.decode()
    # 2022 bands: 66.10 is Sangat Rentan, 68.0 − 66.10 = 1.90 below Rentan.
    assert "Sangat Rentan" in text and "1,90" in text


def test_without_an_own_institution_it_explains_what_to_do(world: World) -> None:
    response = client_for(world.inspector).get("/indices/spi/")
    assert response.status_code == 200
    assert b"/indices/spi/institutions/" in response.content


def test_the_years_table_exports_as_csv_and_xlsx(world: World, own: Institution) -> None:
    client = client_for(world.head_a)
    csv_text = body(client.get("/indices/spi/?export=csv")).decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("Kode,Nama,Tahun,Indeks,Kategori,Kategori berikutnya,Poin menuju")
    assert lines[1].startswith("kota-uji,Kota Uji,2023,63.26,Sangat Rentan,Rentan,4.74,-2.84,70.97")
    response = client.get("/indices/spi/institutions/kota-uji/?export=xlsx")
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][:4] == ["kota-uji", "Kota Uji", 2023, 63.26]


def test_the_institution_page_shows_its_years_and_analysis(world: World, own: Institution) -> None:
    response = client_for(world.officer_a).get("/indices/spi/institutions/kota-a/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "kota-a" in text and "72,45" in text
    # kota-a's peers are the own city and kota-b: (63.26 + 69.30) / 2 = 66.28
    assert "66,28" in text


def test_an_account_without_a_role_sees_no_institution(world: World, own: Institution) -> None:
    assert client_for(world.nobody).get("/indices/spi/institutions/kota-uji/").status_code == 404
    assert b"63,26" not in client_for(world.nobody).get("/indices/spi/").content
