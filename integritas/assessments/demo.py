"""Assessment demo data for Karyapura: the shipped LKE framework of the year (with its WBK and
WBBM thresholds) and the example MCSP indicator set, labelled as an example, both active; two
units' Zona Integritas self-assessments (``seed_lke``); and the example MCSP year's document desk
a few days before its upload deadline, with documents in every state, a requirement still empty,
and the scores over time (``seed_mcsp_desk``). Idempotent: what is already there is not loaded
or made again."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

from integritas.assessments import imports, scoring
from integritas.assessments.models import (
    Assessment,
    Document,
    Framework,
    FrameworkKind,
    FrameworkStatus,
    LkeAssessment,
    Node,
    ScoreSnapshot,
    SnapshotKind,
)
from integritas.assessments.services import desk, snapshots
from integritas.core.models import INSPECTORATE_ROLES, Role, RoleAssignment, Unit, User

DEADLINE_IN_DAYS = 3
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# (requirement, [(document title, where it ends up)]): every state of the desk, and ASN.1.1
# with nothing uploaded yet.
DOCUMENTS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "PRC.1.1",
        [
            ("RKPD 2026", "accepted"),
            ("Berita acara musrenbang", "accepted"),
            ("Pokok-pokok pikiran DPRD", "uploaded"),
        ],
    ),
    ("PRC.1.2", [("Tangkapan layar e-planning", "ready")]),
    ("ANG.1.1", [("Perkada penjabaran APBD", "accepted")]),
    ("ANG.1.2", [("Laporan realisasi anggaran", "rejected"), ("SK TAPD", "submitted")]),
    ("PBJ.1.2", [("RUP 2026", "returned"), ("Laporan e-katalog", "submitted")]),
    ("PLY.1.1", [("Standar pelayanan perizinan", "ready"), ("Hasil SKM", "uploaded")]),
    (
        "APIP.1.1",
        [
            ("PKPT 2026", "accepted"),
            ("Laporan hasil reviu", "accepted"),
            ("Kapabilitas APIP", "ready"),
        ],
    ),
    ("BMD.1.2", [("Laporan inventarisasi aset", "returned")]),
    ("PAD.1.2", [("Perda pajak daerah", "submitted"), ("Rekonsiliasi PAD", "ready")]),
]
RETURN_REASON = "Belum ditandatangani kepala perangkat daerah."
KPK_NOTE = "Dokumen tidak memuat realisasi semester I."


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    lines = []
    for name in (imports.SHIPPED_LKE, imports.SHIPPED_MCSP_EXAMPLE):
        framework, loaded = imports.load_shipped(name=name)
        if loaded:
            lines.append(f"Assessment framework: {framework} ({framework.nodes.count()} nodes)")
    lines += seed_lke()
    lines += seed_mcsp_desk()
    return lines


# Two units bidding for WBK: the one-stop licensing office meets every condition and has been
# reviewed by the TPI; the hospital's anti-corruption perception (IPAK 3.52) is below the 3.60
# minimum, its only failing condition. The indices were measured outside this system.
LKE_DEMO = (
    {
        "unit": "DPMPTSP",
        "operator": "operator.dpmptsp",
        "head": "kepala.dpmptsp",
        "lower": ("MP.RF.3", "TT.RF.3", "SDM.PM.2", "PP.RF.1"),  # answered B, the rest A
        "percent": "96",
        "results": {"H.IPAK": "3.71", "H.IPKP": "3.55", "H.KIN": "92"},
        "reviewed": True,
    },
    {
        "unit": "RSUD",
        "operator": "operator.rsud",
        "head": "kepala.rsud",
        "lower": ("MP.PM.3", "TT.PM.2", "SDM.RF.2", "AKN.RF.2", "PW.PM.4", "PP.PM.4"),
        "percent": "88",
        "results": {"H.IPAK": "3.52", "H.IPKP": "3.41", "H.KIN": "86"},
        "reviewed": False,
    },
)
SOURCE = "Survei persepsi Zona Integritas 2026 oleh tim survei independen (data demo)"


def _answers(framework: Framework, spec: dict[str, Any]) -> dict[str, str]:
    from integritas.assessments.services import lke

    best = {scoring.CHOICE: "A", scoring.YES_NO: "yes", scoring.PERCENT: spec["percent"]}
    answers = {}
    for node in lke.questions(framework):
        if node.code in spec["results"]:
            answers[node.code] = spec["results"][node.code]
        elif node.code in spec["lower"]:
            answers[node.code] = "B"
        else:
            answers[node.code] = best.get(node.method, "")
    return answers


def seed_lke() -> list[str]:
    """Two units' LKE on the year's active LKE framework: DPMPTSP eligible for WBK and reviewed by
    the TPI, RSUD submitted and failing on the IPAK minimum. Skipped when the framework, the
    units or their staff are missing."""
    from integritas.assessments.services import lke

    framework = Framework.objects.active().filter(kind=FrameworkKind.LKE).order_by("-year").first()
    reviewer = User.objects.filter(username="irban1").first()
    if framework is None or reviewer is None:
        return []
    lines = []
    for spec in LKE_DEMO:
        unit = Unit.objects.filter(code=spec["unit"]).first()
        operator = User.objects.filter(username=spec["operator"]).first()
        head = User.objects.filter(username=spec["head"]).first()
        if unit is None or operator is None or head is None:
            continue
        if LkeAssessment.objects.filter(framework=framework, unit=unit, target="WBK").exists():
            continue
        item = lke.start(framework=framework, unit=unit, target="WBK", by=head)
        for code, value in _answers(framework, spec).items():
            detail = SOURCE if lke.survey_kind(code) else ""
            lke.answer(lke=item, code=code, value=value, source_detail=detail, by=operator)
        lke.add_evidence(
            lke=item,
            code=lke.questions(framework)[0].code,
            title="SK Tim Kerja Pembangunan Zona Integritas",
            link="https://karyapura.example/zi/sk-tim",
            by=operator,
        )
        lke.step(lke=item, action="submit", by=head)
        if spec["reviewed"]:
            for code in lke.answers_of(item):
                lke.review_question(lke=item, code=code, verdict="accepted", by=reviewer)
            lke.step(lke=item, action="complete_review", by=reviewer)
        failures = lke.eligibility(item)
        verdict = "eligible" if not failures else f"{len(failures)} condition(s) not met"
        lines.append(f"LKE {framework.year} {unit.code} WBK: {item.get_stage_display()}, {verdict}")
    return lines


def _uploader(unit: Unit, inspectorate: list[User]) -> User:
    """The unit's officer (or head), else someone of the Inspectorate on the unit's behalf."""
    ancestors = [unit.pk] + ([unit.parent_id] if unit.parent_id else [])
    for role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        found = (
            RoleAssignment.objects.filter(role=role, unit_id__in=ancestors)
            .select_related("user")
            .first()
        )
        if found is not None:
            return found.user
    return inspectorate[-1]


def seed_mcsp_desk() -> list[str]:
    """The example MCSP year's desk, its deadline ``DEADLINE_IN_DAYS`` away."""
    framework = Framework.objects.filter(
        kind=FrameworkKind.MCSP, status=FrameworkStatus.ACTIVE, is_example=True
    ).first()
    if framework is None or Assessment.objects.filter(framework=framework).exists():
        return []
    inspectorate = list(
        User.objects.filter(
            role_assignments__role__in=INSPECTORATE_ROLES, role_assignments__unit=None
        )
        .distinct()
        .order_by("username")
    )
    if len(inspectorate) < 2:  # someone reviews what another uploaded
        return []
    today = timezone.localdate()
    deadline = timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=DEADLINE_IN_DAYS), dt.time(23, 59))
    )
    assessment = desk.open_assessment(framework=framework, upload_deadline=deadline, by=None)
    nodes = {n.code: n for n in Node.objects.filter(framework=framework)}
    count = 0
    for code, documents in DOCUMENTS:
        node = nodes.get(code)
        assignment = assessment.assignments.filter(node=node).select_related("unit").first()
        if node is None or assignment is None:
            continue
        uploader = _uploader(assignment.unit, inspectorate)
        reviewer = next(u for u in inspectorate if u.pk != uploader.pk)
        for title, state in documents:
            _document(assessment, node, assignment.unit, title, state, uploader, reviewer, today)
            count += 1
    _history(assessment, inspectorate[0], today)
    return [f"MCSP document desk {framework.year}: {count} documents, deadline {deadline:%d-%m}"]


