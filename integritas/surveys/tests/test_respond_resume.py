"""Save and resume (/s/resume/): a resume code continues the answers on any device, in the
language they were begun in; wrong codes are refused and, repeated, slowed down."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from integritas.core.testing import World
from integritas.surveys.models import Draft, Response, Wave
from integritas.surveys.services import respond
from integritas.surveys.tests.test_respond_helpers import (
    GOOD_ANSWERS,
    answer,
    cookie_value,
    current_draft,
    main_part,
    make_wave,
    page_url,
    public_url,
    start,
    t,
)

pytestmark = pytest.mark.django_db
RESUME = "/s/resume/"


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


@pytest.fixture
def wave(world: World) -> Wave:
    return make_wave(world.dinkes)


def begun(wave: Wave, **cookies: str) -> tuple[Client, str]:
    """A respondent who answered the first page; returns their client and resume code."""
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    start(client, wave)
    answer(client, wave, 1, GOOD_ANSWERS[0])
    kind, _sep, code = cookie_value(client).partition(":")
    assert kind == respond.RESUME
    return client, code


def test_a_resume_code_continues_on_another_device_where_it_stopped(wave: Wave) -> None:
    _phone, code = begun(wave)
    laptop = Client()
    response = laptop.post(RESUME, {"code": code})
    assert response.status_code == 302 and response["Location"] == page_url(wave, 2)
    assert current_draft(laptop) == Draft.objects.get()
    page1 = main_part(laptop.get(page_url(wave, 1)))
    assert re.search(r'name="q-age" value="34"', page1)  # the answers came along
    answer(laptop, wave, 2, GOOD_ANSWERS[1])
    answer(laptop, wave, 3, GOOD_ANSWERS[2])
    assert Response.objects.count() == 1 and not Draft.objects.exists()


@pytest.mark.parametrize("typing", [str.upper, lambda c: c.replace("-", ""), lambda c: f"  {c} "])
def test_the_code_may_be_typed_in_capitals_without_dashes_or_with_spaces(
    wave: Wave, typing: object
) -> None:
    _phone, code = begun(wave)
    response = Client().post(RESUME, {"code": typing(code)})  # type: ignore[operator]
    assert response.status_code == 302


def test_a_wrong_code_is_refused_with_a_message(wave: Wave) -> None:
    begun(wave)
    client = Client()
    response = client.post(RESUME, {"code": "aaaa-bbbb-cccc"})
    assert response.status_code == 400
    html = main_part(response)
    assert t("No survey in progress has this code. Check the code and try again.") in html
    assert 'id="id_code_error"' in html
    assert cookie_value(client) == ""


def test_an_empty_code_is_refused(wave: Wave) -> None:
    assert Client().post(RESUME, {"code": ""}).status_code == 400


def test_the_resume_page_offers_to_continue_the_draft_on_this_device(wave: Wave) -> None:
    phone, _code = begun(wave)
    html = main_part(phone.get(RESUME))
    assert page_url(wave, 2) in html
    assert page_url(wave, 2) not in main_part(Client().get(RESUME))


def test_resuming_a_closed_wave_says_it_has_closed(wave: Wave) -> None:
    _phone, code = begun(wave)
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    response = Client().post(RESUME, {"code": code})
    assert response.status_code == 410
    assert t("This survey has closed") in main_part(response)


def test_a_new_device_continues_in_the_language_the_answers_were_begun_in(wave: Wave) -> None:
    _phone, code = begun(wave, integritas_language="en")
    laptop = Client()
    response = laptop.post(RESUME, {"code": code})
    assert response.cookies["integritas_language"].value == "en"
    assert "Page 2 of 3" in main_part(laptop.get(response["Location"]))
    # A device that already chose a language keeps it.
    chosen = Client()
    chosen.cookies["integritas_language"] = "id"
    assert "integritas_language" not in chosen.post(RESUME, {"code": code}).cookies


def test_many_wrong_codes_from_one_address_are_slowed_down(wave: Wave, settings: object) -> None:
    settings.SURVEY_RESUME_FAILURES_PER_HOUR = 3  # type: ignore[attr-defined]
    _phone, code = begun(wave)
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(3):
        assert guesser.post(RESUME, {"code": "aaaa-bbbb-cccc"}).status_code == 400
    limited = guesser.post(RESUME, {"code": code})  # even the right code waits now
    assert limited.status_code == 429
    assert t("Please wait a while") in main_part(limited)
    assert Client(REMOTE_ADDR="198.51.100.8").post(RESUME, {"code": code}).status_code == 302


def test_the_resume_page_is_reachable_from_the_landing_page(wave: Wave) -> None:
    assert reverse("surveys-respond-resume") in main_part(Client().get(public_url(wave)))
