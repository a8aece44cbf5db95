"""The reporter answers on the page opened with the receipt: a message and/or files, stored
encrypted, read by the handler; nothing more once the report is closed."""

from __future__ import annotations

from typing import Any

import pytest

from integritas.audit.models import Event
from integritas.complaints.models import Message, Report, Side, Status
from integritas.complaints.services.handler import handler_decrypt, handler_message
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import photo_with_gps, submit
from integritas.complaints.tests.test_public_helpers import (
    REPLY_URL,
    main_part,
    once_token,
    open_report,
    reporter,
    reporter_pass,
    upload,
)

pytestmark = pytest.mark.django_db


def opened(desk: Desk) -> tuple[Report, Any, Any]:
    report, receipt = submit(desk.world.disdik)
    handler_message(
        report=report,
        handler=desk.handler,
        private_key=desk.private_key(desk.handler),
        text="Kapan tepatnya?",
    )
    client = reporter()
    page = open_report(client, receipt)
    return report, client, page


def test_the_reporter_answers_with_text_and_a_photo_and_the_handler_reads_both(
    desk: Desk,
) -> None:
    report, client, page = opened(desk)
    events = Event.objects.count()
    response = client.post(
        REPLY_URL,
        {
            "pass": reporter_pass(page),
            "once": once_token(page),
            "text": "Selasa, 3 Maret, sekitar pukul sepuluh.",
            "attachments": [upload("antrean.jpg", photo_with_gps())],
        },
    )
    assert response.status_code == 200
    shown = main_part(response)
    assert "Your message has been sent" in shown
    assert "Selasa, 3 Maret, sekitar pukul sepuluh." in shown
    assert "antrean.jpg" in shown
    assert Event.objects.count() == events
    view = handler_decrypt(
        report=report, handler=desk.handler, private_key=desk.private_key(desk.handler)
    )
    assert [(m.side, m.text) for m in view.messages][-1] == (
        Side.REPORTER,
        "Selasa, 3 Maret, sekitar pukul sepuluh.",
    )
    [photo] = view.attachments
    assert photo.name == "antrean.jpg" and "GPS location" in photo.stripped


def test_an_empty_answer_is_refused(desk: Desk) -> None:
    _report, client, page = opened(desk)
    response = client.post(
        REPLY_URL, {"pass": reporter_pass(page), "once": once_token(page), "text": "  "}
    )
    assert response.status_code == 400
    assert "Write a message or add a file." in main_part(response)
    assert Message.objects.filter(side=Side.REPORTER).count() == 0


def test_a_bad_file_refuses_the_answer_and_keeps_its_text(desk: Desk) -> None:
    _report, client, page = opened(desk)
    response = client.post(
        REPLY_URL,
        {
            "pass": reporter_pass(page),
            "once": once_token(page),
            "text": "Lihat lampiran.",
            "attachments": [upload("virus.jpg", b"MZ\x90\x00 program")],
        },
    )
    assert response.status_code == 400
    assert "virus.jpg is not a photo" in main_part(response)
    assert "Lihat lampiran." in main_part(response)
    assert Message.objects.filter(side=Side.REPORTER).count() == 0


def test_sending_the_same_answer_twice_stores_it_once(desk: Desk) -> None:
    _report, client, page = opened(desk)
    data = {"pass": reporter_pass(page), "once": once_token(page), "text": "Sekali saja."}
    assert client.post(REPLY_URL, data).status_code == 200
    assert client.post(REPLY_URL, data).status_code == 200  # the page reloaded
    assert Message.objects.filter(side=Side.REPORTER).count() == 1


def test_a_closed_report_shows_its_outcome_and_takes_no_answer(desk: Desk) -> None:
    report, client, page = opened(desk)
    token, once = reporter_pass(page), once_token(page)
    handler_message(
        report=report,
        handler=desk.handler,
        private_key=desk.private_key(desk.handler),
        text="Hasil: petugas dijatuhi sanksi.",
    )
    Report.objects.filter(pk=report.pk).update(status=Status.CLOSED)
    response = client.post(REPLY_URL, {"pass": token, "once": once, "text": "Terima kasih"})
    assert response.status_code == 400
    shown = main_part(response)
    assert "Hasil: petugas dijatuhi sanksi." in shown
    assert "Handling of your report has finished." in shown
    assert "takes no more messages" in shown
    assert 'action="/lapor/cek/balas/"' not in shown
    assert Message.objects.filter(side=Side.REPORTER).count() == 0


def test_without_a_valid_pass_nothing_is_stored(desk: Desk) -> None:
    _report, client, _page = opened(desk)
    response = client.post(REPLY_URL, {"pass": "forged", "text": "Hello"})
    assert response.status_code == 403
    assert Message.objects.filter(side=Side.REPORTER).count() == 0
