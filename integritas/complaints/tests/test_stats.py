"""Report statistics: counts by channel, category, unit, status and month; medians; small numbers
suppressed (with the complementary rule, since totals are shown); the page and its exports."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from integritas.complaints.services import stats
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import FIELDS, submit
from integritas.core.testing import World, client_for

D = dt.date


def r(**values: Any) -> SimpleNamespace:
    base = {
        "channel": "whistleblowing",
        "category": "bribery",
        "unit": None,
        "status": "received",
        "received_on": D(2026, 3, 2),
        "first_response_on": None,
        "closed_on": None,
    }
    return SimpleNamespace(**{**base, **values})


def counts(figures: stats.Statistics, name: str) -> dict[str, int | None]:
    (breakdown,) = [b for b in figures.breakdowns if b.name == name]
    return {line.key: line.count for line in breakdown.lines}


def test_small_groups_and_their_complement_are_withheld() -> None:
    unit_a = SimpleNamespace(code="A", name="Unit A")
    unit_b = SimpleNamespace(code="B", name="Unit B")
    unit_c = SimpleNamespace(code="C", name="Unit C")
    reports = [r(unit=unit_a)] * 9 + [r(unit=unit_b)] * 6 + [r(unit=unit_c)] * 2
    figures = stats.compute(reports, k=5)
    # C (2) is small; the total is shown, so the smallest other group (B, 6) goes too.
    assert counts(figures, "unit") == {"A": 9, "B": None, "C": None}
    assert figures.total == 17


def test_groups_of_k_or_more_are_shown() -> None:
    reports = [r(channel="complaint")] * 5 + [r()] * 7
    assert counts(stats.compute(reports, k=5), "channel") == {"whistleblowing": 7, "complaint": 5}


def test_counts_by_status_category_and_month() -> None:
    reports = [r(status="closed", received_on=D(2026, 1, 5))] * 6 + [
        r(status="received", category="poor_service", received_on=D(2026, 2, 3))
    ] * 6
    figures = stats.compute(reports, k=5)
    assert counts(figures, "status") == {"received": 6, "closed": 6}
    assert counts(figures, "category") == {"bribery": 6, "poor_service": 6}
    assert counts(figures, "month") == {"2026-01": 6, "2026-02": 6}


def test_medians_need_k_reports() -> None:
    answered = [
        r(first_response_on=D(2026, 3, 2) + dt.timedelta(days=d), closed_on=D(2026, 4, 1))
        for d in (1, 2, 3, 4, 10)
    ]
    first, closure = stats.compute(answered, k=5).medians
    assert (first.days, first.n) == (3.0, 5)
    assert closure.days == 30.0
    first, _closure = stats.compute(answered[:4], k=5).medians
    assert first.days is None and first.n == 4


def test_the_default_k_is_five_and_a_setting_changes_it(settings: Any) -> None:
    assert stats.min_group() == 5
    settings.COMPLAINTS_STATS_MIN_GROUP = 10
    assert stats.min_group() == 10


def test_the_export_rows_leave_withheld_cells_empty() -> None:
    rows = stats.compute([r()] * 6 + [r(channel="complaint")], k=5).rows()
    assert ["Channel", "Public-service complaint", None] in rows
    assert ["Channel", "Total", 7] in rows


@pytest.mark.django_db
def test_the_inspectorate_reads_the_page_and_exports_it(desk: Desk) -> None:
    for _ in range(5):
        submit(desk.world.disdik)
    submit(desk.world.dinkes)
    desk.world.inspector_general.language = "en"
    desk.world.inspector_general.save(update_fields=["language"])
    client = client_for(desk.world.inspector_general)
    response = client.get(reverse("complaints-statistics"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "withheld" in page
    assert FIELDS["what"] not in page
    assert counts(response.context["figures"], "unit") == {"DINKES": None, "DISDIK": None}
    export = client.get(reverse("complaints-statistics"), {"export": "csv", "year": "2026"})
    assert export.status_code == 200
    assert "statistik-pengaduan-2026" in export["Content-Disposition"]
    assert client.get(reverse("complaints-statistics"), {"export": "xlsx"}).status_code == 200


@pytest.mark.django_db
def test_unit_staff_and_handlers_cannot_read_the_statistics(world: World) -> None:
    for user in (world.officer_a, world.head_a, world.handler, world.leader):
        assert client_for(user).get(reverse("complaints-statistics")).status_code == 403


def test_months_are_labelled_in_the_readers_language() -> None:
    reports = [r(received_on=D(2026, 10, 5))] * 5
    for language, label in (("id", "Oktober 2026"), ("en", "October 2026")):
        with translation.override(language):
            figures = stats.compute(reports, k=5)
        (month,) = [b for b in figures.breakdowns if b.name == "month"]
        assert [line.label for line in month.lines] == [label]
