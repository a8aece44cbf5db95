"""KPK's status sheet: every bad row reported, nothing applied unless the whole sheet is good."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from integritas.assessments.models import AuditAction, Document, DocumentStatus, Node
from integritas.assessments.services import desk, status_sheet
from integritas.assessments.tests.desk_fixtures import open_desk, pdf
from integritas.audit.models import Event
from integritas.core.testing import World


def _ready(assessment, world: World, title: str) -> Document:
    node = Node.objects.get(framework=assessment.framework, code="PRC.1")
    version = desk.upload(
        assessment=assessment,
        node=node,
        unit=world.dinkes,
        file=pdf(title),
        name="a.pdf",
        valid_from=dt.date(2026, 1, 1),
        title=title,
        by=world.officer_a,
    )
    desk.review(document=version.document, action="ready", by=world.inspector)
    return version.document


def _sheet(*rows: str) -> bytes:
    return ("dokumen,status,tanggal_unggah,catatan\n" + "\n".join(rows) + "\n").encode()


def test_a_good_sheet_records_uploads_and_verdicts(world: World) -> None:
    assessment = open_desk()
    first, second = _ready(assessment, world, "A"), _ready(assessment, world, "B")
    report = status_sheet.import_status_sheet(
        assessment=assessment,
        data=_sheet("D-0001,diterima,2026-03-02,", "D-0002,ditolak,02-03-2026,Tahun salah"),
        filename="status.csv",
        by=world.inspector,
    )
    assert report.ok and report.saved
    assert (report.uploaded, report.accepted, report.rejected) == (2, 1, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == DocumentStatus.ACCEPTED
    assert first.kpk_uploaded_on == dt.date(2026, 3, 2)
    assert (second.status, second.kpk_note) == (DocumentStatus.REJECTED, "Tahun salah")
    assert Event.objects.filter(action=AuditAction.STATUS_SHEET_IMPORTED).count() == 1


def test_every_bad_row_is_reported_and_nothing_is_applied(world: World) -> None:
    assessment = open_desk()
    _ready(assessment, world, "A")
    node = Node.objects.get(framework=assessment.framework, code="PRC.1")
    waiting = desk.upload(
        assessment=assessment,
        node=node,
        unit=world.dinkes,
        file=pdf("w"),
        name="w.pdf",
        valid_from=dt.date(2026, 1, 1),
        title="W",
        by=world.officer_a,
    ).document
    report = status_sheet.import_status_sheet(
        assessment=assessment,
        data=_sheet(
            "D-0001,diterima,2026-03-02,",  # good
            "D-0099,diterima,2026-03-02,",  # unknown document
            "D-0001,diterima,2026-03-02,",  # repeated
            f"{waiting.code},diterima,2026-03-02,",  # not reviewed yet
            "D-0001,maybe,2026-03-02,",  # unknown status (and repeated)
            "X,ditolak,31-02-2026,",  # unknown document, bad date
        ),
        filename="status.csv",
        by=world.inspector,
    )
    assert not report.saved
    rows = sorted({e.row for e in report.errors})
    assert rows == [3, 4, 5, 6, 7]
    assert Document.objects.filter(status=DocumentStatus.ACCEPTED).count() == 0
    assert not Event.objects.filter(action=AuditAction.KPK_VERDICT_RECORDED).exists()


def test_a_ready_document_needs_the_upload_date(world: World) -> None:
    assessment = open_desk()
    _ready(assessment, world, "A")
    report = status_sheet.import_status_sheet(
        assessment=assessment,
        data=_sheet("D-0001,diterima,,"),
        filename="s.csv",
        by=world.inspector,
    )
    assert [e.column for e in report.errors] == ["tanggal_unggah"]


def test_only_the_inspectorate_imports_a_status_sheet(world: World) -> None:
    assessment = open_desk()
    with pytest.raises(PermissionDenied):
        status_sheet.import_status_sheet(
            assessment=assessment, data=_sheet(), filename="s.csv", by=world.officer_a
        )
