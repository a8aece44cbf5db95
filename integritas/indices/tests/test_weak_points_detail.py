"""One weak point: the unit against the government with intervals, its weak questions, and the
decision forms for the Inspectorate only."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from integritas.core.testing import World, client_for
from integritas.indices.models import WeakPoint
from integritas.indices.tests.test_weak_points_detect import world_wave

SVG = "{http://www.w3.org/2000/svg}"


def url(weak_point: WeakPoint) -> str:
    return f"/indices/weak-points/{weak_point.public_id}/"


def dimension_weak_point(w: World) -> WeakPoint:
    wave = world_wave(w)
    return WeakPoint.objects.get(wave=wave, unit=w.dinkes, dimension="D1", question=None)


def test_it_compares_the_unit_with_the_government_in_a_chart_and_a_table(world: World) -> None:
    weak_point = dimension_weak_point(world)
    response = client_for(world.leader).get(url(weak_point))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "<table" in page
    # Indonesian number format: DINKES D1 56.25 against the government's 78.125.
    assert "56,25" in page and "78,13" in page
    chart = ET.fromstring(response.context["chart"])  # noqa: S314 - our own markup
    bars = chart.findall(f"{SVG}rect")
    assert len(bars) == 2  # the unit, then the government
    assert float(bars[0].get("width", "")) < float(bars[1].get("width", ""))
    whiskers = chart.findall(f"{SVG}g[@class='interval']")
    assert len(whiskers) == 2 and all(len(w.findall(f"{SVG}line")) == 3 for w in whiskers)
    threshold = chart.find(f"{SVG}g[@class='reference']")
    assert threshold is not None and threshold.find(f"{SVG}line") is not None
    assert weak_point.threshold == 70
    assert threshold.findtext(f"{SVG}text", "").endswith(" 70,00")
    # How to read it, in the chart's caption.
    assert "garis putus-putus adalah ambang" in page.split("<figcaption")[1]


def test_a_dimension_lists_its_weak_questions(world: World) -> None:
    weak_point = dimension_weak_point(world)
    response = client_for(world.inspector).get(url(weak_point))
    questions = [q.question.code for q, _text in response.context["questions"]]
    assert questions == ["Q1", "Q2"]  # 32.5 then 12.5 points below
    q1 = WeakPoint.objects.get(unit=world.dinkes, question__code="Q1")
    response = client_for(world.inspector).get(url(q1))
    assert response.context["parent"] == weak_point
    assert [q.question.code for q, _text in response.context["questions"]] == ["Q2"]


def test_only_the_inspectorate_gets_the_decision_forms(world: World) -> None:
    weak_point = dimension_weak_point(world)
    request_url = f"/indices/weak-points/{weak_point.public_id}/request/"
    for persona in (world.inspector, world.inspector_general):
        response = client_for(persona).get(url(weak_point))
        assert response.context["can_act"]
        assert request_url in response.content.decode()
    for persona in (world.officer_a, world.head_a, world.leader, world.admin):
        response = client_for(persona).get(url(weak_point))
        assert response.status_code == 200
        assert not response.context["can_act"]
        assert request_url not in response.content.decode()


def test_a_decided_weak_point_offers_no_more_decisions(world: World) -> None:
    weak_point = dimension_weak_point(world)
    WeakPoint.objects.filter(pk=weak_point.pk).update(status=WeakPoint.Status.DISMISSED)
    response = client_for(world.inspector).get(url(weak_point))
    assert not response.context["can_act"]


def test_unit_staff_of_another_unit_cannot_open_it(world: World) -> None:
    weak_point = dimension_weak_point(world)
    assert client_for(world.officer_a).get(url(weak_point)).status_code == 200
    assert client_for(world.officer_b).get(url(weak_point)).status_code == 404
    assert client_for(world.nobody).get(url(weak_point)).status_code == 404
