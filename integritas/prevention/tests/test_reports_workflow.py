"""The UPG's workflow on a gratification report: every edge of the transition table, the
deadlines of each step in working days (with and without collective leave), the lapse of a
report not completed in time, the segregation of the reporter, and the escalation of overdue
steps to the UPG's head."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.core.models import Notification, Role, RoleAssignment
from integritas.prevention import workflow
from integritas.prevention.models import GratificationReport
from integritas.prevention.services.reports import act, deadline, is_overdue, run_daily, submit
from integritas.prevention.tests.conftest import collective_leave_is_day_off, report_values

FILED = dt.date(2026, 2, 5)  # Thursday


def filed(world: Any, **values: Any) -> GratificationReport:
    return submit(
        values=report_values(**values), reporter=world.officer_a, by=world.officer_a, today=FILED
    )


def test_the_table_allows_exactly_the_documented_edges() -> None:
    edges = {(name, src, t.target) for name, t in workflow.REPORT.items() for src in t.sources}
    assert edges == {
        ("complete", "submitted", "complete"),
        ("return", "submitted", "returned"),
        ("resubmit", "returned", "submitted"),
        ("lapse", "returned", "lapsed"),
        ("forward", "complete", "forwarded"),
        ("decide", "forwarded", "decided"),
        ("hand_over", "decided", "closed"),
        ("close", "decided", "closed"),
    }


def test_the_happy_path_to_state_property_ends_with_the_handover(world: Any, upg: Any) -> None:
    report = filed(world)
    act(report=report, step="complete", by=upg, today=dt.date(2026, 2, 6))
    act(
        report=report,
        step="forward",
        by=upg,
        today=dt.date(2026, 2, 10),
        values={"gol_reference": "GOL-2026-123", "forwarded_on": dt.date(2026, 2, 10)},
    )
    act(
        report=report,
        step="decide",
        by=upg,
        today=dt.date(2026, 3, 2),
        values={
            "decision": "state",
            "decree_number": "123/KPK/2026",
            "decree_date": dt.date(2026, 3, 2),
        },
    )
    with pytest.raises(ValidationError):
        act(report=report, step="close", by=upg, today=dt.date(2026, 3, 3))
    act(
        report=report,
        step="hand_over",
        by=upg,
        today=dt.date(2026, 3, 4),
        values={"handover_receipt": "BAST-7/2026"},
    )
    report.refresh_from_db()
    assert report.status == "closed" and report.handover_receipt == "BAST-7/2026"
    assert report.gol_reference == "GOL-2026-123" and report.decree_number == "123/KPK/2026"
    actions = list(Event.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-5:] == [
        "prevention.report_submitted",
        "prevention.report_complete",
        "prevention.report_forwarded",
        "prevention.report_decided",
        "prevention.report_handed_over",
    ]


def test_a_gift_left_to_the_recipient_is_closed_without_handover(world: Any, upg: Any) -> None:
    report = filed(world)
    act(report=report, step="complete", by=upg, today=FILED)
    act(
        report=report,
        step="forward",
        by=upg,
        today=FILED,
        values={"gol_reference": "GOL-1", "forwarded_on": FILED},
    )
    act(
        report=report,
        step="decide",
        by=upg,
        today=FILED,
        values={"decision": "recipient", "decree_number": "9/KPK", "decree_date": FILED},
    )
    assert deadline(report) is None
    with pytest.raises(ValidationError):
        act(report=report, step="hand_over", by=upg, values={"handover_receipt": "X"}, today=FILED)
    act(report=report, step="close", by=upg, today=FILED)
    report.refresh_from_db()
    assert report.status == "closed"


def test_steps_need_their_fields_and_plausible_dates(world: Any, upg: Any) -> None:
    report = filed(world)
    act(report=report, step="complete", by=upg, today=FILED)
    with pytest.raises(ValidationError) as caught:
        act(report=report, step="forward", by=upg, today=FILED, values={"gol_reference": ""})
    assert set(caught.value.message_dict) == {"gol_reference", "forwarded_on"}
    with pytest.raises(ValidationError) as caught:
        act(
            report=report,
            step="forward",
            by=upg,
            today=FILED,
            values={"gol_reference": "G", "forwarded_on": dt.date(2026, 2, 6)},
        )
    assert "forwarded_on" in caught.value.message_dict
    report.refresh_from_db()
    assert report.status == "complete"


def test_a_step_from_the_wrong_state_is_refused(world: Any, upg: Any) -> None:
    report = filed(world)
    with pytest.raises(ValidationError):
        act(
            report=report,
            step="forward",
            by=upg,
            values={"gol_reference": "G", "forwarded_on": FILED},
            today=FILED,
        )


def test_returning_needs_a_reason_and_the_reporter_completes_it(world: Any, upg: Any) -> None:
    report = filed(world)
    with pytest.raises(ValidationError):
        act(report=report, step="return", by=upg, today=FILED)
    act(report=report, step="return", by=upg, reason="Lampirkan foto", today=FILED)
    act(report=report, step="resubmit", by=world.officer_a, today=dt.date(2026, 2, 9))
    report.refresh_from_db()
    assert report.status == "submitted" and report.step_started_on == dt.date(2026, 2, 9)


def test_the_reporter_cannot_process_their_own_report_even_as_upg(world: Any, upg: Any) -> None:
    report = submit(values=report_values(), reporter=upg, by=upg, today=FILED)
    with pytest.raises(ValidationError):
        act(report=report, step="complete", by=upg, today=FILED)
    with pytest.raises(ValidationError):
        act(report=filed(world), step="complete", by=world.inspector, today=FILED)


def test_the_check_and_forward_deadline_skips_collective_leave_and_holidays(world: Any) -> None:
    # Filed Thursday 5 February; 10 working days, skipping 16 (collective leave) and 17 February
    # (Lunar New Year): Monday 23 February; counting collective leave as a working day: Friday 20.
    report = filed(world)
    assert deadline(report) == dt.date(2026, 2, 23)
    collective_leave_is_day_off(False)
    assert deadline(report) == dt.date(2026, 2, 20)


def test_an_incomplete_report_lapses_after_twenty_working_days_under_perkom_1_2026(
    world: Any, upg: Any
) -> None:
    # Returned Monday 9 February 2026: 20 working days skipping 16 and 17 February end on
    # Wednesday 11 March.
    report = filed(world)
    act(report=report, step="return", by=upg, reason="Lengkapi", today=dt.date(2026, 2, 9))
    report.refresh_from_db()
    assert deadline(report) == dt.date(2026, 3, 11)
    with pytest.raises(ValidationError):
        act(report=report, step="lapse", by=upg, today=dt.date(2026, 3, 11))
    assert run_daily(today=dt.date(2026, 3, 11)).lapsed == []
    assert run_daily(today=dt.date(2026, 3, 12)).lapsed == [report.tracking_number]
    report.refresh_from_db()
    assert report.status == "lapsed"
    assert Event.objects.filter(action="prevention.report_lapsed").count() == 1


def test_under_perkom_2_2019_the_window_to_complete_is_thirty_working_days(
    world: Any, upg: Any
) -> None:
    # Received 19 January 2026 (the last day of Perkom 2/2019), returned Monday 9 February: the
    # twentieth working day is 11 March as above; ten more, skipping Nyepi (18 leave, 19) and
    # Idul Fitri (20, 23 and 24 collective leave), end on Wednesday 1 April.
    report = filed(world, received_on=dt.date(2026, 1, 19))
    act(report=report, step="return", by=upg, reason="Lengkapi", today=dt.date(2026, 2, 9))
    report.refresh_from_db()
    assert report.rule_set.regulation == "Perkom 2/2019"
    assert deadline(report) == dt.date(2026, 4, 1)


def test_overdue_steps_are_escalated_to_the_upg_head_once(
    world: Any, upg: Any, upg_head: Any
) -> None:
    report = filed(world)
    assert not is_overdue(report, dt.date(2026, 2, 23))
    assert is_overdue(report, dt.date(2026, 2, 24))
    run = run_daily(today=dt.date(2026, 2, 24))
    assert run.escalated == [report.tracking_number] and run.notifications == 1
    notice = Notification.objects.get(user=upg_head)
    assert report.tracking_number in notice.title and notice.url.endswith(f"/{report.pk}/")
    assert not Notification.objects.filter(user=upg).exists()
    assert run_daily(today=dt.date(2026, 2, 25)).notifications == 0
    assert Event.objects.filter(action="prevention.reports_escalated").count() == 1


def test_a_head_who_left_the_role_is_not_told(world: Any, upg_head: Any) -> None:
    RoleAssignment.objects.filter(user=upg_head, role=Role.UPG_HEAD).delete()
    filed(world)
    assert run_daily(today=dt.date(2026, 2, 24)).notifications == 0


def test_the_daily_command_lapses_and_escalates_under_its_own_name(
    world: Any, upg: Any, upg_head: Any
) -> None:
    import io

    from django.core.management import call_command

    report = filed(world)
    act(report=report, step="return", by=upg, reason="Lengkapi", today=dt.date(2026, 2, 9))
    out = io.StringIO()
    call_command("gratification_reminders", "--date", "2026-03-12", stdout=out)
    assert "1 lapsed" in out.getvalue()
    report.refresh_from_db()
    assert report.status == "lapsed"
    event = Event.objects.get(action="prevention.report_lapsed")
    assert event.actor_id is None and event.actor_label == "gratification_reminders"
