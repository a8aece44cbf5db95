"""Intake: ``submit_report`` stores a report sealed to its handlers, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.complaints.models import Attachment, Report, ReportKey, Status
from integritas.complaints.services.attachments import Upload
from integritas.complaints.services.errors import NoAccess, NoEligibleHandler
from integritas.complaints.services.handler import custodian_identity, handler_decrypt
from integritas.complaints.services.public import open_with_receipt
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import FIELDS, pdf_with, photo_with_gps, submit
from integritas.lib import crypto

pytestmark = pytest.mark.django_db


def media_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_a_report_is_stored_encrypted_and_the_receipt_opens_it(desk: Desk) -> None:
    events = Event.objects.count()
    report, receipt = submit(desk.world.disdik)
    report.refresh_from_db()
    assert crypto.damm_valid(receipt.replace(" ", ""))
    assert report.status == Status.RECEIVED
    assert report.channel == "whistleblowing" and report.unit == desk.world.disdik
    assert b"building permit" not in bytes(report.content)
    view = open_with_receipt(receipt)
    assert view.report == report
    assert view.content() == FIELDS
    # No event: an event would record the time of day of a reporter's action.
    assert Event.objects.count() == events


def test_the_report_key_is_sealed_to_each_eligible_handler_and_to_the_reporter(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    holders = set(
        ReportKey.objects.filter(report=report, purpose="report").values_list("holder", flat=True)
    )
    assert holders == {None, desk.handler.pk, desk.handler_in_dinkes.pk}
    for handler in (desk.handler, desk.handler_in_dinkes):
        view = handler_decrypt(
            report=report, handler=handler, private_key=desk.private_key(handler)
        )
        assert view.content == FIELDS
        assert view.identity is None


def test_missing_required_fields_are_all_reported_and_nothing_is_saved(desk: Desk) -> None:
    with pytest.raises(ValidationError) as caught:
        submit(desk.world.disdik, fields={"what": "", "why": "x"})
    assert set(caught.value.message_dict) == {"what", "who", "where", "when"}
    assert not Report.objects.exists()


def test_a_complaint_needs_only_what_happened(desk: Desk) -> None:
    report, _receipt = submit(
        desk.world.disdik,
        channel="complaint",
        category="poor_service",
        fields={"what": "Long queue and no answer"},
    )
    assert report.channel == "complaint"


def test_an_unknown_channel_category_or_field_is_refused(desk: Desk) -> None:
    with pytest.raises(ValidationError) as caught:
        submit(desk.world.disdik, channel="gossip", category="rumour")
    assert set(caught.value.message_dict) == {"channel", "category"}
    with pytest.raises(ValidationError):
        submit(desk.world.disdik, fields={**FIELDS, "ip": "1.2.3.4"})
    with pytest.raises(ValidationError):
        submit(desk.world.disdik, fields={**FIELDS, "what": "x" * 5001})
    assert not Report.objects.exists()


def test_attachments_are_stored_only_as_ciphertext_under_random_names(
    desk: Desk, settings: object
) -> None:
    media = Path(settings.MEDIA_ROOT)  # type: ignore[attr-defined]
    report, _receipt = submit(
        desk.world.disdik,
        attachments=[
            Upload("bukti-suap.jpg", photo_with_gps()),
            Upload("kwitansi.pdf", pdf_with("RECEIPT-MARKER")),
        ],
    )
    photo, pdf = Attachment.objects.filter(report=report).order_by("pk")
    assert (photo.kind, photo.stripping) == ("jpeg", Attachment.Stripping.STRIPPED)
    assert (pdf.kind, pdf.stripping, pdf.clean_file) == (
        "pdf",
        Attachment.Stripping.NOT_SUPPORTED,
        "",
    )
    stored = media_files(media)
    assert len(stored) == 3  # photo original + clean copy, PDF original
    for path in stored:
        assert path.parent.name == "complaints"
        assert "bukti" not in path.name and str(report.public_id) not in path.name
        assert b"RECEIPT-MARKER" not in path.read_bytes()
        assert b"PhoneMaker" not in path.read_bytes()
    files = handler_decrypt(
        report=report, handler=desk.handler, private_key=desk.private_key(desk.handler)
    ).attachments
    assert [f.name for f in files] == ["bukti-suap.jpg", "kwitansi.pdf"]


def test_a_disguised_an_oversized_or_a_damaged_file_refuses_the_whole_report(
    desk: Desk, settings: object
) -> None:
    settings.COMPLAINTS_MAX_FILE_MB = 1  # type: ignore[attr-defined]
    media = Path(settings.MEDIA_ROOT)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as caught:
        submit(
            desk.world.disdik,
            attachments=[
                Upload("photo.jpg", b"MZ\x90\x00 this is a program"),
                Upload("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)),
                Upload("broken.jpg", b"\xff\xd8\xff\xe0 not really a jpeg"),
                Upload("good.jpg", photo_with_gps()),
            ],
        )
    problems = caught.value.message_dict["attachments"]
    assert len(problems) == 3
    assert "photo.jpg" in problems[0] and "big.pdf" in problems[1] and "broken.jpg" in problems[2]
    assert not Report.objects.exists()
    assert media_files(media) == []


def test_too_many_files_are_refused(desk: Desk, settings: object) -> None:
    settings.COMPLAINTS_MAX_FILES = 1  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        submit(
            desk.world.disdik,
            attachments=[Upload("a.jpg", photo_with_gps())] * 2,
        )
    assert not Report.objects.exists()


def test_a_failure_while_storing_leaves_no_row_and_no_file(
    desk: Desk, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    media = Path(settings.MEDIA_ROOT)  # type: ignore[attr-defined]
    original = Attachment.save

    def fail_on_second(self: Attachment, *args: object, **kwargs: object) -> None:
        if Attachment.objects.exists():
            raise RuntimeError("disk full")
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Attachment, "save", fail_on_second)
    with pytest.raises(RuntimeError):
        submit(
            desk.world.disdik,
            attachments=[
                Upload("a.jpg", photo_with_gps()),
                Upload("b.pdf", pdf_with("B")),
            ],
        )
    assert not Report.objects.exists() and not ReportKey.objects.exists()
    assert media_files(media) == []


def test_without_any_enrolled_handler_the_report_is_refused_not_stored_unreadable(
    world: object,
) -> None:
    with pytest.raises(NoEligibleHandler):
        submit(None)
    assert not Report.objects.exists()


def test_an_open_identity_is_readable_by_handlers_and_custodians(desk: Desk) -> None:
    identity = {"name": "Siti Rahma", "contact": "0812 0000 1111"}
    report, _receipt = submit(desk.world.disdik, identity=identity)
    assert b"Siti" not in bytes(report.identity)
    view = handler_decrypt(
        report=report, handler=desk.handler, private_key=desk.private_key(desk.handler)
    )
    assert view.identity == identity
    assert (
        custodian_identity(
            report=report,
            custodian=desk.custodian,
            private_key=desk.private_key(desk.custodian),
            reason="Witness protection request",
        )
        == identity
    )
    assert Event.objects.filter(action="complaints.identity_opened").count() == 1


def test_a_confidential_identity_is_readable_only_by_the_custodians(desk: Desk) -> None:
    identity = {"name": "Budi Santoso"}
    report, _receipt = submit(desk.world.disdik, identity=identity, confidential=True)
    view = handler_decrypt(
        report=report, handler=desk.handler, private_key=desk.private_key(desk.handler)
    )
    assert view.identity is None
    with pytest.raises(NoAccess):
        custodian_identity(
            report=report,
            custodian=desk.handler,
            private_key=desk.private_key(desk.handler),
            reason="curious",
        )
    with pytest.raises(ValidationError):
        custodian_identity(
            report=report,
            custodian=desk.custodian,
            private_key=desk.private_key(desk.custodian),
            reason=" ",
        )
    assert (
        custodian_identity(
            report=report,
            custodian=desk.custodian,
            private_key=desk.private_key(desk.custodian),
            reason="Court summons",
        )
        == identity
    )


def test_confidential_without_an_identity_is_simply_anonymous(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik, confidential=True)
    assert report.confidential is False and report.identity is None
