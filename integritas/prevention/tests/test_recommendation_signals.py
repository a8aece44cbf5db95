"""Closing the loop: a unit whose employees reported gifts late more than once in twelve months
is signalled to the Inspectorate, which makes a follow-up recommendation of it (source:
prevention register) from a prefilled form; a signal taken up is listed no more. Confidential
reports are not counted: a signal names a unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from integritas.core import extensions
from integritas.core.testing import client_for
from integritas.followup.models import Recommendation
from integritas.prevention.services.signals import late_gratification_signals
from integritas.prevention.tests.conftest import file_reports, travel

TODAY = dt.date(2026, 3, 2)
LATE = {"received_on": dt.date(2026, 1, 5), "reported_on": dt.date(2026, 3, 2)}
LIST = "/followup/"
NEW = "/followup/recommendations/new/"


def test_two_late_reports_in_a_unit_make_a_signal_and_one_does_not(world: Any, upg: Any) -> None:
    with travel(TODAY):
        file_reports(upg, 2, reporter_unit=world.dinkes, **LATE)
        file_reports(upg, 1, reporter_unit=world.disdik, **LATE)
        file_reports(upg, 3, reporter_unit=world.disdik)  # on time
        file_reports(upg, 2, reporter_unit=world.disdik, confidential=True, **LATE)
        signals = late_gratification_signals(world.inspector)
        assert [s.key for s in signals] == [f"gratification-late-{world.dinkes.code}-2026"]
        assert signals[0].source == "prevention" and signals[0].unit_id == world.dinkes.pk
        assert late_gratification_signals(world.officer_a) == []
        # Registered once with core, as any other register's signals would be.
        assert extensions.recommendation_signal(world.inspector, signals[0].key) == signals[0]


def test_the_inspectorate_makes_a_recommendation_from_the_signal(world: Any, upg: Any) -> None:
    key = f"gratification-late-{world.dinkes.code}-2026"
    with travel(TODAY):
        reports = file_reports(upg, 2, reporter_unit=world.dinkes, **LATE)
        client = client_for(world.inspector)
        listing = client.get(LIST).content.decode()
        assert f"?signal={key}" in listing
        page = client.get(NEW, {"signal": key})
        assert page.status_code == 200
        form = page.context["form"]
        assert form.initial["source"] == "prevention"
        assert form.initial["units"] == [world.dinkes]
        assert reports[0].tracking_number in form.initial["description"]
        assert "Dari register pencegahan:" in page.content.decode()
        response = client.post(
            NEW,
            {
                "signal": key,
                "source": "other",  # the signal decides the source
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


def test_an_unknown_signal_is_not_found_and_staff_cannot_create(world: Any, upg: Any) -> None:
    with travel(TODAY):
        file_reports(upg, 2, reporter_unit=world.dinkes, **LATE)
        assert client_for(world.inspector).get(NEW, {"signal": "nope"}).status_code == 404
        key = f"gratification-late-{world.dinkes.code}-2026"
        assert client_for(world.officer_a).get(NEW, {"signal": key}).status_code == 403
