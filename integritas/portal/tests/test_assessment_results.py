"""``/hasil-penilaian/``: the assessment results the Inspectorate published — an MCSP year's
verified scores with KPK's published score, the units' LKE results after review with their
eligibility — linked from the home, the unit pages and the sitemap; nothing unpublished, no
answers, notes or evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from integritas.assessments.services import publication, snapshots
from integritas.assessments.tests.desk_fixtures import open_desk
from integritas.assessments.tests.test_assessment_score_command import _accepted_procurement
from integritas.assessments.tests.test_result_publication import reviewed_lke
from integritas.core.testing import World

pytestmark = pytest.mark.django_db


def _page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_empty_page_says_nothing_is_published_and_the_home_links_to_it(world: World) -> None:
    page = _page(reverse("portal-assessments"))
    assert "Belum ada yang diterbitkan." in page
    assert reverse("portal-assessments") in _page(reverse("portal-home"))
    assert reverse("portal-assessments") not in _page(reverse("portal-sitemap"))


def test_published_results_appear_and_leave_when_unpublished(world: World) -> None:
    assessment = open_desk()
    _accepted_procurement(assessment, world)
    snapshots.record_kpk_score(
        assessment=assessment,
        score="47.5",
        on=dt.date(2026, 11, 3),
        source="JAGA",
        by=world.inspector,
    )
    lke = reviewed_lke(world)
    lke.answers.filter(node__code="MP.PM.1").update(note="Catatan rahasia unit")
    publication.publish(obj=assessment, by=world.inspector)
    publication.publish(obj=lke, by=world.inspector)
    page = _page(reverse("portal-assessments"))
    assert "MCSP 2026" in page and "50,00" in page and "47,50" in page and "JAGA" in page
    assert "Dinas Kesehatan" in page and "95,15" in page and "35,15" in page
    assert "3,52" in page  # the failing IPAK with its minimum
    assert "Catatan rahasia unit" not in page
    assert reverse("portal-assessments") in _page(reverse("portal-sitemap"))
    unit_page = _page(reverse("portal-unit", args=["DINKES"]))
    assert "95,15" in unit_page and reverse("portal-assessments") in unit_page
    assert "95,15" not in _page(reverse("portal-unit", args=["DISDIK"]))
    publication.unpublish(obj=lke, by=world.inspector, reason="Ditinjau ulang")
    publication.unpublish(obj=assessment, by=world.inspector, reason="Ditinjau ulang")
    page = _page(reverse("portal-assessments"))
    assert "95,15" not in page and "MCSP 2026" not in page
    assert "95,15" not in _page(reverse("portal-unit", args=["DINKES"]))
