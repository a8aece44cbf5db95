"""The reporter pass (``intake.issue_pass``): it keeps an opened report open for a while in the
reporter's page, reveals nothing by itself, and cannot be forged, moved or kept for long."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from integritas.complaints.services import intake
from integritas.complaints.services.public import open_with_receipt
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import FIELDS, submit

pytestmark = pytest.mark.django_db
NOW = 1_800_000_000.0


def test_a_pass_opens_its_report_until_it_expires(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    token = intake.issue_pass(open_with_receipt(receipt), now=NOW)
    view = intake.open_pass(token, now=NOW + intake.PASS_SECONDS - 1)
    assert view.report == report and view.content() == FIELDS
    with pytest.raises(intake.PassExpired):
        intake.open_pass(token, now=NOW + intake.PASS_SECONDS + 1)


def test_a_pass_shows_neither_the_report_nor_its_key(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    view = open_with_receipt(receipt)
    token = intake.issue_pass(view, now=NOW)
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert str(report.public_id).encode() not in raw
    assert base64.b64encode(view.key) not in raw and view.key not in raw
    assert receipt.replace(" ", "") not in token


def test_a_pass_made_with_another_server_secret_opens_nothing(desk: Desk, settings: Any) -> None:
    _report, receipt = submit(desk.world.disdik)
    token = intake.issue_pass(open_with_receipt(receipt), now=NOW)
    settings.COMPLAINTS_RECEIPT_PEPPER = "another server"
    with pytest.raises(intake.PassExpired):
        intake.open_pass(token, now=NOW)


def test_a_pass_for_a_purged_report_opens_nothing(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    token = intake.issue_pass(open_with_receipt(receipt), now=NOW)
    report.delete()
    with pytest.raises(intake.PassExpired):
        intake.open_pass(token, now=NOW)


@pytest.mark.parametrize("token", ["", "!!!", "A" * 2000, "eyJyIjoiMSJ9"])
def test_garbage_is_refused(token: str, desk: Desk) -> None:
    with pytest.raises(intake.PassExpired):
        intake.open_pass(token, now=NOW)


def test_a_form_token_is_taken_once_and_given_back_on_failure(desk: Desk) -> None:
    token = intake.new_form_token()
    assert intake.claim(token)
    assert not intake.claim(token)
    intake.release(token)
    assert intake.claim(token)
    assert intake.claim("")  # no token: nothing to protect, nothing refused
