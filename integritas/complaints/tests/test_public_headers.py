"""Every public report page, whatever its answer, sends no referrer to other sites, is not cached,
loads nothing from another origin, needs no JavaScript and is not logged by Django."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from integritas.complaints.models import Report
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import submit
from integritas.complaints.tests.test_public_helpers import (
    CHECK_URL,
    REPLY_URL,
    REPORT_URL,
    form_data,
    open_report,
    reporter,
    reporter_pass,
    send,
)

pytestmark = pytest.mark.django_db


def strict_reporter() -> Client:
    """A browser whose CSRF cookie is missing (blocked cookies), checked like a real one."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def every_kind_of_answer(desk: Desk) -> dict[str, HttpResponse]:
    _report, receipt = submit(desk.world.disdik)
    client = reporter()
    opened = open_report(client, receipt)
    return {
        "form": client.get(REPORT_URL),
        "receipt": send(client, form_data(desk.world.disdik)),
        "invalid form": send(client, form_data(desk.world.disdik, what="")),
        "done": client.get("/lapor/selesai/"),
        "check": client.get(CHECK_URL),
        "opened": opened,
        "wrong receipt": open_report(client, "0000 0000 0000 0000"),
        "locked": client.post(CHECK_URL, {"pass": "expired"}),
        "reply refused": client.post(REPLY_URL, {"pass": reporter_pass(opened), "text": ""}),
        "method not allowed": client.put(CHECK_URL),
        "csrf refused": strict_reporter().post(REPORT_URL, {}),
    }


def test_every_answer_sends_no_referrer_to_other_sites_and_is_not_cached(desk: Desk) -> None:
    for name, response in every_kind_of_answer(desk).items():
        # Browsers send a Referer (and an Origin) only to this site, never to another one.
        assert response["Referrer-Policy"] == "same-origin", name
        assert 'name="referrer" content="same-origin"' in response.content.decode() or (
            response.status_code in (302, 405)
        ), name
        assert "no-store" in response["Cache-Control"], name
        assert "Set-Cookie" not in response or "sessionid" not in str(response.cookies), name


def test_the_pages_load_nothing_from_another_origin_and_no_script(desk: Desk) -> None:
    for name, response in every_kind_of_answer(desk).items():
        if response.status_code == 405:
            continue
        html = response.content.decode()
        assert "<script" not in html, name
        for url in re.findall(r'(?:src|href|action)="([^"]*)"', html):
            assert not re.match(r"(https?:)?//", url), (name, url)
        assert "default-src 'self'" in response["Content-Security-Policy"], name


def test_refusals_are_not_logged_by_django(desk: Desk, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    answers = every_kind_of_answer(desk)
    assert {r.status_code for r in answers.values()} >= {400, 403, 405}
    logged = [r for r in caplog.records if r.name.startswith("django.request")]
    logged += [r for r in caplog.records if r.name.startswith("django.security")]
    assert logged == []


def test_a_csrf_refusal_says_what_to_do_and_stores_nothing(desk: Desk) -> None:
    response = strict_reporter().post(REPORT_URL, form_data(desk.world.disdik))
    assert response.status_code == 403
    assert b"Allow cookies for this site" in response.content
    assert not Report.objects.exists()


def csrf_ready(client: Client) -> str:
    """Open the form like a browser: the CSRF cookie is set and the form's token returned."""
    html = client.get(REPORT_URL).content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_a_post_from_this_site_passes_but_one_from_another_or_a_null_origin_does_not(
    desk: Desk,
) -> None:
    client = strict_reporter()
    token = csrf_ready(client)
    data = {**form_data(desk.world.disdik), "csrfmiddlewaretoken": token}
    foreign = client.post(REPORT_URL, data, HTTP_ORIGIN="https://evil.example")
    assert foreign.status_code == 403 and not Report.objects.exists()
    # ``Origin: null`` is what a page under ``no-referrer`` sends; these pages say same-origin.
    null = client.post(REPORT_URL, data, HTTP_ORIGIN="null")
    assert null.status_code == 403 and not Report.objects.exists()
    no_token = client.post(
        REPORT_URL, form_data(desk.world.disdik), HTTP_ORIGIN="http://testserver"
    )
    assert no_token.status_code == 403 and not Report.objects.exists()
    accepted = client.post(REPORT_URL, data, HTTP_ORIGIN="http://testserver")
    assert accepted.status_code == 200 and Report.objects.count() == 1


def test_the_language_is_switched_by_a_plain_link(desk: Desk) -> None:
    client = Client()
    page = client.get(CHECK_URL).content.decode()
    assert 'href="?lang=en"' in page and '<form class="lang-switch"' not in page
    switched = client.get(CHECK_URL + "?lang=en")
    assert switched.status_code == 302 and switched["Location"] == CHECK_URL
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(CHECK_URL)["Content-Language"] == "en"
    assert client.get(CHECK_URL + "?lang=xx").cookies.get(settings.LANGUAGE_COOKIE_NAME) is None


def test_over_https_a_post_needs_this_site_as_referer_and_the_token(
    desk: Desk, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = False
    client = strict_reporter()
    token = csrf_ready(client)
    data = {**form_data(desk.world.disdik), "csrfmiddlewaretoken": token}
    foreign = client.post(REPORT_URL, data, secure=True, HTTP_REFERER="https://evil.example/")
    assert foreign.status_code == 403 and not Report.objects.exists()
    assert b"Allow cookies for this site" in foreign.content
    same_site = client.post(REPORT_URL, data, secure=True, HTTP_REFERER="https://testserver/lapor/")
    assert same_site.status_code == 200 and Report.objects.count() == 1
