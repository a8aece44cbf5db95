"""The report pages are public pages (integritas/core/public.py): nothing about the reporter in
any log record, a signed-in employee's session left as it was (and the employee anonymous on
them), and a CSRF refusal that shows the notice page. Headers: test_public_headers.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.complaints.models import Report
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.test_public_helpers import (
    CHECK_URL,
    REPLY_URL,
    REPORT_URL,
    form_data,
    once_token,
    open_report,
    receipt_from,
    reporter,
    reporter_pass,
    send,
)
from integritas.core.tests.public_helpers import request_logs, runserver_line, session_row

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.93"
USER_AGENT = "ReportProbe/5.0 (Windows NT 10.0; unique-ua-51ab9e)"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_no_log_record_holds_the_reporter_the_receipt_or_the_path(desk: Desk) -> None:
    client = reporter(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=USER_AGENT)
    with request_logs() as logs:
        client.get(REPORT_URL)
        send(client, form_data(desk.world.disdik, what=""))  # a mistake: 400
        receipt = receipt_from(send(client, form_data(desk.world.disdik)))
        open_report(client, "0000 0000 0000 0000")  # a wrong receipt: 400
        page = open_report(client, receipt)
        client.post(
            REPLY_URL, {"pass": reporter_pass(page), "once": once_token(page), "text": "Ya."}
        )
        client.put(CHECK_URL)  # 405
        reporter(enforce_csrf_checks=True).post(REPORT_URL, form_data(desk.world.disdik))
        runserver_line(f"POST {CHECK_URL} HTTP/1.1", 200)
        runserver_line(f"GET {REPORT_URL}?lang=en HTTP/1.1", 302)
    assert Report.objects.count() == 1  # the report went through
    text = logs.text()
    for secret in (receipt, receipt.replace(" ", ""), ADDRESS, USER_AGENT, "/lapor/"):
        assert secret not in text, secret


def test_a_signed_in_employee_reports_anonymously_and_keeps_the_session_as_it_was(
    desk: Desk,
) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        client.force_login(desk.world.officer_b)
        before = session_row(client)
        clock.shift(dt.timedelta(minutes=10))
        form = client.get(REPORT_URL)
        assert form.status_code == 200
        assert reverse("core-logout") not in form.content.decode()  # anonymous here
        receipt = receipt_from(send(client, form_data(desk.world.disdik)))
        assert open_report(client, receipt).status_code == 200
        assert session_row(client) == before
        assert client.get(reverse("core-home")).status_code == 200  # still signed in
        assert session_row(client)[1] == before[1] + dt.timedelta(minutes=10)


def test_a_csrf_refusal_shows_the_notice_page_of_the_report_pages(desk: Desk) -> None:
    response = reporter(enforce_csrf_checks=True).post(REPORT_URL, form_data(desk.world.disdik))
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form could not be sent" in html and 'class="card notice"' in html
    assert 'class="respond report"' in html  # the look of the report pages
    assert "Set-Cookie" not in response or "sessionid" not in str(response.cookies)
    assert not Report.objects.exists()
