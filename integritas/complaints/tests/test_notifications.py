"""What whistleblowing tells handlers by notification (and so, by their choice, by email): a
report was assigned to them, or a step is overdue, with the link and nothing that identifies the
report (no channel, number, unit, category or content), and never to anyone routing keeps away."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from integritas.complaints.models import Report
from integritas.complaints.services import sla
from integritas.complaints.services.errors import ConflictOfInterest
from integritas.complaints.services.handler import assign
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import FIELDS, submit
from integritas.core.models import Notification
from integritas.core.services.calendar import calendar_for

pytestmark = pytest.mark.django_db
D = dt.date


def without_links(text: str) -> str:
    """The text with its links left out: a link is allowed (it opens only for readers)."""
    return re.sub(r"https?://\S+", "", text)


def traces(report: Report) -> set[str]:
    """Everything that would identify the report or tell what it is about."""
    unit = report.unit
    return {
        str(report.public_id)[:8],
        str(report),
        report.get_channel_display(),
        report.get_category_display(),
        *(FIELDS.values()),
        *((unit.code, unit.name) if unit else ()),
    }


def test_the_assigned_handler_is_told_with_the_link_and_nothing_else(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    report, _receipt = submit(desk.world.disdik)
    with django_capture_on_commit_callbacks(execute=True):
        assign(report=report, to=desk.handler, by=desk.handler_in_dinkes)
    (note,) = Notification.objects.all()
    assert note.user == desk.handler
    assert note.title == "Ada laporan yang ditugaskan kepada Anda"
    assert note.url == reverse("complaints-report", args=[report.public_id])
    (message,) = mail.outbox
    assert message.to == [desk.handler.email]
    assert note.url in message.body
    for text in (note.title, note.body, message.subject, message.body):
        for found in traces(report):
            assert found.lower() not in without_links(text).lower(), f"{found!r} in {text!r}"


def test_assigning_oneself_tells_nobody(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    report, _receipt = submit(desk.world.disdik)
    with django_capture_on_commit_callbacks(execute=True):
        assign(report=report, to=desk.handler, by=desk.handler)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_refused_assignment_of_an_excluded_handler_tells_nobody(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    report, _receipt = submit(desk.world.dinkes)  # the DINKES handler is kept away
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ConflictOfInterest):
        assign(report=report, to=desk.handler_in_dinkes, by=desk.handler)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_an_overdue_alert_carries_the_step_and_date_but_nothing_of_the_report(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    report, _receipt = submit(desk.world.disdik, today=D(2026, 3, 17))
    with django_capture_on_commit_callbacks(execute=True):
        assign(report=report, to=desk.handler, by=desk.handler)
        assert sla.overdue_alerts(today=D(2026, 3, 30)) == 1
    (note,) = Notification.objects.filter(user=desk.handler)
    assert note.title == "Laporan lewat tenggat: Terima atau tolak"
    (message,) = mail.outbox
    for text in (note.title, note.body, message.subject, message.body):
        for found in traces(report):
            assert found.lower() not in without_links(text).lower(), f"{found!r} in {text!r}"


def test_on_the_due_date_the_assigned_handler_is_told_once_without_details(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    report, _receipt = submit(desk.world.disdik, today=D(2026, 3, 17))
    assign(report=report, to=desk.handler, by=desk.handler)
    (decision,) = sla.clocks(report, calendar_for(), sla.limits())
    assert decision.due is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert sla.due_alerts(today=decision.due - dt.timedelta(days=1)) == 0
        assert sla.due_alerts(today=decision.due) == 1
        assert sla.due_alerts(today=decision.due) == 0
    (note,) = Notification.objects.all()
    assert note.user == desk.handler
    assert note.title == "Laporan jatuh tempo hari ini: Terima atau tolak"
    (message,) = mail.outbox
    for text in (note.title, note.body, message.subject, message.body):
        for found in traces(report):
            assert found.lower() not in without_links(text).lower(), f"{found!r} in {text!r}"
