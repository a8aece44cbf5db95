"""Check a gift on a phone, in a real browser with a phone-sized window: the page holds no
script, fits the screen, and answers with the rule, the regulation and both deadlines."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def test_a_visitor_checks_a_colleagues_gift_on_a_phone(
    browser_page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/gratifikasi/cek/")
    assert page.locator("script").count() == 0
    page.fill("input[name=received_on]", "2026-01-20")
    page.check("input[name=category][value=colleague]")
    page.fill("input[name=value]", "600000")
    page.check("input[name=cash][value=false]")
    page.check("input[name=duty_related][value=false]")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#answer-title")).to_have_text("Laporkan hadiah ini")
    answer = page.locator("#answer").inner_text()
    assert "Perkom 1/2026" in answer
    assert "3 Februari 2026" in answer and "5 Maret 2026" in answer
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
