"""The handling state machine: the table on its own, then each edge through the page and the
service (dates set, reporter told, audit event without content)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from integritas.audit.models import Event
from integritas.complaints import workflow
from integritas.complaints.models import REPORTER_STATUS, Report, Status
from integritas.complaints.services.errors import NoAccess
from integritas.complaints.services.handler import change_status
from integritas.complaints.services.public import open_with_receipt
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import submit
from integritas.core.testing import PASSWORD, client_for
from integritas.core.workflow import TransitionError

# -- the table -----------------------------------------------------------------------------------


def test_the_workflow_statuses_are_the_models_statuses() -> None:
    assert {s.value for s in workflow.Status} == set(Status.values)
    assert set(REPORTER_STATUS) == set(Status)


def test_every_status_is_reachable_from_received_and_final_ones_lead_nowhere() -> None:
    reached = {workflow.Status.RECEIVED}
    frontier = [workflow.Status.RECEIVED]
    while frontier:
        for t in workflow.available(frontier.pop()):
            if t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(workflow.Status)
    for final in workflow.FINAL:
        assert workflow.available(final) == []


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("received", ["screen", "reject"]),
        ("screening", ["reject", "accept"]),
        ("accepted", ["investigate", "forward", "close"]),
        ("investigation", ["forward", "close"]),
        ("forwarded", ["close"]),
        ("rejected", []),
        ("closed", []),
    ],
)
def test_the_steps_offered_from_each_status(status: str, names: list[str]) -> None:
    assert [t.name for t in workflow.available(status)] == names


@pytest.mark.parametrize(
    ("name", "status", "given", "code"),
    [
        ("fly", "received", {}, "unknown"),
        ("accept", "received", {"tier": "simple"}, "state"),
        ("close", "received", {"reason": "done"}, "state"),
        ("reject", "screening", {"reason": "  "}, "reason"),
        ("accept", "screening", {}, "tier"),
        ("forward", "investigation", {"forwarded_to": "kpk"}, "forward"),
        ("forward", "investigation", {"reference": "R-1"}, "forward"),
        ("close", "forwarded", {}, "reason"),
    ],
)
def test_a_step_is_refused_with_a_reason_code(
    name: str, status: str, given: dict[str, str], code: str
) -> None:
    with pytest.raises(TransitionError) as caught:
        workflow.check(name, status=status, **given)
    assert caught.value.code == code


# -- through the page and the service ------------------------------------------------------------

pytestmark = pytest.mark.django_db


def unlocked(user: object) -> Client:
    client = client_for(user)  # type: ignore[arg-type]
    client.post(reverse("complaints-key-unlock"), {"password": PASSWORD})
    return client


def step(client: Client, report: Report, name: str, **data: str) -> int:
    url = reverse("complaints-report-transition", args=[report.public_id, name])
    return client.post(url, data).status_code


def test_a_report_goes_from_received_to_closed_and_the_reporter_reads_the_outcome(
    desk: Desk,
) -> None:
    report, receipt = submit(desk.world.disdik)
    client = unlocked(desk.handler)
    assert step(client, report, "screen") == 302
    assert step(client, report, "accept", tier="no_field_check") == 302
    assert step(client, report, "investigate") == 302
    assert step(client, report, "forward", forwarded_to="kpk", reference="KPK/2026/117") == 302
    assert step(client, report, "close", reason="Passed to KPK, who opened a case.") == 302
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert report.tier == "no_field_check"
    assert report.forwarded_to == "kpk"
    assert b"KPK/2026/117" not in bytes(report.forward_reference)
    today = report.received_on
    assert report.decided_on == report.forwarded_on == report.closed_on == today
    assert report.first_response_on == today
    assert report.retain_until == today.replace(year=today.year + 5)
    view = open_with_receipt(receipt)
    assert view.status == str(REPORTER_STATUS[Status.CLOSED])
    assert [m.text for m in view.messages()] == ["Passed to KPK, who opened a case."]
    page = client.get(reverse("complaints-report", args=[report.public_id])).content.decode()
    assert "KPK/2026/117" in page
    events = Event.objects.filter(action="complaints.status_changed").order_by("seq")
    assert [e.changes["status"] for e in events] == [
        ["received", "screening"],
        ["screening", "accepted"],
        ["accepted", "investigation"],
        ["investigation", "forwarded"],
        ["forwarded", "closed"],
    ]
    assert events[3].changes["forwarded_to"] == [None, "kpk"]
    for event in events:
        assert "KPK/2026" not in str(event.changes) and "opened a case" not in event.reason


def test_rejecting_tells_the_reporter_why_and_starts_the_retention(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    client = unlocked(desk.handler)
    assert step(client, report, "reject") == 400
    assert step(client, report, "reject", reason="Not within our remit.") == 302
    report.refresh_from_db()
    assert report.status == Status.REJECTED
    assert report.closed_on and report.retain_until
    assert [m.text for m in open_with_receipt(receipt).messages()] == ["Not within our remit."]


def test_a_step_from_the_wrong_status_changes_nothing(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    client = unlocked(desk.handler)
    response_status = step(client, report, "close", reason="x")
    assert response_status == 400
    assert step(client, report, "accept", tier="simple") == 400
    assert step(client, report, "screen") == 302
    assert step(client, report, "accept", tier="nonsense") == 400
    report.refresh_from_db()
    assert report.status == Status.SCREENING
    assert not report.messages.exists()
    assert Event.objects.filter(action="complaints.status_changed").count() == 1


def test_someone_without_the_key_cannot_move_a_report(desk: Desk) -> None:
    report, _receipt = submit(desk.world.dinkes)
    with pytest.raises(NoAccess):
        change_status(
            report=report,
            name="screen",
            by=desk.handler_in_dinkes,
            private_key=desk.private_key(desk.handler_in_dinkes),
        )
    assert step(unlocked(desk.handler_in_dinkes), report, "screen") == 404
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


def test_retention_from_the_29th_of_february_ends_on_the_28th(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    key = desk.private_key(desk.handler)
    change_status(
        report=report,
        name="reject",
        by=desk.handler,
        private_key=key,
        reason="Duplicate",
        today=dt.date(2028, 2, 29),
    )
    report.refresh_from_db()
    assert report.retain_until == dt.date(2033, 2, 28)


def test_a_bad_destination_is_refused(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    key = desk.private_key(desk.handler)
    change_status(report=report, name="screen", by=desk.handler, private_key=key)
    change_status(report=report, name="accept", by=desk.handler, private_key=key, tier="simple")
    with pytest.raises(ValidationError):
        change_status(
            report=report,
            name="forward",
            by=desk.handler,
            private_key=key,
            forwarded_to="the press",
            reference="X",
        )
