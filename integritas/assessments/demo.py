"""Assessment demo data for Karyapura: the shipped LKE framework of the year (with its WBK and
WBBM thresholds) and the example MCSP indicator set, labelled as an example, both active; and the
example MCSP year's document desk a few days before its upload deadline, with documents in every
state, a requirement still empty, and the scores over time. Idempotent: what is already there is
not loaded again."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from integritas.assessments import imports
from integritas.assessments.models import (
    Assessment,
    Document,
    Framework,
    FrameworkKind,
    FrameworkStatus,
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
    lines += seed_mcsp_desk()
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
