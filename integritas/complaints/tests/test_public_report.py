"""The public report form at /lapor/: no account, anonymous by default, all or nothing, and the
receipt shown once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from integritas.audit.models import Event
from integritas.complaints.models import Attachment, Report, ReportKey
from integritas.complaints.services.handler import custodian_identity, handler_decrypt
from integritas.complaints.services.public import open_with_receipt
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import FIELDS, pdf_with, photo_with_gps
from integritas.complaints.tests.test_public_helpers import (
    form_data,
    main_part,
    once_token,
    receipt_from,
    reporter,
    send,
    upload,
)
from integritas.core.models import Unit
from integritas.lib import crypto

pytestmark = pytest.mark.django_db


def errors_on(page: str) -> set[str]:
    """The fields the page marks as wrong."""
    return set(re.findall(r'id="id_(\w+)_error"', page))


def media_files(settings: Any) -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_the_form_offers_the_active_units_and_i_do_not_know(desk: Desk) -> None:
    Unit.objects.create(code="OLD", name="Dinas Lama", type=Unit.Type.OFFICE, is_active=False)
    page = main_part(reporter().get("/lapor/"))
    assert "Dinas Pendidikan" in page and "Dinas Kesehatan" in page
    assert "Dinas Lama" not in page
    assert "I do not know, or it is not in the list" in page
    assert re.search(r'value="anonymous"[^>]*checked', page)  # anonymous unless chosen otherwise
    assert 'enctype="multipart/form-data"' in page
    assert page.count('type="file" name="attachments"') == 3


def test_officials_with_authority_can_be_named_but_not_ordinary_staff(desk: Desk) -> None:
    page = main_part(reporter().get("/lapor/"))
    offered = set(re.findall(r'<option value="([0-9a-f-]{36})"', page))
    w = desk.world
    for named in (w.head_a, w.leader, w.inspector, w.inspector_general):
        assert str(named.public_id) in offered, named
    for staff in (w.officer_a, w.officer_b, w.nobody, w.handler):
        assert str(staff.public_id) not in offered, staff


def test_an_anonymous_report_is_stored_and_its_receipt_shown_once(desk: Desk) -> None:
    events = Event.objects.count()
    response = send(reporter(), form_data(desk.world.disdik))
    assert response.status_code == 200
    receipt = receipt_from(response)
    assert len(receipt.split()) == 4 and all(len(g) == 4 for g in receipt.split())
    assert crypto.damm_valid(receipt.replace(" ", ""))
    assert "It is shown only this once" in main_part(response)
    report = Report.objects.get()
    assert (report.channel, report.category, report.unit) == (
        "whistleblowing",
        "bribery",
        desk.world.disdik,
    )
    assert report.identity is None and not report.confidential
    assert open_with_receipt(receipt).content() == FIELDS
    assert Event.objects.count() == events  # a reporter's action leaves no timed event


def test_a_report_about_an_unknown_unit_is_accepted(desk: Desk) -> None:
    assert send(reporter(), form_data(None)).status_code == 200
    assert Report.objects.get().unit is None


def test_missing_choices_and_5w1h_fields_are_all_reported_and_nothing_is_saved(
    desk: Desk,
) -> None:
    data = form_data(
        desk.world.disdik, channel="", category="", unit="", what="", who="", where="", when=""
    )
    response = send(reporter(), data)
    assert response.status_code == 400
    page = main_part(response)
    assert "Choose what you want to report." in page
    assert "Choose the kind of problem." in page
    assert "Choose a unit, or “I do not know”." in page
    assert errors_on(page) == {"channel", "category", "unit", "what"}
    # Once a channel is chosen, the 5W1H fields it needs are asked for.
    response = send(reporter(), {**data, "channel": "whistleblowing", "category": "bribery"})
    page = main_part(response)
    assert errors_on(page) == {"unit", "what", "who", "where", "when"}
    assert "Please fill this in." in page
    assert "Some parts need your attention" in page
    assert FIELDS["why"] in page  # what was typed is kept for the correction
    assert not Report.objects.exists()


def test_a_complaint_needs_only_what_happened(desk: Desk) -> None:
    data = form_data(
        desk.world.disdik,
        channel="complaint",
        category="poor_service",
        what="Antrean panjang, tidak ada jawaban.",
        who="",
        where="",
        when="",
        why="",
        how="",
    )
    assert send(reporter(), data).status_code == 200
    assert Report.objects.get().channel == "complaint"


def test_an_unknown_unit_or_official_is_refused(desk: Desk) -> None:
    response = send(
        reporter(),
        form_data(desk.world.disdik, unit="00000000-0000-0000-0000-000000000000", official="x"),
    )
    assert response.status_code == 400
    page = main_part(response)
    assert "Choose a unit from the list." in page or "Select a valid choice" in page
    assert not Report.objects.exists()


def test_a_named_official_and_their_unit_are_kept_away_from_the_report(desk: Desk) -> None:
    head = desk.world.head_a  # head of DINKES
    response = send(reporter(), form_data(desk.world.disdik, official=str(head.public_id)))
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.official == head
    holders = set(ReportKey.objects.filter(report=report).values_list("holder", flat=True))
    assert desk.handler_in_dinkes.pk not in holders  # works in the official's unit
    assert desk.handler.pk in holders


def test_a_report_about_the_leadership_goes_only_to_the_alternate_group(desk: Desk) -> None:
    send(reporter(), form_data(desk.world.disdik, about_leadership="on"))
    report = Report.objects.get()
    assert report.about_leadership and report.routed_to_alternate
    holders = set(
        ReportKey.objects.filter(report=report)
        .exclude(holder=None)
        .values_list("holder", flat=True)
    )
    assert holders == {desk.alternate.pk}


def test_a_confidential_name_is_sealed_for_the_custodians_only(desk: Desk) -> None:
    data = form_data(
        desk.world.disdik, identity="confidential", name="Siti Rahma", contact="0812 0000 1111"
    )
    assert send(reporter(), data).status_code == 200
    report = Report.objects.get()
    assert report.confidential and report.identity is not None
    assert b"Siti" not in bytes(report.identity)
    handler_view = handler_decrypt(
        report=report, handler=desk.handler, private_key=desk.private_key(desk.handler)
    )
    assert handler_view.identity is None
    assert custodian_identity(
        report=report,
        custodian=desk.custodian,
        private_key=desk.private_key(desk.custodian),
        reason="Perlindungan saksi",
    ) == {"name": "Siti Rahma", "contact": "0812 0000 1111"}


def test_choosing_to_give_a_name_without_one_is_refused(desk: Desk) -> None:
    response = send(reporter(), form_data(desk.world.disdik, identity="open"))
    assert response.status_code == 400
    assert "or choose to report anonymously" in main_part(response)
    assert not Report.objects.exists()


def test_a_name_typed_while_anonymous_is_not_kept(desk: Desk) -> None:
    send(reporter(), form_data(desk.world.disdik, identity="anonymous", name="Budi"))
    assert Report.objects.get().identity is None


def test_files_are_stored_encrypted_with_the_report(desk: Desk, settings: Any) -> None:
    data = form_data(
        desk.world.disdik,
        attachments=[
            upload("bukti.jpg", photo_with_gps()),
            upload("kwitansi.pdf", pdf_with("UNIQUE-PDF-MARKER-81c2")),
        ],
    )
    assert send(reporter(), data).status_code == 200
    report = Report.objects.get()
    assert report.attachments.count() == 2
    for path in media_files(settings):
        assert b"UNIQUE-PDF-MARKER-81c2" not in path.read_bytes()


def test_a_bad_file_refuses_the_whole_report_and_keeps_the_text(desk: Desk, settings: Any) -> None:
    data = form_data(
        desk.world.disdik,
        attachments=[
            upload("photo.jpg", b"MZ\x90\x00 this is a program"),
            upload("good.jpg", photo_with_gps()),
        ],
    )
    response = send(reporter(), data)
    assert response.status_code == 400
    page = main_part(response)
    assert "photo.jpg is not a photo, PDF or office document" in page
    assert "choose them again" in page
    assert FIELDS["what"] in page
    assert not Report.objects.exists() and not Attachment.objects.exists()
    assert media_files(settings) == []


def test_too_many_or_too_large_files_are_refused_before_they_are_read(
    desk: Desk, settings: Any
) -> None:
    settings.COMPLAINTS_MAX_FILES = 2
    settings.COMPLAINTS_MAX_FILE_MB = 1
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    data = form_data(
        desk.world.disdik,
        attachments=[upload("a.jpg", photo_with_gps()), upload("b.pdf", big), upload("c.pdf", big)],
    )
    response = send(reporter(), data)
    assert response.status_code == 400
    page = main_part(response)
    assert "Attach at most 2 files." in page
    assert "b.pdf is larger than 1 MB." in page and "c.pdf is larger than 1 MB." in page
    assert not Report.objects.exists()


def test_sending_the_same_form_again_stores_nothing_more(desk: Desk) -> None:
    client = reporter()
    token = once_token(client.get("/lapor/"))
    data = form_data(desk.world.disdik, once=token)
    assert send(client, data).status_code == 200
    again = send(client, data)  # the receipt page reloaded
    assert again.status_code == 409
    assert "already been sent" in main_part(again)
    assert 'id="receipt"' not in again.content.decode()  # no second receipt
    assert Report.objects.count() == 1


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(desk: Desk) -> None:
    client = reporter()
    token = once_token(client.get("/lapor/"))
    assert send(client, form_data(desk.world.disdik, once=token, what="")).status_code == 400
    assert send(client, form_data(desk.world.disdik, once=token)).status_code == 200
    assert Report.objects.count() == 1


def test_without_an_enrolled_handler_the_reporter_is_told_and_nothing_is_stored(
    world: Any,
) -> None:
    response = send(reporter(), form_data(world.disdik))
    assert response.status_code == 503
    assert "was not stored" in main_part(response)
    assert not Report.objects.exists()


def test_the_receipt_page_has_no_language_switch_that_would_lose_it(desk: Desk) -> None:
    response = send(reporter(), form_data(desk.world.disdik))
    html = response.content.decode()
    assert 'class="lang-switch"' not in html
    assert 'href="/lapor/selesai/"' in html


def test_uploaded_files_never_touch_the_disk_in_the_clear(
    desk: Desk, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files import uploadedfile

    def no_temporary_file(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was written to a temporary file")

    # Django's own handlers would write anything above this size to a temporary file.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", no_temporary_file)
    data = form_data(desk.world.disdik, attachments=[upload("bukti.jpg", photo_with_gps())])
    assert send(reporter(), data).status_code == 200
    assert Report.objects.get().attachments.count() == 1