def _document(
    assessment: Assessment,
    node: Node,
    unit: Unit,
    title: str,
    state: str,
    uploader: User,
    reviewer: User,
    today: dt.date,
) -> Document:
    document = desk.upload(
        assessment=assessment,
        node=node,
        unit=unit,
        file=io.BytesIO(PDF + title.encode()),
        name=f"{title.lower().replace(' ', '-')}.pdf",
        valid_from=dt.date(today.year - 1, 1, 1),
        valid_to=dt.date(today.year, 6, 30),
        title=title,
        by=uploader,
    ).document
    if state == "submitted":
        return document
    if state == "returned":
        desk.review(document=document, action="return", reason=RETURN_REASON, by=reviewer)
        return document
    desk.review(document=document, action="ready", by=reviewer)
    if state == "ready":
        return document
    desk.record_kpk_upload(document=document, on=today - dt.timedelta(days=5), by=reviewer)
    if state in ("accepted", "rejected"):
        desk.record_verdict(
            document=document,
            accepted=state == "accepted",
            note="" if state == "accepted" else KPK_NOTE,
            by=reviewer,
        )
    return document


def _history(assessment: Assessment, inspector: User, today: dt.date) -> None:
    """Two earlier snapshots and KPK's published score of last week, so the chart has a line."""
    for days, projected, verified in ((21, "18.40", "4.20"), (14, "27.90", "9.60")):
        ScoreSnapshot.objects.create(
            assessment=assessment,
            kind=SnapshotKind.ON_DEMAND,
            taken_on=today - dt.timedelta(days=days),
            projected=projected,
            verified=verified,
            created_by=inspector,
        )
    snapshots.record_kpk_score(
        assessment=assessment,
        score="11.25",
        on=today - dt.timedelta(days=7),
        source="Portal MCSP KPK (contoh)",
        by=inspector,
    )
