"""Publishing a version: every rule it checks (all problems reported at once), the answer slots it
assigns, and a published version that the answer schema can use straight away."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.core.tests.conftest import World
from integritas.surveys.models import InstrumentVersion, Question, Section
from integritas.surveys.schema import ResponseInvalid, Schema
from integritas.surveys.services import instrument_library, instruments
from integritas.surveys.testing import LIKERT4, build_version

YESNO = [("yes", "Ya", None), ("no", "Tidak", None)]
AB = [("a", "A", None), ("b", "B", None)]


def spec(*questions: dict[str, Any], dimensions: Any = (("D", "Dimensi"),)) -> dict[str, Any]:
    return {
        "code": "uji-terbit",
        "kind": "other",
        "title": "Uji",
        "dimensions": list(dimensions),
        "sections": [{"code": "s1", "title": "Halaman", "questions": list(questions)}],
    }


def publish_problems(version: InstrumentVersion) -> list[str]:
    slots = dict(version.questions.values_list("code", "slot"))
    with pytest.raises(ValidationError) as caught:
        instrument_library.version_publish(version=version)
    version.refresh_from_db()
    assert version.status == InstrumentVersion.Status.DRAFT and version.published_at is None
    assert dict(version.questions.values_list("code", "slot")) == slots
    assert not Event.objects.filter(action="instrument.version_published").exists()
    return caught.value.messages


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        (
            {"code": "q1", "type": "likert4", "choices": LIKERT4},
            "q1: the question is scored, so it needs a dimension.",
        ),
        (
            {"code": "q1", "type": "single", "choices": [("a", "A", None)]},
            "q1: a choice question needs at least two choices; it has 1.",
        ),
        (
            {"code": "q1", "type": "likert4", "dimension": "D", "choices": LIKERT4[:3]},
            "q1: a 4-point Likert question needs exactly 4 choices; it has 3.",
        ),
        (
            {"code": "q1", "type": "likert5", "dimension": "D", "choices": LIKERT4},
            "q1: a 5-point Likert question needs exactly 5 choices; it has 4.",
        ),
        (
            {"code": "q1", "type": "likert6", "dimension": "D", "choices": LIKERT4},
            "q1: a 6-point Likert question needs exactly 6 choices; it has 4.",
        ),
        (
            {"code": "q1", "type": "yesno", "choices": [("ya", "Ya", None), ("no", "Tidak", None)]},
            "q1: a yes/no question has exactly the two choice codes yes and no.",
        ),
        (
            {"code": "q1", "type": "yesno", "choices": [*YESNO, ("dk", "Tidak tahu", None)]},
            "q1: a yes/no question has exactly the two choice codes yes and no.",
        ),
        (
            {
                "code": "q1",
                "type": "multiple",
                "choices": [(f"c{i}", f"C{i}", None) for i in range(16)],
            },
            "q1: a multiple-choice question may have at most 15 choices; it has 16.",
        ),
        (
            {"code": "q1", "type": "multiple", "choices": []},
            "q1: a multiple-choice question needs at least one choice.",
        ),
        (
            {"code": "q1", "type": "multiple", "dimension": "D", "choices": LIKERT4},
            "q1: the choices of a multiple-choice question cannot carry scores.",
        ),
        (
            {"code": "q1", "type": "number", "min": 10, "max": 5},
            "q1: the minimum is larger than the maximum.",
        ),
        (
            {"code": "q1", "type": "text", "max": 5},
            "q1: only number questions take a minimum and a maximum.",
        ),
        (
            {"code": "q1", "type": "text", "choices": AB},
            "q1: only choice questions have choices; remove them or change the type.",
        ),
        (
            {"code": "q1", "type": "date", "respondent_types": ["citizen"]},
            "q1: unknown respondent type citizen.",
        ),
        (
            {"code": "Service_Code", "type": "text"},
            "Service_Code is a column name of the response import and cannot be a question code.",
        ),
    ],
)
def test_it_refuses_to_publish_a_question_that_breaks_a_rule(
    world: World, question: dict[str, Any], problem: str
) -> None:
    version = build_version(spec(question), publish=False)
    assert publish_problems(version) == [problem]


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        (
            {"question": "later", "op": "in", "values": ["a"]},
            "it must refer to an earlier question of this version; later is not one.",
        ),
        (
            {"question": "nowhere", "op": "in", "values": ["a"]},
            "it must refer to an earlier question of this version; nowhere is not one.",
        ),
        (
            {"question": "age", "op": "in", "values": ["1"]},
            "it must refer to a choice question; age is a question of another type.",
        ),
        (
            {"question": "first", "op": "in", "values": ["a", "z"]},
            "first has no answer z; its answers are a, b.",
        ),
        ({"question": "first", "op": "equals", "values": ["a"]}, "the operator must be"),
        ({"question": "first", "op": "in", "values": []}, "it needs at least one answer code."),
        (
            {"question": "cond", "op": "in", "values": ["a"]},
            "a question cannot depend on its own answer.",
        ),
    ],
)
def test_a_condition_must_name_an_earlier_choice_question_and_its_answers(
    world: World, condition: dict[str, Any], problem: str
) -> None:
    version = build_version(
        spec(
            {"code": "first", "type": "single", "required": False, "choices": AB},
            {"code": "age", "type": "number", "required": False},
            {"code": "cond", "type": "text", "required": False, "condition": condition},
            {"code": "later", "type": "multiple", "required": False, "choices": AB},
        ),
        publish=False,
    )
    [message] = publish_problems(version)
    assert message.startswith("cond: the condition: ") and problem in message


def test_a_condition_may_test_a_multiple_choice_question_with_not_in(world: World) -> None:
    version = build_version(
        spec(
            {"code": "multi", "type": "multiple", "choices": AB},
            {
                "code": "why",
                "type": "text",
                "condition": {"question": "multi", "op": "not_in", "values": ["b"]},
            },
        ),
        publish=False,
    )
    instrument_library.version_publish(version=version)
    schema = Schema.from_version(version)
    assert schema.encode({"multi": ["a"], "why": "karena"}, "public")[1] == {"why": "karena"}
    assert schema.encode({"multi": ["a", "b"]}, "public")[1] == {}


def test_it_needs_a_section_with_a_question(world: World) -> None:
    version = build_version(
        {
            "code": "kosong",
            "title": "Kosong",
            "sections": [{"code": "s", "title": "S", "questions": []}],
        },
        publish=False,
    )
    assert publish_problems(version) == [
        "The version needs at least one section with at least one question.",
        "Section s has no questions.",
    ]


def test_question_codes_must_differ_in_more_than_case(world: World) -> None:
    version = build_version(
        spec({"code": "Q1", "type": "text"}, {"code": "q1", "type": "text"}), publish=False
    )
    assert publish_problems(version) == [
        "The question code q1 appears more than once (codes are compared without regard to case)."
    ]


def test_sections_and_dimensions_need_known_respondent_types(world: World) -> None:
    version = build_version(
        spec({"code": "q1", "type": "text"}, dimensions=[("D", "Dimensi")]), publish=False
    )
    Section.objects.filter(version=version).update(respondent_types=["alien"])
    version.dimensions.update(group="martians")
    assert publish_problems(version) == [
        "Dimension D: the group “martians” is not a respondent type.",
        "Section s1: unknown respondent type alien.",
    ]


def test_it_lists_every_problem_at_once_in_questionnaire_order(world: World) -> None:
    version = build_version(
        spec(
            {"code": "q1", "type": "likert4", "choices": LIKERT4[:2]},
            {"code": "q2", "type": "yesno", "choices": AB},
            {"code": "q3", "type": "number", "min": 3, "max": 1},
        ),
        publish=False,
    )
    assert publish_problems(version) == [
        "q1: a 4-point Likert question needs exactly 4 choices; it has 2.",
        "q1: the question is scored, so it needs a dimension.",
        "q2: a yes/no question has exactly the two choice codes yes and no.",
        "q3: the minimum is larger than the maximum.",
    ]


def test_data_problems_catch_repeated_codes_in_plain_data(world: World) -> None:
    data = instrument_library.version_data(build_version(publish=False))
    data.dimensions.append(data.dimensions[0])
    data.sections.append(instrument_library.SectionData(code="profil", title_id="Lagi"))
    problems = instrument_library.data_problems(data)
    assert "The dimension code U1 appears more than once." in problems
    assert "The section code profil appears more than once." in problems


def test_publishing_assigns_slots_in_page_and_question_order(world: World) -> None:
    version = build_version(
        {
            "code": "slot-uji",
            "title": "Slot",
            "dimensions": [("D", "D")],
            "sections": [
                {
                    "code": "b",
                    "title": "Kedua",
                    "questions": [
                        {"code": "note", "type": "longtext", "required": False},
                        {"code": "pick", "type": "multiple", "choices": AB},
                    ],
                },
                {
                    "code": "a",
                    "title": "Pertama",
                    "questions": [
                        {"code": "agree", "type": "likert4", "dimension": "D", "choices": LIKERT4},
                        {"code": "when", "type": "date"},
                        {"code": "ok", "type": "yesno", "choices": YESNO},
                    ],
                },
            ],
        },
        publish=False,
    )
    # Shuffle the stored order the way edits may leave it: gaps and a swapped page order.
    Section.objects.filter(version=version, code="b").update(order=7)
    Section.objects.filter(version=version, code="a").update(order=3)
    Question.objects.filter(version=version, code="ok").update(order=0)
    Question.objects.filter(version=version, code="agree").update(order=5)
    instrument_library.version_publish(version=version)
    version.refresh_from_db()
    assert version.status == InstrumentVersion.Status.PUBLISHED and version.published_at
    slots = dict(version.questions.values_list("code", "slot"))
    assert slots == {"ok": 0, "when": None, "agree": 1, "note": None, "pick": 2}
    assert list(version.sections.order_by("order").values_list("code", "order")) == [
        ("a", 0),
        ("b", 1),
    ]
    [event] = Event.objects.filter(action="instrument.version_published")
    assert event.object_id == str(version.pk)
    assert event.changes == {"status": ["draft", "published"], "slots": [None, 3]}


@pytest.mark.parametrize(
    ("question", "answer", "stored"),
    [
        ({"type": "single", "choices": AB}, "b", 2),
        ({"type": "likert4", "dimension": "D", "choices": LIKERT4}, "3", 3),
        (
            {
                "type": "likert5",
                "dimension": "D",
                "choices": [(str(i), f"L{i}", i) for i in range(1, 6)],
            },
            "5",
            5,
        ),
        (
            {
                "type": "likert6",
                "dimension": "D",
                "choices": [(str(i), f"L{i}", i) for i in range(1, 7)],
            },
            "1",
            1,
        ),
        ({"type": "yesno", "choices": YESNO}, "no", 2),
        ({"type": "multiple", "choices": [*AB, ("c", "C", None)]}, ["a", "c"], 0b101),
        ({"type": "number", "min": 0, "max": 100}, "42", None),
        ({"type": "date"}, "2026-03-01", None),
        ({"type": "text"}, "singkat", None),
        ({"type": "longtext"}, "panjang sekali", None),
    ],
)
def test_every_question_type_publishes_and_encodes_a_response(
    world: World, question: dict[str, Any], answer: Any, stored: int | None
) -> None:
    version = build_version(spec({"code": "q", **question}), publish=False)
    instrument_library.version_publish(version=version)
    schema = Schema.from_version(version)
    vector, extra = schema.encode({"q": answer}, "public")
    if stored is None:
        assert vector == [] and extra == {"q": answer}
    else:
        assert vector == [stored] and extra == {}
        assert schema.decode(vector, extra) == {"q": answer}


def test_a_published_copy_encodes_like_the_original(world: World) -> None:
    original = build_version()
    copy = instruments.version_new_draft(instrument=original.instrument)
    instrument_library.version_publish(version=copy)
    answers = {
        "sex": "f",
        "U1": "4",
        "U2": "2",
        "complained": "yes",
        "complaint_text": "Antre lama",
    }
    assert Schema.from_version(copy).encode(answers, "public") == Schema.from_version(
        original
    ).encode(answers, "public")
    with pytest.raises(ResponseInvalid):
        Schema.from_version(copy).encode({"U1": "9"}, "public")
