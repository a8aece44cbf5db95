"""Prevention demo data for Karyapura: the shipped gratification rule sets as the city's
administrator left them after checking them against the regulations, with a note on the
city's own practice (reports to the UPG within ten working days, the upper end of 7–10).

The note is written through the real service, so the rule set's history shows an audited
change. Idempotent: nothing is changed when the note is there.

The LHKPN register (``seed_lhkpn``): the positions that must file, their holders for 2024 and
2025, the decree's additions, the e-LHKPN status exports of both years and an appointment, all
through the real services; the Inspector General publishes the last filed year's compliance on
the portal (``seed_lhkpn_publication``).
``seed_gratification_reports``: a year of the city's gratification reports, filed and moved
through the UPG's workflow by the real services on the days they happened, so that every state
is there (submitted, returned, complete, forwarded, decided, closed by handover or as the
recipient's, lapsed), with late reports (possibly state property), a confidential one, a refusal,
an overdue step, and two late reports from the same unit (a signal for the Inspectorate).
Idempotent: nothing is added when the city has gratification reports.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from integritas.core.calendar import CalendarDataMissing
from integritas.core.models import Role, Unit, User
from integritas.prevention.models import GratificationReport, LhkpnObligation, RuleSet
from integritas.prevention.services import (
    lhkpn_compliance,
    lhkpn_obligations,
    lhkpn_publication,
    lhkpn_status,
)
from integritas.prevention.services.reports import act, submit
from integritas.prevention.services.rules import rule_set_save

NOTE = (
    "Diperiksa terhadap Perkom 1/2026. Di Kota Karyapura laporan gratifikasi disampaikan ke UPG "
    "paling lambat 10 hari kerja setelah diterima."
)


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was changed."""
    return seed_rule_note() + seed_gratification_reports() + seed_lhkpn() + seed_lhkpn_publication()


def seed_rule_note() -> list[str]:
    """The administrator's note on Perkom 1/2026."""
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


def seed_lhkpn_publication() -> list[str]:
    """The Inspector General publishes the compliance of the last year whose periodic reports
    are due (in the demo 2025, filed by 31 March 2026) on the portal, through the publication
    service. Idempotent: nothing is done when any LHKPN year is on the portal."""
    publisher = User.objects.filter(role_assignments__role=Role.INSPECTOR_GENERAL).first()
    due = [y for y in lhkpn_compliance.years() if y < timezone.localdate().year]
    if publisher is None or not due or lhkpn_publication.published_years():
        return []
    year = due[0]
    try:
        lhkpn_publication.publish(year=year, by=publisher)
    except (PermissionDenied, ValidationError):
        return []
    return [f"LHKPN: the compliance of {year} published on the portal"]


@dataclass(frozen=True)
class DemoReport:
    """One report of the demo year: filed ``days_ago`` (received ``received_before`` days
    earlier) by the unit's officer, then ``steps`` fired ``(name, days after filing, values)``."""

    unit: str
    days_ago: int
    giver: str
    relation: str
    event: str
    object_kind: str
    description: str
    value: int
    received_before: int = 2
    kind: str = "receipt"
    confidential: bool = False
    steps: tuple[tuple[str, int, dict[str, Any]], ...] = field(default=())


def _closed_state(
    gol: str, decree: str, receipt: str
) -> tuple[tuple[str, int, dict[str, Any]], ...]:
    return (
        ("complete", 1, {}),
        ("forward", 3, {"gol_reference": gol}),
        ("decide", 30, {"decision": "state", "decree_number": decree}),
        ("hand_over", 36, {"handover_receipt": receipt}),
    )


