"""The LHKPN register as XLSX (with the list page's filters, within what the reader may see) and
the compliance table as XLSX (per unit and for the government, with both rates)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from integritas.core.testing import client_for
from integritas.prevention.models import LhkpnObligation
from integritas.prevention.services.lhkpn_status import import_statuses
from integritas.prevention.tests.conftest import travel
from integritas.prevention.tests.lhkpn_data import CRAFTED, csv_file, nip, register_2025

EXPORT = "/pencegahan/lhkpn/ekspor.xlsx"
COMPLIANCE = "/pencegahan/lhkpn/kepatuhan/"


def sheet_rows(body: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def imported(world: Any) -> list[LhkpnObligation]:
    made = register_2025(world.dinkes, world.disdik)
    with travel(dt.date(2026, 3, 1)):
        import_statuses(data=csv_file(CRAFTED), filename="s.csv", year=2025, by=world.inspector)
    return made


def test_the_register_downloads_with_the_list_filters(world: Any, imported: Any) -> None:
    client = client_for(world.inspector)
    response = client.get(EXPORT, {"year": 2025, "unit": world.dinkes.pk, "filed": "no"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="register-lhkpn-')
    rows = sheet_rows(response.content)
    assert rows[0][:4] == ["Nama", "NIP", "NIK", "Jabatan"]
    # Dinkes: Pejabat 1 (a draft) and Pejabat 6 (nothing in e-LHKPN) have not filed.
    assert [(r[0], r[1]) for r in rows[1:]] == [("Pejabat 1", nip(1)), ("Pejabat 6", nip(6))]
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["Status e-LHKPN"] == "Draf" and first["Jenis laporan"] == "Periodik (tahunan)"
    assert first["Tenggat"].date() == dt.date(2026, 3, 31)
    everything = sheet_rows(client.get(EXPORT).content)
    assert len(everything) == 11


def test_a_unit_head_downloads_only_their_units_and_staff_are_refused(
    world: Any, imported: Any
) -> None:
    rows = sheet_rows(client_for(world.head_a).get(EXPORT).content)
    assert len(rows) == 7 and {r[4] for r in rows[1:]} == {world.dinkes.code}
    assert client_for(world.officer_a).get(EXPORT).status_code == 403


def test_the_compliance_table_downloads_with_both_rates(world: Any, imported: Any) -> None:
    response = client_for(world.inspector).get(COMPLIANCE, {"year": 2025, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kepatuhan-lhkpn-2025')
    rows = sheet_rows(response.content)
    assert rows[0] == [
        "Kode unit kerja",
        "Unit Kerja",
        "Wajib lapor",
        "Sudah menyampaikan",
        "Lengkap",
        "Draf",
        "Belum menyampaikan",
        "Ditolak",
        "Tingkat penyampaian (%)",
        "Tingkat kelengkapan (%)",
    ]
    government, dinkes, disdik = rows[1], rows[2], rows[3]
    assert government[1] == "Seluruh pemerintah daerah" and government[2:5] == [10, 8, 3]
    assert Decimal(str(government[8])) == Decimal("80.00")
    assert dinkes[0] == world.dinkes.code and dinkes[2:8] == [6, 4, 2, 1, 2, 1]
    assert Decimal(str(dinkes[8])) == Decimal("66.67")
    assert Decimal(str(dinkes[9])) == Decimal("33.33")
    assert disdik[0] == world.disdik.code and Decimal(str(disdik[9])) == Decimal("25.00")
