"""A unit answers its LKE question by question with each question's scoring method; answers
outside the options are refused with a message and nothing is stored; evidence is a checked
file or a link; progress counts what is answered."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from integritas.assessments.models import AnswerSource, LkeAnswer, LkeEvidence
from integritas.assessments.services import lke as lke_service
from integritas.assessments.tests.lke_fixtures import PDF, start
from integritas.audit.models import Event
from integritas.core.testing import World

pytestmark = pytest.mark.django_db


def test_each_method_stores_its_answer_normalised(world: World) -> None:
    lke = start(world)
    by = world.officer_a
    assert lke_service.answer(lke=lke, code="MP.PM.2", value="b", by=by).answer == "B"
    assert lke_service.answer(lke=lke, code="MP.PM.1", value="Ya", by=by).answer == "yes"
    assert lke_service.answer(lke=lke, code="SDM.RF.3", value="92,5", by=by).answer == "92.5"
    row = lke_service.answer(
        lke=lke, code="H.IPAK", value="3,6", source_detail="Survei oleh BPS, Mei 2026", by=by
    )
    assert (row.answer, row.source) == ("3.6", AnswerSource.ELSEWHERE)
    assert Event.objects.filter(action="assessments.lke_answered").count() == 4


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("MP.PM.2", "F", "“F” is not one of the choices A, B, C, D, E."),
        ("MP.PM.1", "maybe", "“maybe” is not yes or no."),
        ("SDM.RF.3", "100.5", "100.5 is outside 0–100."),
        ("SDM.RF.3", "-1", "-1 is outside 0–100."),
        ("SDM.RF.3", "lots", "“lots” is not a number."),
        ("H.KIN", "101", "101 is outside 0–100."),
        ("MP.PM.2", "", "Give an answer."),
    ],
)
def test_an_answer_outside_the_options_is_refused_and_nothing_is_stored(
    world: World, code: str, value: str, message: str
) -> None:
    lke = start(world)
    lke_service.answer(lke=lke, code="MP.PM.3", value="A", by=world.officer_a)
    with pytest.raises(ValidationError) as caught:
        lke_service.answer(lke=lke, code=code, value=value, by=world.officer_a)
    assert caught.value.message_dict["answer"] == [message]
    assert not LkeAnswer.objects.filter(lke=lke, node__code=code).exists()


def test_an_index_entered_by_hand_needs_its_source_and_stays_within_0_to_4(world: World) -> None:
    lke = start(world)
    with pytest.raises(ValidationError) as caught:
        lke_service.answer(lke=lke, code="H.IPKP", value="3.4", by=world.officer_a)
    assert "source_detail" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        lke_service.answer(
            lke=lke, code="H.IPKP", value="4.2", source_detail="BPS", by=world.officer_a
        )
    assert caught.value.message_dict["answer"] == ["4.2 is outside 0–4."]
    assert not LkeAnswer.objects.filter(lke=lke).exists()


def test_only_the_units_staff_answer_and_only_during_the_self_assessment(world: World) -> None:
    lke = start(world)
    for outsider in (world.officer_b, world.inspector, world.leader):
        with pytest.raises(PermissionDenied):
            lke_service.answer(lke=lke, code="MP.PM.2", value="A", by=outsider)
    lke.stage = "submitted"
    lke.save()
    with pytest.raises(PermissionDenied):
        lke_service.answer(lke=lke, code="MP.PM.2", value="A", by=world.officer_a)


def test_a_question_that_is_not_an_item_is_refused(world: World) -> None:
    lke = start(world)
    with pytest.raises(ValidationError):
        lke_service.answer(lke=lke, code="MP", value="A", by=world.officer_a)


def test_evidence_is_a_checked_file_or_a_link(world: World) -> None:
    lke = start(world)
    by = world.officer_a
    stored = lke_service.add_evidence(
        lke=lke, code="MP.PM.1", title="SK Tim ZI", upload=io.BytesIO(PDF), name="sk.pdf", by=by
    )
    assert stored.content_type == "application/pdf" and len(stored.sha256) == 64
    assert "sk.pdf" not in stored.file.name
    linked = lke_service.add_evidence(
        lke=lke, code="MP.PM.1", title="Laman ZI", link="https://example.test/zi", by=by
    )
    assert linked.link == "https://example.test/zi"
    with pytest.raises(ValidationError) as caught:  # a link that would run a script
        lke_service.add_evidence(
            lke=lke, code="MP.PM.1", title="x", link="javascript:alert(1)", by=by
        )
    assert "link" in caught.value.message_dict
    with pytest.raises(ValidationError):  # neither
        lke_service.add_evidence(lke=lke, code="MP.PM.1", title="x", by=by)
    with pytest.raises(ValidationError) as caught:  # a script named as a PDF
        lke_service.add_evidence(
            lke=lke,
            code="MP.PM.1",
            title="x",
            upload=SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>"),
            name="x.pdf",
            by=by,
        )
    assert "file" in caught.value.message_dict
    with pytest.raises(ValidationError):  # a PDF signature with no PDF behind it
        lke_service.add_evidence(
            lke=lke,
            code="MP.PM.1",
            title="x",
            upload=io.BytesIO(b"%PDF-1.4 junk"),
            name="x.pdf",
            by=by,
        )
    assert LkeEvidence.objects.filter(lke=lke).count() == 2


def test_progress_counts_answers_evidence_and_reviews(world: World) -> None:
    lke = start(world)
    total = len(lke_service.questions(lke.framework))
    assert lke_service.progress(lke).answered == 0
    lke_service.answer(lke=lke, code="MP.PM.2", value="A", by=world.officer_a)
    lke_service.add_evidence(
        lke=lke, code="MP.PM.2", title="Rencana", link="https://example.test/r", by=world.officer_a
    )
    got = lke_service.progress(lke)
    assert (got.answered, got.total, got.with_evidence, got.reviewed) == (1, total, 1, 0)
    assert got.percent == round(100 / total)