DEMO_REPORTS: tuple[DemoReport, ...] = (
    DemoReport(
        "BPKAD",
        340,
        "PT Sinar Konstruksi",
        "vendor",
        "official_duty",
        "goods",
        "Jam tangan merek ternama dalam kotak hadiah",
        4_500_000,
        steps=_closed_state("GOL-2025-11873", "SK-KPK/GRT/1021", "BAST-UPG/01"),
    ),
    DemoReport(
        "DISDIK",
        300,
        "Keluarga Bapak Darmawan",
        "other",
        "wedding",
        "money",
        "Uang dalam amplop saat resepsi pernikahan anak",
        2_000_000,
        steps=(
            ("complete", 1, {}),
            ("forward", 2, {"gol_reference": "GOL-2025-12410"}),
            ("decide", 28, {"decision": "recipient", "decree_number": "SK-KPK/GRT/1188"}),
            ("close", 29, {}),
        ),
    ),
    DemoReport(
        "DINKES",
        270,
        "CV Medika Utama",
        "vendor",
        "seminar",
        "lodging",
        "Kamar hotel dua malam di luar acara seminar",
        1_800_000,
        steps=(
            ("return", 2, {"reason": "Lampirkan bukti pemesanan kamar dan undangan seminar."}),
            ("lapse", 70, {}),
        ),
    ),
    DemoReport(
        "DPUPR",
        230,
        "PT Bangun Persada",
        "vendor",
        "official_duty",
        "money",
        "Uang tunai yang diselipkan dalam map dokumen serah terima pekerjaan",
        10_000_000,
        kind="refusal",
        steps=(
            ("complete", 1, {}),
            ("forward", 2, {"gol_reference": "GOL-2026-00412"}),
            ("decide", 20, {"decision": "recipient", "decree_number": "SK-KPK/GRT/0077"}),
            ("close", 21, {}),
        ),
    ),
    DemoReport(
        "DINKES",
        200,
        "PT Farma Sejahtera",
        "vendor",
        "farewell",
        "goods",
        "Set peralatan makan perak saat pisah sambut kepala dinas",
        3_200_000,
        received_before=75,
        steps=_closed_state("GOL-2026-01120", "SK-KPK/GRT/0415", "BAST-UPG/07"),
    ),
    DemoReport(
        "DISHUB",
        150,
        "Asosiasi Pengusaha Angkutan",
        "service_user",
        "ceremony",
        "food",
        "Parsel makanan dan minuman menjelang hari raya",
        850_000,
        confidential=True,
        steps=(
            ("complete", 1, {}),
            ("forward", 4, {"gol_reference": "GOL-2026-02231"}),
            ("decide", 30, {"decision": "recipient", "decree_number": "SK-KPK/GRT/0790"}),
            ("close", 31, {}),
        ),
    ),
    DemoReport(
        "DINKES",
        90,
        "CV Medika Utama",
        "vendor",
        "official_duty",
        "tickets",
        "Tiket pesawat pulang pergi untuk kunjungan pabrik",
        6_700_000,
        received_before=80,
        steps=(
            ("complete", 2, {}),
            ("forward", 5, {"gol_reference": "GOL-2026-03318"}),
            ("decide", 40, {"decision": "state", "decree_number": "SK-KPK/GRT/1102"}),
        ),
    ),
    DemoReport(
        "BAPENDA",
        45,
        "Wajib pajak hotel",
        "service_user",
        "official_duty",
        "discount",
        "Potongan harga 50% untuk acara keluarga di hotel wajib pajak",
        2_500_000,
        steps=(("complete", 1, {}), ("forward", 3, {"gol_reference": "GOL-2026-04022"})),
    ),
    DemoReport(
        "DISDIK",
        20,
        "Komite sekolah",
        "service_user",
        "ceremony",
        "goods",
        "Kain songket dari komite sekolah saat kunjungan kerja",
        1_200_000,
        steps=(("complete", 2, {}),),
    ),
    DemoReport(
        "DPMPTSP",
        12,
        "PT Mitra Investasi",
        "service_user",
        "official_duty",
        "facilities",
        "Fasilitas mobil dan sopir selama tiga hari",
        3_000_000,
        steps=(("return", 1, {"reason": "Sebutkan nama sopir dan tanggal pemakaian mobil."}),),
    ),
    DemoReport(
        "BPKAD",
        30,
        "Rekanan pengadaan ATK",
        "vendor",
        "birthday",
        "goods",
        "Tas kulit pada hari ulang tahun",
        1_600_000,
    ),
    DemoReport(
        "DISHUB",
        4,
        "Pengusaha bengkel uji kendaraan",
        "service_user",
        "other",
        "money",
        "Transfer ke rekening pribadi tanpa keterangan",
        5_000_000,
    ),
)


def seed_gratification_reports() -> list[str]:
    """A year of reports in every workflow state; see the module's docstring."""
    if GratificationReport.objects.exists():
        return []
    officer = User.objects.filter(username="upg.petugas").first()
    if officer is None:
        return []
    today = timezone.localdate()
    made = 0
    for item in DEMO_REPORTS:
        reporter = User.objects.filter(username=f"operator.{item.unit.lower()}").first()
        if reporter is None:
            continue
        filed = today - dt.timedelta(days=item.days_ago)
        try:
            report = submit(
                values=_values(item, reporter, filed), reporter=reporter, by=reporter, today=filed
            )
            for name, after, values in item.steps:
                day = min(filed + dt.timedelta(days=after), today)
                _step(report, name, after=day, values=values, by=officer)
        except CalendarDataMissing:
            continue  # a year whose holidays are not entered: that report is left out
        made += 1
    return [f"Gratification reports: {made} over the last twelve months, in every state"]


def _values(item: DemoReport, reporter: User, filed: dt.date) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "reporter_name": reporter.name or reporter.username,
        "reporter_unit": reporter.unit,
        "confidential": item.confidential,
        "giver": item.giver,
        "relation": item.relation,
        "event": item.event,
        "object_kind": item.object_kind,
        "description": item.description,
        "value": item.value,
        "location": "Disimpan di ruang UPG, Inspektorat Daerah",
        "received_on": filed - dt.timedelta(days=item.received_before),
        "reported_on": filed,
        "chronology": f"{item.description}. Diterima dari {item.giver} dan segera dilaporkan.",
    }


def _step(
    report: GratificationReport, name: str, *, after: dt.date, values: dict[str, Any], by: User
) -> None:
    values = dict(values)
    reason = values.pop("reason", "")
    if name == "forward":
        values["forwarded_on"] = after
    if name == "decide":
        values["decree_date"] = after
    act(report=report, step=name, by=by, values=values, reason=reason, today=after)
