"""Closing the loop from the MCSP desk: a weak area or a requirement KPK rejected becomes a draft
follow-up recommendation (source MCP) in one step, and the requirement's page shows what the
verified action plans produced. The same service serves an LKE's failing condition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from integritas.assessments.models import (
    Assessment,
    Document,
    Framework,
    Node,
    RaisedRecommendation,
    ScoreAuditAction,
)
from integritas.assessments.services import desk, recommendations
from integritas.assessments.tests.desk_fixtures import open_desk, pdf
from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.followup.models import Evidence, Recommendation
from integritas.followup.services.recommendations import recommendation_issue
from integritas.followup.testing import verified_plan


def _area(assessment: Assessment, code: str) -> Node:
    return Node.objects.get(framework=assessment.framework, code=code)


def _rejected(assessment: Assessment, world: World) -> Document:
    document = desk.upload(
        assessment=assessment,
        node=_area(assessment, "PBJ.1"),
        unit=world.dinkes,
        file=pdf(),
        name="rup.pdf",
        valid_from=dt.date(2026, 1, 1),
        title="RUP 2026",
        by=world.officer_a,
    ).document
    desk.review(document=document, action="ready", by=world.inspector)
    desk.record_kpk_upload(document=document, on=dt.date(2026, 11, 1), by=world.inspector)
    desk.record_verdict(
        document=document, accepted=False, note="Belum diumumkan di SiRUP", by=world.inspector
    )
    document.refresh_from_db()
    return document


def test_a_weak_area_becomes_a_draft_mcp_recommendation_to_the_units_that_owe_documents(
    world: World,
) -> None:
    assessment = open_desk()
    rec = recommendations.raise_for_area(
        assessment=assessment, area=_area(assessment, "PRC"), by=world.inspector
    )
    assert (rec.source, rec.status, rec.year) == (
        Recommendation.Source.MCP,
        Recommendation.Status.DRAFT,
        2026,
    )
    assert sorted(rec.units.values_list("code", flat=True)) == ["DINKES", "DISDIK"]
    assert "PRC.1" in rec.finding and "PRC.2" in rec.finding and "Perencanaan" in rec.title
    origin = RaisedRecommendation.objects.get(recommendation=rec)
    assert (origin.assessment, origin.node.code) == (assessment, "PRC")
    assert Event.objects.filter(action=ScoreAuditAction.RECOMMENDATION_RAISED).count() == 1
    with pytest.raises(ValidationError, match=rec.code):
        recommendations.raise_for_area(
            assessment=assessment, area=_area(assessment, "PRC"), by=world.inspector
        )


def test_an_area_in_the_top_band_is_not_weak(world: World) -> None:
    assessment = open_desk()
    document = desk.upload(
        assessment=assessment,
        node=_area(assessment, "PBJ.1"),
        unit=world.dinkes,
        file=pdf(),
        name="rup.pdf",
        valid_from=dt.date(2026, 1, 1),
        title="RUP",
        by=world.officer_a,
    ).document
    desk.review(document=document, action="ready", by=world.inspector)
    assert [row["node"].code for row in recommendations.weak_areas(assessment)] == ["PRC"]
    with pytest.raises(ValidationError, match="weak area"):
        recommendations.raise_for_area(
            assessment=assessment, area=_area(assessment, "PBJ"), by=world.inspector
        )


def test_a_requirement_kpk_rejected_becomes_a_recommendation_with_kpks_note(
    world: World,
) -> None:
    assessment = open_desk()
    document = _rejected(assessment, world)
    rec = recommendations.raise_for_document(document=document, by=world.inspector)
    assert list(rec.units.values_list("code", flat=True)) == ["DINKES"]
    assert "Belum diumumkan di SiRUP" in rec.finding and "PBJ.1" in rec.title
    assert RaisedRecommendation.objects.get(recommendation=rec).document == document


def test_only_a_rejected_document_and_only_the_inspectorate(world: World) -> None:
    assessment = open_desk()
    document = _rejected(assessment, world)
    with pytest.raises(PermissionDenied):
        recommendations.raise_for_document(document=document, by=world.officer_a)
    document.status = "accepted"
    with pytest.raises(ValidationError, match="rejected"):
        recommendations.raise_for_document(document=document, by=world.inspector)
    assert not Recommendation.objects.exists()


def test_the_pages_raise_in_one_step_and_show_the_link(world: World) -> None:
    assessment = open_desk()
    base = f"/penilaian/meja/{assessment.public_id}/"
    inspector = client_for(world.inspector, language="en")
    page = inspector.get(base).content.decode()
    assert f'action="{base}rekomendasi/PRC/"' in page
    response = inspector.post(base + "rekomendasi/PRC/")
    rec = Recommendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/followup/recommendations/{rec.code}/"
    page = inspector.get(base).content.decode()
    assert f"/followup/recommendations/{rec.code}/" in page
    assert client_for(world.officer_a).post(base + "rekomendasi/PBJ/").status_code == 403


def test_the_requirement_shows_the_documents_a_verified_action_plan_produced(
    world: World,
) -> None:
    assessment = open_desk()
    rec = recommendations.raise_for_area(
        assessment=assessment, area=_area(assessment, "PRC"), by=world.inspector
    )
    recommendation_issue(recommendation=rec, by=world.inspector)
    url = f"/penilaian/meja/{assessment.public_id}/syarat/PRC.1/"
    page = client_for(world.inspector, language="en").get(url).content.decode()
    assert rec.code in page and "No action plan of this recommendation has been verified" in page
    verified_plan(world, rec)
    evidence = Evidence.objects.get(activity__plan__recommendation=rec)
    page = client_for(world.inspector, language="en").get(url).content.decode()
    assert "Documents produced by the verified action plans" in page
    assert f"/followup/evidence/{evidence.public_id}/v1/" in page
    unit_page = client_for(world.officer_a, language="en").get(url).content.decode()
    assert rec.code not in unit_page


def test_an_lke_failing_condition_is_raised_through_the_same_service(
    world: World, framework: Framework
) -> None:
    rec = recommendations.raise_recommendation(
        framework=framework,
        condition="IPAK ≥ 3,60",
        title="Tingkatkan IPAK Dinas Kesehatan",
        finding="IPAK 3,50; kurang 0,10 dari syarat WBK.",
        units=[world.dinkes],
        by=world.inspector,
    )
    assert (rec.source, rec.year) == (Recommendation.Source.OTHER, 2026)
    assert RaisedRecommendation.objects.get(recommendation=rec).condition == "IPAK ≥ 3,60"
