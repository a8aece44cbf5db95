"""The handler's journey in a real browser with JavaScript turned off: sign in with the second
factor, find the report with a locked key, unlock it, read the report and its cleaned photo, ask
the reporter a question, take the report from screening to closed, and lock the key again.

The live server runs in another thread, so the data is committed (``transactional_db`` through
``live_server``)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.audit.models import Event
from integritas.complaints.models import Report, Status
from integritas.complaints.services import keys
from integritas.complaints.services.attachments import Upload
from integritas.complaints.services.public import open_with_receipt
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import photo_with_gps, submit
from integritas.conftest import CHROMIUM_ARGS, SKIP_REASON, TIMEOUT_MS, chromium_path
from integritas.core.services.accounts import issue_recovery_codes
from integritas.core.testing import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def page(
    live_server: LiveServer, transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Page]:
    from django.db import connections
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        pytest.skip(SKIP_REASON)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see integritas/conftest.py
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(java_script_enabled=False, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
        )
        try:
            yield context.new_page()
        finally:
            with contextlib.suppress(Exception):
                context.close()
                browser.close()
            connections.close_all()


def click_and_wait(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_a_handler_unlocks_reads_asks_and_closes_a_report_without_javascript(
    page: Page, live_server: LiveServer, desk: Desk
) -> None:
    report, receipt = submit(
        desk.world.disdik, attachments=[Upload("IMG_0001.jpg", photo_with_gps("SECRET-GPS"))]
    )
    codes = issue_recovery_codes(desk.handler)
    desk.handler.language = "en"  # signed-in pages follow the profile's language
    desk.handler.save(update_fields=["language"])

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", desk.handler.username)
    page.fill("input[name=password]", PASSWORD)
    click_and_wait(page, "main form button[type=submit]")
    page.fill("input[name=token]", codes[0])
    click_and_wait(page, "main form button[type=submit]")

    # The list, with a locked key: routing data only.
    page.goto(f"{live_server.url}/pengaduan/")
    expect(page.locator("main")).to_contain_text("Your key is locked")
    click_and_wait(page, f"a[href='/pengaduan/{report.public_id}/']")
    expect(page.locator("main")).not_to_contain_text("building permit")

    # Unlocking brings the handler back to the report.
    click_and_wait(page, "main a:has-text('Unlock your key')")
    page.fill("input[name=password]", PASSWORD)
    click_and_wait(page, "form[action='/pengaduan/kunci/buka/'] button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/pengaduan/{report.public_id}/")
    expect(page.locator("main")).to_contain_text("building permit")
    expect(page.locator("main")).to_contain_text("GPS location")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == keys.COOKIE_NAME]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/pengaduan/"  # sent to the handlers' pages only
    assert cookie["expires"] == -1  # a browser-session cookie

    # The photo opens without its GPS position.
    with page.expect_download() as download:
        page.locator("main a:has-text('IMG_0001.jpg')").click()
    path = download.value.path()
    content = open(path, "rb").read()  # noqa: PTH123
    assert b"SECRET-GPS" not in content
    assert not Image.open(io.BytesIO(content)).getexif().get_ifd(0x8825)

    # A question to the reporter, then the steps to closure.
    page.fill("textarea[name=message-text]", "Berapa jumlah yang diminta?")
    click_and_wait(page, "form[action$='/pesan/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("sent to the reporter")
    click_and_wait(page, "button:has-text('Start screening')")
    page.locator("summary:has-text('Accept')").click()
    page.select_option("form[action$='/status/accept/'] select[name=tier]", "field_check")
    click_and_wait(page, "form[action$='/status/accept/'] button[type=submit]")
    page.locator("summary:has-text('Forward to another authority')").click()
    page.select_option("form[action$='/status/forward/'] select[name=forwarded_to]", "kpk")
    page.fill("form[action$='/status/forward/'] input[name=reference]", "KPK/2026/55")
    click_and_wait(page, "form[action$='/status/forward/'] button[type=submit]")
    expect(page.locator("main")).to_contain_text("KPK/2026/55")
    page.locator("summary:has-text('Close with the outcome')").click()
    page.fill("form[action$='/status/close/'] textarea[name=reason]", "Diteruskan ke KPK.")
    click_and_wait(page, "form[action$='/status/close/'] button[type=submit]")
    expect(page.locator("h1 .badge")).to_have_text("Closed")

    # Lock now: the report page no longer shows the content.
    page.goto(f"{live_server.url}/pengaduan/kunci/")
    click_and_wait(page, "button:has-text('Lock now')")
    page.goto(f"{live_server.url}/pengaduan/{report.public_id}/")
    expect(page.locator("main")).not_to_contain_text("building permit")

    assert Report.objects.get().status == Status.CLOSED
    view = open_with_receipt(receipt)
    assert [m.text for m in view.messages()] == [
        "Berapa jumlah yang diminta?",
        "Diteruskan ke KPK.",
    ]
    assert Event.objects.filter(action="complaints.status_changed").count() == 4
