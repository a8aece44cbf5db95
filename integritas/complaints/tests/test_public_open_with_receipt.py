"""The reporter's side: opening a report with the receipt, reading answers, replying."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.complaints.models import Message, Report, Side, Status
from integritas.complaints.services.attachments import Upload
from integritas.complaints.services.errors import ReceiptNotFound, ReportClosed, TooManyAttempts
from integritas.complaints.services.handler import handler_decrypt, handler_message
from integritas.complaints.services.public import open_with_receipt, reporter_reply
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import photo_with_gps, submit
from integritas.lib import crypto

pytestmark = pytest.mark.django_db


class CountingLimiter:
    def __init__(self, limit: int) -> None:
        self.failures = 0
        self.limit = limit

    def blocked(self) -> bool:
        return self.failures >= self.limit

    def failed(self) -> None:
        self.failures += 1


def other_valid_receipt(receipt: str) -> str:
    while (candidate := crypto.new_receipt()) == receipt:
        pass
    return candidate


def test_the_receipt_opens_the_report_typed_with_or_without_spaces(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    for typed in (receipt, receipt.replace(" ", ""), receipt.replace(" ", "-")):
        assert open_with_receipt(typed).report == report


def test_the_reporter_reads_the_status_in_their_own_words(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    Report.objects.filter(pk=report.pk).update(status=Status.FORWARDED)
    view = open_with_receipt(receipt)
    assert view.status == "Your report has been passed to the competent authority."


def test_a_typo_is_caught_by_the_check_digit_and_not_counted(desk: Desk) -> None:
    _report, receipt = submit(desk.world.disdik)
    digits = receipt.replace(" ", "")
    typo = digits[:3] + str((int(digits[3]) + 1) % 10) + digits[4:]
    limiter = CountingLimiter(limit=3)
    with pytest.raises(crypto.MalformedReceipt):
        open_with_receipt(typo, limiter=limiter)
    assert limiter.failures == 0


def test_a_wrong_receipt_is_counted_and_too_many_block_even_the_right_one(desk: Desk) -> None:
    _report, receipt = submit(desk.world.disdik)
    limiter = CountingLimiter(limit=2)
    for _ in range(2):
        with pytest.raises(ReceiptNotFound):
            open_with_receipt(other_valid_receipt(receipt), limiter=limiter)
    assert limiter.failures == 2
    with pytest.raises(TooManyAttempts):
        open_with_receipt(receipt, limiter=limiter)


def test_the_reporter_reads_the_handlers_question_and_answers_it(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    handler_message(
        report=report,
        handler=desk.handler,
        private_key=desk.private_key(desk.handler),
        text="Which day exactly, and was anyone else there?",
    )
    view = open_with_receipt(receipt)
    [question] = view.messages()
    assert (question.side, question.text, question.author) == (
        Side.HANDLER,
        "Which day exactly, and was anyone else there?",
        "",  # the reporter is not told which handler wrote
    )
    events = Event.objects.count()
    reporter_reply(
        view=view,
        text="Tuesday 3 March; a second applicant saw it.",
        attachments=[Upload("queue.jpg", photo_with_gps())],
    )
    assert Event.objects.count() == events  # nothing about the reporter in the trail
    handler_view = handler_decrypt(
        report=report, handler=desk.handler, private_key=desk.private_key(desk.handler)
    )
    assert [m.text for m in handler_view.messages][
        -1
    ] == "Tuesday 3 March; a second applicant saw it."
    assert handler_view.messages[0].author == str(desk.handler)
    assert [a.name for a in handler_view.attachments] == ["queue.jpg"]
    assert [a.name for a in open_with_receipt(receipt).attachments()] == ["queue.jpg"]
    assert Message.objects.filter(report=report).count() == 2


def test_an_empty_reply_is_refused(desk: Desk) -> None:
    _report, receipt = submit(desk.world.disdik)
    with pytest.raises(ValidationError):
        reporter_reply(view=open_with_receipt(receipt), text="   ")
    assert not Message.objects.exists()


def test_a_closed_report_takes_no_more_replies_but_still_shows_its_outcome(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    handler_message(
        report=report,
        handler=desk.handler,
        private_key=desk.private_key(desk.handler),
        text="Outcome: the officer was sanctioned.",
    )
    Report.objects.filter(pk=report.pk).update(status=Status.CLOSED)
    view = open_with_receipt(receipt)
    assert view.messages()[0].text == "Outcome: the officer was sanctioned."
    with pytest.raises(ReportClosed):
        reporter_reply(view=view, text="Thank you")


def test_a_handler_message_is_audited_without_its_text(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    handler_message(
        report=report,
        handler=desk.handler,
        private_key=desk.private_key(desk.handler),
        text="A question with a unique phrase 7f3a",
    )
    event = Event.objects.get(action="complaints.message_sent")
    assert event.actor == desk.handler
    assert "7f3a" not in str(event.changes) + event.reason + event.object_label
