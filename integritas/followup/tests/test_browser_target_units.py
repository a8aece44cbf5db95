"""The target units in a real browser with JavaScript: the list narrows as the inspector types,
ticked units stay, the count follows the ticks, Enter in the search box does not send the form,
and the recommendation is saved with the units ticked across two searches.

Elements are found by name and attributes, never by English text (the pages are Indonesian).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.testing import BrowserPeople, World, enrol_authenticator
from integritas.followup.models import Recommendation

pytestmark = pytest.mark.browser


def box(page: Page, code: str) -> Locator:
    return page.locator(f"input[name=units][data-code='{code}']")


def test_the_unit_list_narrows_as_the_inspector_types_and_keeps_the_ticked_units(
    browser_page: Page, live_server: LiveServer, world: World
) -> None:
    enrol_authenticator(world.inspector)
    page = BrowserPeople(browser_page, live_server.url).become("inspector")
    page.goto(f"{live_server.url}/followup/recommendations/new/")
    search = page.locator("input[name=unit_q]")
    # With the script, the list filters itself: the server's search button is gone.
    expect(page.locator("button[name=unit_search]")).to_have_count(0)

    search.fill("pendidikan")
    expect(box(page, "DISDIK")).to_be_visible()
    expect(box(page, "DINKES")).to_be_hidden()
    expect(box(page, "DINKES.PKM")).to_be_hidden()
    box(page, "DISDIK").check()
    expect(page.locator("[data-unit-chosen]")).to_have_text("1")

    search.fill("pkm")
    search.press("Enter")  # filters; does not send the form
    expect(page).to_have_url(f"{live_server.url}/followup/recommendations/new/")
    expect(box(page, "DINKES.PKM")).to_be_visible()
    expect(box(page, "DISDIK")).to_be_visible()  # ticked, so kept
    expect(box(page, "DINKES")).to_be_hidden()
    box(page, "DINKES.PKM").check()
    expect(page.locator("[data-unit-chosen]")).to_have_text("2")

    search.fill("zzz")
    expect(page.locator("[data-unit-none]")).to_be_hidden()  # the two ticked units still show
    box(page, "DISDIK").uncheck()
    box(page, "DISDIK").check()
    search.fill("")
    expect(box(page, "DINKES")).to_be_visible()

    page.select_option("select[name=source]", "mcp")
    page.fill("input[name=title]", "Perbaiki layanan")
    page.fill("input[name=year]", "2026")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    rec = Recommendation.objects.get()
    assert sorted(rec.units.values_list("code", flat=True)) == ["DINKES.PKM", "DISDIK"]
