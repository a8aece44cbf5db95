"""SLA clocks in working days of the shared calendar (with the real 2026 holidays seeded by the
calendar's migration), and the overdue alerts: to assigned handlers, once."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command

from integritas.audit.models import Event
from integritas.complaints.services import sla
from integritas.complaints.services.handler import assign, change_status
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import submit
from integritas.core.calendar import WorkingCalendar
from integritas.core.models import Notification
from integritas.core.services.calendar import calendar_for

pytestmark = pytest.mark.django_db
D = dt.date


def report(**values: Any) -> SimpleNamespace:
    base = {
        "received_on": D(2026, 3, 17),
        "decided_on": None,
        "status": "received",
        "tier": "",
        "forwarded_on": None,
        "closed_on": None,
    }
    return SimpleNamespace(**{**base, **values})


def test_the_decision_is_due_three_working_days_after_receipt_skipping_eid() -> None:
    # Tue 17 March 2026; 18 (leave), 19 (Nyepi), 20 (leave), 21–22 (Eid, weekend), 23–24 (leave):
    # the three working days are 25, 26 and 27 March.
    (decision,) = sla.clocks(report(), calendar_for(), sla.limits())
    assert decision.name == "decision"
    assert decision.due == D(2026, 3, 27)
    assert not decision.is_overdue(D(2026, 3, 27))
    assert decision.is_overdue(D(2026, 3, 30))
    assert decision.days_left(calendar_for(), D(2026, 3, 25)) == 2


def test_the_handling_clock_follows_the_tier_and_stops_when_forwarded() -> None:
    accepted = report(decided_on=D(2026, 5, 12), status="accepted", tier="simple")
    decision, handling = sla.clocks(accepted, calendar_for(), sla.limits())
    assert decision.stopped_on == D(2026, 5, 12)
    assert decision.was_late  # due 27 March, decided in May
    # 13 May, (14 Ascension, 15 leave), 18, 19, 20, 21: five working days end on 21 May.
    assert handling.due == D(2026, 5, 21)
    forwarded = report(
        decided_on=D(2026, 5, 12), status="forwarded", tier="simple", forwarded_on=D(2026, 5, 13)
    )
    assert sla.clocks(forwarded, calendar_for(), sla.limits())[1].stopped_on == D(2026, 5, 13)


def test_a_rejected_report_has_no_handling_clock() -> None:
    rejected = report(decided_on=D(2026, 3, 25), status="rejected", tier="")
    assert [c.name for c in sla.clocks(rejected, calendar_for(), sla.limits())] == ["decision"]


def test_limits_are_settings_per_tier(settings: Any) -> None:
    settings.COMPLAINTS_SLA_WORKING_DAYS = {"verify": 5, "field_check": 30}
    assert sla.limits() == {"verify": 5, "simple": 5, "no_field_check": 14, "field_check": 30}
    settings.COMPLAINTS_SLA_WORKING_DAYS = {"urgent": 1}
    with pytest.raises(ValueError, match="urgent"):
        sla.limits()
    settings.COMPLAINTS_SLA_WORKING_DAYS = {"simple": 0}
    with pytest.raises(ValueError):
        sla.limits()


def test_a_year_without_holiday_data_gives_no_due_date_rather_than_a_wrong_one() -> None:
    calendar = WorkingCalendar.build(years=[2026])
    (decision,) = sla.clocks(report(received_on=D(2026, 12, 30)), calendar, sla.limits())
    assert decision.due is None
    assert not decision.is_overdue(D(2027, 6, 1))


def test_overdue_alerts_go_to_the_assigned_handler_once(desk: Desk) -> None:
    made, _receipt = submit(desk.world.disdik, today=D(2026, 3, 17))
    assign(report=made, to=desk.handler, by=desk.handler)
    assert sla.overdue_alerts(today=D(2026, 3, 27)) == 0
    assert sla.overdue_alerts(today=D(2026, 3, 30)) == 1
    assert sla.overdue_alerts(today=D(2026, 3, 31)) == 0  # idempotent
    (note,) = Notification.objects.filter(user=desk.handler)
    assert "Terima atau tolak" in note.title  # in the handler's language (Indonesian)
    assert note.url.endswith(f"/pengaduan/{made.public_id}/")
    assert not Notification.objects.exclude(user=desk.handler).exists()
    assert Event.objects.filter(action="complaints.overdue_alerts_sent").count() == 1


def test_without_an_assignee_every_reader_but_the_excluded_is_alerted(desk: Desk) -> None:
    submit(desk.world.dinkes, today=D(2026, 3, 17))
    assert sla.overdue_alerts(today=D(2026, 3, 30)) == 1
    assert set(Notification.objects.values_list("user", flat=True)) == {desk.handler.pk}


def test_a_decided_report_raises_no_decision_alert(desk: Desk) -> None:
    made, _receipt = submit(desk.world.disdik, today=D(2026, 3, 17))
    key = desk.private_key(desk.handler)
    change_status(
        report=made,
        name="reject",
        by=desk.handler,
        private_key=key,
        reason="No",
        today=D(2026, 3, 18),
    )
    assert sla.overdue_alerts(today=D(2026, 4, 30)) == 0


def test_the_command_sends_the_alerts(desk: Desk) -> None:
    submit(desk.world.disdik, today=D(2026, 3, 17))
    out = StringIO()
    call_command("complaint_alerts", "--date", "2026-03-30", stdout=out)
    assert "2 alerts sent" in out.getvalue()
    assert Notification.objects.count() == 2  # handler and handler_in_dinkes hold the key
