"""Instrument services: creating instruments, copying versions, editing drafts, and refusing to
touch anything that is published."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.context import acting_as
from integritas.audit.models import Event
from integritas.core.tests.conftest import World
from integritas.surveys.models import (
    Choice,
    Dimension,
    Instrument,
    InstrumentVersion,
    Question,
    Section,
)
from integritas.surveys.services import instrument_library, instruments
from integritas.surveys.services.instrument_library import ChoiceData
from integritas.surveys.testing import build_version


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("seq"))


def question_values(code: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": code,
        "type": Question.Type.SINGLE,
        "text_id": f"Pertanyaan {code}",
        "text_en": f"Question {code}",
        "required": True,
    }
    values.update(overrides)
    return values


AB = [ChoiceData("a", "Pilihan A", "Choice A"), ChoiceData("b", "Pilihan B", "Choice B")]


# --- Instruments and versions ----------------------------------------------------------------


def test_it_creates_an_instrument_with_an_empty_draft_version_1(world: World) -> None:
    with acting_as(label="Inspektur", user=world.inspector):
        instrument = instruments.instrument_create(
            values={"code": "survei-uji", "kind": "other", "title_id": "Survei uji"}
        )
    instrument = Instrument.objects.get(code="survei-uji")
    version = instrument.versions.get()
    assert (version.number, version.status) == (1, InstrumentVersion.Status.DRAFT)
    assert not version.questions.exists()
    [event] = events("instrument.created")
    assert event.object_id == str(instrument.pk) and event.actor == world.inspector
    assert event.changes["code"] == [None, "survei-uji"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"code": "Not a slug!", "title_id": "X"}, "code"),
        ({"code": "new", "title_id": "X"}, "code"),
        ({"code": "ok-code", "title_id": ""}, "title_id"),
        ({"code": "ok-code", "title_id": "=HYPERLINK(1)"}, "title_id"),
    ],
)
def test_it_refuses_an_invalid_instrument(world: World, values: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        instruments.instrument_create(values=values)
    assert field in caught.value.message_dict
    assert not Instrument.objects.exists() and not Event.objects.exists()


def test_it_changes_titles_but_never_the_code_or_kind(world: World) -> None:
    version = build_version()
    instruments.instrument_update(
        instrument=version.instrument,
        values={"title_id": "Judul baru", "code": "other", "kind": "integrity"},
    )
    instrument = Instrument.objects.get(pk=version.instrument_id)
    assert (instrument.title_id, instrument.code, instrument.kind) == (
        "Judul baru",
        "skm-test",
        "satisfaction",
    )
    [event] = events("instrument.updated")
    assert event.changes == {"title_id": ["Survei uji", "Judul baru"]}


def test_a_new_draft_copies_the_latest_version_completely(world: World) -> None:
    published = build_version()
    draft = instruments.version_new_draft(instrument=published.instrument)
    assert (draft.number, draft.status) == (2, InstrumentVersion.Status.DRAFT)
    copied = instrument_library.version_data(draft)
    assert copied == instrument_library.version_data(published)
    # Fresh rows, no answer slots until it is published, dimensions of the copy itself.
    assert not draft.questions.filter(slot__isnull=False).exists()
    assert set(draft.questions.values_list("dimension__version", flat=True)) <= {draft.pk, None}
    assert Choice.objects.filter(question__version=draft).count() == 12
    [event] = events("instrument.version_created")
    assert event.object_id == str(draft.pk) and event.changes == {"from_version": [None, 1]}


def test_a_new_draft_can_start_from_an_older_version(world: World) -> None:
    first = build_version()
    second = instruments.version_new_draft(instrument=first.instrument)
    instruments.question_delete(question=second.questions.get(code="complaint_text"))
    third = instruments.version_new_draft(instrument=first.instrument, source=first)
    assert third.number == 3
    assert third.questions.filter(code="complaint_text").exists()


# --- Drafts change ---------------------------------------------------------------------------


def test_it_adds_and_changes_a_dimension_in_a_draft(world: World) -> None:
    version = build_version(publish=False)
    dimension = instruments.dimension_add(
        version=version,
        values={"code": "U3", "name_id": "Waktu", "group": "", "weight": Decimal("0.25")},
    )
    assert (dimension.order, dimension.weight) == (2, Decimal("0.25"))
    instruments.dimension_update(dimension=dimension, values={"name_en": "Time"})
    assert Dimension.objects.get(pk=dimension.pk).name_en == "Time"
    [added] = events("instrument.dimension_added")
    assert added.object_id == str(version.pk) and added.changes["dimension"] == [None, "U3"]
    [changed] = events("instrument.dimension_changed")
    assert changed.changes == {"dimension": ["U3", "U3"], "name_en": ["", "Time"]}


def test_it_refuses_a_dimension_code_the_version_already_has(world: World) -> None:
    version = build_version(publish=False)
    with pytest.raises(ValidationError):
        instruments.dimension_add(version=version, values={"code": "U1", "name_id": "Lagi"})
    assert version.dimensions.count() == 2


def test_it_will_not_delete_a_dimension_that_questions_use(world: World) -> None:
    version = build_version(publish=False)
    with pytest.raises(ValidationError, match="U1 is used by U1"):
        instruments.dimension_delete(dimension=version.dimensions.get(code="U1"))
    instruments.question_update(
        question=version.questions.get(code="U1"), values={"dimension": None}
    )
    instruments.dimension_delete(dimension=version.dimensions.get(code="U1"))
    assert list(version.dimensions.values_list("code", "order")) == [("U2", 0)]
    assert events("instrument.dimension_deleted")[0].changes == {"dimension": ["U1", None]}


def test_it_adds_a_question_with_its_choices_at_the_end_of_a_section(world: World) -> None:
    version = build_version(publish=False)
    section = version.sections.get(code="layanan")
    question = instruments.question_add(section=section, values=question_values("q9"), choices=AB)
    assert question.order == 4 and question.slot is None
    assert list(question.choices.values_list("code", "order")) == [("a", 0), ("b", 1)]
    [event] = events("instrument.question_added")
    assert event.changes["question"] == [None, "q9"]
    assert event.changes["choices"] == [None, "a Pilihan A · b Pilihan B"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (question_values("u1"), "already has a question u1"),
        (question_values("unit_code"), "column name of the response import"),
        (question_values("bad code"), "letters, digits"),
        (question_values("q9", text_id="+62 812"), "formula"),
        (question_values("q9", respondent_types=["citizen"]), "Unknown respondent type"),
    ],
)
def test_it_refuses_a_bad_question(world: World, values: dict[str, Any], message: str) -> None:
    version = build_version(publish=False)
    with pytest.raises(ValidationError, match=message):
        instruments.question_add(section=version.sections.get(code="layanan"), values=values)
    assert version.questions.count() == 5


def test_it_replaces_the_choices_of_a_question_and_records_the_change(world: World) -> None:
    version = build_version(publish=False)
    question = version.questions.get(code="sex")
    instruments.question_update(
        question=question,
        values={"text_id": "Jenis kelamin"},
        choices=[ChoiceData("l", "Laki-laki"), ChoiceData("p", "Perempuan")],
    )
    question.refresh_from_db()
    assert question.text_id == "Jenis kelamin"
    assert list(question.choices.values_list("code", flat=True)) == ["l", "p"]
    [event] = events("instrument.question_changed")
    assert event.changes["question"] == ["sex", "sex"]
    assert event.changes["choices"] == ["m Laki-laki · f Perempuan", "l Laki-laki · p Perempuan"]


def test_renaming_a_question_carries_the_new_code_into_conditions(world: World) -> None:
    version = build_version(publish=False)
    instruments.question_update(
        question=version.questions.get(code="complained"), values={"code": "mengadu"}
    )
    dependant = version.questions.get(code="complaint_text")
    assert dependant.condition == {"question": "mengadu", "op": "in", "values": ["yes"]}


def test_renaming_a_choice_carries_the_new_code_into_conditions(world: World) -> None:
    version = build_version(publish=False)
    choice = Choice.objects.get(question__version=version, question__code="complained", code="yes")
    instruments.choice_update(choice=choice, values={"code": "ya"})
    dependant = version.questions.get(code="complaint_text")
    assert dependant.condition == {"question": "complained", "op": "in", "values": ["ya"]}
    assert events("instrument.choice_changed")[0].changes["choice"] == ["yes", "ya"]


def test_it_moves_a_question_to_another_section(world: World) -> None:
    version = build_version(publish=False)
    profile = version.sections.get(code="profil")
    instruments.question_update(
        question=version.questions.get(code="U2"), values={}, section=profile
    )
    assert list(profile.questions.order_by("order").values_list("code", flat=True)) == [
        "sex",
        "U2",
    ]


def test_it_will_not_delete_a_question_another_depends_on(world: World) -> None:
    version = build_version(publish=False)
    with pytest.raises(ValidationError, match="complaint_text refer to complained"):
        instruments.question_delete(question=version.questions.get(code="complained"))
    instruments.question_delete(question=version.questions.get(code="complaint_text"))
    instruments.question_delete(question=version.questions.get(code="complained"))
    assert list(version.questions.filter(section__code="layanan").values_list("code", "order")) == [
        ("U1", 0),
        ("U2", 1),
    ]
    assert [e.changes for e in events("instrument.question_deleted")] == [
        {"question": ["complaint_text", None]},
        {"question": ["complained", None]},
    ]


def test_it_will_not_delete_a_section_whose_questions_others_depend_on(world: World) -> None:
    version = build_version(publish=False)
    instruments.question_update(
        question=version.questions.get(code="complaint_text"),
        values={"condition": {"question": "sex", "op": "in", "values": ["f"]}},
    )
    with pytest.raises(ValidationError, match="complaint_text"):
        instruments.section_delete(section=version.sections.get(code="profil"))
    instruments.section_delete(section=version.sections.get(code="layanan"))
    assert list(version.sections.values_list("code", "order")) == [("profil", 0)]
    assert not version.questions.filter(code="U1").exists()
    [event] = events("instrument.section_deleted")
    assert event.changes["section"] == ["layanan", None]


def test_it_adds_updates_and_deletes_choices(world: World) -> None:
    version = build_version(publish=False)
    question = version.questions.get(code="sex")
    choice = instruments.choice_add(question=question, values={"code": "x", "label_id": "Lain"})
    assert choice.order == 2
    instruments.choice_update(choice=choice, values={"label_en": "Other", "score": Decimal(1)})
    assert Choice.objects.get(pk=choice.pk).score == Decimal(1)
    instruments.choice_delete(choice=question.choices.get(code="m"))
    assert list(question.choices.values_list("code", "order")) == [("f", 0), ("x", 1)]
    actions = [e.action for e in Event.objects.order_by("seq")]
    assert actions == [
        "instrument.choice_added",
        "instrument.choice_changed",
        "instrument.choice_deleted",
    ]


def test_sections_get_their_title_and_respondent_types(world: World) -> None:
    version = build_version(publish=False)
    section = instruments.section_add(
        version=version,
        values={"code": "akhir", "title_id": "Penutup", "respondent_types": ["internal"]},
    )
    assert section.order == 2
    with pytest.raises(ValidationError):
        instruments.section_update(section=section, values={"respondent_types": ["martian"]})
    instruments.section_update(section=section, values={"title_en": "Closing"})
    assert Section.objects.get(pk=section.pk).title_en == "Closing"


@pytest.mark.parametrize("kind", ["dimension", "section", "question", "choice"])
def test_items_move_up_and_down_among_their_siblings(world: World, kind: str) -> None:
    version = build_version(publish=False)
    siblings: Any = {
        "dimension": version.dimensions,
        "section": version.sections,
        "question": version.questions.filter(section__code="layanan"),
        "choice": Choice.objects.filter(question__version=version, question__code="U1"),
    }[kind]
    before = list(siblings.order_by("order").values_list("code", flat=True))
    last = siblings.get(code=before[-1])
    assert instruments.item_move(item=last, direction="up") is True
    after = list(siblings.order_by("order").values_list("code", flat=True))
    assert after == [*before[:-2], before[-1], before[-2]]
    assert instruments.item_move(item=siblings.get(code=after[0]), direction="up") is False
    [event] = events("instrument.item_moved")
    assert event.changes[kind] == [before[-1], before[-1]]
    assert event.changes["position"] == [len(before), len(before) - 1]


# --- Published versions never change ----------------------------------------------------------


def _edits(version: InstrumentVersion) -> list[Callable[[], Any]]:
    dimension = version.dimensions.get(code="U1")
    section = version.sections.get(code="layanan")
    question = version.questions.get(code="U1")
    choice = question.choices.get(code="1")
    return [
        lambda: instruments.dimension_add(version=version, values={"code": "U9", "name_id": "X"}),
        lambda: instruments.dimension_update(dimension=dimension, values={"name_id": "X"}),
        lambda: instruments.dimension_delete(dimension=dimension),
        lambda: instruments.section_add(version=version, values={"code": "s9", "title_id": "X"}),
        lambda: instruments.section_update(section=section, values={"title_id": "X"}),
        lambda: instruments.section_delete(section=section),
        lambda: instruments.question_add(section=section, values=question_values("q9")),
        lambda: instruments.question_update(question=question, values={"text_id": "X"}),
        lambda: instruments.question_delete(question=question),
        lambda: instruments.choice_add(question=question, values={"code": "9", "label_id": "X"}),
        lambda: instruments.choice_update(choice=choice, values={"label_id": "X"}),
        lambda: instruments.choice_delete(choice=choice),
        lambda: instruments.item_move(item=question, direction="down"),
        lambda: instrument_library.version_publish(version=version),
        lambda: instruments.version_delete(version=version),
    ]


@pytest.mark.parametrize("index", range(15))
def test_a_published_version_refuses_every_edit(world: World, index: int) -> None:
    version = build_version()
    before = instrument_library.version_data(version)
    with pytest.raises(ValidationError) as caught:
        _edits(version)[index]()
    assert caught.value.code == "not_editable"
    assert "can no longer change" in caught.value.messages[0]
    assert instrument_library.version_data(version) == before
    assert InstrumentVersion.objects.get(pk=version.pk).status == "published"
    assert not Event.objects.exists()


def test_a_retired_version_refuses_edits_too(world: World) -> None:
    version = instruments.version_retire(version=build_version())
    with pytest.raises(ValidationError, match="is retired"):
        instruments.question_update(
            question=version.questions.get(code="U1"), values={"text_id": "X"}
        )


def test_only_a_draft_can_be_deleted_and_it_goes_with_its_content(world: World) -> None:
    published = build_version()
    draft = instruments.version_new_draft(instrument=published.instrument)
    instruments.version_delete(version=draft)
    assert list(published.instrument.versions.values_list("number", flat=True)) == [1]
    assert not Question.objects.filter(version_id=draft.pk).exists()
    [event] = events("instrument.version_deleted")
    assert event.object_type == "surveys.instrument" and event.changes == {"version": [2, None]}


def test_retiring_needs_a_published_version(world: World) -> None:
    draft = build_version(publish=False)
    with pytest.raises(ValidationError, match="Only a published version"):
        instruments.version_retire(version=draft)
    retired = instruments.version_retire(version=instrument_library.version_publish(version=draft))
    assert retired.status == InstrumentVersion.Status.RETIRED
    assert events("instrument.version_retired")[0].changes == {"status": ["published", "retired"]}


def test_history_labels_are_registered_for_every_event(world: World) -> None:
    from integritas.audit.labels import action_label

    for action in instruments.ACTION_LABELS:
        assert action_label(action) != action
