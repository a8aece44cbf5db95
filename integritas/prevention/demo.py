"""Prevention demo data for Karyapura: the shipped gratification rule sets as the city's
administrator left them after checking them against the regulations, with a note on the
city's own practice (reports to the UPG within ten working days, the upper end of 7–10).

The note is written through the real service, so the rule set's history shows an audited
change. Idempotent: nothing is changed when the note is there.

The LHKPN register (``seed_lhkpn``): the positions that must file, their holders for 2024 and
2025, the decree's additions, the e-LHKPN status exports of both years and an appointment, all
through the real services.
"""

from __future__ import annotations

import datetime as dt
import itertools

from integritas.core.models import Role, Unit, User
from integritas.prevention.models import LhkpnObligation, RuleSet
from integritas.prevention.services import lhkpn_obligations, lhkpn_status
from integritas.prevention.services.rules import rule_set_save

NOTE = (
    "Diperiksa terhadap Perkom 1/2026. Di Kota Karyapura laporan gratifikasi disampaikan ke UPG "
    "paling lambat 10 hari kerja setelah diterima."
)


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was changed."""
    lines = seed_rule_note()
    lines += seed_lhkpn()
    return lines


def seed_rule_note() -> list[str]:
    """The city's note on the Perkom 1/2026 rule set."""
    rule_set = RuleSet.objects.filter(regulation="Perkom 1/2026").first()
    admin = User.objects.filter(username="admin").first()
    if rule_set is None or admin is None or rule_set.note:
        return []
    rule_set_save(rule_set=rule_set, values={"note": NOTE}, by=admin)
    return [f"Gratification rules: {rule_set.regulation} checked, with the city's UPG practice"]


# --- LHKPN -----------------------------------------------------------------------------------

LHKPN_POSITIONS = [
    "Sekretaris Daerah",
    "Inspektur Daerah",
    "Inspektur Pembantu Wilayah I",
    "Inspektur Pembantu Wilayah II",
]
# Officials the decree adds who have no account: a treasurer and a procurement officer in the
# first units (name, position, unit code).
DECREE_EXTRA = [
    ("Siti Rahmawati, S.E.", "Bendahara Pengeluaran", "DISDIK"),
    ("Agus Salim, S.T.", "Pejabat Pembuat Komitmen", "DISDIK"),
    ("Lestari Wulandari, S.E.", "Bendahara Pengeluaran", "DISHUB"),
    ("Bambang Wijaya, S.T., M.T.", "Pejabat Pembuat Komitmen", "DISHUB"),
    ("Maria Simanjuntak, S.E.", "Bendahara Pengeluaran", "SETDA"),
    ("Hendra Gunawan, S.H.", "Kepala Bagian Pengadaan Barang dan Jasa", "SETDA.PBJ"),
    ("Dewi Anggraini, S.Sos.", "Bendahara Pengeluaran", "DISDUKCAPIL"),
    ("Yusuf Maulana, S.Kom.", "Pejabat Pembuat Komitmen", "DISDUKCAPIL"),
]
# The e-LHKPN statuses of the demo, in turn (None: nothing in e-LHKPN yet): 2024 almost all filed
# and most complete; 2025 a realistic spread with drafts, fixes, a rejection and some not filed.
STATUSES: dict[int, list[int | None]] = {
    2024: [4, 4, 3, 4, 6, 4, 5, 4, 3, 4, 1, 4],
    2025: [4, 3, 1, 2, 4, 6, 0, None, 5, 3, 7, 4, 1, None, 2, 4],
}


def _decree_nip(n: int) -> str:
    """A valid NIP for the decree's extra officials: born on the 15th of a month of 1980,
    appointed in January 2005, male or female in turn, number ``n``."""
    return f"1980{n % 12 + 1:02d}15200501{1 + n % 2}{n + 1:03d}"


def _csv(headers: list[str], rows: list[list[str]]) -> bytes:
    return ("\n".join(";".join(r) for r in [headers, *rows]) + "\n").encode()


def seed_lhkpn() -> list[str]:
    """The city's LHKPN register: the positions that must file (the Regional Secretary, the
    Inspectorate's leaders and every unit head), their holders listed for 2024 and 2025, the
    decree adding treasurers and procurement officers, the e-LHKPN status exports of both years,
    and an appointment in October 2026 due in January 2027. Idempotent: nothing is changed when
    the register has anyone."""
    if LhkpnObligation.objects.exists():
        return []
    keeper = (
        User.objects.filter(role_assignments__role=Role.INSPECTOR_GENERAL).first()
        or User.objects.filter(username="admin").first()
    )
    if keeper is None or not Unit.objects.filter(code="DISDIK").exists():
        return []
    heads = User.objects.filter(
        is_active=True, position__startswith="Kepala ", role_assignments__role=Role.UNIT_HEAD
    )
    titles = LHKPN_POSITIONS + sorted({person.position for person in heads})
    lhkpn_obligations.set_positions(titles=titles, by=keeper)
    for year in (2024, 2025):
        lhkpn_obligations.create_from_positions(year=year, by=keeper)
    decree_rows = [
        [_decree_nip(n), name, position, code]
        for n, (name, position, code) in enumerate(DECREE_EXTRA)
    ]
    lhkpn_obligations.import_decree(
        data=_csv(["NIP", "Nama", "Jabatan", "Unit Kerja"], decree_rows),
        filename="sk-wajib-lhkpn-2025.csv",
        year=2025,
        decree_number="800/147/BKPSDM/2026",
        by=keeper,
    )
    imported = 0
    for year, statuses in STATUSES.items():
        rows = []
        obligations = LhkpnObligation.objects.filter(year=year).order_by("unit__code", "name")
        for obligation, status in zip(obligations, itertools.cycle(statuses), strict=False):
            if status is None:
                continue
            day = dt.date(year + 1, 1, 10) + dt.timedelta(days=(obligation.pk * 7) % 75)
            rows.append(
                [
                    obligation.nip,
                    obligation.name,
                    "Periodik",
                    str(year),
                    str(status),
                    day.isoformat(),
                ]
            )
        report = lhkpn_status.import_statuses(
            data=_csv(["NIP", "Nama", "Jenis Laporan", "Tahun", "Status", "Tanggal Lapor"], rows),
            filename=f"elhkpn-status-{year}.csv",
            year=year,
            by=keeper,
        )
        imported += report.updated
    appointed = heads.filter(unit__code="DISHUB").first()
    if appointed is not None and appointed.nip and appointed.unit is not None:
        lhkpn_obligations.record_special(
            values={
                "nip": appointed.nip,
                "name": appointed.name,
                "position": appointed.position,
                "unit": appointed.unit,
                "event_date": dt.date(2026, 10, 1),
                "decree_number": "821.2/88/BKPSDM/2026",
            },
            report_type="initial",
            by=keeper,
        )
    return [
        f"LHKPN: {LhkpnObligation.objects.count()} obligations (2024, 2025 and an appointment), "
        f"{imported} e-LHKPN statuses imported"
    ]
