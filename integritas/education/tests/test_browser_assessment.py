"""On a phone, in a real browser: a participant who checked in takes the pre-test and the
post-test from the test's address with their ticket code, sees the score (and the answers with
their explanations once the post-test is taken), then downloads the certificate (issued only to
those who passed) and opens its verification page. The Inspectorate's steps go through the services; the live server runs in another thread,
so the data is committed (``transactional_db`` through ``live_server``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.models import Government, Role
from integritas.core.tests.conftest import make_user
from integritas.education.models import Certificate, Phase, Submission
from integritas.education.services import assessment, certificates, checkin, tickets
from integritas.education.services import registration as registrations
from integritas.education.tests.conftest import make_event
from integritas.education.tests.test_assessment import bank, participant

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _take(page: Page, url: str, code: str, right_answers: int) -> None:
    """Type the code, answer the first ``right_answers`` questions right and the rest wrong."""
    page.goto(url)
    assert page.locator("script").count() == 0
    page.fill("input[name=ticket]", code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    questions = page.locator("fieldset.question")
    for i in range(questions.count()):
        options = questions.nth(i).locator("input[type=radio]")
        # The bank's single-choice questions have the second option right, true/false the first.
        right = 1 if options.count() == 3 else 0
        wrong = 0 if right == 1 else 1
        options.nth(right if i < right_answers else wrong).check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_a_participant_takes_both_tests_on_a_phone_and_gets_a_verifiable_certificate(
    browser_page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    Government.objects.create(name="Pemerintah Kota Uji", kind=Government.Kind.CITY)
    inspector = make_user("inspector", role=Role.INSPECTOR)
    event = make_event(None, by=inspector)
    questions = bank(None, 4, by=inspector)
    assessment.test_update(
        event=event, questions=questions, certificate_needs_pass=True, pass_mark=75, by=inspector
    )
    reg = participant(event, 1)
    code = tickets.code_for(reg.ticket)
    checkin.check_in(event=event, code=code, by=inspector)
    page = browser_page
    page.set_viewport_size(PHONE)
    url = f"{live_server.url}/acara/{event.code}/tes/"

    assessment.open_phase(event=event, phase=Phase.PRE, by=inspector)
    _take(page, url, code.lower(), 1)
    expect(page.locator("#score")).to_have_text("25")
    # The answers and explanations wait for the post-test.
    expect(page.locator("#answers-later")).to_be_visible()
    assert page.locator("ol.answers li").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assessment.close_phase(event=event, phase=Phase.PRE, by=inspector)

    assessment.open_phase(event=event, phase=Phase.POST, by=inspector)
    _take(page, url, code, 4)
    expect(page.locator("#score")).to_have_text("100")
    assert page.locator("#unpaired").count() == 0
    expect(page.locator("ol.answers li")).to_have_count(4)
    assert sorted(Submission.objects.values_list("phase", "score")) == [("post", 100), ("pre", 25)]

    assert certificates.issue_for_event(event=event, by=inspector) == 1
    certificate = Certificate.objects.get()
    page.goto(f"{live_server.url}/acara/tiket/{registrations.link_token(reg)}/")
    with page.expect_download() as download:
        page.locator("a[href$='sertifikat.pdf']").click()
    assert download.value.suggested_filename == f"sertifikat-{certificate.serial}.pdf"
    page.goto(f"{live_server.url}/sertifikat/{certificate.serial}/")
    expect(page.locator("main")).to_contain_text(reg.name)
