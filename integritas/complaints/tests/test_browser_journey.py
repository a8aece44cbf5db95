"""The whistleblowing journey in a real browser with JavaScript turned off:
an anonymous reporter sends a report with a photo and is shown the receipt once; a handler reads
it and asks a question; the reporter opens the report with the receipt and answers; the handler
closes the report with its outcome; the reporter sees the outcome.

The handler's steps go through the services with the handler's enrolled key (the handler pages
are tested on their own). The live server runs in another thread, so the data is committed
(``transactional_db`` through ``live_server``). Every request the browser makes is recorded: none
goes to another origin, and none carries the receipt in its URL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.complaints.models import Report, Side, Status
from integritas.complaints.services.handler import change_status, handler_decrypt, handler_message
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import photo_with_gps
from integritas.conftest import CHROMIUM_ARGS, SKIP_REASON, TIMEOUT_MS, chromium_path

pytestmark = pytest.mark.browser


@pytest.fixture
def no_js_page(
    live_server: LiveServer, transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Page]:
    """A page in headless Chromium with JavaScript disabled, reading the English pages."""
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
        context = browser.new_context(
            java_script_enabled=False, locale="id-ID", timezone_id="Asia/Jakarta"
        )
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


def submit_form(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.locator(button).click()


def test_a_reporter_and_a_handler_follow_a_report_to_its_outcome_without_javascript(
    no_js_page: Page, live_server: LiveServer, desk: Desk, tmp_path: Path
) -> None:
    page = no_js_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    photo = tmp_path / "bukti.jpg"
    photo.write_bytes(photo_with_gps())

    # The reporter fills in the form: no account, anonymous by default.
    page.goto(f"{live_server.url}/lapor/")
    assert page.locator("script").count() == 0
    expect(page.locator("input[name=identity][value=anonymous]")).to_be_checked()
    page.locator("label[for=id_channel_0]").click()  # whistleblowing
    page.locator("input[name=category][value=extortion]").check()
    page.select_option("select[name=unit]", str(desk.world.disdik.public_id))
    page.fill("textarea[name=what]", "Petugas meminta uang pelicin untuk izin usaha.")
    page.fill("textarea[name=who]", "Petugas loket perizinan")
    page.fill("textarea[name=where]", "Loket 3, Dinas Pendidikan")
    page.fill("textarea[name=when]", "Senin, 2 Maret 2026")
    page.set_input_files("#id_attachments_1", str(photo))
    submit_form(page, "form.report-form button[type=submit]")

    # The receipt, shown once, on the page the form posted to (not a URL of its own).
    expect(page.locator("h1")).to_have_text("Your report has been sent")
    receipt = page.locator("#receipt").inner_text()
    digits = "".join(ch for ch in receipt if ch.isdigit())
    assert len(digits) == 16 and len(receipt.split()) == 4
    assert page.url == f"{live_server.url}/lapor/"
    page.get_by_role("link", name="I have written it down").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{live_server.url}/lapor/selesai/")

    # The handler reads the report with their key and asks a question.
    report = Report.objects.get()
    key = desk.private_key(desk.handler)
    seen = handler_decrypt(report=report, handler=desk.handler, private_key=key)
    assert seen.content["what"] == "Petugas meminta uang pelicin untuk izin usaha."
    assert [a.name for a in seen.attachments] == ["bukti.jpg"]
    assert "GPS location" in seen.attachments[0].stripped
    handler_message(
        report=report,
        handler=desk.handler,
        private_key=key,
        text="Berapa jumlah yang diminta?",
    )

    # The reporter opens the report with the receipt, reads the question and answers.
    page.get_by_role("link", name="Check my report").first.click()
    page.wait_for_load_state()
    page.fill("input[name=receipt]", receipt)
    submit_form(page, "main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Your report")
    expect(page.locator(".reporter-status")).to_have_text(
        "We have received your report. It will be checked soon."
    )
    expect(page.locator(".thread-message.theirs")).to_contain_text("Berapa jumlah yang diminta?")
    page.fill("textarea[name=text]", "Lima ratus ribu rupiah, tunai.")
    submit_form(page, "form[action='/lapor/cek/balas/'] button[type=submit]")
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator(".thread-message.mine")).to_contain_text("Lima ratus ribu rupiah")

    # The handler reads the answer and closes the report with its outcome.
    seen = handler_decrypt(report=report, handler=desk.handler, private_key=key)
    assert (seen.messages[-1].side, seen.messages[-1].text) == (
        Side.REPORTER,
        "Lima ratus ribu rupiah, tunai.",
    )
    for name, extra in (("screen", {}), ("accept", {"tier": "simple"})):
        change_status(report=report, name=name, by=desk.handler, private_key=key, **extra)
    change_status(
        report=report,
        name="close",
        by=desk.handler,
        private_key=key,
        reason="Hasil: petugas dijatuhi hukuman disiplin dan uang dikembalikan.",
    )
    assert Report.objects.get().status == Status.CLOSED

    # The reporter, still on the page, looks for news: the outcome, and no more answer form.
    submit_form(page, "form[action='/lapor/cek/'] button[type=submit]")
    expect(page.locator(".reporter-status")).to_have_text(
        "Handling of your report has finished. The outcome is in the messages."
    )
    expect(page.locator(".thread-message.theirs").last).to_contain_text(
        "petugas dijatuhi hukuman disiplin"
    )
    assert page.locator("form[action='/lapor/cek/balas/']").count() == 0

    # Closing the report on this page forgets it: the receipt is needed again.
    page.get_by_role("button", name="Close my report on this page").click()
    page.wait_for_load_state()
    expect(page.locator("input[name=receipt]")).to_have_value("")

    assert requests and all(url.startswith(live_server.url) for url in requests), requests
    assert not any(digits in url.replace("%20", "").replace("+", "") for url in requests)
