"""A reporter pass has an absolute lifetime: using it renews it only until
``COMPLAINTS_REPORTER_PASS_MAX_MINUTES`` after the report was opened with its receipt, so a
captured pass cannot keep the report open without the receipt. "Close my report" ends it, and
every pass renewed from the same opening, at once."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from integritas.complaints.models import Message
from integritas.complaints.services import intake
from integritas.complaints.services.public import open_with_receipt
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import FIELDS, submit
from integritas.complaints.tests.test_public_helpers import (
    CHECK_URL,
    REPLY_URL,
    main_part,
    open_report,
    reporter,
    reporter_pass,
)

pytestmark = pytest.mark.django_db
CLOSE_URL = "/lapor/cek/tutup/"
NOW = 1_800_000_000.0


def test_using_a_pass_renews_it_only_until_its_absolute_lifetime(desk: Desk, settings: Any) -> None:
    settings.COMPLAINTS_REPORTER_PASS_MAX_MINUTES = 60
    _report, receipt = submit(desk.world.disdik)
    with time_machine.travel("2026-03-02 09:00 +07:00", tick=False) as clock:
        client = reporter()
        token = reporter_pass(open_report(client, receipt))
        for _step in range(3):  # used every 20 minutes: each use gives a fresh pass
            clock.shift(20 * 60 - 1)
            page = client.post(CHECK_URL, {"pass": token})
            assert page.status_code == 200 and FIELDS["what"] in main_part(page)
            token = reporter_pass(page)
        clock.shift(5)  # an hour and a few seconds after the receipt opened the report
        locked = client.post(CHECK_URL, {"pass": token})
        assert locked.status_code == 403
        assert "Enter your receipt again" in main_part(locked)
        assert FIELDS["what"] not in locked.content.decode()
        # The receipt opens it again, for a new lifetime.
        assert open_report(client, receipt).status_code == 200


def test_a_renewed_pass_never_outlives_the_opening(desk: Desk, settings: Any) -> None:
    settings.COMPLAINTS_REPORTER_PASS_MAX_MINUTES = 45
    _report, receipt = submit(desk.world.disdik)
    first = intake.issue_pass(open_with_receipt(receipt), now=NOW)
    renewed = intake.issue_pass(intake.open_pass(first, now=NOW + 25 * 60), now=NOW + 25 * 60)
    intake.open_pass(renewed, now=NOW + 45 * 60 - 1)
    with pytest.raises(intake.PassExpired):
        intake.open_pass(renewed, now=NOW + 45 * 60 + 1)  # within its 30 idle minutes


def test_closing_the_report_ends_its_pass_and_every_pass_renewed_from_it(desk: Desk) -> None:
    _report, receipt = submit(desk.world.disdik)
    client = reporter()
    opened = open_report(client, receipt)
    first = reporter_pass(opened)
    second = reporter_pass(client.post(CHECK_URL, {"pass": first}))
    closed = client.post(CLOSE_URL, {"pass": second})
    assert closed.status_code == 200
    assert "Your report is closed on this page" in main_part(closed)
    assert FIELDS["what"] not in closed.content.decode()
    assert 'name="pass"' not in closed.content.decode()
    for token in (first, second):
        assert client.post(CHECK_URL, {"pass": token}).status_code == 403
        assert client.post(REPLY_URL, {"pass": token, "text": "Masih ada?"}).status_code == 403
    assert not Message.objects.exists()
    # Another opening of the same report is not affected.
    again = open_report(reporter(), receipt)
    assert client.post(CHECK_URL, {"pass": reporter_pass(again)}).status_code == 200


def test_the_close_button_is_a_form_that_posts_the_pass(desk: Desk) -> None:
    _report, receipt = submit(desk.world.disdik)
    page = main_part(open_report(reporter(), receipt))
    form = page[page.index(f'action="{CLOSE_URL}"') - 40 :]
    assert form.startswith(('<form method="post" ', "")) and 'name="pass"' in form
    assert "Close my report on this page" in form


def test_closing_with_an_expired_or_forged_pass_just_shows_the_receipt_form(desk: Desk) -> None:
    for token in ("", "forged"):
        response = reporter().post(CLOSE_URL, {"pass": token})
        assert response.status_code == 200
        assert 'name="receipt"' in response.content.decode()
