"""A requirement whose evidence is one of the product's registers shows, on its desk page, the
register's figure for the assessment's year and a link to it, to those who read that register;
others see which register it is, without its figures or a link."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.utils import timezone

from integritas.assessments.models import Assessment
from integritas.assessments.services import desk, frameworks
from integritas.assessments.tests.desk_fixtures import mcsp_data
from integritas.core.testing import World, client_for
from integritas.prevention.models import LhkpnObligation
from integritas.prevention.tests.lhkpn_data import register_2025

REGISTERS = {"PRC.1": "lhkpn-compliance", "PBJ": "gratification-register"}


def desk_with_registers() -> Assessment:
    data = mcsp_data(2026)
    nodes = tuple(replace(n, register=REGISTERS.get(n.code, "")) for n in data.nodes)
    framework = frameworks.create_framework(data=replace(data, nodes=nodes), by=None)
    frameworks.activate(framework=framework, by=None)
    deadline = timezone.now() + dt.timedelta(days=10)
    return desk.open_assessment(framework=framework, upload_deadline=deadline, by=None)


def page(user: Any, assessment: Assessment, code: str) -> str:
    client = client_for(user, language="en")
    response = client.get(f"/penilaian/meja/{assessment.public_id}/syarat/{code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_reader_of_the_register_sees_its_figure_for_the_year_and_its_link(
    world: World,
) -> None:
    assessment = desk_with_registers()
    for obligation, status in zip(
        register_2025(world.dinkes, world.disdik), [3, 4, 1] + [None] * 7, strict=True
    ):
        LhkpnObligation.objects.filter(pk=obligation.pk).update(status=status)
    text = page(world.inspector, assessment, "PRC.1")
    assert "Data from the register" in text
    assert '<a href="/pencegahan/lhkpn/kepatuhan/">LHKPN compliance</a>' in text
    assert "complete rate 20.00% (2 of 10 obliged), filing rate 30.00% (3 of 10)" in text


def test_a_register_without_data_for_the_year_says_so(world: World) -> None:
    assessment = desk_with_registers()
    text = page(world.inspector, assessment, "PRC.1")
    assert "LHKPN compliance" in text and "No data for 2026 yet." in text


def test_a_requirement_shows_the_register_its_area_points_at(world: World) -> None:
    assessment = desk_with_registers()
    text = page(world.inspector, assessment, "PBJ.1")
    assert '<a href="/pencegahan/gratifikasi/">Gratification register</a>' in text
    assert "No data for 2026 yet." in text


def test_a_unit_officer_who_does_not_read_the_register_gets_no_figure_and_no_link(
    world: World,
) -> None:
    assessment = desk_with_registers()
    register_2025(world.dinkes, world.disdik)
    text = page(world.officer_a, assessment, "PRC.1")
    assert "Data from the register" in text and "LHKPN compliance" in text
    assert "/pencegahan/lhkpn/kepatuhan/" not in text
    assert "filing rate" not in text
    assert "Only the readers of this register see its figures." in text


def test_a_requirement_without_a_register_has_no_register_box(world: World) -> None:
    assessment = desk_with_registers()
    assert "Data from the register" not in page(world.inspector, assessment, "PRC.2")
