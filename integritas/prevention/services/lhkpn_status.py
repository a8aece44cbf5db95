"""The e-LHKPN status import: the export of e-LHKPN's admin view, read through the import kit.

One row per report: NIP or NIK, name, position, unit, report type, year, status (0–7 or its
name, ``lhkpn.parse_status``) and the dates. Each row must match an obligation of the register
(the same person, report type and year); every problem is reported with its row — a person the
register does not list for the year (``unknown`` names them), a report type the person has no
obligation of, a person and report type given twice, a status outside 0–7, a row of another year
than the import's, a date that cannot be read. Only a file without a single problem is stored,
in one transaction with one audit event (counts only).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.core.imports.calendar import parse_date
from integritas.core.models import User
from integritas.lib.imports import Cells, Column, Importer, ImportReport, read_or_report, run_import
from integritas.prevention import lhkpn
from integritas.prevention.models import (
    LhkpnAuditAction,
    LhkpnObligation,
    LhkpnReportType,
)
from integritas.prevention.services.lhkpn_obligations import OBLIGATION_TYPE, actor_of

COLUMNS: list[Column] = [
    Column("nip", False, gettext_lazy("18 digits (or give the NIK)."), ()),
    Column("nik", False, gettext_lazy("16 digits, for someone without a NIP."), ()),
    Column("name", False, gettext_lazy("The official's name (read, not matched)."), ("nama",)),
    Column("position", False, gettext_lazy("The position (read, not matched)."), ("jabatan",)),
    Column(
        "unit",
        False,
        gettext_lazy("The unit (read, not matched)."),
        ("unit_kerja", "sub_unit_kerja", "instansi", "opd"),
    ),
    Column(
        "report_type",
        True,
        gettext_lazy("Periodik, Khusus awal menjabat or Khusus akhir menjabat."),
        ("jenis_laporan", "jenis", "jenis_lhkpn"),
    ),
    Column("year", True, gettext_lazy("The year reported."), ("tahun", "tahun_lapor")),
    Column(
        "status",
        True,
        gettext_lazy("0–7 or its name: Draft, Terkirim, Perlu perbaikan, Terverifikasi lengkap, …"),
        ("status_lhkpn", "status_laporan"),
    ),
    Column(
        "submitted_on",
        False,
        gettext_lazy("The day it was submitted (YYYY-MM-DD or DD/MM/YYYY)."),
        ("tanggal_lapor", "tanggal_kirim", "tgl_lapor", "tgl_kirim", "tanggal_penyampaian"),
    ),
    Column(
        "status_on",
        False,
        gettext_lazy("The day of the status (verification or publication)."),
        ("tanggal_status", "tanggal_verifikasi", "tgl_verifikasi", "tanggal_pengumuman"),
    ),
]

TYPE_WORDS = {
    "periodic": LhkpnReportType.PERIODIC,
    "periodik": LhkpnReportType.PERIODIC,
    "initial": LhkpnReportType.INITIAL,
    "khusus awal": LhkpnReportType.INITIAL,
    "khusus awal menjabat": LhkpnReportType.INITIAL,
    "awal menjabat": LhkpnReportType.INITIAL,
    "final": LhkpnReportType.FINAL,
    "khusus akhir": LhkpnReportType.FINAL,
    "khusus akhir menjabat": LhkpnReportType.FINAL,
    "akhir menjabat": LhkpnReportType.FINAL,
}


@dataclass
class StatusReport(ImportReport):
    updated: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # "NIP/NIK name" of people not listed


@dataclass(frozen=True)
class _Row:
    number: int
    obligation: LhkpnObligation
    status: int
    submitted_on: dt.date | None
    status_on: dt.date | None


def _date(cells: Cells, name: str, today: dt.date) -> tuple[dt.date | None, bool]:
    text = cells.get(name)
    if not text:
        return None, True
    day = parse_date(text)
    if day is None:
        cells.fail(name, text, _("Write the date as YYYY-MM-DD or DD/MM/YYYY."))
        return None, False
    if day > today:
        cells.fail(name, text, _("This date cannot be in the future."))
        return None, False
    return day, True


def import_statuses(
    *, data: bytes, filename: str, year: int, by: User | None, today: dt.date | None = None
) -> StatusReport:
    """Set the e-LHKPN status of each obligation of ``year`` the file names, or of none."""
    today = today or timezone.localdate()
    report = StatusReport()
    obligations: dict[tuple[str, str], list[LhkpnObligation]] = {}
    for obligation in LhkpnObligation.objects.filter(year=year).order_by("-event_date", "pk"):
        obligations.setdefault((obligation.person_key, obligation.report_type), []).append(
            obligation
        )
    people = {key for key, _type in obligations}
    seen: dict[tuple[str, str], int] = {}

    def parse_row(cells: Cells) -> _Row | None:
        nip, nik = cells.get("nip"), cells.get("nik")
        ok = True
        if not nip and not nik:
            cells.fail("nip", "", _("Give the NIP, or the NIK for someone without a NIP."))
            ok = False
        type_text = cells.get("report_type")
        report_type = TYPE_WORDS.get(lhkpn.status_key(type_text))
        if report_type is None:
            cells.fail(
                "report_type",
                type_text,
                _(
                    "The report type must be Periodik, Khusus awal menjabat or Khusus akhir menjabat."
                ),
            )
            ok = False
        year_text = cells.get("year")
        if not year_text.isdigit():
            cells.fail("year", year_text, _("The year must be a number such as 2025."))
            ok = False
        elif int(year_text) != year:
            cells.fail(
                "year",
                year_text,
                _("This row is of %(row_year)s; the import is for %(year)s.")
                % {"row_year": year_text, "year": year},
            )
            ok = False
        status_text = cells.get("status")
        status = lhkpn.parse_status(status_text)
        if status is None:
            cells.fail(
                "status",
                status_text,
                _("The status must be a number from 0 to 7 or its name in e-LHKPN."),
            )
            ok = False
        submitted_on, good = _date(cells, "submitted_on", today)
        ok = ok and good
        status_on, good = _date(cells, "status_on", today)
        ok = ok and good
        if not nip and not nik:
            return None
        key = next((k for k in (nip, nik) if k and k in people), None)
        if key is None:
            label = f"{nip or nik} {cells.get('name')}".strip()
            report.unknown.append(label)
            cells.fail(
                "nip" if nip else "nik",
                nip or nik,
                _("The register does not list this official for %(year)s: %(who)s.")
                % {"year": year, "who": label},
            )
            return None
        if report_type is None:
            return None
        found = obligations.get((key, report_type))
        if not found:
            cells.fail(
                "report_type",
                type_text,
                _("This official has no obligation of this report type for %(year)s.")
                % {"year": year},
            )
            return None
        if (key, report_type) in seen:
            cells.fail(
                "nip" if nip else "nik",
                key,
                _("This official and report type are already in row %(row)d.")
                % {"row": seen[(key, report_type)]},
            )
            return None
        seen[(key, report_type)] = cells.number
        if not ok or status is None:
            return None
        return _Row(cells.number, found[0], status, submitted_on, status_on)

    def apply(rows: list[_Row]) -> None:
        for row in rows:
            obligation = row.obligation
            obligation.status = row.status
            obligation.submitted_on = row.submitted_on or obligation.submitted_on
            obligation.status_on = row.status_on or obligation.status_on
            obligation.save(update_fields=["status", "submitted_on", "status_on"])
        counts = Counter(row.status for row in rows)
        report.updated = len(rows)
        report.statuses = dict(sorted(counts.items()))
        audit.record(
            LhkpnAuditAction.STATUS_IMPORTED,
            object_type=OBLIGATION_TYPE,
            object_label=filename,
            changes={
                "file": filename,
                "year": [None, year],
                "rows": len(rows),
                "filed": [None, sum(n for s, n in counts.items() if s in lhkpn.FILED)],
                "complete": [None, sum(n for s, n in counts.items() if s in lhkpn.COMPLETE)],
            },
            **actor_of(by),
        )

    importer: Importer[_Row, StatusReport] = Importer(
        columns=COLUMNS,
        parse_row=parse_row,
        apply=apply,
        empty_message=gettext_lazy("The file has no report statuses."),
    )
    return run_import(
        table=read_or_report(data, filename, report), report=report, importer=importer
    )
