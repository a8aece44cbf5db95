"""Follow-up demo data for the fictional city of Karyapura: a year of "aksi tindak lanjut".

Recommendations from a (fictional) KPK letter after the SPI, BPK and Inspectorate audit findings
with Rupiah to recover, and one from a survey weak point when the index demo found one. Each
target unit's plan is driven through the real services by the demo people (unit heads submit,
unit officers report progress and upload evidence, inspectors approve, return and verify), so
every step has its audit event, working-day due dates and content-sniffed evidence files (small
generated PDFs and PNGs). Plans end in every workflow state; some are overdue, some due soon.
Two audit findings are closed by the inspector: one done as recommended (sesuai), one that
cannot be followed up, with its reason (tidak dapat ditindaklanjuti).

Dates are relative to the day of seeding. The services stamp "now"; afterwards the dates of the
plans, recommendations and evidence are set back to where the story puts them, so the dashboards
show a year of progress (the audit trail keeps the true moment the demo was seeded).

Idempotent: a recommendation that already exists (same reference and title) is left alone.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from integritas.audit.context import acting_as
from integritas.core.calendar import WorkingCalendar
from integritas.core.models import Unit, User
from integritas.core.services.calendar import calendar_for
from integritas.followup.models import (
    ActionPlan,
    Activity,
    Evidence,
    EvidenceFile,
    Recommendation,
    RecommendationTemplate,
)
from integritas.followup.services import plans as plan_services
from integritas.followup.services import recommendations as recommendation_services
from integritas.indices.models import IndexRun, WeakPoint
from integritas.indices.services.weak_points import detect, request_recommendation

Source = Recommendation.Source
Tlhp = Recommendation.Tlhp
S = ActionPlan.Status
KPK_LETTER = "B/2417/KSP.007/70-73/04/2026"  # fictional, in the style of KPK's letters
STEPS = [S.DRAFT, S.SUBMITTED, S.APPROVED, S.IN_PROGRESS, S.EVIDENCE_SUBMITTED, S.VERIFIED]


@dataclass(frozen=True)
class PlanScript:
    """Where one unit's plan ends up. Days are counted from the day of seeding (negative: ago)."""

    unit: str
    target: str
    dues: tuple[int, ...]  # one per activity of the recommendation
    progress: tuple[int, ...] = ()  # claimed % per activity (verified plans: 100 each)
    verified: int = 0  # the day it was verified
    returned: str = ""  # evidence returned once with this reason (then a new version)
    plan_returned: str = ""  # the plan itself returned once with this reason
    cancelled: str = ""  # cancelled with this reason


@dataclass(frozen=True)
class RecScript:
    source: str
    title: str
    reference_number: str
    reference_days: int  # the letter or report date
    issued_days: int
    activities: tuple[tuple[str, str, int], ...]  # (activity, output, weight)
    plans: tuple[PlanScript, ...]
    template: str = ""
    description: str = ""
    finding: str = ""
    amount: int = 0
    priority: str = Recommendation.Priority.MEDIUM
    tlhp: tuple[str, int, str] | None = None  # (category, amount recovered, reason)
    closed: tuple[int, str] | None = None  # closed by the inspector: (day, closing note)
    extra: dict[str, Any] = field(default_factory=dict)


COI = (
    ("Susun Peraturan Wali Kota tentang penanganan benturan kepentingan", "Perwal ditetapkan", 40),
    (
        "Kumpulkan pernyataan benturan kepentingan dari pejabat pengadaan",
        "Pernyataan dari semua pejabat pengadaan",
        30,
    ),
    ("Sosialisasikan aturan kepada seluruh pegawai", "Daftar hadir dan materi sosialisasi", 30),
)
REPORTING = (
    ("Tetapkan SOP pengaduan dan perlindungan pelapor", "SOP ditetapkan kepala unit", 50),
    ("Buka kanal pengaduan di unit layanan dan umumkan", "Kanal aktif dan diumumkan", 50),
)
EDUCATION = (
    ("Susun jadwal sosialisasi antikorupsi tahunan", "Jadwal ditetapkan", 30),
    ("Selenggarakan pelatihan integritas bagi pegawai", "Pegawai terlatih dan hasil uji", 70),
)

