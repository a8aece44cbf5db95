"""The prevention registers as other apps read them (``core.extensions`` data registers): the
LHKPN compliance and the gratification register, each with its figure for an assessment's year
and read only by those who read the register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation

from integritas.core import extensions
from integritas.core.testing import World
from integritas.prevention.models import GratificationReport, LhkpnObligation
from integritas.prevention.services import register_figures
from integritas.prevention.tests.conftest import file_reports
from integritas.prevention.tests.lhkpn_data import register_2025


def test_the_lhkpn_figure_of_an_assessment_year_is_the_previous_years_periodic_reports(
    world: World,
) -> None:
    assert register_figures.lhkpn_figure(2026) is None  # nobody listed for 2025 yet
    made = register_2025(world.dinkes, world.disdik)
    statuses = [0, 1, 3, 4, 7, None, 2, 5, 6, 3]  # filed 8 of 10, complete 3 of 10
    for obligation, status in zip(made, statuses, strict=True):
        LhkpnObligation.objects.filter(pk=obligation.pk).update(status=status)
    with translation.override("en"):
        text = register_figures.lhkpn_figure(2026)
    assert text == (
        "Periodic LHKPN 2025 (due 31 March 2026): complete rate 30.00% (3 of 10 obliged), "
        "filing rate 80.00% (8 of 10)."
    )
    with translation.override("id"):
        text = register_figures.lhkpn_figure(2026)
    assert text is not None and "30,00%" in text and "31 Maret 2026" in text
    assert register_figures.lhkpn_figure(2027) is None  # nobody listed for 2026


def test_the_gratification_figure_counts_the_years_reports_and_those_forwarded_in_time(
    world: World, upg: Any
) -> None:
    assert register_figures.gratification_figure(2026) is None
    reports = file_reports(upg, 4)  # received 2 February 2026, reported 5 February
    file_reports(upg, 1, reported_on=dt.date(2026, 4, 30))  # after the 30 working days: late
    on_time, late = dt.date(2026, 2, 10), dt.date(2026, 5, 29)
    GratificationReport.objects.filter(pk__in=[reports[0].pk, reports[1].pk]).update(
        status="forwarded", forwarded_on=on_time, gol_reference="GOL-1"
    )
    GratificationReport.objects.filter(pk=reports[2].pk).update(
        status="forwarded", forwarded_on=late, gol_reference="GOL-2"
    )
    with translation.override("en"):
        text = register_figures.gratification_figure(2026)
    assert text == (
        "Gratification reports 2026: 5 reported to the UPG (1 late: possibly state property), "
        "3 forwarded to KPK, 2 of them within the deadline."
    )
    assert register_figures.gratification_figure(2025) is None


def test_only_the_registers_readers_get_their_figures_and_links(world: World, upg: Any) -> None:
    register_2025(world.dinkes, world.disdik)
    file_reports(upg, 1)
    for key in ("lhkpn-compliance", "gratification-register"):
        reading = extensions.read_data_register(world.inspector, key, 2026)
        assert reading is not None and reading.readable and reading.url and reading.figure
        reading = extensions.read_data_register(world.officer_a, key, 2026)
        assert reading is not None and not reading.readable
        assert (reading.url, reading.figure) == ("", None)
    upg_reading = extensions.read_data_register(upg, "gratification-register", 2026)
    assert upg_reading is not None and upg_reading.readable
