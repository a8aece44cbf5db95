"""Closing the loop for LHKPN: a unit whose complete rate for the last closed year (the periodic
report due on 31 March has passed) is below the configured percentage, with at least the
configured number of officials obliged, is signalled to the Inspectorate, which makes a follow-up
recommendation of it (source: prevention register) from a prefilled form; a signal taken up is
listed no more."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings

from integritas.core import extensions
from integritas.core.testing import client_for
from integritas.followup.models import Recommendation
from integritas.prevention.services.lhkpn_signals import closed_year, low_compliance_signals
from integritas.prevention.services.lhkpn_status import import_statuses
from integritas.prevention.tests.conftest import travel
from integritas.prevention.tests.lhkpn_data import CRAFTED, csv_file, register_2025

AFTER_DUE = dt.date(2026, 4, 15)  # 2025's periodic reports were due on 31 March 2026
LIST = "/followup/"
NEW = "/followup/recommendations/new/"


@pytest.fixture
def imported(world: Any) -> None:
    """Dinkes: 2 of 6 complete (33.33%); Disdik: 1 of 4 complete (25%), too few obliged."""
    register_2025(world.dinkes, world.disdik)
    with travel(dt.date(2026, 3, 1)):
        import_statuses(data=csv_file(CRAFTED), filename="s.csv", year=2025, by=world.inspector)


def test_the_last_closed_year_is_the_one_whose_due_date_has_passed() -> None:
    assert closed_year(dt.date(2026, 3, 31)) == 2024
    assert closed_year(dt.date(2026, 4, 1)) == 2025
    assert closed_year(dt.date(2026, 12, 31)) == 2025


def test_a_unit_below_the_rate_with_enough_officials_makes_a_signal(
    world: Any, imported: None
) -> None:
    with travel(dt.date(2026, 3, 20)):  # 2025 not closed yet: 2024 has no obligations
        assert low_compliance_signals(world.inspector) == []
    with travel(AFTER_DUE):
        signals = low_compliance_signals(world.inspector)
        assert [s.key for s in signals] == [f"lhkpn-low-{world.dinkes.code}-2025"]
        assert signals[0].source == "prevention" and signals[0].unit_id == world.dinkes.pk
        assert "33,33" in signals[0].description or "33.33" in signals[0].description
        assert low_compliance_signals(world.officer_a) == []
        assert extensions.recommendation_signal(world.inspector, signals[0].key) == signals[0]
        low = {"complete_rate_below": 30, "min_obliged": 4}
        with override_settings(LHKPN_LOW_COMPLIANCE_SIGNAL=low):
            keys = [s.key for s in low_compliance_signals(world.inspector)]
            assert keys == [f"lhkpn-low-{world.disdik.code}-2025"]


def test_the_inspectorate_makes_a_recommendation_from_the_lhkpn_signal(
    world: Any, imported: None
) -> None:
    key = f"lhkpn-low-{world.dinkes.code}-2025"
    with travel(AFTER_DUE):
        client = client_for(world.inspector)
        assert f"?signal={key}" in client.get(LIST).content.decode()
        page = client.get(NEW, {"signal": key})
        assert page.status_code == 200
        form = page.context["form"]
        assert form.initial["source"] == "prevention"
        assert form.initial["units"] == [world.dinkes]
        assert "LHKPN" in form.initial["title"]
        response = client.post(
            NEW,
            {
                "signal": key,
                "source": "other",
                "title": form.initial["title"],
                "description": form.initial["description"],
                "reference_number": "",
                "year": "2026",
                "priority": "medium",
                "amount_to_recover": "0",
                "units": [world.dinkes.pk],
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        made = Recommendation.objects.get()
        assert made.source == Recommendation.Source.PREVENTION
        assert made.get_source_display() == "Register pencegahan"
        assert made.reference_number == key
        assert f"?signal={key}" not in client.get(LIST).content.decode()
        assert client.get(NEW, {"signal": key}).status_code == 404