SCRIPTS: list[RecScript] = [
    RecScript(
        source=Source.KPK_LETTER,
        template="spi-coi",
        title="Tegakkan aturan benturan kepentingan dalam pengadaan barang dan jasa",
        description="Tindak lanjut hasil SPI 2025: risiko benturan kepentingan dalam pengadaan "
        "dinilai tinggi oleh responden internal dan eksper.",
        reference_number=KPK_LETTER,
        reference_days=-310,
        issued_days=-300,
        priority=Recommendation.Priority.HIGH,
        activities=COI,
        plans=(
            PlanScript("BPKAD", S.VERIFIED, (-150, -120, -95), verified=-98),
            PlanScript(
                "DINKES",
                S.VERIFIED,
                (-160, -140, -110),
                verified=-70,
                returned="Daftar hadir sosialisasi belum ditandatangani kepala dinas.",
            ),
            PlanScript("DPUPR", S.IN_PROGRESS, (-45, -25, -8), progress=(100, 50, 0)),
            PlanScript("DISHUB", S.EVIDENCE_SUBMITTED, (-12, -4, 6), progress=(100, 100, 100)),
        ),
    ),
    RecScript(
        source=Source.KPK_LETTER,
        template="spi-reporting",
        title="Bangun sistem pengaduan yang melindungi pelapor di unit layanan",
        reference_number=KPK_LETTER,
        reference_days=-310,
        issued_days=-300,
        activities=REPORTING,
        plans=(
            PlanScript("DPMPTSP", S.VERIFIED, (-130, -75), verified=-78),
            PlanScript(
                "DISDUKCAPIL",
                S.IN_PROGRESS,
                (-6, 3),
                progress=(100, 60),
                returned="SOP belum memuat jaminan kerahasiaan identitas pelapor.",
            ),
            PlanScript("RSUD", S.APPROVED, (10, 30)),
            PlanScript(
                "BKPSDM",
                S.SUBMITTED,
                (20, 40),
                plan_returned="Bobot kegiatan belum mencerminkan beban kerja; pisahkan "
                "penetapan SOP dari uji coba kanal.",
            ),
        ),
    ),
    RecScript(
        source=Source.KPK_LETTER,
        template="spi-education",
        title="Selenggarakan sosialisasi dan pelatihan antikorupsi secara berkala",
        reference_number=KPK_LETTER,
        reference_days=-310,
        issued_days=-300,
        activities=EDUCATION,
        plans=(
            PlanScript("DISDIK", S.IN_PROGRESS, (-30, 2), progress=(100, 40)),
            PlanScript("DINSOS", S.DRAFT, (25, 45)),
            PlanScript("BAPPEDA", S.VERIFIED, (-200, -160), verified=-163),
        ),
    ),
    RecScript(
        source=Source.BPK,
        title="Kelebihan pembayaran pada pekerjaan peningkatan jalan lingkungan",
        reference_number="28.B/LHP/XVIII.KRP/05/2026",
        reference_days=-190,
        issued_days=-180,
        finding="Volume pekerjaan terpasang lebih kecil dari yang dibayar pada tiga paket "
        "peningkatan jalan lingkungan.",
        amount=1_245_600_000,
        priority=Recommendation.Priority.HIGH,
        activities=(
            ("Tagih kelebihan pembayaran kepada penyedia", "Bukti setor ke kas daerah", 70),
            ("Beri sanksi kepada PPK dan PPTK", "Surat teguran tertulis", 30),
        ),
        plans=(PlanScript("DPUPR", S.IN_PROGRESS, (-35, -15), progress=(60, 100)),),
        tlhp=(Tlhp.BELUM_SESUAI, 500_000_000, ""),
    ),
    RecScript(
        source=Source.BPK,
        title="Kekurangan penerimaan retribusi parkir tepi jalan umum",
        reference_number="28.B/LHP/XVIII.KRP/05/2026",
        reference_days=-190,
        issued_days=-180,
        finding="Setoran juru parkir tidak disetor utuh ke kas daerah selama enam bulan.",
        amount=387_250_000,
        activities=(
            ("Tagih kekurangan setoran dari koordinator parkir", "Bukti setor ke kas daerah", 60),
            ("Terapkan karcis parkir elektronik", "Karcis elektronik berlaku", 40),
        ),
        plans=(PlanScript("DISHUB", S.VERIFIED, (-120, -60), verified=-63),),
        tlhp=(Tlhp.SESUAI, 387_250_000, ""),
        closed=(-60, "Kekurangan setoran telah disetor utuh dan karcis elektronik berlaku."),
    ),
    RecScript(
        source=Source.INSPECTORATE,
        title="Honorarium tim pelaksana melebihi standar biaya",
        reference_number="700.1.2.1/045/LHP-IRBAN.I/2026",
        reference_days=-100,
        issued_days=-95,
        finding="Honorarium sebelas tim pelaksana kegiatan dibayar di atas standar harga "
        "satuan yang ditetapkan wali kota.",
        amount=96_400_000,
        activities=(
            ("Tagih kelebihan honorarium dari penerima", "Bukti setor ke kas daerah", 80),
            ("Revisi keputusan pembentukan tim", "Keputusan revisi ditetapkan", 20),
        ),
        plans=(PlanScript("BPKAD", S.DRAFT, (15, 30)),),
    ),
    RecScript(
        source=Source.INSPECTORATE,
        title="Kendaraan dinas roda dua tidak diketahui keberadaannya",
        reference_number="700.1.2.1/031/LHP-IRBAN.II/2026",
        reference_days=-150,
        issued_days=-140,
        finding="Empat kendaraan roda dua tercatat di KIB B tetapi tidak ditemukan saat "
        "pemeriksaan fisik.",
        amount=64_000_000,
        activities=(("Telusuri keberadaan kendaraan", "Berita acara penelusuran", 100),),
        plans=(
            PlanScript(
                "DLH",
                S.CANCELLED,
                (-60,),
                cancelled="Kendaraan dinyatakan hilang; penyelesaian diserahkan kepada Majelis "
                "Tuntutan Ganti Kerugian Daerah.",
            ),
        ),
        tlhp=(
            Tlhp.TIDAK_DAPAT,
            0,
            "Kendaraan hilang; diproses melalui tuntutan ganti kerugian daerah.",
        ),
        closed=(-50, ""),
    ),
    RecScript(
        source=Source.INSPECTORATE,
        title="Pengadaan langsung dipecah untuk menghindari tender",
        reference_number="700.1.2.1/052/LHP-IRBAN.I/2026",
        reference_days=-70,
        issued_days=-60,
        finding="Tujuh paket pengadaan alat tulis kantor dengan penyedia yang sama dalam satu "
        "bulan.",
        activities=(
            ("Susun rencana umum pengadaan yang menggabungkan paket sejenis", "RUP revisi", 50),
            ("Latih pejabat pengadaan tentang larangan pemecahan paket", "Sertifikat", 50),
        ),
        plans=(PlanScript("SETDA", S.EVIDENCE_SUBMITTED, (-20, -2), progress=(100, 100)),),
        tlhp=(Tlhp.BELUM_SESUAI, 0, ""),
    ),
]


