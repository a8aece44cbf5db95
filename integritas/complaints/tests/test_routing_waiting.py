"""A report no one may handle (every handler and every member of the alternate group kept away by
conflict-of-interest routing) is accepted, not refused: it waits for an identity custodian, who
sees none of its content and routes it to someone who may handle it, such as a member newly
appointed to the alternate group."""

from __future__ import annotations

import pytest
from django.test import Client

from integritas.audit.models import Event
from integritas.complaints.models import AlternateHandler, Report, ReportKey
from integritas.complaints.services.errors import ConflictOfInterest, NoAccess
from integritas.complaints.services.handler import handler_decrypt, route_waiting
from integritas.complaints.tests.conftest import Desk, enrolled
from integritas.complaints.tests.helpers import FIELDS, submit
from integritas.complaints.tests.test_public_helpers import (
    form_data,
    main_part,
    receipt_from,
    reporter,
    send,
)
from integritas.core.testing import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db


def copies(report: Report, purpose: str) -> set[int | None]:
    return set(
        ReportKey.objects.filter(report=report, purpose=purpose).values_list("holder", flat=True)
    )


def nobody_may_handle(desk: Desk) -> Report:
    """A report about the leadership and DISDIK, whose only alternate handler works in DISDIK."""
    desk.alternate.unit = desk.world.disdik
    desk.alternate.save(update_fields=["unit"])
    report, _receipt = submit(desk.world.disdik, about_leadership=True)
    return report


def test_a_report_no_one_may_handle_is_stored_and_waits_for_the_custodian(desk: Desk) -> None:
    report = nobody_may_handle(desk)
    assert copies(report, "report") == {None}  # only the reporter's copy
    assert copies(report, "routing") == {desk.custodian.pk}
    assert report.routed_to_alternate and report.awaits_routing
    with pytest.raises(NoAccess):  # the custodian routes it; the pages never show its content
        handler_decrypt(
            report=report, handler=desk.custodian, private_key=desk.private_key(desk.custodian)
        )


def test_the_custodian_routes_it_to_a_newly_appointed_alternate_handler(desk: Desk) -> None:
    report = nobody_may_handle(desk)
    newcomer = enrolled(make_user("alternate_dprd"), desk.recovery)
    AlternateHandler.objects.create(user=newcomer, note="SK 2/2026")
    route_waiting(
        report=report,
        to=newcomer,
        by=desk.custodian,
        private_key=desk.private_key(desk.custodian),
    )
    report.refresh_from_db()
    assert copies(report, "report") == {None, newcomer.pk}
    assert copies(report, "routing") == set() and not report.awaits_routing
    view = handler_decrypt(report=report, handler=newcomer, private_key=desk.private_key(newcomer))
    assert view.content["what"] == FIELDS["what"]
    event = Event.objects.get(action="complaints.routed")
    assert event.actor_id == desk.custodian.pk and event.changes["holder"][1] == str(newcomer)


def test_it_cannot_be_routed_to_anyone_routing_keeps_away(desk: Desk) -> None:
    report = nobody_may_handle(desk)
    for person in (desk.alternate, desk.handler):  # in DISDIK's line; not an alternate handler
        with pytest.raises(ConflictOfInterest):
            route_waiting(
                report=report,
                to=person,
                by=desk.custodian,
                private_key=desk.private_key(desk.custodian),
            )
    assert copies(report, "report") == {None}


def test_only_a_custodian_holding_it_can_route_it(desk: Desk) -> None:
    report = nobody_may_handle(desk)
    newcomer = enrolled(make_user("alternate_dprd"), desk.recovery)
    AlternateHandler.objects.create(user=newcomer)
    with pytest.raises(NoAccess):
        route_waiting(
            report=report,
            to=newcomer,
            by=desk.handler,
            private_key=desk.private_key(desk.handler),
        )


def test_the_reporter_gets_a_receipt_instead_of_a_refusal(desk: Desk) -> None:
    desk.alternate.unit = desk.world.disdik
    desk.alternate.save(update_fields=["unit"])
    response = send(reporter(), form_data(desk.world.disdik, about_leadership="on"))
    assert response.status_code == 200
    assert receipt_from(response)
    assert Report.objects.get().awaits_routing


def test_the_custodian_routes_it_from_the_report_page(desk: Desk) -> None:
    report = nobody_may_handle(desk)
    newcomer = enrolled(make_user("alternate_dprd"), desk.recovery)
    AlternateHandler.objects.create(user=newcomer)
    client: Client = client_for(desk.custodian, language="en")
    assert client.post("/pengaduan/kunci/buka/", {"password": PASSWORD}).status_code == 302
    page = client.get(f"/pengaduan/{report.public_id}/")
    html = main_part(page)
    assert "waits to be routed" in html and FIELDS["what"] not in page.content.decode()
    assert str(newcomer) in html and str(desk.alternate) not in html
    routed = client.post(f"/pengaduan/{report.public_id}/rute/", {"handler": newcomer.pk})
    assert routed.status_code == 302
    assert copies(report, "report") == {None, newcomer.pk}


def test_the_custodians_home_counts_the_reports_waiting_for_them_until_they_are_routed(
    desk: Desk,
) -> None:
    from integritas.core.testing import assert_counts_match_lists

    report = nobody_may_handle(desk)
    submit(desk.world.disdik)  # an ordinary report: the custodian has nothing to route there
    counts = assert_counts_match_lists(desk.custodian)
    assert counts["reports waiting for you to route"] == 1
    listed = client_for(desk.custodian).get("/pengaduan/?route=on").content.decode()
    assert f"/pengaduan/{report.public_id}/" in listed
    newcomer = enrolled(make_user("alternate_dprd"), desk.recovery)
    AlternateHandler.objects.create(user=newcomer)
    route_waiting(
        report=report, to=newcomer, by=desk.custodian, private_key=desk.private_key(desk.custodian)
    )
    assert "reports waiting for you to route" not in assert_counts_match_lists(desk.custodian)


def test_a_handler_with_nothing_to_route_sees_no_routing_line(desk: Desk) -> None:
    from integritas.core.testing import assert_counts_match_lists

    nobody_may_handle(desk)
    assert "reports waiting for you to route" not in assert_counts_match_lists(desk.handler)
