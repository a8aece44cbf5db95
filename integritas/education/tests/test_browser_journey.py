"""The whole journey on phones, in a real browser with a phone-sized window: a participant
registers and gets the ticket, a staff member checks them in by typed code on their own phone,
opens the pre-test, the participant takes it from the ticket page, the post-test likewise, staff
issue the certificates, and the participant downloads theirs and opens its verification page.
The public pages hold no script; the live server runs in another thread, so the data is
committed (``transactional_db`` through ``live_server``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.models import Government, Role
from integritas.core.tests.conftest import make_user
from integritas.core.tests.test_browser_journeys import (
    ENROLLED_KEY,
    Journeys,
    code_for,
    enrol,
    sign_in,
    submit_code,
)
from integritas.education.models import Certificate, Registration, Submission
from integritas.education.services import assessment
from integritas.education.tests.conftest import make_event
from integritas.education.tests.test_assessment import bank

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits(page: Page) -> None:
    """Nothing on the page is wider than the phone's window."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _take_from_ticket(page: Page, ticket_url: str, right_answers: int) -> None:
    """From the ticket page: *Take the test* (the code is filled in), start, answer the first
    ``right_answers`` questions right and the rest wrong, and submit."""
    page.goto(ticket_url)
    with page.expect_navigation():
        page.locator("#test-open a").click()
    assert page.locator("script").count() == 0
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(4)
    for i in range(questions.count()):
        options = questions.nth(i).locator("input[type=radio]")
        # The bank's single-choice questions have the second option right, true/false the first.
        right = 1 if options.count() == 3 else 0
        wrong = 0 if right == 1 else 1
        options.nth(right if i < right_answers else wrong).check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    _fits(page)


def _staff_post(page: Page, url: str, selector: str) -> None:
    page.goto(url)
    with page.expect_navigation():
        page.locator(selector).click()


def test_on_phones_a_participant_goes_from_registration_to_a_verified_certificate(
    browser_page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    Government.objects.create(name="Pemerintah Kota Uji", kind=Government.Kind.CITY)
    inspector = make_user("inspector", role=Role.INSPECTOR)
    enrol(inspector)
    event = make_event(None, by=inspector)
    assessment.test_update(
        event=event,
        questions=bank(None, 4, by=inspector),
        certificate_needs_pass=False,
        pass_mark=70,
        by=inspector,
    )
    page = browser_page
    page.set_viewport_size(PHONE)

    # The participant registers: no account, no script on the page.
    page.goto(f"{live_server.url}/acara/{event.code}/")
    assert page.locator("script").count() == 0
    page.fill("input[name=name]", "Siti Rahma")
    page.fill("input[name=institution]", "Harian Kota Uji")
    page.select_option("select[name=group]", "press")
    page.fill("input[name=email]", "siti@example.test")
    page.check("input[name=consent]")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#ticket-code")).to_be_visible()
    assert page.locator(".qr svg").count() == 1
    code = page.locator("#ticket-code").inner_text().strip()
    ticket_url = page.url
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    _fits(page)

    # A staff member signs in on their own phone and types the code at the door, twice.
    staff = page.context.new_page()
    staff.set_viewport_size(PHONE)
    journeys = Journeys(
        url=live_server.url, dinkes=None, disdik=None, inspector=inspector, officer_a=None
    )  # type: ignore[arg-type]
    sign_in(staff, journeys, "inspector")
    assert submit_code(staff, code_for(ENROLLED_KEY)) == 302  # signed in, sent on
    staff.goto(f"{live_server.url}/edukasi/{event.code}/hadir/")
    staff.fill("input[name=code]", code.lower())
    with staff.expect_navigation():
        staff.locator("form.checkin button[type=submit]").click()
    expect(staff.locator("#outcome")).to_contain_text("Siti Rahma")
    expect(staff.locator("#outcome")).to_have_class("message success")
    staff.fill("input[name=code]", code)
    with staff.expect_navigation():
        staff.locator("form.checkin button[type=submit]").click()
    expect(staff.locator("#outcome")).to_have_class("message warning")
    registration = Registration.objects.get()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == inspector
    _fits(staff)

    # The pre-test: staff open it, the participant takes it from the ticket page.
    test_url = f"{live_server.url}/edukasi/{event.code}/tes/"
    _staff_post(staff, test_url, "form[action$='/pre/buka/'] button")
    _take_from_ticket(page, ticket_url, 1)
    expect(page.locator("#score")).to_have_text("25")
    expect(page.locator("#answers-later")).to_be_visible()

    # The post-test, after the session; now the answers and explanations are shown.
    _staff_post(staff, test_url, "form[action$='/pre/tutup/'] button")
    _staff_post(staff, test_url, "form[action$='/post/buka/'] button")
    _take_from_ticket(page, ticket_url, 4)
    expect(page.locator("#score")).to_have_text("100")
    assert page.locator("#unpaired").count() == 0
    expect(page.locator("ol.answers li")).to_have_count(4)
    assert sorted(Submission.objects.values_list("phase", "score")) == [("post", 100), ("pre", 25)]

    # Staff issue the certificates; the participant downloads theirs from the ticket page.
    _staff_post(
        staff,
        f"{live_server.url}/edukasi/{event.code}/",
        "form[action$='/sertifikat/terbitkan/'] button",
    )
    certificate = Certificate.objects.get()
    page.goto(ticket_url)
    with page.expect_download() as download:
        page.locator("a[href$='sertifikat.pdf']").click()
    assert download.value.suggested_filename == f"sertifikat-{certificate.serial}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # Its verification page, as the QR on the certificate opens it: valid, with the name.
    page.goto(f"{live_server.url}/sertifikat/{certificate.serial}/")
    expect(page.locator("main .message.success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Siti Rahma")
    _fits(page)
