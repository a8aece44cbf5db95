"""Whistleblowing demo data for Karyapura: handlers with keys and a few reports in each status.

The demo complaint handler (``penangan``) and identity custodian (``kustodian``) enrol with the
public demo password. The alternate group (for reports about the Inspectorate or the leadership)
is two people appointed from outside the government's line of command, so that nobody the
reports are about is their superior: an auditor of the provincial inspectorate assigned to the
city and a university lecturer in administrative law; they hold no unit and no role here. Reports are submitted and handled through the real services, so they are encrypted
and every handler step has its audit event; their dates are set back to where the story puts
them. One report stays "received" past its 3-working-day limit, so the overdue alert shows.

Only in ``DEMO_MODE``: outside it, keys locked with a published password would protect real
reports one day. Idempotent: nothing is added when reports already exist.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from PIL import Image

from integritas.complaints.models import AlternateHandler, HandlerKey, Report
from integritas.complaints.services import keys, public
from integritas.complaints.services.attachments import Upload
from integritas.complaints.services.errors import ComplaintError
from integritas.complaints.services.handler import add_note, assign, change_status, handler_message
from integritas.core.demo import DEMO_PASSWORD
from integritas.core.models import Unit, User

HANDLER, CUSTODIAN = "penangan", "kustodian"
# (username, name, position): outside every unit of the government, so outside every line.
ALTERNATES = (
    (
        "alternatif.prov",
        "Drs. Hendra Wibisono, Ak.",
        "Auditor Inspektorat Provinsi (diperbantukan)",
    ),
    (
        "alternatif.akademisi",
        "Dr. Maria Simanjuntak, S.H., M.H.",
        "Dosen Hukum Administrasi Negara",
    ),
)
ALTERNATE = ALTERNATES[0][0]
APPOINTED = "Keputusan Wali Kota tentang Tim Penanganan Pengaduan Khusus (demo)"


@dataclass(frozen=True)
class Story:
    unit: str
    channel: str
    category: str
    days_ago: int
    fields: dict[str, str]
    steps: tuple[tuple[str, dict[str, str]], ...] = ()
    question: str = ""
    answer: str = ""
    note: str = ""
    identity: dict[str, str] = field(default_factory=dict)
    confidential: bool = False
    photo: bool = False


STORIES = (
    Story(
        "DPMPTSP",
        "whistleblowing",
        "extortion",
        1,
        {
            "what": "Petugas loket meminta uang Rp500.000 agar izin usaha saya cepat terbit.",
            "who": "Petugas loket perizinan (laki-laki, berkacamata)",
            "where": "Mal Pelayanan Publik, loket 4",
            "when": "Senin pagi pekan ini",
            "how": "Diminta langsung secara lisan, uang tunai",
        },
    ),
    Story(
        "DINSOS",
        "complaint",
        "poor_service",
        9,
        {"what": "Pengajuan bantuan sosial saya tidak ada kabar selama dua bulan."},
    ),
    Story(
        "DISHUB.PKB",
        "whistleblowing",
        "extortion",
        6,
        {
            "what": "Ada pungutan tambahan Rp150.000 di luar tarif resmi uji KIR.",
            "who": "Oknum penguji di jalur 2",
            "where": "UPTD Pengujian Kendaraan Bermotor",
            "when": "Dua minggu terakhir, hampir setiap hari",
            "how": "Uang diselipkan di map dokumen",
        },
        steps=(("screen", {}),),
        question="Apakah Anda memiliki kuitansi atau foto map dokumen tersebut?",
        answer="Tidak ada kuitansi, tetapi beberapa sopir lain mengalami hal yang sama.",
    ),
    Story(
        "DISDUKCAPIL",
        "complaint",
        "poor_service",
        20,
        {"what": "Antrean KTP-el sangat panjang dan petugas sering tidak di tempat."},
        steps=(
            ("screen", {}),
            (
                "reject",
                {
                    "reason": "Pengaduan pelayanan ini kami teruskan melalui kanal SP4N-LAPOR! "
                    "karena bukan dugaan pelanggaran integritas."
                },
            ),
        ),
    ),
    Story(
        "DINKES",
        "whistleblowing",
        "procurement_fraud",
        15,
        {
            "what": "Pengadaan alat kesehatan diduga diarahkan ke satu penyedia tertentu.",
            "who": "Panitia pengadaan alat kesehatan",
            "where": "Dinas Kesehatan",
            "when": "Tender bulan lalu",
            "why": "Spesifikasi dibuat sama persis dengan brosur satu merek",
        },
        steps=(("screen", {}), ("accept", {"tier": "no_field_check"})),
        identity={"name": "Rina Wulandari", "phone": "0812-0000-1111"},
        confidential=True,
    ),
    Story(
        "DPUPR",
        "whistleblowing",
        "procurement_fraud",
        30,
        {
            "what": "Volume pekerjaan jalan lingkungan tidak sesuai kontrak; aspal lebih tipis.",
            "who": "Pelaksana proyek dan pengawas lapangan",
            "where": "Jalan lingkungan RW 05, Kelurahan Sukamaju",
            "when": "Pekerjaan selesai akhir bulan lalu",
            "how": "Ketebalan aspal sekitar 3 cm, kontrak 5 cm",
        },
        steps=(
            ("screen", {}),
            ("accept", {"tier": "field_check"}),
            ("investigate", {}),
        ),
        note="Jadwalkan uji petik ketebalan bersama Irban II.",
        photo=True,
    ),
    Story(
        "BPKAD",
        "whistleblowing",
        "budget_misuse",
        40,
        {
            "what": "Perjalanan dinas fiktif dicairkan atas nama pegawai yang tidak berangkat.",
            "who": "Bendahara pengeluaran",
            "where": "BPKAD",
            "when": "Triwulan lalu",
        },
        steps=(
            ("screen", {}),
            ("accept", {"tier": "field_check"}),
            ("forward", {"forwarded_to": "kpk", "reference": "Dumas/KPK/2026/0417"}),
        ),
    ),
    Story(
        "RSUD",
        "whistleblowing",
        "gratification",
        45,
        {
            "what": "Dokter menerima hadiah perjalanan dari distributor obat.",
            "who": "Seorang dokter spesialis",
            "where": "RSUD Kota Karyapura",
            "when": "Awal tahun",
        },
        steps=(
            ("screen", {}),
            ("accept", {"tier": "simple"}),
            (
                "close",
                {
                    "reason": "Hadiah telah dilaporkan ke UPG dan ditetapkan milik negara. "
                    "Terima kasih atas laporan Anda."
                },
            ),
        ),
    ),
    Story(
        "INSP",
        "whistleblowing",
        "abuse_of_authority",
        3,
        {
            "what": "Auditor meminta fasilitas menginap saat pemeriksaan.",
            "who": "Seorang auditor Inspektorat",
            "where": "Kantor kecamatan",
            "when": "Pemeriksaan reguler bulan ini",
        },
    ),
)


def _photo() -> bytes:
    """A small photo carrying a GPS position, to show what handlers are spared."""
    image = Image.new("RGB", (64, 48), (120, 120, 110))
    exif = Image.Exif()
    exif[0x0110] = "Demo Phone"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "S", (6.0, 54.0, 1.0), "E", (107.0, 36.0, 2.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _person(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def seed_complaints(today: dt.date | None = None) -> list[str]:
    if not settings.DEMO_MODE:
        return ["whistleblowing: skipped (keys need DEMO_MODE: the demo password is public)"]
    if Report.objects.exists():
        return ["whistleblowing reports already present"]
    today = today or timezone.localdate()
    lines: list[str] = []
    people = {name: _person(name) for name in (HANDLER, CUSTODIAN)}
    if people[HANDLER] is None:
        return ["whistleblowing: skipped (the demo complaint handler is missing)"]
    for username, name, position in ALTERNATES:
        member, created = User.objects.get_or_create(
            username=username, defaults={"name": name, "position": position}
        )
        if created:
            member.set_password(DEMO_PASSWORD)
            member.save(update_fields=["password"])
            lines.append(f"alternate handler {username} ({position}), password {DEMO_PASSWORD}")
        AlternateHandler.objects.get_or_create(user=member, defaults={"note": APPOINTED})
        people[username] = member
    alternate = people[ALTERNATE]
    for user in people.values():
        if user is not None and not HandlerKey.objects.filter(user=user).exists():
            keys.enrol(user=user, password=DEMO_PASSWORD)
            lines.append(f"whistleblowing key enrolled for {user.username}")
    handler = people[HANDLER]
    assert handler is not None  # noqa: S101 - checked above
    private_key = keys.unlock(user=handler, password=DEMO_PASSWORD)
    units = {u.code: u for u in Unit.objects.filter(code__in={s.unit for s in STORIES})}
    for story in STORIES:
        unit = units.get(story.unit)
        if unit is None:
            continue
        received = today - dt.timedelta(days=story.days_ago)
        try:
            report, receipt = public.submit_report(
                channel=story.channel,
                category=story.category,
                unit=unit,
                fields=story.fields,
                identity=story.identity or None,
                confidential=story.confidential,
                attachments=[Upload("IMG_20260301.jpg", _photo())] if story.photo else (),
                today=received,
            )
        except ComplaintError:
            lines.append(f"whistleblowing: no eligible handler for a report about {story.unit}")
            continue
        reader, key = handler, private_key
        if report.routed_to_alternate:
            if alternate is None:
                continue
            reader, key = alternate, keys.unlock(user=alternate, password=DEMO_PASSWORD)
        if story.question:
            handler_message(report=report, handler=reader, private_key=key, text=story.question)
            view = public.open_with_receipt(receipt)
            public.reporter_reply(view=view, text=story.answer)
        day = received
        for name, values in story.steps:
            day = min(today, day + dt.timedelta(days=2))
            change_status(report=report, name=name, by=reader, private_key=key, today=day, **values)
        if story.note:
            add_note(report=report, by=reader, private_key=key, text=story.note)
        if story.steps or story.question:
            assign(report=report, to=reader, by=reader)
        report.refresh_from_db()
        lines.append(
            f"whistleblowing report about {story.unit}: {report.status}"
            + (f" (receipt for trying the reporter's page: {receipt})" if story.question else "")
        )
    return lines


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    return seed_complaints()
