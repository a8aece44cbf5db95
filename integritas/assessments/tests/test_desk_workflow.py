"""The MCSP document desk's state machine, per role: units upload for their requirements, the
Inspectorate reviews (never a version it uploaded itself), records the upload to KPK and KPK's
verdict; the deadline locks new uploads until an administrator reopens them with a reason."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from integritas.assessments.models import Assignment, AuditAction, DocumentStatus, Node
from integritas.assessments.services import desk
from integritas.assessments.tests.desk_fixtures import PDF, open_desk, pdf
from integritas.audit.models import Event
from integritas.core.testing import World

TODAY = dt.date(2026, 3, 1)


def _upload(assessment, world: World, by=None, code: str = "PRC.1", unit=None, **kw):
    node = Node.objects.get(framework=assessment.framework, code=code)
    return desk.upload(
        assessment=assessment,
        node=node,
        unit=unit or world.dinkes,
        file=pdf(kw.pop("text", "")),
        name=kw.pop("name", "rkpd.pdf"),
        valid_from=TODAY,
        title=kw.pop("title", "RKPD 2026"),
        by=by or world.officer_a,
        **kw,
    )


def test_opening_a_desk_assigns_each_requirement_to_the_framework_units(world: World) -> None:
    assessment = open_desk()
    pairs = sorted(
        Assignment.objects.filter(assessment=assessment).values_list("node__code", "unit__code")
    )
    assert pairs == [
        ("PBJ.1", "DINKES"),
        ("PBJ.1", "DISDIK"),
        ("PRC.1", "DINKES"),
        ("PRC.2", "DISDIK"),
    ]


def test_a_unit_uploads_a_version_with_its_sha256_and_period(world: World) -> None:
    assessment = open_desk()
    version = _upload(assessment, world, valid_to=dt.date(2026, 12, 31))
    assert version.version == 1
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert version.valid_to == dt.date(2026, 12, 31)
    assert version.document.status == DocumentStatus.SUBMITTED
    assert version.file.read() == PDF
    assert Event.objects.filter(action=AuditAction.DOCUMENT_UPLOADED).count() == 1


def test_a_unit_cannot_upload_for_a_requirement_of_another_unit(world: World) -> None:
    assessment = open_desk()
    with pytest.raises(PermissionDenied):
        _upload(assessment, world, by=world.officer_b)  # DISDIK officer, DINKES's requirement
    with pytest.raises(ValidationError, match="not assigned"):
        _upload(assessment, world, code="PRC.2")  # DISDIK's requirement, DINKES unit


def test_leadership_cannot_upload_or_review(world: World) -> None:
    assessment = open_desk()
    with pytest.raises(PermissionDenied):
        _upload(assessment, world, by=world.leader)
    document = _upload(assessment, world).document
    with pytest.raises(PermissionDenied):
        desk.review(document=document, action="ready", by=world.leader)
    with pytest.raises(PermissionDenied):
        desk.review(document=document, action="ready", by=world.officer_a)


def test_a_file_that_is_not_a_document_is_refused_in_indonesian(world: World) -> None:
    assessment = open_desk()
    with pytest.raises(ValidationError) as raised:
        node = Node.objects.get(framework=assessment.framework, code="PRC.1")
        import io

        desk.upload(
            assessment=assessment,
            node=node,
            unit=world.dinkes,
            file=io.BytesIO(b"MZ\x90\x00 not a document"),
            name="virus.pdf",
            valid_from=TODAY,
            title="x",
            by=world.officer_a,
        )
    assert "file" in raised.value.message_dict


def test_the_full_path_return_new_version_ready_upload_accept(world: World) -> None:
    assessment = open_desk()
    document = _upload(assessment, world).document
    with pytest.raises(ValidationError, match="why"):
        desk.review(document=document, action="return", reason=" ", by=world.inspector)
    desk.review(
        document=document, action="return", reason="Belum ditandatangani", by=world.inspector
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.RETURNED
    assert document.return_reason == "Belum ditandatangani"
    second = _upload(assessment, world, document=document, text="signed")
    assert second.version == 2
    assert document.versions.count() == 2  # the old version is kept
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED
    desk.review(document=document, action="ready", by=world.inspector)
    desk.record_kpk_upload(document=document, on=TODAY, by=world.inspector_general)
    desk.record_verdict(document=document, accepted=True, by=world.inspector_general)
    document.refresh_from_db()
    assert document.status == DocumentStatus.ACCEPTED
    assert document.kpk_uploaded_on == TODAY
    actions = list(Event.objects.order_by("pk").values_list("action", flat=True))
    for action in (
        AuditAction.DOCUMENT_RETURNED,
        AuditAction.DOCUMENT_READY,
        AuditAction.KPK_UPLOAD_RECORDED,
        AuditAction.KPK_VERDICT_RECORDED,
    ):
        assert action in actions


def test_steps_out_of_order_are_refused(world: World) -> None:
    assessment = open_desk()
    document = _upload(assessment, world).document
    with pytest.raises(ValidationError):
        desk.record_kpk_upload(document=document, on=TODAY, by=world.inspector)
    with pytest.raises(ValidationError):
        desk.record_verdict(document=document, accepted=True, by=world.inspector)
    desk.review(document=document, action="ready", by=world.inspector)
    with pytest.raises(ValidationError):
        _upload(assessment, world, document=document)  # ready: no new version
    with pytest.raises(ValidationError):
        desk.review(document=document, action="return", reason="x", by=world.inspector)


def test_a_rejection_needs_kpks_note_and_the_unit_may_upload_again(world: World) -> None:
    assessment = open_desk()
    document = _upload(assessment, world).document
    desk.review(document=document, action="ready", by=world.inspector)
    desk.record_kpk_upload(document=document, on=TODAY, by=world.inspector)
    with pytest.raises(ValidationError):
        desk.record_verdict(document=document, accepted=False, note="", by=world.inspector)
    desk.record_verdict(document=document, accepted=False, note="Tahun salah", by=world.inspector)
    document.refresh_from_db()
    assert (document.status, document.kpk_note) == (DocumentStatus.REJECTED, "Tahun salah")
    _upload(assessment, world, document=document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED


def test_whoever_uploaded_a_version_cannot_review_it(world: World) -> None:
    assessment = open_desk()
    document = _upload(assessment, world, by=world.inspector).document  # on the unit's behalf
    for action in ("ready", "return"):
        with pytest.raises(ValidationError, match="segregation"):
            desk.review(document=document, action=action, reason="x", by=world.inspector)
    desk.review(document=document, action="ready", by=world.inspector_general)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY


def test_the_deadline_locks_new_uploads_and_versions(world: World) -> None:
    assessment = open_desk()
    document = _upload(assessment, world).document
    desk.review(document=document, action="return", reason="x", by=world.inspector)
    assessment.upload_deadline = timezone.now() - dt.timedelta(minutes=1)
    assessment.save()
    with pytest.raises(ValidationError, match="deadline"):
        _upload(assessment, world, title="Another")
    with pytest.raises(ValidationError, match="deadline"):
        _upload(assessment, world, document=document)


def test_only_an_administrator_reopens_uploads_with_a_reason_and_it_is_audited(
    world: World,
) -> None:
    assessment = open_desk()
    assessment.upload_deadline = timezone.now() - dt.timedelta(minutes=1)
    assessment.save()
    until = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        desk.reopen_uploads(assessment=assessment, until=until, reason="x", by=world.inspector)
    with pytest.raises(ValidationError):
        desk.reopen_uploads(assessment=assessment, until=until, reason=" ", by=world.admin)
    desk.reopen_uploads(
        assessment=assessment, until=until, reason="Portal KPK gangguan", by=world.admin
    )
    _upload(assessment, world)  # open again
    event = Event.objects.get(action=AuditAction.UPLOADS_REOPENED)
    assert event.actor == world.admin
    assert event.changes["reason"] == [None, "Portal KPK gangguan"]


def test_the_inspectorate_changes_the_units_of_a_requirement(world: World) -> None:
    assessment = open_desk()
    node = Node.objects.get(framework=assessment.framework, code="PRC.1")
    with pytest.raises(PermissionDenied):
        desk.set_units(assessment=assessment, node=node, units=[world.disdik], by=world.officer_a)
    desk.set_units(
        assessment=assessment, node=node, units=[world.dinkes, world.disdik], by=world.inspector
    )
    codes = set(
        Assignment.objects.filter(assessment=assessment, node=node).values_list(
            "unit__code", flat=True
        )
    )
    assert codes == {"DINKES", "DISDIK"}
    assert Event.objects.filter(action=AuditAction.ASSIGNMENTS_CHANGED).count() == 1
