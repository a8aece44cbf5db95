"""The two-step SPI result import page: check (nothing saved), then confirm."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.indices.models import Institution, SpiResult

pytestmark = pytest.mark.django_db

FILE = b"code,year,index\nkab-bekasi,2024,68.00\nkab-bekasi,2023,66.50\n"


@pytest.fixture
def bekasi(world: World) -> Institution:
    institution = Institution.objects.create(
        code="kab-bekasi", name="Kabupaten Bekasi", kind="regency"
    )
    SpiResult.objects.create(institution=institution, year=2024, index=D("60.00"))
    return institution


def token_of(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "no confirm form"
    return match.group(1)


def test_checking_shows_what_will_be_replaced_and_saves_nothing(
    world: World, bekasi: Institution
) -> None:
    client = client_for(world.inspector)
    response = client.post(
        "/indices/spi/import/", {"file": SimpleUploadedFile("spi.csv", FILE), "source": "KPK"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="replaced"' in text and "60,00" in text and "68,00" in text
    assert SpiResult.objects.get(year=2024).index == D("60.00")
    assert SpiResult.objects.count() == 1

    response = client.post("/indices/spi/import/", {"token": token_of(text)})
    assert response.status_code == 302
    assert response["Location"] == "/indices/spi/institutions/?year=2024"
    assert SpiResult.objects.get(year=2024).index == D("68.00")
    assert SpiResult.objects.get(year=2023).source == "KPK"
    assert Event.objects.filter(action="indices.spi_results_imported").count() == 1


def test_a_tampered_token_is_refused(world: World, bekasi: Institution) -> None:
    client = client_for(world.admin)
    text = client.post(
        "/indices/spi/import/", {"file": SimpleUploadedFile("spi.csv", FILE)}
    ).content.decode()
    response = client.post("/indices/spi/import/", {"token": token_of(text) + "x"})
    assert response.status_code == 400
    assert SpiResult.objects.get(year=2024).index == D("60.00")


def test_a_token_works_only_for_the_user_who_checked_the_file(
    world: World, bekasi: Institution
) -> None:
    text = (
        client_for(world.admin)
        .post("/indices/spi/import/", {"file": SimpleUploadedFile("spi.csv", FILE)})
        .content.decode()
    )
    response = client_for(world.inspector).post("/indices/spi/import/", {"token": token_of(text)})
    assert response.status_code == 400
    assert SpiResult.objects.get(year=2024).index == D("60.00")


def test_the_file_is_checked_again_when_confirmed(world: World, bekasi: Institution) -> None:
    client = client_for(world.inspector_general)
    text = client.post(
        "/indices/spi/import/", {"file": SimpleUploadedFile("spi.csv", FILE)}
    ).content.decode()
    SpiResult.objects.all().delete()
    bekasi.delete()  # the institution went away between the two steps
    response = client.post("/indices/spi/import/", {"token": token_of(text)})
    assert response.status_code == 400 and b"import-errors" in response.content
    assert not SpiResult.objects.exists()


def test_a_bad_file_lists_its_problems(world: World, bekasi: Institution) -> None:
    response = client_for(world.inspector).post(
        "/indices/spi/import/",
        {"file": SimpleUploadedFile("spi.csv", b"code,year,index\nkab-entah,2024,68\n")},
    )
    assert response.status_code == 400
    assert b"import-errors" in response.content and b"kab-entah" in response.content
    assert b'name="token"' not in response.content


def test_staff_outside_the_inspectorate_cannot_import(world: World, bekasi: Institution) -> None:
    response = client_for(world.leader).post(
        "/indices/spi/import/", {"file": SimpleUploadedFile("spi.csv", FILE)}
    )
    assert response.status_code == 403
    assert SpiResult.objects.get(year=2024).index == D("60.00")
