"""Publishing assessment results on the portal: the Inspectorate publishes an MCSP year's scores
or a reviewed LKE's result, and takes it down only with a reason; both audited; the public
figures carry scores, never answers or evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from integritas.assessments.models import LkeAssessment, ResultPublication
from integritas.assessments.services import lke as lke_service
from integritas.assessments.services import publication, snapshots
from integritas.assessments.tests.desk_fixtures import open_desk
from integritas.assessments.tests.lke_fixtures import answer_all, full_answers, start
from integritas.assessments.tests.test_assessment_score_command import _accepted_procurement
from integritas.audit.models import Event
from integritas.core.testing import World, client_for

pytestmark = pytest.mark.django_db

RESULTS = {"H.IPAK": "3.52", "H.IPKP": "3.60", "H.KIN": "80"}


def reviewed_lke(world: World, unit=None) -> LkeAssessment:  # type: ignore[no-untyped-def]
    """A WBK LKE reviewed by the TPI: 60 + 15.40 + 15.75 + 4.00 = 95.15, failing on IPAK."""
    lke = start(world, unit=unit)
    officer = world.officer_a if unit is None else world.officer_b
    answer_all(lke, officer, {**full_answers(lke.framework), **RESULTS})
    staff = world.head_a if unit is None else world.officer_b
    lke_service.step(lke=lke, action="submit", by=staff)
    for code in lke_service.answers_of(lke):
        lke_service.review_question(lke=lke, code=code, verdict="accepted", by=world.inspector)
    return lke_service.step(lke=lke, action="complete_review", by=world.inspector)


def test_the_inspectorate_publishes_and_unpublishes_with_a_reason_both_audited(
    world: World,
) -> None:
    assessment = open_desk()
    publication.publish(obj=assessment, by=world.inspector)
    assert publication.live(assessment) is not None
    with pytest.raises(ValidationError, match="already published"):
        publication.publish(obj=assessment, by=world.inspector)
    with pytest.raises(ValidationError):
        publication.unpublish(obj=assessment, by=world.inspector, reason="  ")
    publication.unpublish(obj=assessment, by=world.inspector, reason="Angka dikoreksi")
    assert publication.live(assessment) is None
    row = ResultPublication.objects.get()
    assert (row.unpublish_reason, row.unpublished_by) == ("Angka dikoreksi", world.inspector)
    actions = list(
        Event.objects.filter(action__startswith="assessments.result_")
        .order_by("pk")
        .values_list("action", "reason")
    )
    assert actions == [
        ("assessments.result_published", ""),
        ("assessments.result_unpublished", "Angka dikoreksi"),
    ]


def test_only_the_inspectorate_decides(world: World) -> None:
    assessment = open_desk()
    for user in (world.officer_a, world.leader, world.admin):
        with pytest.raises(PermissionDenied):
            publication.publish(obj=assessment, by=user)
    url = reverse("assessments-desk-portal", args=[assessment.public_id])
    assert client_for(world.leader).post(url, {"action": "publish"}).status_code == 403
    assert not ResultPublication.objects.exists()
    response = client_for(world.inspector).post(url, {"action": "publish"})
    assert response.status_code == 302 and publication.live(assessment) is not None
    desk_page = client_for(world.inspector).get(
        reverse("assessments-desk", args=[assessment.public_id])
    )
    assert reverse("portal-assessments") in desk_page.content.decode()
    response = client_for(world.inspector).post(url, {"action": "unpublish", "reason": ""})
    assert response.status_code == 302 and publication.live(assessment) is not None


def test_an_lke_is_published_once_the_tpi_has_reviewed_it(world: World) -> None:
    lke = start(world)
    with pytest.raises(ValidationError, match="TPI"):
        publication.publish(obj=lke, by=world.inspector)
    page = client_for(world.inspector, language="en").get(
        reverse("assessments-lke", args=[lke.public_id])
    )
    assert "An LKE is published once the TPI has completed its review." in page.content.decode()


def test_the_public_figures_of_an_mcsp_year(world: World) -> None:
    assessment = open_desk()
    _accepted_procurement(assessment, world)
    snapshots.record_kpk_score(
        assessment=assessment,
        score="47.5",
        on=dt.date(2026, 11, 3),
        source="JAGA",
        by=world.inspector,
    )
    figures = publication.mcsp_figures(assessment)
    assert (figures.year, figures.verified, figures.band) == (2026, D("50.00"), "blue")
    assert [(a.code, a.score) for a in figures.areas] == [("PRC", D("0")), ("PBJ", D("100"))]
    assert (figures.kpk_score, figures.kpk_on, figures.kpk_source) == (
        D("47.50"),
        dt.date(2026, 11, 3),
        "JAGA",
    )


def test_the_public_figures_of_an_lke_are_after_review(world: World) -> None:
    lke = reviewed_lke(world)
    figures = publication.lke_figures(lke)
    assert figures.total == D("95.15")
    assert [(c.code, c.points) for c in figures.components] == [("P", D("60")), ("H", D("35.15"))]
    assert not figures.eligible
    assert [(f.actual, f.gap) for f in figures.failures] == [(D("3.52"), D("0.08"))]
    assert publication.published_lkes() == []
    publication.publish(obj=lke, by=world.inspector)
    assert [f.unit_code for f in publication.published_lkes()] == ["DINKES"]
    assert publication.published_lkes("DISDIK") == []
