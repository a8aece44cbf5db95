"""The public report pages leave no lasting cookie on the reporter's device: their CSRF cookie is
a session cookie (gone when the browser closes), there and only there. A post too large for the
server's limits is refused with a page that keeps the pages' promises: no referrer to other sites,
no copy in a cache, nothing logged."""

from __future__ import annotations

import logging
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
)

pytestmark = pytest.mark.django_db


def csrf_cookie(response: HttpResponse) -> str:
    morsel = response.cookies.get(settings.CSRF_COOKIE_NAME)
    assert morsel is not None, "no CSRF cookie set"
    return morsel.OutputString()


def test_the_csrf_cookie_of_the_report_pages_dies_with_the_browser(desk: Desk) -> None:
    _report, receipt = submit(desk.world.disdik)
    client = reporter()
    for response in (client.get(REPORT_URL), client.get(CHECK_URL), open_report(client, receipt)):
        cookie = csrf_cookie(response)
        assert "max-age" not in cookie.lower() and "expires" not in cookie.lower(), cookie
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_lasting_csrf_cookie_is_replaced_by_a_session_cookie_on_the_report_pages(
    desk: Desk,
) -> None:
    client = reporter()
    lasting = csrf_cookie(client.get("/accounts/login/"))
    assert "Max-Age" in lasting  # the staff pages keep Django's cookie
    renewed = csrf_cookie(client.get(REPORT_URL))
    assert "Max-Age" not in renewed and "expires" not in renewed


def test_other_pages_keep_their_csrf_cookie_as_it_was(desk: Desk) -> None:
    assert "Max-Age" in csrf_cookie(Client().get("/accounts/login/"))


def private_headers(response: HttpResponse) -> None:
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert 'name="referrer" content="same-origin"' in response.content.decode()


def test_a_post_larger_than_the_limit_is_refused_with_the_pages_headers(
    desk: Desk, settings: Any, caplog: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    caplog.set_level(logging.DEBUG)
    response = reporter().post(REPORT_URL, form_data(desk.world.disdik, what="x" * 20_000))
    assert response.status_code == 413
    private_headers(response)
    assert "too large" in response.content.decode()
    assert not Report.objects.exists()
    assert not [r for r in caplog.records if r.name.startswith("django.")]


def test_a_reply_with_too_many_fields_is_refused_with_the_pages_headers(
    desk: Desk, settings: Any
) -> None:
    _report, receipt = submit(desk.world.disdik)
    client = reporter()
    token = reporter_pass(open_report(client, receipt))
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    fields = {f"x{n}": "1" for n in range(40)}
    response = client.post(REPLY_URL, {"pass": token, "text": "Tambahan", **fields})
    assert response.status_code == 400
    private_headers(response)
    assert response.cookies.get(settings.CSRF_COOKIE_NAME) is None or (
        "Max-Age" not in csrf_cookie(response)
    )
