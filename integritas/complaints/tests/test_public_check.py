""" "Check my report" at /lapor/cek/: the receipt (in a POST body only) opens the report; typos are
told apart from wrong receipts; too many wrong receipts lock the page for a while."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine

from integritas.complaints.models import Report, Status
from integritas.complaints.services.handler import handler_message
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import FIELDS, submit
from integritas.complaints.tests.test_public_helpers import (
    CHECK_URL,
    main_part,
    open_report,
    reporter,
    reporter_pass,
)
from integritas.lib import crypto

pytestmark = pytest.mark.django_db


def other_valid_receipt(receipt: str) -> str:
    while (candidate := crypto.new_receipt()) == receipt:
        pass
    return candidate


def with_typo(receipt: str) -> str:
    digits = receipt.replace(" ", "")
    return digits[:5] + str((int(digits[5]) + 1) % 10) + digits[6:]


def test_the_page_asks_for_the_receipt_in_a_form_that_posts(desk: Desk) -> None:
    page = main_part(reporter().get(CHECK_URL))
    assert '<form method="post" action="/lapor/cek/"' in page
    assert 'name="receipt"' in page and 'autocomplete="off"' in page


def test_the_receipt_opens_the_report_with_its_status_in_the_reporters_words(
    desk: Desk,
) -> None:
    report, receipt = submit(desk.world.disdik)
    Report.objects.filter(pk=report.pk).update(status=Status.INVESTIGATION)
    for typed in (receipt, receipt.replace(" ", ""), receipt.replace(" ", "-")):
        response = open_report(reporter(), typed)
        assert response.status_code == 200
        page = main_part(response)
        assert "Your report is being investigated." in page
        assert "Dinas Pendidikan" in page
        assert FIELDS["what"] in page


def test_the_handlers_question_is_shown_without_the_handlers_name(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    handler_message(
        report=report,
        handler=desk.handler,
        private_key=desk.private_key(desk.handler),
        text="Hari apa tepatnya, dan siapa lagi yang melihat?",
    )
    page = main_part(open_report(reporter(), receipt))
    assert "Hari apa tepatnya, dan siapa lagi yang melihat?" in page
    assert "Report handlers" in page
    assert desk.handler.name not in page


def test_a_typo_is_pointed_out_and_not_counted_as_a_wrong_receipt(
    desk: Desk, settings: Any
) -> None:
    settings.COMPLAINTS_RECEIPT_FAILURES_PER_HOUR = 1
    _report, receipt = submit(desk.world.disdik)
    client = reporter()
    for _ in range(3):
        response = open_report(client, with_typo(receipt))
        assert response.status_code == 400
        assert "mistyped" in main_part(response)
    response = open_report(client, "1234 5678")
    assert "A receipt has 16 digits" in main_part(response)
    assert open_report(client, receipt).status_code == 200  # typos did not use up the limit


def test_a_wrong_receipt_says_no_report_has_it(desk: Desk) -> None:
    _report, receipt = submit(desk.world.disdik)
    response = open_report(reporter(), other_valid_receipt(receipt))
    assert response.status_code == 400
    assert "No report has this receipt" in main_part(response)


def test_too_many_wrong_receipts_lock_even_the_right_one_for_an_hour(
    desk: Desk, settings: Any
) -> None:
    settings.COMPLAINTS_RECEIPT_FAILURES_PER_HOUR = 3
    _report, receipt = submit(desk.world.disdik)
    with time_machine.travel("2026-03-02 09:10 +07:00", tick=False) as clock:
        client = reporter(REMOTE_ADDR="203.0.113.9")
        for _ in range(3):
            assert open_report(client, other_valid_receipt(receipt)).status_code == 400
        refused = open_report(client, receipt)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "3600"
        assert "Please wait a while" in main_part(refused)
        # Another network is not affected.
        assert open_report(reporter(REMOTE_ADDR="203.0.113.10"), receipt).status_code == 200
        clock.shift(3600)
        assert open_report(client, receipt).status_code == 200


def test_the_pass_keeps_the_report_open_without_the_receipt_and_expires(desk: Desk) -> None:
    _report, receipt = submit(desk.world.disdik)
    with time_machine.travel("2026-03-02 09:10 +07:00", tick=False) as clock:
        client = reporter()
        token = reporter_pass(open_report(client, receipt))
        again = client.post(CHECK_URL, {"pass": token})
        assert again.status_code == 200 and FIELDS["what"] in main_part(again)
        clock.shift(31 * 60)
        locked = client.post(CHECK_URL, {"pass": token})
        assert locked.status_code == 403
        assert "Enter your receipt again" in main_part(locked)
        assert FIELDS["what"] not in locked.content.decode()


def test_an_altered_pass_opens_nothing(desk: Desk) -> None:
    _report, receipt = submit(desk.world.disdik)
    client = reporter()
    token = reporter_pass(open_report(client, receipt))
    altered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    assert client.post(CHECK_URL, {"pass": altered}).status_code == 403
    assert client.post(CHECK_URL, {"pass": "x"}).status_code == 403


def test_the_receipt_is_never_in_a_url_a_cookie_or_the_page_after_opening(desk: Desk) -> None:
    _report, receipt = submit(desk.world.disdik)
    digits = receipt.replace(" ", "")
    client = reporter()
    response = open_report(client, receipt)
    html = response.content.decode()
    assert digits not in html and receipt not in html
    for url in re.findall(r'(?:href|action|src)="([^"]*)"', html):
        assert digits not in url.replace(" ", "").replace("-", "")
    assert "Location" not in response
    for cookie in client.cookies.values():
        assert digits not in cookie.value
    assert response.wsgi_request.GET == {}
