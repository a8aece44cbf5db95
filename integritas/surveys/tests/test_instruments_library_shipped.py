"""The instruments that ship with Integritas and the load_instruments command that loads them."""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from integritas.audit.models import Event
from integritas.core.tests.conftest import World
from integritas.surveys.imports import shipped_instruments
from integritas.surveys.models import Instrument, InstrumentVersion, RespondentType
from integritas.surveys.schema import CHOICE_TYPES, Schema
from integritas.surveys.services import instrument_library

SHIPPED = {
    "skm": "satisfaction",
    "integrity-self-survey": "integrity",
    "zi-ipak": "zi_anticorruption",
    "zi-ipkp": "zi_service",
}


def full_response(schema: Schema, respondent_type: str) -> dict[str, Any]:
    """An answer to every question this respondent type is asked (conditions met)."""
    answers: dict[str, Any] = {}
    for section in schema.sections_for(respondent_type):
        for q in schema.questions_in(section, respondent_type):
            if q.type in CHOICE_TYPES:
                scored = [c for c, s in zip(q.choices, q.scores, strict=True) if s is not None]
                answers[q.code] = (scored or list(q.choices))[0]
            elif q.type == "multiple":
                answers[q.code] = [q.choices[0]]
            elif q.type == "number":
                answers[q.code] = str(q.min_value or 1)
            elif q.type == "date":
                answers[q.code] = "2026-02-01"
            else:
                answers[q.code] = "Antrean perlu dipercepat."
    return answers


def test_the_shipped_files_are_valid_and_complete() -> None:
    data = {d.code: d for d in shipped_instruments.shipped_data()}
    assert {code: d.kind for code, d in data.items()} == SHIPPED
    for d in data.values():
        assert instrument_library.data_problems(d) == [], d.code
        assert d.title_en and d.description_id and d.description_en
        for section in d.sections:
            assert section.title_en, (d.code, section.code)
            for q in section.questions:
                assert q.text_en, (d.code, q.code)
                assert all(c.label_en for c in q.choices), (d.code, q.code)
        for dimension in d.dimensions:
            assert dimension.name_en


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_each_shipped_instrument_loads_publishes_and_encodes_a_full_response(
    world: World, code: str
) -> None:
    [version] = shipped_instruments.load_shipped(codes=[code])
    assert (version.number, version.status) == (1, InstrumentVersion.Status.PUBLISHED)
    assert version.instrument.kind == SHIPPED[code]
    schema = Schema.from_version(version)
    types = {t for q in schema.questions.values() for t in q.respondent_types} or {"public"}
    for respondent_type in sorted(types):
        answers = full_response(schema, respondent_type)
        vector, extra = schema.encode(answers, respondent_type)
        assert len(vector) == schema.slot_count
        assert schema.decode(vector, extra) == answers


def test_the_skm_has_the_nine_elements_on_a_4_point_scale(world: World) -> None:
    [version] = shipped_instruments.load_shipped(codes=["skm"])
    data = instrument_library.version_data(version)
    elements = [q for q in data.questions() if q.code.startswith("U")]
    assert [q.code for q in elements] == [f"U{i}" for i in range(1, 10)]
    assert [d.code for d in data.dimensions] == [f"U{i}" for i in range(1, 10)]
    for q in elements:
        assert (q.type, q.dimension, q.required) == ("likert4", q.code, True)
        assert [c.code for c in q.choices] == ["1", "2", "3", "4"]
        assert [c.score for c in q.choices] == [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]
    by_code = {q.code: q for q in data.questions()}
    assert [c.label_id for c in by_code["U3"].choices][0::3] == ["Tidak cepat", "Sangat cepat"]
    profile = ["sex", "age_band", "education", "occupation", "service_used"]
    assert all(not by_code[code].required for code in [*profile, "suggestion"])
    assert data.sections[0].code == "profil" and data.sections[-1].code == "saran"


