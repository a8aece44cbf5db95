"""Filing a gratification report: what is refused (nothing stored), the rule set of the date of
receipt, the late flag after the window to report to KPK, the tracking number and the trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.prevention.models import GratificationReport
from integritas.prevention.services.reports import submit
from integritas.prevention.tests.conftest import collective_leave_is_day_off, report_values

TODAY = dt.date(2026, 3, 2)


def file(world: Any, **values: Any) -> GratificationReport:
    return submit(
        values=report_values(**values), reporter=world.officer_a, by=world.officer_a, today=TODAY
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"received_on": dt.date(2026, 3, 3), "reported_on": dt.date(2026, 3, 2)}, "received_on"),
        ({"reported_on": dt.date(2026, 2, 1)}, "reported_on"),
        ({"reported_on": dt.date(2026, 3, 3)}, "reported_on"),
        ({"value": -1}, "value"),
        ({"value": 10**16}, "value"),
        ({"object_kind": "jewel"}, "object_kind"),
        ({"event": "party"}, "event"),
        ({"relation": "friend"}, "relation"),
        ({"kind": "maybe"}, "kind"),
        ({"giver": "  "}, "giver"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_its_field_and_nothing_is_stored(
    world: Any, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        file(world, **values)
    assert field in caught.value.message_dict
    assert caught.value.message_dict[field][0]
    assert not GratificationReport.objects.exists()
    assert not Event.objects.filter(action="prevention.report_submitted").exists()


def test_a_report_gets_a_tracking_number_per_year_of_report(world: Any) -> None:
    first, second = file(world), file(world)
    assert (first.tracking_number, second.tracking_number) == ("GRT-2026-00001", "GRT-2026-00002")
    assert first.status == "submitted" and first.step_started_on == dt.date(2026, 2, 5)


def test_the_rule_set_is_the_one_in_force_on_the_date_of_receipt_not_of_the_report(
    world: Any,
) -> None:
    old = file(world, received_on=dt.date(2026, 1, 19), reported_on=dt.date(2026, 1, 21))
    new = file(world, received_on=dt.date(2026, 1, 20), reported_on=dt.date(2026, 1, 21))
    assert old.rule_set.regulation == "Perkom 2/2019"
    assert new.rule_set.regulation == "Perkom 1/2026"


def test_a_report_after_thirty_working_days_from_receipt_is_flagged_late(world: Any) -> None:
    # Received Monday 5 January 2026 (Perkom 2/2019: 30 working days to KPK). Skipped: 16 January
    # (Isra Mi'raj), 16 February (collective leave) and 17 February (Lunar New Year): the 30th
    # working day is Thursday 19 February.
    on_time = file(world, received_on=dt.date(2026, 1, 5), reported_on=dt.date(2026, 2, 19))
    late = file(world, received_on=dt.date(2026, 1, 5), reported_on=dt.date(2026, 2, 20))
    assert (on_time.late, late.late) == (False, True)


def test_without_collective_leave_as_day_off_the_window_ends_a_day_earlier(world: Any) -> None:
    collective_leave_is_day_off(False)
    late = file(world, received_on=dt.date(2026, 1, 5), reported_on=dt.date(2026, 2, 19))
    assert late.late is True


def test_the_trail_of_a_filing_names_neither_the_reporter_nor_the_giver(world: Any) -> None:
    report = file(world, confidential=True)
    event = Event.objects.get(action="prevention.report_submitted")
    assert event.object_id == str(report.pk) and event.object_label == report.tracking_number
    text = str(event.changes)
    assert "Officer A" not in text and "PT Maju Jaya" not in text
