"""Published survey results on the portal: a page per published wave with the government's
result and each unit's, suppression kept exactly as on the staff dashboards (a withheld cell
shows "< k" or "≥ k", never a score or its count), and nothing of an unpublished wave."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from integritas.core.testing import World
from integritas.indices.models import IndexResult
from integritas.indices.tests.test_dashboards_withheld_counts import (
    HIDDEN_COUNTS,
    leaks,
    withheld_wave,
)
from integritas.lib.formatting import format_number
from integritas.portal.services import publishing
from integritas.portal.tests.test_public_pages import API_ROOTS, _numbers, _walk_api

pytestmark = pytest.mark.django_db


def _score(node: str, dimension: str = "ALL") -> str:
    cell = IndexResult.objects.get(node=node, dimension=dimension, respondent_type="all")
    assert cell.score is not None
    return format_number(cell.score, 2, "id")


def test_an_anonymous_visitor_sees_a_published_waves_results(world: World) -> None:
    wave = withheld_wave(world)
    publishing.publish(obj=wave, by=world.inspector)
    client = Client()
    url = reverse("portal-wave", args=[wave.code])
    page = client.get(url).content.decode()
    assert wave.title in page
    assert _score("ALL") in page  # the government's result
    assert _score("DISDIK") in page and world.disdik.name in page  # a unit's result
    assert _score("ALL", "U1") in page  # an element of the questionnaire
    level2 = client.get(url, {"level": "2"}).content.decode()
    assert _score("DINKES.PKM") in level2
    for listing in (reverse("portal-home"), reverse("portal-waves")):
        assert url in client.get(listing).content.decode()
    unit_page = client.get(reverse("portal-unit", args=["DINKES.PKM"])).content.decode()
    assert url in unit_page and _score("DINKES.PKM") in unit_page


def test_a_suppressed_cell_shows_neither_its_score_nor_its_exact_count(world: World) -> None:
    wave = withheld_wave(world)
    publishing.publish(obj=wave, by=world.inspector)
    client = Client()
    url = reverse("portal-wave", args=[wave.code])
    top = client.get(url).content.decode()
    assert leaks(top) == []
    assert "&lt; 40" in top  # DISHUB
    assert "≥ 40" in top  # DINKES, hidden to protect DINKES.LAB
    assert leaks(client.get(url, {"level": "2"}).content.decode()) == []
    for code in ("DINKES", "DINKES.LAB", "DISHUB"):
        assert leaks(client.get(reverse("portal-unit", args=[code])).content.decode()) == []


def test_the_api_walk_finds_no_withheld_count(world: World) -> None:
    wave = withheld_wave(world)
    publishing.publish(obj=wave, by=world.inspector)
    start = [*API_ROOTS, f"/api/v1/waves/{wave.code}/units?level=2"]
    start += [f"/api/v1/units/{code}" for code in ("DINKES", "DINKES.LAB", "DISHUB")]
    answers = _walk_api(Client(), start)
    assert f"/api/v1/waves/{wave.code}" in answers
    hidden = {float(n) for n in HIDDEN_COUNTS}
    withheld = []
    for url, body in answers.items():
        if url != "/api/v1/docs":
            assert hidden.isdisjoint(_numbers(json.loads(body))), url
            if not url.endswith("openapi.json"):
                withheld += [c for c in _cells(json.loads(body)) if c["suppressed"]]
    assert withheld
    for cell in withheld:
        assert cell["score"] is None and cell["respondents"] is None
        assert cell["respondents_withheld"] in ("< 40", "≥ 40")


def _cells(value: object) -> list[dict]:
    """Every survey result in a JSON answer."""
    if isinstance(value, dict):
        found = [value] if "suppressed" in value else []
        return found + [c for v in value.values() for c in _cells(v)]
    if isinstance(value, list):
        return [c for v in value for c in _cells(v)]
    return []


def test_unknown_or_unpublished_wave_codes_get_the_portal_404(world: World) -> None:
    wave = withheld_wave(world)
    client = Client()
    url = reverse("portal-wave", args=[wave.code])
    for address in (url, reverse("portal-wave", args=["tidak-ada"])):
        response = client.get(address)
        assert response.status_code == 404, address
        assert 'class="respond portal"' in response.content.decode()
    publishing.publish(obj=wave, by=world.inspector)
    assert client.get(url).status_code == 200
    publishing.unpublish(obj=wave, by=world.inspector, reason="Ditinjau ulang")
    assert client.get(url).status_code == 404
    for listing in (reverse("portal-home"), reverse("portal-waves")):
        page = client.get(listing).content.decode()
        assert url not in page and wave.title not in page
