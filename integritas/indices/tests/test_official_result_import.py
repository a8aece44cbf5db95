"""Importing KPK's published SPI results: every row checked, all or nothing, one audit event."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
import time_machine
from openpyxl import Workbook

from integritas.audit.models import Event
from integritas.indices.imports.official import ResultImportReport, import_results
from integritas.indices.models import Institution, SpiResult

pytestmark = pytest.mark.django_db


def csv_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems(report: ResultImportReport) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


@pytest.fixture
def bekasi(db: None) -> Institution:
    return Institution.objects.create(
        code="kab-bekasi", name="Kabupaten Bekasi", kind=Institution.Kind.REGENCY
    )


@pytest.fixture
def karyapura(db: None) -> Institution:
    return Institution.objects.create(
        code="kota-karyapura", name="Kota Karyapura", kind=Institution.Kind.CITY, is_own=True
    )


def assert_nothing_saved(report: ResultImportReport) -> None:
    assert not report.ok and not report.saved and report.rows == []
    assert SpiResult.objects.count() == 0
    assert not Event.objects.filter(action="indices.spi_results_imported").exists()


def test_it_imports_a_csv_with_english_headers_and_records_one_event(
    bekasi: Institution, karyapura: Institution
) -> None:
    report = import_results(
        data=csv_file(
            "code,year,index,internal,external,expert,correction",
            "kab-bekasi,2024,68.00,72.48,78.41,58.86,",
            "KOTA-KARYAPURA,2024,70.85,74.30,79.62,63.15,4.02",
        ),
        filename="spi-2024.csv",
        source="KPK, SPI 2024",
    )
    assert report.ok and report.saved and report.total_rows == 2
    result = SpiResult.objects.get(institution=bekasi, year=2024)
    assert (result.index, result.internal, result.external, result.expert) == (
        D("68.00"),
        D("72.48"),
        D("78.41"),
        D("58.86"),
    )
    assert result.correction is None and result.source == "KPK, SPI 2024"
    assert SpiResult.objects.get(institution=karyapura).correction == D("4.02")
    event = Event.objects.get(action="indices.spi_results_imported")
    assert event.changes["created"] == ["kab-bekasi 2024", "kota-karyapura 2024"]
    assert event.changes["file"] == "spi-2024.csv"


def test_it_reads_indonesian_headers_decimal_commas_names_and_dimension_columns(
    bekasi: Institution,
) -> None:
    report = import_results(
        data=csv_file(
            "Nama Instansi;Tahun;Indeks Akhir;Internal;Eksternal;Eksper;Koreksi;"
            "dim:INT-PROC;Pengelolaan Anggaran;Sumber",
            "kabupaten  bekasi;2024;68,00;72,48;78,41;58,86;5,5;64,2;71;KPK 2024",
        ),
        filename="spi.csv",
    )
    assert report.saved, report.errors
    result = SpiResult.objects.get(institution=bekasi)
    assert result.index == D("68.00") and result.correction == D("5.50")
    assert result.dimension_scores == {"INT-PROC": 64.2, "INT-BUDGET": 71.0}
    assert result.source == "KPK 2024"


def test_it_reads_an_xlsx_workbook_with_numeric_cells(bekasi: Institution) -> None:
    report = import_results(
        data=xlsx_file(
            [["kode", "tahun", "nilai spi", "skor internal"], ["kab-bekasi", 2023, 67.456, 70]]
        ),
        filename="spi.xlsx",
    )
    assert report.saved, report.errors
    # 67.456 rounds half up to two decimals, as KPK publishes them.
    assert SpiResult.objects.get(institution=bekasi, year=2023).index == D("67.46")


def test_a_check_only_run_reports_what_would_be_replaced_and_saves_nothing(
    bekasi: Institution,
) -> None:
    SpiResult.objects.create(institution=bekasi, year=2024, index=D("60.00"))
    report = import_results(
        data=csv_file("code,year,index", "kab-bekasi,2024,68.00", "kab-bekasi,2023,66.00"),
        filename="spi.csv",
        dry_run=True,
    )
    assert report.ok and not report.saved
    assert [(r.year, r.replaces is not None) for r in report.rows] == [(2024, True), (2023, False)]
    assert [r.year for r in report.replaced] == [2024] and [r.year for r in report.created] == [
        2023
    ]
    assert SpiResult.objects.get().index == D("60.00")
    assert not Event.objects.filter(action="indices.spi_results_imported").exists()


def test_an_existing_result_is_replaced_as_a_whole(bekasi: Institution) -> None:
    SpiResult.objects.create(
        institution=bekasi,
        year=2024,
        index=D("60.00"),
        internal=D("65.00"),
        dimension_scores={"INT-HR": 50.0},
    )
    report = import_results(
        data=csv_file("code,year,index", "kab-bekasi,2024,68.00"), filename="fix.csv"
    )
    assert report.saved
    result = SpiResult.objects.get()
    assert result.index == D("68.00") and result.internal is None and result.dimension_scores == {}
    changes = Event.objects.get(action="indices.spi_results_imported").changes
    assert changes["created"] == [] and changes["replaced"]["kab-bekasi 2024"]["index"] == [
        "60.00",
        "68.00",
    ]


def test_unknown_institutions_are_rejected_by_code_and_by_name(bekasi: Institution) -> None:
    report = import_results(
        data=csv_file(
            "code,name,year,index",
            "kab-bekasi,Kabupaten Bekasi,2024,68",
            "kab-entah,,2024,70",
            ",Kota Entah,2024,70",
            "kab-bekasi,Kota Lain,2023,70",
        ),
        filename="spi.csv",
    )
    assert problems(report) == {(3, "code"), (4, "name"), (5, "name")}
    assert "kab-entah" in report.errors[0].message
    assert_nothing_saved(report)


@time_machine.travel("2026-11-29 10:00 +0700")
def test_every_bad_cell_is_reported_and_nothing_is_saved(bekasi: Institution) -> None:
    report = import_results(
        data=csv_file(
            "code,year,index,internal,external,expert,correction,dim:INT-PROC",
            "kab-bekasi,2024,68.00,72.48,78.41,58.86,3,64",  # good on its own
            "kab-bekasi,2023,101,72.48,78.41,58.86,3,64",  # index above 100
            "kab-bekasi,2022,68,-1,abc,58.86,120,64",  # internal < 0, external text, correction
            "kab-bekasi,2021,,72,78,58,3,100.5",  # index missing, dimension above 100
            ",2020,68,72,78,58,3,64",  # institution missing
            "kab-bekasi,,68,72,78,58,3,64",  # year missing
            "kab-bekasi,2015,68,72,78,58,3,64",  # year too early
            "kab-bekasi,2027,68,72,78,58,3,64",  # year in the future
            "kab-bekasi,dua ribu,68,72,78,58,3,64",  # year not a number
            "kab-bekasi,2024,69,72,78,58,3,64",  # duplicate of row 2
            "kab-bekasi,2019,71.5.3,72,78,58,3,64",  # not a number
            'kab-bekasi,2018,"71,53,1",72,78,58,3,64',  # not a number either
        ),
        filename="bad.csv",
    )
    assert problems(report) == {
        (3, "index"),
        (4, "internal"),
        (4, "external"),
        (4, "correction"),
        (5, "index"),
        (5, "dim:int-proc"),
        (6, "code"),
        (7, "year"),
        (8, "year"),
        (9, "year"),
        (10, "year"),
        (11, "year"),
        (12, "index"),
        (13, "index"),
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "between 0 and 100" in messages[(3, "index")]
    assert "71,53" in messages[(4, "external")]  # tells how a number is written
    assert "required" in messages[(5, "index")]
    assert "between 2016 and 2026" in messages[(8, "year")]
    assert "row 2" in messages[(11, "year")]
    assert_nothing_saved(report)


def test_header_problems_are_reported_before_any_row(bekasi: Institution) -> None:
    report = import_results(
        data=csv_file("code,tahun,nilai,internl,index", "kab-bekasi,2024,68,70,68"),
        filename="spi.csv",
    )
    # "internl" is unknown; "nilai" and "index" both mean the final index.
    assert problems(report) == {(1, "internl"), (1, "index")}
    assert_nothing_saved(report)


def test_missing_required_columns_are_named(bekasi: Institution) -> None:
    report = import_results(data=csv_file("internal,external", "70,71"), filename="spi.csv")
    assert len(report.errors) == 1
    assert "code or name" in report.errors[0].message and "year" in report.errors[0].message
    assert_nothing_saved(report)


def test_a_file_that_is_not_a_table_is_refused(bekasi: Institution) -> None:
    report = import_results(data=b"%PDF-1.7 not a table", filename="spi.pdf")
    assert [e.row for e in report.errors] == [0]
    assert_nothing_saved(report)
    empty = import_results(data=csv_file("code,year,index"), filename="spi.csv")
    assert "no results" in empty.errors[0].message
    assert_nothing_saved(empty)


def test_row_numbers_and_the_export_columns_that_are_only_for_reading_are_ignored(
    bekasi: Institution,
) -> None:
    report = import_results(
        data=csv_file(
            "no,code,name,type,size_class,province,year,index,category",
            "1,kab-bekasi,Kabupaten Bekasi,regency,large,Jawa Barat,2024,68.00,Rentan",
        ),
        filename="export.csv",
    )
    assert report.saved, report.errors
