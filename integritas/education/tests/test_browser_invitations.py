"""Invitations on a phone: the staff's invitee list fits the window, and an invitee opens their
personal link, finds their details filled in and registers, in a real browser."""

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
from integritas.education.models import Invitee
from integritas.education.services import invitations
from integritas.education.tests.conftest import make_event

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_an_invitee_registers_from_the_personal_link_and_the_staff_list_shows_it(
    browser_page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    Government.objects.create(name="Pemerintah Kota Uji", kind=Government.Kind.CITY)
    inspector = make_user("inspector", role=Role.INSPECTOR)
    enrol(inspector)
    event = make_event(None, by=inspector, public=False)
    invitee = invitations.add_guest(
        event=event,
        guest=invitations.Guest("Rina Wartawati", "Harian Kota Uji", "press", "rina@example.test"),
        by=inspector,
    )
    page = browser_page
    page.set_viewport_size(PHONE)

    # The invitee opens the link: the event is not public, their details are filled in.
    page.goto(f"{live_server.url}/acara/undangan/{invitations.link_token(invitee)}/")
    assert page.locator("script").count() == 0
    expect(page.locator("input[name=name]")).to_have_value("Rina Wartawati")
    page.check("input[name=consent]")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#ticket-code")).to_be_visible()
    assert Invitee.objects.get().has_registered

    # The staff see it on the invitee list, on a phone.
    journeys = Journeys(
        url=live_server.url, dinkes=None, disdik=None, inspector=inspector, officer_a=None
    )  # type: ignore[arg-type]
    sign_in(page, journeys, "inspector")
    assert submit_code(page, code_for(ENROLLED_KEY)) == 302
    page.goto(f"{live_server.url}/edukasi/{event.code}/undangan/")
    expect(page.locator("main table")).to_contain_text("Rina Wartawati")
    expect(page.locator("main table")).to_contain_text("Terdaftar")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
