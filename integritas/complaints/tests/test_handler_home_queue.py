"""The complaints desk's work queue on the home page (new, overdue, due soon, assigned to me),
each count equal to the report list it links to, and leadership's government-wide counts; a
person conflict-of-interest routing keeps away from a report never counts it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from integritas.complaints.services.handler import assign, change_status
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import submit
from integritas.core.testing import assert_counts_match_lists, client_for

pytestmark = pytest.mark.django_db
D = dt.date
FRIDAY = dt.datetime(2026, 6, 12, 9, tzinfo=dt.UTC)


def complaints_panel(user: Any) -> dict[str, Any] | None:
    page = client_for(user).get(reverse("core-home"))
    found = [
        p
        for p in page.context["extra_panels"]
        if p["template"] == "complaints/handler/home_panel.html"
    ]
    return found[0] if found else None


def test_the_desks_queue_counts_equal_the_lists_they_link_to(desk: Desk) -> None:
    late, _receipt = submit(desk.world.disdik, today=D(2026, 6, 8))
    fresh, _receipt = submit(desk.world.disdik, today=D(2026, 6, 10))
    change_status(
        report=late, name="screen", by=desk.handler, private_key=desk.private_key(desk.handler)
    )
    assign(report=late, to=desk.handler, by=desk.handler)
    with time_machine.travel(FRIDAY, tick=False):
        counts = assert_counts_match_lists(desk.handler)
    assert counts == {
        "new reports to screen": 1,
        "reports overdue": 1,  # the decision on the 8th's report was due on the 11th
        "reports due within 2 working days": 1,  # the 10th's, due on the 15th
        "open reports assigned to me": 1,
    }


def test_an_empty_queue_says_so_in_words(desk: Desk) -> None:
    page = client_for(desk.handler, language="en").get(reverse("core-home")).content.decode()
    assert "No new report." in page
    assert "No open report is assigned to you." in page


def test_a_handler_kept_away_from_a_report_does_not_count_it(desk: Desk) -> None:
    submit(desk.inspectorate, today=D(2026, 6, 8))  # about the Inspectorate: the alternate's
    submit(desk.world.dinkes, today=D(2026, 6, 8))  # the DINKES handler is kept away
    with time_machine.travel(FRIDAY, tick=False):
        assert assert_counts_match_lists(desk.handler)["new reports to screen"] == 1
        assert assert_counts_match_lists(desk.handler_in_dinkes)["new reports to screen"] == 0
        assert assert_counts_match_lists(desk.alternate)["new reports to screen"] == 1
        assert assert_counts_match_lists(desk.alternate)["reports overdue"] == 1


def test_leadership_reads_counts_without_the_reports_kept_from_it(desk: Desk) -> None:
    submit(desk.world.disdik, today=D(2026, 6, 8))
    submit(desk.world.disdik, today=D(2026, 6, 8), about_leadership=True)
    submit(desk.inspectorate, today=D(2026, 6, 8))
    with time_machine.travel(FRIDAY, tick=False):
        panel = complaints_panel(desk.world.leader)
        page = client_for(desk.world.leader, language="en").get(reverse("core-home"))
    assert panel is not None
    assert panel["leadership"] == {
        "year": 2026,
        "received": 1,
        "open": 1,
        "overdue": 1,
        "finished": 0,
    }
    assert "desk" not in panel
    assert reverse("complaints-report-list") not in page.content.decode()
    assert complaints_panel(desk.world.head_a) is None
