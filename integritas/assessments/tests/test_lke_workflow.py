"""The LKE's stages as a state machine: every edge, who may take it, segregation of duties (who
works for the unit or answered for it cannot review it), the TPI's review per question with the
reviewed score beside the self-assessed one, and the audit events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from integritas.assessments.models import LkeAssessment, LkeStage
from integritas.assessments.services import lke as lke_service
from integritas.assessments.tests.lke_fixtures import answer_all, full_answers, start
from integritas.audit.models import Event
from integritas.core import policy
from integritas.core.models import Role, RoleAssignment
from integritas.core.testing import World

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)
RESULTS = {"H.IPAK": "3.7", "H.IPKP": "3.5", "H.KIN": "90"}


def answered(world: World) -> LkeAssessment:
    lke = start(world)
    answer_all(lke, world.officer_a, {**full_answers(lke.framework), **RESULTS})
    return lke


def submitted(world: World) -> LkeAssessment:
    lke = answered(world)
    return lke_service.step(lke=lke, action="submit", by=world.head_a)


def reviewed(world: World) -> LkeAssessment:
    lke = submitted(world)
    for code in lke_service.answers_of(lke):
        lke_service.review_question(lke=lke, code=code, verdict="accepted", by=world.inspector)
    return lke_service.step(lke=lke, action="complete_review", by=world.inspector)


def proposed(world: World) -> LkeAssessment:
    return lke_service.step(
        lke=reviewed(world), action="propose", by=world.inspector_general, on=DAY
    )


def test_every_edge_of_the_stages_is_written_to_the_audit_trail(world: World) -> None:
    lke = proposed(world)
    assert lke.stage == LkeStage.PROPOSED and lke.proposed_on == DAY
    lke = lke_service.step(lke=lke, action="award", by=world.inspector, on=DAY)
    assert lke.stage == LkeStage.AWARDED and lke.decided_on == DAY
    actions = list(
        Event.objects.filter(action__startswith="assessments.lke_")
        .exclude(action__in=["assessments.lke_answered", "assessments.lke_question_reviewed"])
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "assessments.lke_created",
        "assessments.lke_submitted",
        "assessments.lke_reviewed",
        "assessments.lke_proposed",
        "assessments.lke_decided",
    ]
    assert Event.objects.filter(action="assessments.lke_question_reviewed").count() == len(
        lke_service.answers_of(lke)
    )


def test_the_tpi_returns_with_a_reason_and_the_unit_answers_again(world: World) -> None:
    lke = submitted(world)
    with pytest.raises(ValidationError):
        lke_service.step(lke=lke, action="return", by=world.inspector)
    lke = lke_service.step(lke=lke, action="return", by=world.inspector, reason="Bukti MP kurang")
    assert (lke.stage, lke.return_reason) == (LkeStage.SELF_ASSESSMENT, "Bukti MP kurang")
    lke_service.answer(lke=lke, code="MP.PM.2", value="B", by=world.officer_a)
    assert (
        lke_service.step(lke=lke, action="submit", by=world.officer_a).stage == LkeStage.SUBMITTED
    )


def test_not_awarded_needs_a_note(world: World) -> None:
    lke = proposed(world)
    with pytest.raises(ValidationError):
        lke_service.step(lke=lke, action="not_award", by=world.inspector, on=DAY)
    lke = lke_service.step(
        lke=lke, action="not_award", by=world.inspector, on=DAY, reason="TPN: IPKP"
    )
    assert lke.stage == LkeStage.NOT_AWARDED


def test_an_unanswered_lke_cannot_be_submitted(world: World) -> None:
    lke = start(world)
    lke_service.answer(lke=lke, code="MP.PM.2", value="A", by=world.officer_a)
    with pytest.raises(ValidationError, match="not answered"):
        lke_service.step(lke=lke, action="submit", by=world.officer_a)


@pytest.mark.parametrize(
    ("stage", "action"),
    [
        ("self_assessment", "complete_review"),
        ("self_assessment", "propose"),
        ("submitted", "submit"),
        ("submitted", "propose"),
        ("reviewed", "return"),
        ("proposed", "submit"),
        ("awarded", "award"),
        ("not_awarded", "return"),
    ],
)
def test_a_step_the_stage_does_not_allow_is_refused(world: World, stage: str, action: str) -> None:
    lke = start(world)
    lke.stage = stage
    lke.save()
    with pytest.raises(ValidationError, match="cannot be done"):
        lke_service.step(lke=lke, action=action, by=world.inspector, on=DAY, reason="x")


@pytest.mark.parametrize("who", ["inspector", "inspector_general", "leader", "admin", "officer_b"])
def test_only_the_units_staff_submit(world: World, who: str) -> None:
    lke = answered(world)
    with pytest.raises(PermissionDenied):
        lke_service.step(lke=lke, action="submit", by=getattr(world, who))


@pytest.mark.parametrize("who", ["head_a", "officer_a", "officer_b", "leader", "admin"])
def test_only_the_inspectorate_reviews_proposes_and_decides(world: World, who: str) -> None:
    lke = submitted(world)
    user = getattr(world, who)
    with pytest.raises(PermissionDenied):
        lke_service.review_question(lke=lke, code="MP.PM.2", verdict="accepted", by=user)
    with pytest.raises(PermissionDenied):
        lke_service.step(lke=lke, action="return", by=user, reason="x")
    assert not lke_service.may_act(user, lke, "complete_review")


def test_an_inspector_who_works_for_the_unit_cannot_review_it(world: World) -> None:
    lke = submitted(world)
    RoleAssignment.objects.create(user=world.inspector, role=Role.UNIT_OFFICER, unit=world.dinkes)
    policy.forget(world.inspector)
    with pytest.raises(PermissionDenied):
        lke_service.review_question(lke=lke, code="MP.PM.2", verdict="accepted", by=world.inspector)
    assert lke_service.may_review(world.inspector_general, lke)


def test_the_review_adjusts_an_answer_and_the_reviewed_score_stands_beside_the_own(
    world: World,
) -> None:
    lke = submitted(world)
    with pytest.raises(ValidationError):  # adjusting needs a note
        lke_service.review_question(
            lke=lke, code="MP.RF.1", verdict="adjusted", adjusted="C", by=world.inspector
        )
    with pytest.raises(ValidationError):  # and an answer within the options
        lke_service.review_question(
            lke=lke, code="MP.RF.1", verdict="adjusted", adjusted="Z", note="x", by=world.inspector
        )
    lke_service.review_question(
        lke=lke,
        code="MP.RF.1",
        verdict="adjusted",
        adjusted="C",
        note="Bukti sebagian",
        by=world.inspector,
    )
    lke_service.review_question(
        lke=lke, code="MP.PM.2", verdict="noted", note="Perbarui", by=world.inspector
    )
    summary = lke_service.summary(lke)
    # MP.RF.1 weighs 2: A (2 points) adjusted to C (1 point)
    assert summary["own"].points["MP"] == D(8)
    assert summary["reviewed"].points["MP"] == D(7)
    assert summary["reviewed"].total == summary["own"].total - 1
    with pytest.raises(ValidationError, match="not reviewed"):
        lke_service.step(lke=lke, action="complete_review", by=world.inspector)


def test_a_unit_failing_after_review_cannot_be_proposed(world: World) -> None:
    lke = submitted(world)
    for code in lke_service.answers_of(lke):
        if code == "H.IPKP":
            lke_service.review_question(
                lke=lke,
                code=code,
                verdict="adjusted",
                adjusted="3.1",
                note="Survei ulang",
                by=world.inspector,
            )
        else:
            lke_service.review_question(lke=lke, code=code, verdict="accepted", by=world.inspector)
    lke = lke_service.step(lke=lke, action="complete_review", by=world.inspector)
    with pytest.raises(ValidationError, match=r"does not meet 1 condition\(s\)"):
        lke_service.step(lke=lke, action="propose", by=world.inspector, on=DAY)


PERSONAS = (
    "admin",
    "inspector_general",
    "inspector",
    "leader",
    "head_a",
    "officer_a",
    "officer_b",
    "handler",
    "custodian",
    "nobody",
)


@pytest.mark.parametrize(("stage", "action"), sorted(lke_service.TRANSITIONS))
def test_who_may_take_each_edge(world: World, stage: str, action: str) -> None:
    lke = start(world)
    lke.stage = stage
    lke.save()
    allowed = {p for p in PERSONAS if lke_service.may_act(getattr(world, p), lke, action)}
    if action == "submit":
        assert allowed == {"head_a", "officer_a"}
    else:
        assert allowed == {"inspector_general", "inspector"}