# --- small generated evidence files ----------------------------------------------------------


def _pdf_text(value: str) -> str:
    ascii_only = value.encode("ascii", "replace").decode("ascii")
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and some lines of text (Helvetica, no fonts embedded)."""
    ops = ["BT", "/F1 15 Tf", "56 780 Td", f"({_pdf_text(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        ops += ["0 -22 Td", f"({_pdf_text(line)}) Tj"]
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def make_png(seed: int, width: int = 160, height: int = 90) -> bytes:
    """A small picture (a sky, a field and a banner) standing in for a photo of an event."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    banner = ((seed * 53) % 200, (seed * 97) % 200, 120)
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            if 30 <= y < 48 and 20 <= x < width - 20:
                row += bytes(banner)
            elif y < height // 2:
                row += bytes((150, 190, 230))
            else:
                row += bytes((90, 150 + (x + y) % 20, 80))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


# --- driving the plans ------------------------------------------------------------------------


def _slug(code: str) -> str:
    return code.lower().replace(".", "")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@dataclass
class Cast:
    inspector: User  # writes, issues and approves
    verifier: User  # verifies and returns evidence
    leader: User | None

    @classmethod
    def load(cls) -> Cast | None:
        users = {
            u.username: u
            for u in User.objects.filter(username__in=["irban1", "irban2", "walikota"])
        }
        if "irban1" not in users or "irban2" not in users:
            return None
        return cls(users["irban1"], users["irban2"], users.get("walikota"))


