"""Importing the list of institutions KPK surveys: new codes added, saved codes updated."""

from __future__ import annotations

import pytest

from integritas.audit.models import Event
from integritas.indices.imports.official import InstitutionImportReport, import_institutions
from integritas.indices.models import Institution

pytestmark = pytest.mark.django_db


def csv_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def problems(report: InstitutionImportReport) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


def test_it_adds_new_institutions_and_updates_saved_ones_in_one_event() -> None:
    Institution.objects.create(
        code="kab-bekasi", name="Kabupaten Bekasi", kind=Institution.Kind.REGENCY, is_own=True
    )
    report = import_institutions(
        data=csv_file(
            "Kode;Nama;Jenis;Ukuran;Provinsi",
            "kab-bekasi;Kabupaten Bekasi;kabupaten;besar;Jawa Barat",
            "KOTA-BEKASI;Kota  Bekasi;Kota;sedang;Jawa Barat",
            "kemendagri;Kementerian Dalam Negeri;kementerian/lembaga;;",
        ),
        filename="institutions.csv",
    )
    assert report.saved and report.created == ["kota-bekasi", "kemendagri"]
    assert report.updated == ["kab-bekasi"]
    bekasi = Institution.objects.get(code="kab-bekasi")
    assert (bekasi.size_class, bekasi.province, bekasi.is_own) == ("large", "Jawa Barat", True)
    city = Institution.objects.get(code="kota-bekasi")
    assert (city.name, city.kind, city.size_class) == ("Kota Bekasi", "city", "medium")
    assert Institution.objects.get(code="kemendagri").kind == "ministry"
    event = Event.objects.get(action="indices.institutions_imported")
    assert event.changes["created"] == ["kota-bekasi", "kemendagri"]
    assert event.changes["updated"]["kab-bekasi"]["province"] == ["", "Jawa Barat"]


def test_an_unchanged_file_changes_nothing_but_is_still_recorded() -> None:
    lines = ("code,name,type", "kab-bekasi,Kabupaten Bekasi,regency")
    import_institutions(data=csv_file(*lines), filename="a.csv")
    report = import_institutions(data=csv_file(*lines), filename="a.csv")
    assert report.saved and report.unchanged == 1 and not report.created and not report.updated


def test_a_check_only_run_saves_nothing() -> None:
    report = import_institutions(
        data=csv_file("code,name,type", "kab-bekasi,Kabupaten Bekasi,regency"),
        filename="a.csv",
        dry_run=True,
    )
    assert report.ok and report.created == ["kab-bekasi"] and not report.saved
    assert not Institution.objects.exists() and not Event.objects.exists()


def test_every_bad_cell_is_reported_and_nothing_is_saved() -> None:
    Institution.objects.create(code="kab-lama", name="Kabupaten Lama", kind="regency")
    report = import_institutions(
        data=csv_file(
            "code,name,type,size_class",
            "kab-baru,Kabupaten Baru,regency,large",  # good on its own
            ",Tanpa Kode,city,",  # code missing
            "kab baru!,Kabupaten Aneh,regency,",  # not a usable code
            "kab-baru,Kabupaten Kembar,regency,",  # code repeated
            "kab-dua,Kabupaten Baru,regency,",  # name repeated in the file
            "kab-tiga,Kabupaten Lama,regency,",  # name of another saved institution
            "kab-empat,,desa,raksasa",  # name missing, unknown type and size
            "add,Kota Tambah,city,",  # reserved code
        ),
        filename="bad.csv",
    )
    assert problems(report) == {
        (3, "code"),
        (4, "code"),
        (5, "code"),
        (6, "name"),
        (7, "name"),
        (8, "name"),
        (8, "type"),
        (8, "size_class"),
        (9, "code"),
    }
    assert not report.saved
    assert list(Institution.objects.values_list("code", flat=True)) == ["kab-lama"]
    assert not Event.objects.exists()


def test_missing_and_unknown_columns_are_reported() -> None:
    report = import_institutions(data=csv_file("kode,warna", "x,merah"), filename="a.csv")
    messages = " ".join(e.message for e in report.errors)
    assert "warna" in messages and "name" in messages and "type" in messages
    assert not Institution.objects.exists()
