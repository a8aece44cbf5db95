"""An anonymous citizen on a phone opens the portal, goes to the follow-up tracker, opens a
recommendation and a unit, and finds the published evidence; the pages fit the phone's width.

The live server runs in another thread, so the data is committed (``transactional_db``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.testing import World
from integritas.portal.tests.stories import story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"


def test_a_citizen_follows_a_recommendation_on_a_phone(
    world: World, live_server: LiveServer, browser_page: Page
) -> None:
    s = story(world)
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Masuk", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    _fits(page)
    page.get_by_role("navigation", name="Portal").get_by_role(
        "link", name="Pemantauan tindak lanjut"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pemantauan tindak lanjut")
    _fits(page)
    page.get_by_role("link", name=f"{s.rec.code} {s.rec.title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(s.rec.code)
    expect(page.get_by_role("link", name="Perwal yang terbit")).to_be_visible()
    expect(page.get_by_text(s.hidden_rec.title)).to_have_count(0)
    _fits(page)
    page.get_by_role("link", name="Dinas Kesehatan").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dinas Kesehatan")
    _fits(page)
    page.keyboard.press("Tab")  # the first stop is the skip link
    expect(page.locator(":focus")).to_have_class("skip-link")
