"""The respondent pages are public pages (integritas/core/public.py): no referrer to other sites
on any answer, nothing about the respondent in any log record, a signed-in employee's session
left as it was, and a CSRF refusal that says what to do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.core.testing import World
from integritas.core.tests.public_helpers import request_logs, runserver_line, session_row
from integritas.surveys.models import Draft, Wave
from integritas.surveys.tests.test_respond_helpers import (
    GOOD_ANSWERS,
    answer,
    answer_all,
    invite,
    make_wave,
    page_url,
    public_url,
    start,
)

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.211"
USER_AGENT = "PrivacyProbe/2.4 (Android 14; unique-ua-9d41b7)"
START = "/s/start/"


@pytest.fixture(autouse=True)
def _fresh_counters() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wave(world: World) -> Wave:
    return make_wave(world.dinkes)


def respondent(**extra: str) -> Client:
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=USER_AGENT, **extra)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def every_kind_of_answer(world: World, wave: Wave) -> dict[str, HttpResponse]:
    _invitation, token = invite(wave, world.dinkes)
    client = respondent()
    answers = {
        "landing": client.get(public_url(wave)),
        "invitation": client.get(reverse("surveys-respond-invitation", args=[token])),
        "unknown link": client.get(reverse("surveys-respond-public", args=["nope"])),
        "start": start(client, wave, "public"),
        "page": client.get(page_url(wave, 1)),
        "invalid page": client.post(page_url(wave, 1), {"shown": "age", "q-age": "3"}),
        "resume": client.get(reverse("surveys-respond-resume")),
        "wrong code": client.post(reverse("surveys-respond-resume"), {"code": "AAAA-BBBB"}),
        "method not allowed": client.put(START),
        "csrf refused": Client(enforce_csrf_checks=True).post(START, {"code": "x"}),
    }
    answers["submitted"] = answer_all(client, wave)
    answers["thanks"] = client.get(reverse("surveys-respond-thanks", args=[wave.public_id]))
    return answers


def test_every_answer_sends_no_referrer_to_other_sites_and_is_not_cached(
    world: World, wave: Wave
) -> None:
    for name, response in every_kind_of_answer(world, wave).items():
        assert response["Referrer-Policy"] == "same-origin", name
        assert "no-store" in response["Cache-Control"], name
        assert settings.SESSION_COOKIE_NAME not in response.cookies, name
        if response.status_code not in (302, 405):
            assert '<meta name="referrer" content="same-origin">' in response.content.decode()


def test_no_log_record_holds_the_respondent_the_token_or_the_path(world: World, wave: Wave) -> None:
    _invitation, token = invite(wave, world.dinkes)
    invitation_url = reverse("surveys-respond-invitation", args=[token])
    client = respondent()
    with request_logs() as logs:
        client.get(reverse("surveys-respond-invitation", args=[token + "x"]))  # a typo: 404
        client.put(invitation_url)  # 405
        respondent(enforce_csrf_checks=True).post(START, {"token": token})  # CSRF refusal
        client.get(invitation_url)
        client.post(START, {"token": token})
        answer(client, wave, 1, {"age": "3"})  # a wrong answer: 400
        answer_all(client, wave)
        client.get(reverse("surveys-respond-thanks", args=[wave.public_id]))
        runserver_line(f"GET {invitation_url} HTTP/1.1", 200)
        runserver_line(f"GET {invitation_url}x/ HTTP/1.1", 404)
    assert wave.responses.count() == 1  # the answers went through
    text = logs.text()
    for secret in (token, ADDRESS, USER_AGENT, "/s/"):
        assert secret not in text, secret


def test_a_signed_in_employee_answers_anonymously_and_keeps_the_session_as_it_was(
    world: World, wave: Wave
) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        client.force_login(world.officer_a)
        before = session_row(client)
        clock.shift(dt.timedelta(minutes=10))
        landing = client.get(public_url(wave))
        assert landing.status_code == 200
        assert reverse("core-logout") not in landing.content.decode()  # anonymous here
        start(client, wave, "public")
        answer(client, wave, 1, GOOD_ANSWERS[0])
        assert session_row(client) == before
        assert client.get(reverse("core-home")).status_code == 200  # still signed in
        assert session_row(client)[1] == before[1] + dt.timedelta(minutes=10)


def test_a_csrf_refusal_shows_the_notice_page_and_starts_nothing(wave: Wave) -> None:
    client = respondent(enforce_csrf_checks=True)
    response = client.post(START, {"code": "x", "respondent_type": "public"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form could not be sent" in html and "Allow cookies for this site" in html
    assert 'class="card notice"' in html and 'class="respond"' in html
    assert not Draft.objects.exists()
