"""The questionnaire pages (/s/r/<wave>/<n>/): one section per page, every question type
rendered and validated on the server, conditions without JavaScript, targeting by respondent
type, Back and Next, and submission on the last page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.surveys.models import Draft, Response, Wave
from integritas.surveys.services import respond
from integritas.surveys.tests.test_respond_helpers import (
    GOOD_ANSWERS,
    answer,
    answer_all,
    cookie_value,
    current_draft,
    invite,
    main_part,
    make_wave,
    page_url,
    start,
    t,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


@pytest.fixture
def wave(world: World) -> Wave:
    return make_wave(world.dinkes)


@pytest.fixture
def client(wave: Wave) -> Client:
    """A respondent who came through the unit's public link and pressed Start."""
    c = Client()
    assert start(c, wave).status_code == 302
    return c


def decoded(wave: Wave) -> dict[str, Any]:
    response = Response.objects.get(wave=wave)
    return respond.schema_for(wave).decode(Response.unpack(response.answers), response.extra)


def test_it_shows_one_section_per_page_with_a_progress_bar(client: Client, wave: Wave) -> None:
    html = main_part(client.get(page_url(wave, 1)))
    assert "Tentang Anda" in html
    assert "Jenis kelamin" in html and "Umur" in html
    assert "Pertanyaan U1" not in html  # the next section waits for the next page
    assert t("Page %(n)s of %(m)s", n=1, m=3) in html
    assert '<progress max="3" value="1"' in html
    assert "style=" not in html


def test_choice_questions_are_fieldsets_with_a_legend_and_labelled_options(
    client: Client, wave: Wave
) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    html = main_part(client.get(page_url(wave, 2)))
    fieldsets = re.findall(r'<fieldset class="question" id="question-([\w.-]+)"', html)
    assert fieldsets == ["U1", "U2", "U3", "complained", "channels"]
    assert "<legend>Pertanyaan U1" in html
    assert html.count('name="q-U1"') == 4  # Likert, 4 points
    assert html.count('name="q-U2"') == 5
    assert html.count('name="q-U3"') == 6
    assert html.count('name="q-complained"') == 3  # yes, no, and "no answer" (optional)
    assert html.count('type="checkbox" name="q-channels"') == 3
    for input_id in re.findall(r'<input type="(?:radio|checkbox)"[^>]* id="([^"]+)"', html):
        assert f'<label class="option" for="{input_id}">' in html
    assert t("(required)") in html and t("(optional)") in html


def test_every_input_has_a_label(client: Client, wave: Wave) -> None:
    html = main_part(client.get(page_url(wave, 1)))
    ids = re.findall(r'<(?:input|textarea|select)(?![^>]*type="hidden")[^>]* id="([^"]+)"', html)
    assert ids
    for input_id in ids:
        assert f'for="{input_id}"' in html


def test_it_says_next_to_each_required_question_that_it_needs_an_answer(
    client: Client, wave: Wave
) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    response = answer(client, wave, 2, {"U2": "4"})
    assert response.status_code == 400
    html = main_part(response)
    message = t("Please answer this question.")
    assert html.count(message) == 2  # U1 and U3; U2 answered, the rest optional
    assert 'id="id_q-U1_error"' in html
    assert 'aria-describedby="id_q-U1_error"' in html  # the fieldset points at its message
    assert re.search(r'name="q-U1"[^>]*aria-invalid="true"', html)
    assert '<a href="#id_q-U1_0">' in html  # the summary leads to the question
    assert re.search(r'name="q-U2" value="4"[^>]*checked', html)  # what was given stays
    assert current_draft(client).section_index == 1  # type: ignore[union-attr]  # not moved on


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("17", "17"), ("99", "99"), ("20,5", "20.5"), ("42.25", "42.25")],
)
def test_it_accepts_numbers_within_the_range(
    client: Client, wave: Wave, typed: str, stored: str
) -> None:
    response = answer(client, wave, 1, {"age": typed})
    assert response.status_code == 302
    assert current_draft(client).answers["age"] == stored  # type: ignore[union-attr]


@pytest.mark.parametrize("typed", ["16", "100", "abc", "1e400"])
def test_it_rejects_numbers_outside_the_range_or_not_numbers(
    client: Client, wave: Wave, typed: str
) -> None:
    response = answer(client, wave, 1, {"age": typed})
    assert response.status_code == 400
    assert 'id="id_q-age_error"' in main_part(response)
    assert re.search(r'aria-describedby="[^"]*id_q-age_error', main_part(response))
    draft = current_draft(client)
    assert draft is not None and draft.section_index == 0
    assert draft.answers.get("age") == typed  # kept as typed, to be corrected


