"""The institution list (filters, pagination, export) and the forms to add and edit one."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from integritas.audit.models import Event
from integritas.core.testing import World, body, client_for
from integritas.indices.imports.official import import_results
from integritas.indices.models import Institution, SpiResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def institutions(world: World) -> None:
    rows = [
        ("kota-a", "Kota Alfa", "city", "small", "72.45"),
        ("kota-b", "Kota Beta", "city", "large", "69.30"),
        ("kab-c", "Kabupaten Gama", "regency", "large", "75.10"),
    ]
    for code, name, kind, size, index in rows:
        institution = Institution.objects.create(
            code=code, name=name, kind=kind, size_class=size, province="Jawa Barat"
        )
        SpiResult.objects.create(
            institution=institution,
            year=2024,
            index=D(index),
            dimension_scores={"INT-PROC": 60.5},
        )
    SpiResult.objects.create(
        institution=Institution.objects.get(code="kota-a"), year=2023, index=D("70.00")
    )


def test_the_list_filters_by_type_size_and_search(world: World, institutions: None) -> None:
    client = client_for(world.officer_a)
    text = client.get("/indices/spi/institutions/?kind=city").content.decode()
    assert "Kota Alfa" in text and "Kota Beta" in text and "Kabupaten Gama" not in text
    text = client.get("/indices/spi/institutions/?size=large&q=gama").content.decode()
    assert "Kabupaten Gama" in text and "Kota Beta" not in text


def test_the_list_shows_the_chosen_year_and_can_rank_by_index(
    world: World, institutions: None
) -> None:
    client = client_for(world.leader)
    text = client.get("/indices/spi/institutions/?order=index").content.decode()
    assert text.index("Kabupaten Gama") < text.index("Kota Alfa") < text.index("Kota Beta")
    assert "75,10" in text and "Waspada" in text  # 2024 is the latest year
    text = client.get("/indices/spi/institutions/?year=2023").content.decode()
    assert "70,00" in text and "72,45" not in text


def test_the_list_paginates(world: World) -> None:
    for number in range(30):
        Institution.objects.create(
            code=f"kota-{number:02d}", name=f"Kota {number:02d}", kind="city"
        )
    client = client_for(world.inspector)
    assert "Kota 24" in client.get("/indices/spi/institutions/").content.decode()
    second = client.get("/indices/spi/institutions/?page=2").content.decode()
    assert "Kota 25" in second and "Kota 24" not in second


def test_the_export_is_in_the_layout_of_the_import_file(world: World, institutions: None) -> None:
    response = client_for(world.inspector).get("/indices/spi/institutions/?kind=city&export=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="spi-results-2024-')
    data = body(response)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Kode,Nama,Jenis,Klasifikasi ukuran,Provinsi,Tahun,Indeks,Kategori,Internal,Eksternal,"
        "Ahli (eksper),Koreksi,dim:INT-PROC,Sumber"
    )
    assert lines[1] == "kota-a,Kota Alfa,city,small,Jawa Barat,2024,72.45,Rentan,,,,,60.5,"
    assert len(lines) == 3
    # The file goes back in unchanged.
    SpiResult.objects.all().delete()
    report = import_results(data=data, filename="export.csv")
    assert report.saved, report.errors
    assert SpiResult.objects.count() == 2


def test_the_inspectorate_adds_an_institution_and_marks_it_as_own(world: World) -> None:
    response = client_for(world.inspector).post(
        "/indices/spi/institutions/add/",
        {"code": "Kota-Uji", "name": "Kota  Uji", "kind": "city", "is_own": "on"},
    )
    assert response.status_code == 302
    institution = Institution.objects.get(code="kota-uji")
    assert institution.name == "Kota Uji" and institution.is_own
    assert response["Location"] == "/indices/spi/institutions/kota-uji/"
    assert Event.objects.filter(action="indices.institution_created").count() == 1


def test_a_reserved_or_repeated_code_is_refused(world: World) -> None:
    Institution.objects.create(code="kota-a", name="Kota A", kind="city")
    client = client_for(world.admin)
    for code in ("add", "KOTA-A"):
        response = client.post(
            "/indices/spi/institutions/add/", {"code": code, "name": "Kota Baru", "kind": "city"}
        )
        assert response.status_code == 400
    assert Institution.objects.count() == 1


def test_editing_records_what_changed(world: World) -> None:
    Institution.objects.create(code="kota-a", name="Kota A", kind="city")
    response = client_for(world.inspector_general).post(
        "/indices/spi/institutions/kota-a/edit/",
        {"code": "kota-a", "name": "Kota A", "kind": "city", "size_class": "small"},
    )
    assert response.status_code == 302
    event = Event.objects.get(action="indices.institution_updated")
    assert event.changes == {"size_class": ["", "small"]}


def test_the_institution_list_import_page_imports_a_file(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "list.csv", b"code,name,type\nkab-bekasi,Kabupaten Bekasi,regency\n"
    )
    response = client_for(world.inspector).post(
        "/indices/spi/institutions/import/", {"file": upload}
    )
    assert response.status_code == 302
    assert Institution.objects.filter(code="kab-bekasi").exists()
    bad = SimpleUploadedFile("list.csv", b"code,name,type\nkab-bekasi,,desa\n")
    response = client_for(world.inspector).post("/indices/spi/institutions/import/", {"file": bad})
    assert response.status_code == 400 and b"import-errors" in response.content


def test_the_institution_page_labels_bali_2024_waspada_as_kpk_did(world: World) -> None:
    # KPK published Provinsi Bali 2024 at 77.97, Waspada: Terjaga starts at 78, and the score is
    # not rounded to 78.0 before it is placed. 78 − 77.97 = 0.03 points below Terjaga.
    bali = Institution.objects.create(code="prov-bali", name="Provinsi Bali", kind="province")
    SpiResult.objects.create(institution=bali, year=2024, index=D("77.97"))
    text = client_for(world.leader).get("/indices/spi/institutions/prov-bali/").content.decode()
    assert "Waspada" in text and "Terjaga" in text
    assert "0,03" in text
    assert "tanpa dibulatkan" in text  # the page says the index is not rounded
    listing = client_for(world.leader).get("/indices/spi/institutions/?year=2024")
    row = next(line for line in listing.content.decode().split("<tr") if "Provinsi Bali" in line)
    assert "Waspada" in row and "Terjaga" not in row


def test_a_2023_result_is_placed_in_the_four_bands_of_2023(world: World) -> None:
    # 2023 used Sangat Rentan 0–67.9 · Rentan 68–73.6 · Waspada 73.7–77.4 · Terjaga 77.5–100.
    town = Institution.objects.create(code="kota-z", name="Kota Zeta", kind="city")
    SpiResult.objects.create(institution=town, year=2023, index=D("67.50"))
    listing = client_for(world.leader).get("/indices/spi/institutions/?year=2023")
    row = next(line for line in listing.content.decode().split("<tr") if "Kota Zeta" in line)
    assert "Sangat Rentan" in row
