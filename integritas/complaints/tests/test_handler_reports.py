"""The report list and page for handlers: what a locked and an unlocked key show, and that a
handler kept away by conflict-of-interest routing finds nothing (404) and decrypts nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from integritas.audit.models import Event
from integritas.complaints.models import Report
from integritas.complaints.services.errors import ConflictOfInterest, NoAccess
from integritas.complaints.services.handler import assign, change_status, handler_decrypt
from integritas.complaints.services.public import open_with_receipt
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import FIELDS, submit
from integritas.core import policy
from integritas.core.models import Role, RoleAssignment
from integritas.core.testing import PASSWORD, body, client_for

pytestmark = pytest.mark.django_db
LIST = reverse("complaints-report-list")


def unlocked(user: object) -> Client:
    client = client_for(user)  # type: ignore[arg-type]
    assert client.post(reverse("complaints-key-unlock"), {"password": PASSWORD}).status_code == 302
    return client


def page(report: Report) -> str:
    return reverse("complaints-report", args=[report.public_id])


def test_an_unlocked_handler_reads_the_report_and_its_deadlines(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    response = unlocked(desk.handler).get(page(report))
    assert response.status_code == 200
    assert FIELDS["what"] in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert [c["clock"].name for c in response.context["clocks"]] == ["decision"]
    assert [s["t"].name for s in response.context["steps"]] == ["screen", "reject"]


def test_with_a_locked_key_the_page_shows_no_content(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    response = client_for(desk.handler).get(page(report))
    assert response.status_code == 200
    assert FIELDS["what"] not in response.content.decode()
    assert not response.context["is_unlocked"]
    assert reverse("complaints-key") in response.content.decode()  # the way to unlock


def test_the_list_shows_the_handlers_reports_and_exports_no_content(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    client = unlocked(desk.handler)
    response = client.get(LIST)
    assert [row["report"] for row in response.context["rows"]] == [report]
    export = client.get(LIST, {"export": "csv"})
    assert export.status_code == 200
    assert str(report.public_id)[:8] in body(export).decode()
    assert FIELDS["what"] not in body(export).decode()
    assert client.get(LIST, {"export": "xlsx"}).status_code == 200


def test_an_excluded_handler_neither_lists_opens_nor_decrypts_the_report(desk: Desk) -> None:
    report, _receipt = submit(desk.world.dinkes)
    client = unlocked(desk.handler_in_dinkes)
    assert client.get(LIST).context["rows"] == []
    assert client.get(page(report)).status_code == 404
    assert (
        client.post(
            reverse("complaints-report-message", args=[report.public_id]), {"message-text": "hello"}
        ).status_code
        == 404
    )
    assert not policy.scope(desk.handler_in_dinkes, Report).exists()
    with pytest.raises(NoAccess):
        handler_decrypt(
            report=report,
            handler=desk.handler_in_dinkes,
            private_key=desk.private_key(desk.handler_in_dinkes),
        )


def test_a_handler_who_moves_into_the_unit_concerned_loses_the_report(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    client = unlocked(desk.handler)
    assert client.get(page(report)).status_code == 200
    desk.handler.unit = desk.world.disdik
    desk.handler.save(update_fields=["unit"])
    assert client.get(page(report)).status_code == 404


def test_a_handler_who_loses_the_role_loses_the_reports(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    RoleAssignment.objects.filter(user=desk.handler, role=Role.COMPLAINT_HANDLER).delete()
    client = client_for(desk.handler)
    assert client.get(page(report)).status_code == 404
    assert client.get(LIST).status_code == 403


def test_the_named_official_never_sees_the_report(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik, official=desk.handler_in_dinkes)
    assert unlocked(desk.handler_in_dinkes).get(page(report)).status_code == 404


def test_a_message_goes_to_the_reporter_encrypted_and_audited_without_text(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    client = unlocked(desk.handler)
    url = reverse("complaints-report-message", args=[report.public_id])
    response = client.post(url, {"message-text": "Which day exactly did this happen?"})
    assert response.status_code == 302
    view = open_with_receipt(receipt)
    assert [m.text for m in view.messages()] == ["Which day exactly did this happen?"]
    event = Event.objects.get(action="complaints.message_sent")
    assert "Which day" not in str(event.changes) + event.reason
    report.refresh_from_db()
    assert report.first_response_on == report.received_on


def test_an_empty_message_is_refused(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    url = reverse("complaints-report-message", args=[report.public_id])
    assert unlocked(desk.handler).post(url, {"message-text": " "}).status_code == 400
    assert not report.messages.exists()


def test_a_locked_handler_is_sent_to_the_key_page_to_write(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    url = reverse("complaints-report-message", args=[report.public_id])
    response = client_for(desk.handler).post(url, {"message-text": "Hello"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("complaints-key"))
    assert not report.messages.exists()


def test_internal_notes_are_encrypted_and_never_reach_the_reporter(desk: Desk) -> None:
    report, receipt = submit(desk.world.disdik)
    client = unlocked(desk.handler)
    url = reverse("complaints-report-note", args=[report.public_id])
    assert client.post(url, {"note-text": "Check the cash book first."}).status_code == 302
    note = report.notes.get()
    assert b"cash book" not in bytes(note.body)
    assert "Check the cash book first." in client.get(page(report)).content.decode()
    view = open_with_receipt(receipt)
    assert view.messages() == []
    assert Event.objects.filter(action="complaints.note_added").count() == 1


def test_only_handlers_holding_the_key_can_be_assigned(desk: Desk) -> None:
    report, _receipt = submit(desk.world.dinkes)
    client = unlocked(desk.handler)
    url = reverse("complaints-report-assign", args=[report.public_id])
    choices = {
        pk
        for pk, _label in client.get(page(report)).context["assign_form"].fields["handler"].choices
    }
    assert desk.handler.pk in choices
    assert desk.handler_in_dinkes.pk not in choices
    refused = client.post(url, {"handler": desk.handler_in_dinkes.pk, "assigned": "1"})
    assert refused.status_code == 400
    assert not report.assignees.exists()
    assert client.post(url, {"handler": desk.handler.pk, "assigned": "1"}).status_code == 302
    assert list(report.assignees.all()) == [desk.handler]
    event = Event.objects.get(action="complaints.assigned")
    assert event.changes == {"assignee": [None, str(desk.handler)]}
    assert client.post(url, {"handler": desk.handler.pk, "assigned": "0"}).status_code == 302
    assert not report.assignees.exists()


def test_the_assign_service_refuses_an_excluded_handler(desk: Desk) -> None:
    report, _receipt = submit(desk.world.dinkes)
    with pytest.raises(ConflictOfInterest):
        assign(report=report, to=desk.handler_in_dinkes, by=desk.handler)
    with pytest.raises(NoAccess):
        assign(report=report, to=desk.handler, by=desk.handler_in_dinkes)


def test_a_custodian_opens_a_confidential_identity_with_a_reason(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik, identity={"name": "Siti Rahma"}, confidential=True)
    handler_page = unlocked(desk.handler).get(page(report)).content.decode()
    assert "Siti Rahma" not in handler_page
    client = unlocked(desk.custodian)
    custodian_page = client.get(page(report))
    assert custodian_page.status_code == 200
    assert custodian_page.context["can_open_identity"]
    assert FIELDS["what"] not in custodian_page.content.decode()  # no report-content key
    url = reverse("complaints-report-identity", args=[report.public_id])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Witness protection request"})
    assert response.status_code == 200
    assert "Siti Rahma" in response.content.decode()
    event = Event.objects.get(action="complaints.identity_opened")
    assert event.reason == "Witness protection request"
    assert "Siti Rahma" not in client.get(page(report)).content.decode()


def test_a_named_identity_that_is_not_confidential_is_shown_to_handlers(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik, identity={"name": "Budi Santoso"})
    assert "Budi Santoso" in unlocked(desk.handler).get(page(report)).content.decode()


def test_the_menu_leads_the_desk_to_reports_and_the_inspectorate_to_statistics(
    desk: Desk,
) -> None:
    from integritas.complaints.access import navigation

    assert navigation(desk.handler)["url"] == LIST  # type: ignore[index]
    assert navigation(desk.alternate)["url"] == LIST  # type: ignore[index]
    stats_url = reverse("complaints-statistics")
    assert navigation(desk.world.inspector)["url"] == stats_url  # type: ignore[index]
    assert navigation(desk.world.officer_a) is None
    assert navigation(desk.world.leader) is None


def test_the_list_filters_by_status_and_by_assignment(desk: Desk) -> None:
    mine, _r1 = submit(desk.world.disdik)
    other, _r2 = submit(desk.world.disdik)
    assign(report=mine, to=desk.handler, by=desk.handler)
    change_status(
        report=other,
        name="screen",
        by=desk.handler,
        private_key=desk.private_key(desk.handler),
    )
    client = client_for(desk.handler)
    rows = client.get(LIST, {"mine": "on"}).context["rows"]
    assert [row["report"] for row in rows] == [mine]
    rows = client.get(LIST, {"status": "screening"}).context["rows"]
    assert [row["report"] for row in rows] == [other]
