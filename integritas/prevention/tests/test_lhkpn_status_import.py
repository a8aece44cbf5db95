"""The e-LHKPN status import and the compliance figures it leads to: a crafted file whose
figures are computed by hand, through ``manage.py import_lhkpn`` and ``manage.py
lhkpn_compliance --json``; and every kind of bad file refused with a message naming the row,
nothing stored."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from integritas.audit.models import Event
from integritas.lib.spreadsheets import write_xlsx
from integritas.prevention.models import LhkpnObligation
from integritas.prevention.services.lhkpn_status import import_statuses
from integritas.prevention.tests.lhkpn_data import (
    CRAFTED,
    TODAY,
    csv_file,
    nip,
    register_2025,
    status_row,
)


@pytest.fixture
def register(world: Any) -> Any:
    return register_2025(world.dinkes, world.disdik)


def run(rows: list[dict[str, Any]], **kwargs: Any) -> Any:
    return import_statuses(
        data=csv_file(rows, **kwargs), filename="status.csv", year=2025, by=None, today=TODAY
    )


def nothing_stored() -> bool:
    return not LhkpnObligation.objects.exclude(status=None).exists()


def test_the_crafted_import_gives_the_hand_computed_figures(register: Any, tmp_path: Path) -> None:
    path = tmp_path / "elhkpn-2025.csv"
    path.write_bytes(csv_file(CRAFTED))
    out = io.StringIO()
    call_command("import_lhkpn", str(path), "--year", "2025", stdout=out)
    assert "9 statuses imported for 2025" in out.getvalue()
    out = io.StringIO()
    call_command("lhkpn_compliance", "--year", "2025", "--json", stdout=out)
    result = json.loads(out.getvalue())
    # Dinkes: 6 obliged; draft, submitted, 3, 4, rejected, nothing → filed 4 (1, 3, 4, 7),
    # complete 2 (3, 4), 1 draft, not filed 2 (the draft and nothing), rejected 1.
    # Disdik: 4 obliged; 2, 5, 6, 3 → all filed, 1 complete.
    assert result["units"] == [
        {
            "code": "DINKES",
            "name": "Dinas Kesehatan",
            "obliged": 6,
            "filed": 4,
            "complete": 2,
            "drafts": 1,
            "not_filed": 2,
            "rejected": 1,
            "filing_rate": "66.67",
            "complete_rate": "33.33",
        },
        {
            "code": "DISDIK",
            "name": "Dinas Pendidikan",
            "obliged": 4,
            "filed": 4,
            "complete": 1,
            "drafts": 0,
            "not_filed": 0,
            "rejected": 0,
            "filing_rate": "100.00",
            "complete_rate": "25.00",
        },
    ]
    assert result["government"] == {
        "obliged": 10,
        "filed": 8,
        "complete": 3,
        "drafts": 1,
        "not_filed": 2,
        "rejected": 1,
        "filing_rate": "80.00",
        "complete_rate": "30.00",
    }
    assert "filing_rate" in result["definitions"] and "complete_rate" in result["definitions"]
    event = Event.objects.get(action="prevention.lhkpn_status_imported")
    assert event.changes["filed"] == [None, 8] and event.changes["complete"] == [None, 3]


def test_an_xlsx_export_with_nik_instead_of_nip_is_read(world: Any, register: Any) -> None:
    officer = LhkpnObligation.objects.get(nip=nip(1))
    officer.nip, officer.nik = "", "3171010101800001"
    officer.save()
    data = write_xlsx(
        ["NIK", "Jenis Laporan", "Tahun", "Status"],
        [["3171010101800001", "Periodik", 2025, "Terverifikasi lengkap"]],
        "e-LHKPN",
    )
    report = import_statuses(data=data, filename="s.xlsx", year=2025, by=None, today=TODAY)
    assert report.ok, report.errors
    officer.refresh_from_db()
    assert officer.status == 3


def test_unknown_people_are_listed_and_nothing_is_stored(register: Any) -> None:
    report = run([*CRAFTED, status_row(42, 3, Nama="Orang Asing")])
    assert not report.ok and nothing_stored()
    assert report.unknown == [f"{nip(42)} Orang Asing"]
    assert [e.row for e in report.errors] == [11]
    assert "does not list this official for 2025" in report.errors[0].message


def test_a_duplicate_row_names_the_first_one(register: Any) -> None:
    report = run([status_row(1, 3), status_row(2, 3), status_row(1, 4)])
    assert not report.ok and nothing_stored()
    (error,) = report.errors
    assert error.row == 4 and "already in row 2" in error.message


@pytest.mark.parametrize("status", ["8", "-1", "12", "selesai", ""])
def test_a_status_outside_0_to_7_is_refused_naming_the_row(register: Any, status: str) -> None:
    report = run([status_row(1, 3), status_row(2, status)])
    assert not report.ok and nothing_stored()
    (error,) = report.errors
    assert error.row == 3 and error.column == "status"


def test_rows_of_another_year_bad_dates_types_and_missing_ids_are_all_reported(
    register: Any,
) -> None:
    report = run(
        [
            status_row(1, 3, Tahun=2024),
            status_row(2, 3, **{"Tanggal Lapor": "31/02/2026"}),
            status_row(3, 3, **{"Tanggal Lapor": "2027-01-01"}),
            status_row(4, 3, **{"Jenis Laporan": "Khusus"}),
            status_row(5, 3, NIP=""),
            status_row(6, 3, **{"Jenis Laporan": "Khusus akhir menjabat"}),
        ]
    )
    assert not report.ok and nothing_stored()
    assert [e.row for e in report.errors] == [2, 3, 4, 5, 6, 7]
    messages = [e.message for e in report.errors]
    assert "the import is for 2025" in messages[0]
    assert "YYYY-MM-DD" in messages[1]
    assert "future" in messages[2]
    assert "Periodik" in messages[3]
    assert "NIP" in messages[4]
    assert "no obligation of this report type" in messages[5]


def test_the_command_prints_every_problem_and_fails(register: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file([status_row(1, 9), status_row(42, 3)]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_lhkpn", str(path), "--year", "2025", stderr=err)
    assert "row 2, status" in err.getvalue() and "row 3, nip" in err.getvalue()
    assert nip(42) in err.getvalue()
    assert nothing_stored()