@pytest.mark.parametrize(
    ("typed", "stored"), [("2025-08-17", "2025-08-17"), ("17/08/2025", "2025-08-17")]
)
def test_it_accepts_a_date_as_the_browser_or_a_person_writes_it(
    client: Client, wave: Wave, typed: str, stored: str
) -> None:
    assert answer(client, wave, 1, {"age": "30", "visited": typed}).status_code == 302
    assert current_draft(client).answers["visited"] == stored  # type: ignore[union-attr]


@pytest.mark.parametrize("typed", ["2025-02-30", "17.08.2025", "kemarin"])
def test_it_rejects_a_date_it_cannot_read(client: Client, wave: Wave, typed: str) -> None:
    response = answer(client, wave, 1, {"age": "30", "visited": typed})
    assert response.status_code == 400
    assert 'id="id_q-visited_error"' in main_part(response)


def test_it_limits_long_text_to_5000_and_short_text_to_300_characters(
    client: Client, wave: Wave
) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    base = {"U1": "1", "U2": "1", "U3": "1", "complained": "yes"}
    answer(client, wave, 2, base)  # opens the complaint text
    too_long = answer(client, wave, 2, {**base, "complaint_text": "x" * 5001})
    assert too_long.status_code == 400
    assert 'id="id_q-complaint_text_error"' in main_part(too_long)
    assert answer(client, wave, 2, {**base, "complaint_text": "x" * 5000}).status_code == 302
    answer(client, wave, 3, {"resolved": "no"})
    assert answer(client, wave, 4, {"suggestion": "y" * 301}).status_code == 400
    assert answer(client, wave, 4, {"suggestion": "y" * 300}).status_code == 302
    assert len(decoded(wave)["complaint_text"]) == 5000


def test_multiple_choice_keeps_every_ticked_answer(client: Client, wave: Wave) -> None:
    pages = [dict(p) for p in GOOD_ANSWERS]
    pages[1]["channels"] = ["phone", "web"]
    answer_all(client, wave, pages)
    assert decoded(wave)["channels"] == ["web", "phone"]  # questionnaire order
    slot = respond.schema_for(wave).questions["channels"].slot
    assert Response.unpack(Response.objects.get().answers)[slot] == 0b011


def test_it_refuses_an_answer_that_is_not_one_of_the_choices(client: Client, wave: Wave) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    wrong = {**GOOD_ANSWERS[1], "U1": "5", "channels": ["web", "fax"]}
    response = answer(client, wave, 2, wrong)
    assert response.status_code == 400
    html = main_part(response)
    assert 'id="id_q-U1_error"' in html and 'id="id_q-channels_error"' in html
    assert "U1" not in current_draft(client).answers  # type: ignore[union-attr]


def test_a_question_opened_by_an_answer_on_the_same_page_is_shown_before_moving_on(
    client: Client, wave: Wave
) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    answers = {"U1": "2", "U2": "2", "U3": "2", "complained": "yes"}
    shown_again = answer(client, wave, 2, answers)
    assert shown_again.status_code == 200  # the same page, now with the complaint question
    html = main_part(shown_again)
    assert 'name="q-complaint_text"' in html
    assert (
        t("Your answer opened a further question on this page. Please look at it, then continue.")
        in html
    )
    assert re.search(r'name="q-complained" value="yes"[^>]*checked', html)

    still_empty = answer(client, wave, 2, answers)
    assert still_empty.status_code == 400  # it is required once shown
    assert 'id="id_q-complaint_text_error"' in main_part(still_empty)

    done = answer(client, wave, 2, {**answers, "complaint_text": "Antre lama"})
    assert done.status_code == 302 and done["Location"] == page_url(wave, 3)


def test_a_page_opened_by_an_earlier_answer_is_added_and_counted(
    client: Client, wave: Wave
) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    answer(client, wave, 2, {"U1": "2", "U2": "2", "U3": "2", "complained": "yes"})
    answer(
        client,
        wave,
        2,
        {"U1": "2", "U2": "2", "U3": "2", "complained": "yes", "complaint_text": "x"},
    )
    html = main_part(client.get(page_url(wave, 3)))
    assert "Tindak lanjut pengaduan" in html
    assert '<progress max="4" value="3"' in html


