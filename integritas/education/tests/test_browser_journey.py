"""Register on a phone, get the ticket, and be checked in by typed code on a staff phone, in a
real browser with a phone-sized window. The public pages hold no script; the live server runs
in another thread, so the data is committed (``transactional_db`` through ``live_server``)."""

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
from integritas.education.models import Registration
from integritas.education.tests.conftest import make_event

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_participant_registers_on_a_phone_and_staff_check_them_in_by_typed_code(
    browser_page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    Government.objects.create(name="Pemerintah Kota Uji", kind=Government.Kind.CITY)
    inspector = make_user("inspector", role=Role.INSPECTOR)
    enrol(inspector)
    event = make_event(None, by=inspector)
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
    assert Registration.objects.get().status == Registration.Status.CONFIRMED

    # A staff member signs in on their phone and types the code at the door, twice.
    journeys = Journeys(
        url=live_server.url, dinkes=None, disdik=None, inspector=inspector, officer_a=None
    )  # type: ignore[arg-type]
    sign_in(page, journeys, "inspector")
    assert submit_code(page, code_for(ENROLLED_KEY)) == 302  # signed in, sent on
    page.goto(f"{live_server.url}/edukasi/{event.code}/hadir/")
    page.fill("input[name=code]", code.lower())
    with page.expect_navigation():
        page.locator("form.checkin button[type=submit]").click()
    expect(page.locator("#outcome")).to_contain_text("Siti Rahma")
    expect(page.locator("#outcome")).to_have_class("message success")
    page.fill("input[name=code]", code)
    with page.expect_navigation():
        page.locator("form.checkin button[type=submit]").click()
    expect(page.locator("#outcome")).to_have_class("message warning")
    registration = Registration.objects.get()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == inspector
    # The page fits the phone: nothing wider than the window.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
