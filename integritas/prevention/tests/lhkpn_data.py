"""Shared data of the LHKPN tests: NIPs that pass core's check, a register of ten officials in
two units for 2025, and status files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from integritas.core.models import Unit
from integritas.prevention import lhkpn
from integritas.prevention.models import LhkpnObligation, LhkpnReportType, LhkpnSource


def nip(n: int) -> str:
    """A valid 18-digit NIP: born 1 January 1980, appointed January 2005, male, number ``n``."""
    return f"198001012005011{n:03d}"


def register_2025(dinkes: Unit, disdik: Unit) -> list[LhkpnObligation]:
    """Six officials of Dinkes (NIPs 1–6) and four of Disdik (NIPs 7–10) must file for 2025."""
    made = []
    for n in range(1, 11):
        made.append(
            LhkpnObligation.objects.create(
                year=2025,
                report_type=LhkpnReportType.PERIODIC,
                nip=nip(n),
                name=f"Pejabat {n}",
                position="Kepala Bidang",
                unit=dinkes if n <= 6 else disdik,
                due_on=lhkpn.periodic_due(2025),
                source=LhkpnSource.DECREE,
            )
        )
    return made


def csv_file(rows: list[dict[str, Any]], headers: list[str] | None = None) -> bytes:
    headers = headers or ["NIP", "Nama", "Jenis Laporan", "Tahun", "Status", "Tanggal Lapor"]
    lines = [";".join(headers)]
    for row in rows:
        lines.append(";".join(str(row.get(h, "")) for h in headers))
    return ("\n".join(lines) + "\n").encode()


def status_row(n: int, status: Any, **values: Any) -> dict[str, Any]:
    return {
        "NIP": nip(n),
        "Nama": f"Pejabat {n}",
        "Jenis Laporan": "Periodik",
        "Tahun": 2025,
        "Status": status,
        "Tanggal Lapor": "2026-02-10",
        **values,
    }


# Dinkes: draft, submitted, verified complete, published complete, rejected, nothing.
# Disdik: needs fixing, verified incomplete, published incomplete, verified complete.
CRAFTED = [
    status_row(1, 0),
    status_row(2, "Terkirim"),
    status_row(3, 3),
    status_row(4, "Diumumkan lengkap"),
    status_row(5, 7),
    status_row(7, "Perlu perbaikan"),
    status_row(8, 5),
    status_row(9, "diumumkan tidak lengkap"),
    status_row(10, "3"),
]
TODAY = dt.date(2026, 3, 1)
