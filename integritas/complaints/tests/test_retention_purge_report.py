"""Retention: a closed report past its date is purged for good, leaving an event without content."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from integritas.audit.models import Event
from integritas.complaints.models import Message, Report, ReportKey, Status
from integritas.complaints.services.attachments import Upload
from integritas.complaints.services.errors import NotDueForPurge, ReceiptNotFound
from integritas.complaints.services.handler import handler_message
from integritas.complaints.services.public import open_with_receipt
from integritas.complaints.services.retention import purge_report
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import photo_with_gps, submit

pytestmark = pytest.mark.django_db(transaction=True)  # files are removed after the commit

TODAY = dt.date(2027, 1, 10)


def closed(report: Report, retain_until: dt.date) -> Report:
    Report.objects.filter(pk=report.pk).update(
        status=Status.CLOSED, closed_on=dt.date(2026, 1, 5), retain_until=retain_until
    )
    report.refresh_from_db()
    return report


def test_a_report_past_its_retention_date_is_purged_with_its_files(
    desk: Desk, settings: Any
) -> None:
    report, receipt = submit(desk.world.disdik, attachments=[Upload("p.jpg", photo_with_gps())])
    handler_message(
        report=report, handler=desk.handler, private_key=desk.private_key(desk.handler), text="Q"
    )
    report = closed(report, retain_until=dt.date(2027, 1, 9))
    public_id = str(report.public_id)
    purge_report(report=report, by=desk.handler, today=TODAY)
    assert not Report.objects.exists()
    assert not ReportKey.objects.exists() and not Message.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    event = Event.objects.get(action="complaints.report_purged")
    assert event.object_id == public_id
    assert set(event.changes) == {"channel", "received_on", "closed_on"}
    with pytest.raises(ReceiptNotFound):
        open_with_receipt(receipt)


@pytest.mark.parametrize(
    ("status", "retain_until"),
    [
        (Status.CLOSED, dt.date(2027, 1, 10)),  # the last day kept is today
        (Status.CLOSED, None),
        (Status.INVESTIGATION, dt.date(2026, 1, 1)),  # an open report is never purged
    ],
)
def test_a_report_not_due_is_not_purged(
    desk: Desk, status: str, retain_until: dt.date | None
) -> None:
    report, _receipt = submit(desk.world.disdik)
    Report.objects.filter(pk=report.pk).update(status=status, retain_until=retain_until)
    report.refresh_from_db()
    with pytest.raises(NotDueForPurge):
        purge_report(report=report, by=desk.handler, today=TODAY)
    assert Report.objects.filter(pk=report.pk).exists()
    assert not Event.objects.filter(action="complaints.report_purged").exists()