def test_the_integrity_self_survey_follows_the_spi_groups(world: World) -> None:
    [version] = shipped_instruments.load_shipped(codes=["integrity-self-survey"])
    data = instrument_library.version_data(version)
    groups = Counter(d.group for d in data.dimensions)
    assert groups == {"internal": 7, "external": 3, "expert": 2}
    scored = [q for q in data.questions() if any(c.score is not None for c in q.choices)]
    per_dimension = Counter(q.dimension for q in scored)
    assert all(per_dimension[d.code] == 3 for d in data.dimensions)
    dimension_group = {d.code: d.group for d in data.dimensions}
    for q in scored:
        # Targeted at the dimension's respondent group; scores rise with integrity.
        assert q.respondent_types == [dimension_group[q.dimension]], q.code
        scores = [c.score for c in q.choices if c.score is not None]
        assert scores == [Decimal(1), Decimal(2), Decimal(3), Decimal(4)], q.code
        assert [c.code for c in q.choices if c.score is None] == ["dk"], q.code
    for section in data.sections[:-1]:
        assert len(section.respondent_types) == 1
    # It says plainly that it is not KPK's survey and must not coach answers for it.
    assert "BUKAN Survei Penilaian Integritas (SPI) resmi KPK" in data.description_id
    assert "NOT KPK's official Integrity Assessment Survey" in data.description_en
    assert "must not be used to steer or coach" in data.description_en
    assert all("12 bulan terakhir" in s.intro_id for s in data.sections if s.intro_id)


def test_the_integrity_self_survey_asks_each_group_only_its_own_pages(world: World) -> None:
    [version] = shipped_instruments.load_shipped(codes=["integrity-self-survey"])
    schema = Schema.from_version(version)
    for respondent_type, prefix in (("internal", "int-"), ("external", "ext-"), ("expert", "exp-")):
        codes = [s.code for s in schema.sections_for(respondent_type)]
        assert codes[-1] == "saran"
        assert codes[:-1] and all(code.startswith(prefix) for code in codes[:-1])
    assert [s.code for s in schema.sections_for(RespondentType.PUBLIC)] == ["saran"]


def test_the_gratification_follow_up_is_asked_only_after_seeing_gratification(
    world: World,
) -> None:
    [version] = shipped_instruments.load_shipped(codes=["integrity-self-survey"])
    schema = Schema.from_version(version)
    follow_up = schema.questions["int_duty_reported"]
    assert schema.is_shown(follow_up, {"int_duty_1": "2"}, "internal")
    assert not schema.is_shown(follow_up, {"int_duty_1": "4"}, "internal")
    assert not schema.is_shown(follow_up, {"int_duty_1": "dk"}, "internal")


@pytest.mark.parametrize("code", ["zi-ipak", "zi-ipkp"])
def test_the_zona_integritas_surveys_have_a_dozen_4_point_questions(
    world: World, code: str
) -> None:
    [version] = shipped_instruments.load_shipped(codes=[code])
    data = instrument_library.version_data(version)
    likert = [q for q in data.questions() if q.type == "likert4"]
    assert 10 <= len(likert) <= 12
    assert 3 <= len(data.dimensions) <= 5
    assert {q.dimension for q in likert} == {d.code for d in data.dimensions}


def test_loading_again_leaves_existing_instruments_alone(world: World) -> None:
    first = shipped_instruments.load_shipped()
    assert [v.instrument.code for v in first] == list(SHIPPED)
    events = Event.objects.count()
    Instrument.objects.filter(code="skm").update(title_id="Judul lokal")
    assert shipped_instruments.load_shipped() == []
    assert Event.objects.count() == events
    assert Instrument.objects.get(code="skm").title_id == "Judul lokal"
    assert InstrumentVersion.objects.count() == 4


def test_the_command_loads_publishes_and_reports(world: World) -> None:
    out = io.StringIO()
    call_command("load_instruments", stdout=out)
    text = out.getvalue()
    assert "skm: loaded and published version 1 (15 questions, 9 dimensions)" in text
    assert "integrity-self-survey: loaded and published version 1" in text
    assert set(Instrument.objects.values_list("code", flat=True)) == set(SHIPPED)
    published = Event.objects.filter(action="instrument.version_published")
    assert published.count() == 4
    assert {e.actor_label for e in published} == {"load_instruments"}
    out = io.StringIO()
    call_command("load_instruments", "skm", stdout=out)
    assert out.getvalue() == "skm: already exists, left alone\n"


def test_the_command_loads_only_the_codes_given(world: World) -> None:
    call_command("load_instruments", "zi-ipak", "zi-ipkp", stdout=io.StringIO())
    assert set(Instrument.objects.values_list("code", flat=True)) == {"zi-ipak", "zi-ipkp"}


def test_the_command_rejects_an_unknown_code(world: World) -> None:
    with pytest.raises(CommandError, match="not a shipped instrument: sensus"):
        call_command("load_instruments", "sensus", stdout=io.StringIO())
    assert not Instrument.objects.exists()
