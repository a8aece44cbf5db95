"""``manage.py assessment_score``: an MCSP desk's projected and verified scores, per area and in
total with their bands, as JSON; eligibility against a framework's threshold sets."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from integritas.assessments.models import Framework, Node
from integritas.assessments.services import desk, score_report, scores
from integritas.assessments.tests.desk_fixtures import open_desk, pdf
from integritas.core.testing import World


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("assessment_score", *args, stdout=out)
    return out.getvalue()


def _accepted_procurement(assessment, world: World) -> None:
    version = desk.upload(
        assessment=assessment,
        node=Node.objects.get(framework=assessment.framework, code="PBJ.1"),
        unit=world.dinkes,
        file=pdf(),
        name="rup.pdf",
        valid_from=dt.date(2026, 1, 1),
        title="RUP",
        by=world.officer_a,
    )
    document = version.document
    desk.review(document=document, action="ready", by=world.inspector)
    desk.record_kpk_upload(document=document, on=dt.date(2026, 11, 1), by=world.inspector)
    desk.record_verdict(document=document, accepted=True, by=world.inspector)


def test_the_json_gives_projected_and_verified_scores_per_area_and_in_total(
    world: World,
) -> None:
    assessment = open_desk()
    _accepted_procurement(assessment, world)
    report = json.loads(_run("--assessment", str(assessment.public_id), "--json"))
    assert report["assessment"] == str(assessment.public_id)
    assert (report["kind"], report["year"]) == ("mcsp", 2026)
    assert report["projected"] == {"score": "50.00", "band": "blue"}
    assert report["verified"] == {"score": "50.00", "band": "blue"}
    assert [
        (a["code"], a["verified"]["score"], a["verified"]["band"]) for a in report["areas"]
    ] == [
        ("PRC", "0.00", "red"),
        ("PBJ", "100.00", "green"),
    ]
    assert report["eligibility"] is None
    assert json.loads(_run("--assessment", str(assessment.pk), "--json")) == report


def test_without_json_it_prints_a_short_text(world: World) -> None:
    assessment = open_desk()
    text = _run("--assessment", str(assessment.pk))
    assert "MCSP 2026" in text and "verified: 0.00 (red)" in text


@pytest.mark.parametrize("identifier", ["999", "not-an-id", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_assessment_is_a_clear_error(world: World, identifier: str) -> None:
    with pytest.raises(CommandError, match="No assessment"):
        _run("--assessment", identifier, "--json")


def test_eligibility_lists_each_threshold_set_with_its_failing_conditions(
    framework: Framework,
) -> None:
    tree = scores.score(
        framework=framework,
        answers={"MP.1": "A", "MP.2": "yes", "PW.1": 4, "IPAK": "3.5", "KIN": 100, "IPKP": 4},
    )
    report = score_report.framework_report(
        framework=framework, named={"self_assessed": tree}, eligibility_from=tree
    )
    assert report["self_assessed"]["score"] == "97.81"
    (wbk,) = report["eligibility"]
    assert (wbk["set"], wbk["eligible"]) == ("WBK", False)
    assert wbk["failures"] == [
        {
            "label": "IPAK",
            "node": None,
            "predicate": None,
            "minimum": "3.60",
            "actual": "3.50",
            "gap": "0.10",
        }
    ]
    assert D(report["areas"][0]["weight"]) == D("60")