class Story:
    """Plays the scripts through the services, then sets the clock of each record back."""

    def __init__(self, cast: Cast, today: dt.date, calendar: WorkingCalendar) -> None:
        self.cast = cast
        self.today = today
        self.calendar = calendar
        self.files = 0

    def day(self, days: int) -> dt.date:
        """A working day ``days`` from today (the next one when that day is not)."""
        return self.calendar.next_working_day(self.today + dt.timedelta(days=days))

    def past(self, days: int) -> dt.date:
        """A working day ``days`` from today that is not after today."""
        day = self.day(days)
        return day if day <= self.today else self.calendar.previous_working_day(self.today)

    def act(self, user: User, name: str, plan: ActionPlan, reason: str = "") -> ActionPlan:
        with acting_as(label=user.get_full_name() or user.username, user=user):
            return plan_services.plan_transition(plan=plan, name=name, by=user, reason=reason)

    def recommendation(self, script: RecScript, units: list[Unit]) -> Recommendation:
        template = RecommendationTemplate.objects.filter(code=script.template).first()
        inspector = self.cast.inspector
        values: dict[str, Any] = {
            "source": script.source,
            "title": script.title,
            "description": script.description or (template.body_id if template else ""),
            "reference_number": script.reference_number,
            "reference_date": self.day(script.reference_days),
            # A BPK report reaches the government a few days after its date.
            "report_received_on": self.day(script.reference_days + 4)
            if script.source == Source.BPK
            else None,
            "finding": script.finding,
            "amount_to_recover": Decimal(script.amount),
            "year": self.day(script.reference_days).year,
            "priority": script.priority,
            **script.extra,
        }
        with acting_as(label=inspector.get_full_name(), user=inspector):
            rec = Recommendation(template=template, weak_point=values.pop("weak_point", None))
            rec = recommendation_services.recommendation_save(
                recommendation=rec, values=values, units=units, by=inspector
            )
            recommendation_services.recommendation_issue(recommendation=rec, by=inspector)
            if script.tlhp:
                category, recovered, reason = script.tlhp
                recommendation_services.recommendation_set_tlhp(
                    recommendation=rec,
                    category=category,
                    reason=reason,
                    amount_recovered=Decimal(recovered),
                    by=inspector,
                )
        issued = self.past(script.issued_days)
        Recommendation.objects.filter(pk=rec.pk).update(
            created_at=_at(self.past(script.issued_days - 3)), issued_at=_at(issued)
        )
        return rec

    def evidence(self, activity: Activity, officer: User, index: int) -> Evidence:
        """File evidence (a PDF, or a PNG photo for trainings and socialisation) or a link."""
        self.files += 1
        due = activity.due_on
        values: dict[str, Any] = {
            "title": f"Bukti: {activity.output}",
            "effective_from": min(due, self.today) - dt.timedelta(days=30),
            "effective_to": min(due, self.today),
        }
        upload: io.BytesIO | None = None
        name = ""
        lowered = activity.title.lower()
        if "sosialisasi" in lowered or "pelatihan" in lowered or "latih" in lowered:
            values["kind"] = Evidence.Kind.FILE
            upload, name = io.BytesIO(make_png(self.files)), f"foto-kegiatan-{self.files}.png"
        elif "kanal" in lowered or "karcis" in lowered:
            values["kind"] = Evidence.Kind.URL
            values["url"] = f"https://karyapura.example/layanan/bukti-{self.files}"
        else:
            values["kind"] = Evidence.Kind.FILE
            lines = [
                f"Unit: {activity.plan.unit.name}",
                f"Rekomendasi: {activity.plan.recommendation.code}",
                f"Kegiatan: {activity.title}",
                f"Keluaran: {activity.output}",
                "Dokumen contoh untuk demonstrasi Integritas (fiktif).",
            ]
            upload = io.BytesIO(make_pdf(activity.output, lines))
            name = f"bukti-{_slug(activity.plan.unit.code)}-{index + 1}.pdf"
        with acting_as(label=officer.get_full_name(), user=officer):
            evidence = plan_services.evidence_add(
                activity=activity, values=values, by=officer, upload=upload, upload_name=name
            )
        return evidence

    def plan(self, rec: Recommendation, script: RecScript, ps: PlanScript) -> ActionPlan:
        plan = rec.plans.select_related("unit").get(unit__code=ps.unit)
        slug = _slug(ps.unit)
        head = User.objects.filter(username=f"kepala.{slug}").first()
        officer = User.objects.filter(username=f"operator.{slug}").first()
        if head is None or officer is None:
            return plan
        issued = self.past(script.issued_days)
        with acting_as(label=officer.get_full_name(), user=officer):
            for order, ((title, output, weight), days) in enumerate(
                zip(script.activities, ps.dues, strict=True)
            ):
                plan_services.activity_save(
                    plan=plan,
                    activity=Activity(),
                    values={
                        "title": title,
                        "output": output,
                        "due_on": self.day(days),
                        "weight": Decimal(weight),
                        "responsible": officer,
                        "order": order,
                    },
                    by=officer,
                )
        target = ps.target
        if ps.plan_returned:
            plan = self.act(head, "submit", plan)
            plan = self.act(self.cast.inspector, "return_plan", plan, ps.plan_returned)
        if target == S.DRAFT:
            return self._date(plan, issued)
        plan = self.act(head, "submit", plan)
        if target == S.CANCELLED:
            plan = self.act(self.cast.inspector, "cancel", plan, ps.cancelled)
            return self._date(plan, self.past(script.issued_days + 20))
        if target == S.SUBMITTED:
            return self._date(plan, self.past(script.issued_days + 12))
        plan = self.act(self.cast.inspector, "approve", plan)
        if target == S.APPROVED:
            return self._date(plan, self.past(script.issued_days + 15))
        plan = self.act(officer, "start", plan)
        activities = list(plan.activities.order_by("order"))
        finishing = STEPS.index(S(target)) >= STEPS.index(S.EVIDENCE_SUBMITTED)
        progress = ps.progress or tuple(100 for _ in activities)
        evidence: list[Evidence] = []
        with acting_as(label=officer.get_full_name(), user=officer):
            for index, activity in enumerate(activities):
                claimed = 100 if target == S.VERIFIED else progress[index]
                if claimed:
                    plan_services.activity_report_progress(
                        activity=activity, progress=Decimal(claimed), by=officer
                    )
                if claimed or finishing:
                    evidence.append(self.evidence(activity, officer, index))
        if ps.returned:
            plan = self.act(head, "submit_evidence", plan)
            plan = self.act(self.cast.verifier, "return", plan, ps.returned)
            files = [e for e in evidence if e.kind == Evidence.Kind.FILE]
            if files:
                first = files[0]
                latest = first.latest()
                body = make_pdf(
                    f"{first.title} (perbaikan)",
                    ["Versi perbaikan sesuai catatan Inspektorat.", ps.returned],
                )
                if latest is not None and latest.content_type == "image/png":
                    body = make_png(self.files + 100)
                with acting_as(label=officer.get_full_name(), user=officer):
                    plan_services.evidence_add_version(
                        evidence=first,
                        upload=io.BytesIO(body),
                        upload_name=f"perbaikan-{latest.original_name if latest else 'bukti'}",
                        by=officer,
                    )
        self._date_evidence(plan)
        if target == S.IN_PROGRESS:
            return self._date(plan, self.past(-6 if ps.returned else script.issued_days + 16))
        plan = self.act(head, "submit_evidence", plan)
        if target == S.EVIDENCE_SUBMITTED:
            return self._date(plan, self.past(-3))
        verifier = self.cast.verifier
        with acting_as(label=verifier.get_full_name() or verifier.username, user=verifier):
            for activity in plan.activities.order_by("order"):  # one by one, as inspectors do
                plan_services.activity_step(activity=activity, name="verify", by=verifier)
        plan = self.act(verifier, "verify", plan)
        plan.activities.update(verified_at=_at(self.past(ps.verified), 10))
        return self._date(plan, self.past(ps.verified))

    def _date(self, plan: ActionPlan, day: dt.date) -> ActionPlan:
        ActionPlan.objects.filter(pk=plan.pk).update(status_changed_at=_at(day, 14))
        plan.refresh_from_db()
        return plan

    def _date_evidence(self, plan: ActionPlan) -> None:
        """Uploads happen about a week before each activity is due (never in the future)."""
        for activity in plan.activities.all():
            day = min(activity.due_on - dt.timedelta(days=8), self.today)
            Evidence.objects.filter(activity=activity).update(created_at=_at(day, 9))
            for stored in EvidenceFile.objects.filter(evidence__activity=activity):
                shift = dt.timedelta(days=stored.version - 1)
                EvidenceFile.objects.filter(pk=stored.pk).update(
                    uploaded_at=_at(min(day + shift, self.today), 9)
                )

    def play(self, script: RecScript) -> Recommendation | None:
        if Recommendation.objects.filter(
            reference_number=script.reference_number, title=script.title
        ).exists():
            return None
        units = list(Unit.objects.filter(code__in=[p.unit for p in script.plans]))
        if len(units) != len(script.plans):
            return None
        rec = self.recommendation(script, units)
        for ps in script.plans:
            self.plan(rec, script, ps)
        if script.closed:
            self.close(rec, *script.closed)
        return rec

    def close(self, rec: Recommendation, days: int, note: str) -> None:
        """The inspector closes the recommendation in its confirmed category, ``days`` ago."""
        inspector = self.cast.inspector
        with acting_as(label=inspector.get_full_name(), user=inspector):
            recommendation_services.recommendation_close(
                recommendation=rec, by=inspector, note=note
            )
        Recommendation.objects.filter(pk=rec.pk).update(closed_at=_at(self.past(days)))