def test_changing_the_answer_back_drops_what_hung_on_it(client: Client, wave: Wave) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    yes = {"U1": "2", "U2": "2", "U3": "2", "complained": "yes"}
    answer(client, wave, 2, yes)
    answer(client, wave, 2, {**yes, "complaint_text": "Antre lama"})
    answer(client, wave, 3, {"resolved": "yes"})
    # Back to page 2: "no" now, the complaint text left as it was (a browser sends it back).
    response = answer(client, wave, 2, {**yes, "complained": "no", "complaint_text": "Antre lama"})
    assert response.status_code == 302 and response["Location"] == page_url(wave, 3)
    html = main_part(client.get(page_url(wave, 3)))
    assert "Penutup" in html and '<progress max="3" value="3"' in html  # follow-up page gone
    answer(client, wave, 3, {})
    assert "complaint_text" not in decoded(wave) and "resolved" not in decoded(wave)


def test_back_keeps_the_answers_entered_even_unfinished_ones(client: Client, wave: Wave) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    response = answer(client, wave, 2, {"U1": "2"}, action="back")
    assert response.status_code == 302 and response["Location"] == page_url(wave, 1)
    assert current_draft(client).answers["U1"] == "2"  # type: ignore[union-attr]
    html = main_part(client.get(page_url(wave, 2)))
    assert re.search(r'name="q-U1" value="2"[^>]*checked', html)
    page1 = main_part(client.get(page_url(wave, 1)))
    assert re.search(r'name="q-age" value="34"', page1)


def test_the_first_page_has_no_back_button_and_next_comes_first(client: Client, wave: Wave) -> None:
    html = main_part(client.get(page_url(wave, 1)))
    assert 'value="back"' not in html
    answer(client, wave, 1, GOOD_ANSWERS[0])
    html = main_part(client.get(page_url(wave, 2)))
    # Enter in a text box presses the first button: that must be Next, not Back.
    assert html.index('value="next"') < html.index('value="back"')


def test_pages_not_reached_yet_cannot_be_skipped_to(client: Client, wave: Wave) -> None:
    response = client.get(page_url(wave, 3))
    assert response.status_code == 302 and response["Location"] == page_url(wave, 1)
    assert client.get(page_url(wave, 0)).status_code == 302


BY_TITLE = {
    "Tentang Anda": GOOD_ANSWERS[0],
    "Layanan": GOOD_ANSWERS[1],
    "Khusus pegawai": {"I1": "3"},
    "Penutup": GOOD_ANSWERS[2],
}


def test_sections_and_questions_follow_the_respondent_type(world: World) -> None:
    wave = make_wave(world.dinkes, respondent_types=["internal", "external", "expert"])
    pages: dict[str, list[str]] = {}
    for rtype in ("internal", "external", "expert"):
        _invitation, token = invite(wave, world.dinkes)
        c = Client()
        c.post(reverse("surveys-respond-start"), {"token": token, "respondent_type": rtype})
        titles, html, number, done = [], "", 1, False
        while not done:
            page = main_part(c.get(page_url(wave, number)))
            title = re.search(r"<h1>([^<]+)</h1>", page).group(1)  # type: ignore[union-attr]
            titles.append(title)
            html += page
            sent = answer(c, wave, number, BY_TITLE[title])
            done = "thanks" in sent["Location"]
            number += 1
        pages[rtype] = titles
        assert ('name="q-expert_note"' in html) == (rtype == "expert")
        assert Response.objects.filter(respondent_type=rtype).count() == 1
    assert pages["internal"] == ["Tentang Anda", "Layanan", "Khusus pegawai", "Penutup"]
    assert pages["external"] == ["Tentang Anda", "Layanan", "Penutup"]
    assert pages["expert"] == ["Tentang Anda", "Layanan", "Penutup"]


def test_the_last_next_sends_the_answers_and_thanks_the_respondent(
    client: Client, wave: Wave
) -> None:
    events = Event.objects.count()
    response = answer_all(client, wave)
    assert response["Location"] == reverse("surveys-respond-thanks", args=[wave.public_id])
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and t("Thank you") in main_part(thanks)
    assert decoded(wave) == {
        "sex": "f",
        "age": "34",
        "visited": "2025-08-17",
        "U1": "3",
        "U2": "4",
        "U3": "6",
        "complained": "no",
        "channels": ["web", "desk"],
        "suggestion": "Antrean lebih cepat",
    }
    stored = Response.objects.get()
    assert stored.source == Response.Source.WEB and stored.respondent_type == "public"
    assert stored.unit == wave.wave_units.get().unit and stored.service is None
    assert not Draft.objects.exists()
    assert Event.objects.count() == events  # respondents leave no audit trail
    assert client.get(page_url(wave, 1)).status_code == 404  # nothing in progress any more


