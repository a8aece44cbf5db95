"""Whistleblowing demo data: handlers with keys and reports in every status, encrypted and
handled through the services; running it again adds nothing; outside DEMO_MODE nothing at all."""

from __future__ import annotations

from typing import Any

import pytest

from integritas.audit.context import acting_as
from integritas.audit.models import Event
from integritas.complaints.demo import seed_app
from integritas.complaints.models import AlternateHandler, HandlerKey, Report, Status
from integritas.complaints.services import keys, sla
from integritas.complaints.services.errors import NoAccess
from integritas.complaints.services.handler import handler_decrypt
from integritas.core.demo import DEMO_PASSWORD, seed
from integritas.core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> list[str]:
    settings.DEMO_MODE = True
    seed(password=DEMO_PASSWORD)
    with acting_as(label="seed_demo"):
        return seed_app()


def test_it_creates_a_report_in_every_status(demo: list[str]) -> None:
    assert set(Report.objects.values_list("status", flat=True)) == set(Status.values)
    assert HandlerKey.objects.filter(user__username__in=["penangan", "kustodian"]).count() == 2
    assert AlternateHandler.objects.count() >= 2
    assert Event.objects.filter(action="complaints.status_changed").exists()


def test_the_demo_handler_reads_the_reports_with_the_demo_password(demo: list[str]) -> None:
    handler = User.objects.get(username="penangan")
    key = keys.unlock(user=handler, password=DEMO_PASSWORD)
    about_dpupr = Report.objects.get(unit__code="DPUPR")
    view = handler_decrypt(report=about_dpupr, handler=handler, private_key=key)
    assert "aspal" in view.content["what"]
    assert view.notes and view.attachments[0].stripped[0] == "GPS location"
    about_inspectorate = Report.objects.get(unit__code="INSP")
    assert about_inspectorate.routed_to_alternate
    with pytest.raises(NoAccess):
        handler_decrypt(report=about_inspectorate, handler=handler, private_key=key)


def test_one_report_is_overdue_and_a_receipt_is_printed(demo: list[str]) -> None:
    from django.utils import timezone

    assert any("receipt for trying" in line for line in demo)
    assert sla.overdue_alerts(today=timezone.localdate()) >= 1


def test_running_it_again_adds_nothing(demo: list[str], settings: Any) -> None:
    count = Report.objects.count()
    assert seed_app() == ["whistleblowing reports already present"]
    assert Report.objects.count() == count


def test_outside_demo_mode_it_does_nothing(settings: Any) -> None:
    settings.DEMO_MODE = False
    seed(password=None)
    assert seed_app()[0].startswith("whistleblowing: skipped")
    assert not Report.objects.exists() and not HandlerKey.objects.exists()


def test_the_alternate_group_is_several_people_outside_the_line_of_those_reported_on(
    demo: list[str],
) -> None:
    members = [a.user for a in AlternateHandler.objects.select_related("user")]
    assert len(members) >= 2
    for member in members:
        # In no unit and with no role: nobody they could be reporting about is their superior.
        assert member.unit is None and not member.role_assignments.exists(), member
        assert HandlerKey.objects.filter(user=member).exists()
        assert keys.unlock(user=member, password=DEMO_PASSWORD)


@pytest.mark.parametrize("code", ["SETDA", "BKPSDM", "INSP", "DINKES"])
def test_a_report_about_the_leadership_and_any_unit_reaches_the_whole_group(
    demo: list[str], code: str
) -> None:
    from integritas.complaints.models import ReportKey
    from integritas.complaints.tests.helpers import submit
    from integritas.core.models import Unit

    report, _receipt = submit(Unit.objects.get(code=code), about_leadership=True)
    readers = set(
        ReportKey.objects.filter(report=report, purpose="report", holder__isnull=False).values_list(
            "holder__username", flat=True
        )
    )
    members = set(AlternateHandler.objects.values_list("user__username", flat=True))
    assert readers == members and not report.awaits_routing