def _weak_point_script(story: Story) -> RecScript | None:
    """A recommendation on the most severe survey weak point of a unit with demo staff."""
    if not WeakPoint.objects.exists():
        # The index demo computes the waves; weak points are found here when nobody has yet.
        latest: dict[int, IndexRun] = {}
        for run in IndexRun.objects.order_by("computed_at"):
            latest[run.wave_id] = run
        for run in latest.values():
            detect(run=run)

    with_staff = {
        u.unit.code
        for u in User.objects.filter(username__startswith="kepala.").select_related("unit")
        if u.unit
    }
    candidates = (
        WeakPoint.objects.filter(
            recommendation_ref="", question__isnull=True, unit__code__in=with_staff
        )
        .exclude(status=WeakPoint.Status.DISMISSED)
        .select_related("unit", "wave")
        .order_by("-severity")
    )
    weak_point = candidates.filter(status=WeakPoint.Status.RECOMMENDATION_REQUESTED).first()
    if weak_point is None:
        weak_point = candidates.filter(status=WeakPoint.Status.OPEN, still_weak=True).first()
        if weak_point is None:
            return None
        leader = story.cast.leader or story.cast.inspector
        with acting_as(label=leader.get_full_name(), user=leader):
            weak_point = request_recommendation(
                weak_point=weak_point,
                by=leader,
                note="Mohon rekomendasi perbaikan; skor unit ini jauh di bawah rata-rata kota.",
            )
    with translation.override("id"):
        dimension = weak_point.dimension_name()
    return RecScript(
        source=Source.WEAK_POINT,
        title=f"Perbaiki “{dimension}” di {weak_point.unit.name}",
        description=weak_point.request_note,
        reference_number=weak_point.wave.code,
        reference_days=-20,
        issued_days=-15,
        activities=(
            ("Analisis penyebab skor rendah bersama petugas layanan", "Notulen analisis", 40),
            ("Terapkan perbaikan layanan dan umumkan kepada pengguna", "Maklumat layanan", 60),
        ),
        plans=(PlanScript(weak_point.unit.code, S.IN_PROGRESS, (5, 25), progress=(50, 0)),),
        extra={"weak_point": weak_point},
    )


@transaction.atomic
def seed_followup(today: dt.date | None = None) -> list[str]:
    """Play every script not played yet; one line per recommendation created."""
    cast = Cast.load()
    if cast is None:
        return []
    story = Story(cast, today or timezone.localdate(), calendar_for())
    scripts = list(SCRIPTS)
    if not Recommendation.objects.filter(source=Source.WEAK_POINT).exists():
        extra = _weak_point_script(story)
        if extra is not None:
            scripts.append(extra)
    lines = []
    for script in scripts:
        rec = story.play(script)
        if rec is not None:
            states = ", ".join(
                f"{p.unit.code} {p.status}" for p in rec.plans.select_related("unit")
            )
            lines.append(f"recommendation {rec.code} ({rec.get_source_display()}): {states}")
    return lines


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    return seed_followup() or ["follow-up recommendations already present"]