def test_the_last_page_button_says_it_sends_the_answers(client: Client, wave: Wave) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    answer(client, wave, 2, GOOD_ANSWERS[1])
    assert t("Send my answers") in main_part(client.get(page_url(wave, 3)))


def test_a_wave_that_closes_mid_way_says_so_and_saves_nothing(client: Client, wave: Wave) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    answer(client, wave, 2, GOOD_ANSWERS[1])
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    response = client.post(
        page_url(wave, 3), {"shown": "suggestion", "action": "next", "q-suggestion": "x"}
    )
    assert response.status_code == 410
    assert t("This survey has closed") in main_part(response)
    assert not Response.objects.exists()
    assert client.get(page_url(wave, 1)).status_code == 410


def test_a_wave_past_its_closing_date_refuses_the_submission(client: Client, wave: Wave) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    answer(client, wave, 2, GOOD_ANSWERS[1])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Wave.objects.filter(pk=wave.pk).update(closes_on=yesterday, opens_on=yesterday)
    response = client.post(page_url(wave, 3), {"shown": "suggestion", "action": "next"})
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_without_a_draft_on_this_device_the_page_offers_the_resume_form(wave: Wave) -> None:
    response = Client().get(page_url(wave, 1))
    assert response.status_code == 404
    html = main_part(response)
    assert t("No survey in progress") in html
    assert reverse("surveys-respond-resume") in html


def test_the_resume_code_is_on_every_page(client: Client, wave: Wave) -> None:
    resume_code = _resume_code(client)
    for number, answers in enumerate(GOOD_ANSWERS[:2], start=1):
        assert resume_code in main_part(client.get(page_url(wave, number)))
        answer(client, wave, number, answers)
    assert resume_code in main_part(client.get(page_url(wave, 3)))


def test_invited_respondents_are_told_to_reopen_their_link_instead(
    world: World, wave: Wave
) -> None:
    _invitation, token = invite(wave, world.dinkes)
    c = Client()
    c.post(reverse("surveys-respond-start"), {"token": token})
    html = main_part(c.get(page_url(wave, 1)))
    assert (
        t(
            "Your answers are kept as you go. To continue later, open the link in your invitation again."
        )
        in html
    )
    assert token not in html


def test_questions_appear_in_the_chosen_language(world: World, wave: Wave) -> None:
    c = Client()
    c.cookies["integritas_language"] = "en"
    start(c, wave)
    html = main_part(c.get(page_url(wave, 1)))
    assert "<legend>Sex" in html and "Page 1 of 3" in html
    answer(c, wave, 1, GOOD_ANSWERS[0])
    assert current_draft(c).language == "en"  # type: ignore[union-attr]


def _resume_code(client: Client) -> str:
    kind, _sep, secret = cookie_value(client).partition(":")
    assert kind == respond.RESUME
    return secret


def test_a_tampered_page_list_only_brings_the_missing_question_back(
    client: Client, wave: Wave
) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    claimed = {"shown": "U2 U3", "action": "next", "q-U2": "3", "q-U3": "3"}
    response = client.post(page_url(wave, 2), claimed)  # "I was shown only U2 and U3"
    assert response.status_code == 200 and 'name="q-U1"' in main_part(response)
    assert current_draft(client).section_index == 1  # type: ignore[union-attr]


def test_a_wrong_answer_left_on_an_earlier_page_is_shown_there_when_sending(
    client: Client, wave: Wave
) -> None:
    answer(client, wave, 1, GOOD_ANSWERS[0])
    answer(client, wave, 2, GOOD_ANSWERS[1])
    # Page 1, still open in another tab, sent with a wrong age and "Back".
    client.post(page_url(wave, 1), {"shown": "sex age visited", "q-age": "abc", "action": "back"})
    response = client.post(page_url(wave, 3), {"shown": "suggestion", "action": "next"})
    assert response.status_code == 400
    html = main_part(response)
    assert "Tentang Anda" in html and 'id="id_q-age_error"' in html
    assert f'action="{page_url(wave, 1)}"' in html
    assert not Response.objects.exists()
