"""Conflict-of-interest routing: who is kept away from a report can neither find a key copy nor
decrypt it, whatever a page would allow."""

from __future__ import annotations

import pytest

from integritas.audit.models import Event
from integritas.complaints.models import AlternateHandler, ReportKey
from integritas.complaints.services.errors import ConflictOfInterest, NoAccess, NoEligibleHandler
from integritas.complaints.services.handler import grant_access, handler_decrypt
from integritas.complaints.tests.conftest import Desk, enrolled
from integritas.complaints.tests.helpers import submit
from integritas.core.models import Role, RoleAssignment
from integritas.core.testing import make_user

pytestmark = pytest.mark.django_db


def holders(report: object) -> set[int | None]:
    return set(
        ReportKey.objects.filter(report=report, purpose="report").values_list("holder", flat=True)
    )


def cannot_decrypt(desk: Desk, report: object, user: object) -> None:
    with pytest.raises(NoAccess):
        handler_decrypt(
            report=report,  # type: ignore[arg-type]
            handler=user,
            private_key=desk.private_key(user),  # type: ignore[arg-type]
        )


def test_a_handler_from_the_unit_concerned_gets_no_key_and_cannot_decrypt(desk: Desk) -> None:
    report, _receipt = submit(desk.world.dinkes)
    assert desk.handler_in_dinkes.pk not in holders(report)
    assert desk.handler.pk in holders(report)
    cannot_decrypt(desk, report, desk.handler_in_dinkes)


def test_a_handler_of_the_parent_unit_is_kept_from_a_report_about_a_sub_unit(desk: Desk) -> None:
    report, _receipt = submit(desk.world.puskesmas)
    assert desk.handler_in_dinkes.pk not in holders(report)
    cannot_decrypt(desk, report, desk.handler_in_dinkes)


def test_a_handler_of_a_sub_unit_is_kept_from_a_report_about_its_parent(desk: Desk) -> None:
    in_puskesmas = enrolled(
        make_user("handler_pkm", unit=desk.world.puskesmas, role=Role.COMPLAINT_HANDLER),
        desk.recovery,
    )
    report, _receipt = submit(desk.world.dinkes)
    assert in_puskesmas.pk not in holders(report)
    cannot_decrypt(desk, report, in_puskesmas)


def test_a_handler_holding_a_unit_role_for_the_unit_is_excluded_too(desk: Desk) -> None:
    RoleAssignment.objects.create(user=desk.handler, role=Role.UNIT_OFFICER, unit=desk.world.disdik)
    report, _receipt = submit(desk.world.disdik)
    assert desk.handler.pk not in holders(report)
    cannot_decrypt(desk, report, desk.handler)


def test_handlers_of_unrelated_units_still_receive_it(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    assert holders(report) == {None, desk.handler.pk, desk.handler_in_dinkes.pk}


def test_a_named_official_who_is_a_handler_never_gets_the_report(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik, official=desk.handler)
    assert desk.handler.pk not in holders(report)
    cannot_decrypt(desk, report, desk.handler)
    # the official's own unit (the Inspectorate) makes the report a sensitive one
    assert report.routed_to_alternate
    assert holders(report) == {None, desk.alternate.pk}


def test_a_report_about_the_inspectorate_goes_only_to_the_alternate_group(desk: Desk) -> None:
    report, _receipt = submit(desk.inspectorate)
    assert report.routed_to_alternate
    assert holders(report) == {None, desk.alternate.pk}
    cannot_decrypt(desk, report, desk.handler)
    cannot_decrypt(desk, report, desk.handler_in_dinkes)
    view = handler_decrypt(
        report=report, handler=desk.alternate, private_key=desk.private_key(desk.alternate)
    )
    assert view.content["what"].startswith("The permit officer")


def test_a_report_about_the_leadership_goes_only_to_the_alternate_group(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik, about_leadership=True)
    assert holders(report) == {None, desk.alternate.pk}
    report, _receipt = submit(None, official=desk.world.leader)
    assert holders(report) == {None, desk.alternate.pk}


def test_the_identity_of_a_report_about_the_inspectorate_goes_to_the_alternate_group(
    desk: Desk,
) -> None:
    report, _receipt = submit(desk.inspectorate, identity={"name": "A"}, confidential=True)
    identity_holders = set(
        ReportKey.objects.filter(report=report, purpose="identity").values_list("holder", flat=True)
    )
    assert identity_holders == {desk.alternate.pk}


def test_when_every_handler_is_excluded_the_alternate_group_receives_it(desk: Desk) -> None:
    RoleAssignment.objects.filter(user=desk.handler, role=Role.COMPLAINT_HANDLER).delete()
    report, _receipt = submit(desk.world.dinkes)
    assert report.routed_to_alternate
    assert holders(report) == {None, desk.alternate.pk}


def test_without_any_reader_left_the_report_waits_for_a_custodian_and_without_one_is_refused(
    desk: Desk,
) -> None:
    AlternateHandler.objects.all().delete()
    report, _receipt = submit(desk.inspectorate)
    assert report.awaits_routing and holders(report) == {None}
    RoleAssignment.objects.filter(role=Role.IDENTITY_CUSTODIAN).delete()
    with pytest.raises(NoEligibleHandler):
        submit(desk.inspectorate)


def test_an_excluded_handler_cannot_be_given_access_later(desk: Desk) -> None:
    report, _receipt = submit(desk.world.dinkes)
    with pytest.raises(ConflictOfInterest):
        grant_access(
            report=report,
            to=desk.handler_in_dinkes,
            by=desk.handler,
            private_key=desk.private_key(desk.handler),
        )
    assert desk.handler_in_dinkes.pk not in holders(report)
    assert not Event.objects.filter(action="complaints.access_granted").exists()


def test_only_alternate_members_can_be_given_a_sensitive_report(desk: Desk) -> None:
    report, _receipt = submit(desk.inspectorate)
    with pytest.raises(ConflictOfInterest):
        grant_access(
            report=report,
            to=desk.handler_in_dinkes,
            by=desk.alternate,
            private_key=desk.private_key(desk.alternate),
        )


def test_access_is_given_only_by_someone_who_can_read_the_report(desk: Desk) -> None:
    report, _receipt = submit(desk.world.dinkes)
    with pytest.raises(NoAccess):
        grant_access(
            report=report,
            to=desk.alternate,
            by=desk.handler_in_dinkes,
            private_key=desk.private_key(desk.handler_in_dinkes),
        )
