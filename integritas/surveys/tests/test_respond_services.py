"""The respondent services (integritas/surveys/services/respond.py): start, save a page, submit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.surveys.models import Draft, Invitation, Response, Wave
from integritas.surveys.schema import ResponseInvalid
from integritas.surveys.services import respond
from integritas.surveys.tests.test_respond_helpers import invite, make_wave
from integritas.surveys.tokens import digest

pytestmark = pytest.mark.django_db

COMPLETE = {
    "age": "34",
    "U1": "3",
    "U2": "4",
    "U3": "6",
    "complained": "no",
    "channels": ["web", "desk"],
    "suggestion": "Lebih cepat",
}


@pytest.fixture
def wave(world: World) -> Wave:
    return make_wave(world.dinkes)


def public_entry(wave: Wave) -> respond.Entry:
    entry = respond.entry_for_code(wave.wave_units.get().public_code)
    assert entry is not None
    return entry


def begin(wave: Wave, answers: dict[str, Any] | None = None) -> Draft:
    draft, _code = respond.start(entry=public_entry(wave), respondent_type="public", language="id")
    if answers:
        respond.save_page(draft=draft, codes=answers, values=answers, furthest=2, language="id")
    return draft


def test_start_gives_a_resume_code_that_finds_the_draft(wave: Wave) -> None:
    draft, code = respond.start(entry=public_entry(wave), respondent_type="public", language="en")
    assert len(code) == 14 and code.count("-") == 2
    assert draft.key_digest == digest(code, purpose="resume")
    assert respond.find_draft(respond.RESUME, code.upper()) == draft
    assert draft.language == "en" and draft.updated_on == timezone.localdate()


def test_an_invitation_draft_is_found_by_its_token_but_not_linked_to_the_invitation(
    world: World, wave: Wave
) -> None:
    invitation, token = invite(wave, world.dinkes)
    entry = respond.entry_for_token(token)
    assert entry is not None and entry.invitation == invitation
    draft, secret = respond.start(entry=entry, respondent_type="public", language="id", token=token)
    assert secret == token
    assert draft.invitation is None  # the database alone cannot tell whose draft it is
    assert draft.key_digest != invitation.token_digest
    again, _secret = respond.start(
        entry=entry, respondent_type="public", language="id", token=token
    )
    assert again == draft and Draft.objects.count() == 1


def test_start_refuses_a_type_the_entry_does_not_offer(wave: Wave) -> None:
    with pytest.raises(ValueError, match="not offered"):
        respond.start(entry=public_entry(wave), respondent_type="internal", language="id")


def test_start_refuses_a_closed_wave(wave: Wave) -> None:
    entry = public_entry(wave)
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    entry.wave.refresh_from_db()
    with pytest.raises(respond.NotOpen):
        respond.start(entry=entry, respondent_type="public", language="id")
    assert not Draft.objects.exists()


def test_start_refuses_a_used_invitation_and_a_foreign_token(world: World, wave: Wave) -> None:
    invitation, token = invite(wave, world.dinkes, used=True)
    entry = respond.entry_for_token(token)
    assert entry is not None
    with pytest.raises(respond.InvitationUsed):
        respond.start(entry=entry, respondent_type="public", language="id", token=token)
    with pytest.raises(ValueError, match="token"):
        respond.start(entry=entry, respondent_type="public", language="id", token="other")


def test_saving_a_page_replaces_its_answers_and_keeps_the_others(wave: Wave) -> None:
    draft = begin(wave, {"age": "40", "sex": "m"})
    respond.save_page(
        draft=draft,
        codes=["sex", "age", "visited"],
        values={"age": "41"},
        furthest=1,
        language="en",
    )
    respond.save_page(draft=draft, codes=["U1"], values={"U1": "2"}, furthest=0, language="en")
    draft.refresh_from_db()
    assert draft.answers == {"age": "41", "U1": "2"}  # "sex" left empty on its page: gone
    assert draft.section_index == 2  # the furthest page reached is never lowered
    assert draft.language == "en"


def test_submit_writes_one_response_with_the_day_only_and_deletes_the_draft(
    wave: Wave,
) -> None:
    draft = begin(wave, COMPLETE)
    events = Event.objects.count()
    with time_machine.travel(dt.datetime(2026, 3, 2, 23, 59, tzinfo=dt.UTC), tick=False):
        Wave.objects.filter(pk=wave.pk).update(
            opens_on=dt.date(2026, 3, 1), closes_on=dt.date(2026, 3, 31)
        )
        response = respond.submit(draft=draft)
    response.refresh_from_db()
    assert response.submitted_on == dt.date(2026, 3, 3)  # the local (Jakarta) day
    assert Response.unpack(response.answers) == [0, 3, 4, 6, 2, 0b101, 0, 0]
    assert response.extra == {"age": "34", "suggestion": "Lebih cepat"}
    assert response.source == Response.Source.WEB and response.batch is None
    assert not Draft.objects.exists()
    assert Event.objects.count() == events


def test_submit_leaves_out_answers_whose_condition_no_longer_holds(wave: Wave) -> None:
    draft = begin(wave, {**COMPLETE, "complaint_text": "lama", "resolved": "yes"})
    response = respond.submit(draft=draft)
    decoded = respond.schema_for(wave).decode(Response.unpack(response.answers), response.extra)
    assert "complaint_text" not in decoded and "resolved" not in decoded


def test_submit_marks_the_invitation_used_in_the_same_transaction(world: World, wave: Wave) -> None:
    invitation, token = invite(wave, world.dinkes)
    entry = respond.entry_for_token(token)
    assert entry is not None
    draft, _secret = respond.start(
        entry=entry, respondent_type="public", language="id", token=token
    )
    respond.save_page(draft=draft, codes=COMPLETE, values=COMPLETE, furthest=2, language="id")
    respond.submit(draft=draft, token=token)
    invitation.refresh_from_db()
    assert invitation.used and Response.objects.count() == 1


def test_submit_with_an_invitation_used_meanwhile_saves_nothing(world: World, wave: Wave) -> None:
    invitation, token = invite(wave, world.dinkes)
    entry = respond.entry_for_token(token)
    assert entry is not None
    draft, _secret = respond.start(
        entry=entry, respondent_type="public", language="id", token=token
    )
    respond.save_page(draft=draft, codes=COMPLETE, values=COMPLETE, furthest=2, language="id")
    Invitation.objects.filter(pk=invitation.pk).update(used=True)
    with pytest.raises(respond.InvitationUsed):
        respond.submit(draft=draft, token=token)
    assert not Response.objects.exists() and Draft.objects.filter(pk=draft.pk).exists()


def test_submit_refuses_a_token_that_is_not_the_drafts(world: World, wave: Wave) -> None:
    _invitation, token = invite(wave, world.dinkes)
    draft = begin(wave, COMPLETE)
    with pytest.raises(ValueError, match="token"):
        respond.submit(draft=draft, token=token)
    assert not Response.objects.exists()


def test_submit_to_a_closed_wave_saves_nothing(wave: Wave) -> None:
    draft = begin(wave, COMPLETE)
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    with pytest.raises(respond.NotOpen):
        respond.submit(draft=draft)
    assert not Response.objects.exists() and Draft.objects.filter(pk=draft.pk).exists()


def test_submit_refuses_incomplete_answers(wave: Wave) -> None:
    draft = begin(wave, {"age": "34", "U1": "3"})
    with pytest.raises(ResponseInvalid) as caught:
        respond.submit(draft=draft)
    assert {e.question for e in caught.value.errors} == {"U2", "U3"}
    assert not Response.objects.exists()


def test_submitting_twice_finds_the_draft_gone(wave: Wave) -> None:
    draft = begin(wave, COMPLETE)
    respond.submit(draft=draft)
    with pytest.raises(respond.DraftGone):
        respond.submit(draft=draft)
    assert Response.objects.count() == 1


def test_drafts_untouched_for_thirty_days_are_cleaned_up(wave: Wave) -> None:
    old = begin(wave)
    recent = begin(wave)
    today = timezone.localdate()
    Draft.objects.filter(pk=old.pk).update(updated_on=today - dt.timedelta(days=31))
    Draft.objects.filter(pk=recent.pk).update(updated_on=today - dt.timedelta(days=30))
    begin(wave)
    assert not Draft.objects.filter(pk=old.pk).exists()
    assert Draft.objects.filter(pk=recent.pk).exists()


def test_pages_skip_sections_without_a_question_for_the_respondent(wave: Wave) -> None:
    schema = respond.schema_for(wave)
    codes = [s.code for s in respond.pages_for(schema, "public", {})]
    assert codes == ["profile", "service", "closing"]
    with_complaint = respond.pages_for(schema, "public", {"complained": "yes"})
    assert [s.code for s in with_complaint] == ["profile", "service", "followup", "closing"]
    assert [s.code for s in respond.pages_for(schema, "internal", {})] == [
        "profile",
        "service",
        "staff",
        "closing",
    ]


def test_a_public_link_offers_the_public_and_external_types_of_the_wave(world: World) -> None:
    mixed = make_wave(world.dinkes, respondent_types=["internal", "external", "expert"])
    assert respond.public_types(mixed) == ("external",)
    internal_only = make_wave(world.disdik, code="internal-only", respondent_types=["internal"])
    assert respond.public_types(internal_only) == ("internal",)


def test_published_questionnaires_are_compiled_once(
    wave: Wave, django_assert_num_queries: Any
) -> None:
    respond.schema_for(wave)
    with django_assert_num_queries(0):
        respond.schema_for(wave)


def test_starting_afresh_deletes_the_draft_it_replaces(wave: Wave) -> None:
    old = begin(wave, {"age": "40"})
    draft, _code = respond.start(
        entry=public_entry(wave), respondent_type="public", language="id", replacing=old
    )
    assert list(Draft.objects.all()) == [draft]
