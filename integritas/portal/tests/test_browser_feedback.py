"""An anonymous citizen on a phone opens a unit, opens one of its actions, sees its evidence and
sends feedback with a photo; the inspector (with two-factor sign-in) finds it in the home
page's work queue and approves it; the citizen then sees it on the action's page.

The live server runs in another thread, so the data is committed (``transactional_db``). The
pages are in Indonesian, as citizens and staff see them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.testing import World, browser_sign_in, enrol_authenticator
from integritas.followup.models import Feedback
from integritas.followup.tests.feedback_photos import jpeg_with_gps
from integritas.portal.tests.stories import story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
COMMENT = "Papan informasi sudah ada, tetapi jam layanan belum diperbarui."


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"


def test_a_citizen_sends_feedback_on_a_phone_and_sees_it_once_approved(
    world: World, live_server: LiveServer, browser_page: Page
) -> None:
    cache.clear()  # no rate-limit counters left from earlier runs
    enrol_authenticator(world.inspector)
    s = story(world)
    page = browser_page
    page.set_viewport_size(PHONE)

    # The citizen opens the unit, then its action, and sees the published evidence.
    page.goto(f"{live_server.url}/unit/DINKES/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dinas Kesehatan")
    with page.expect_navigation():
        page.get_by_role("link", name="Tindakan Dinas Kesehatan dan tanggapan warga").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(s.rec.code)
    expect(page.get_by_role("link", name="Perwal yang terbit")).to_be_visible()
    expect(page.get_by_text("Belum ada yang menjawab")).to_be_visible()
    _fits(page)

    # ... and says what they see, with a photo.
    page.get_by_label("Sebagian").check()
    page.get_by_label("Komentar Anda").fill(COMMENT)
    page.get_by_label("Foto (boleh dikosongkan)").set_input_files(
        {"name": "papan.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim tanggapan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih atas tanggapan Anda")
    _fits(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Kembali ke tindakan").click()
    expect(page.get_by_text(COMMENT)).to_have_count(0)  # waiting for moderation
    expect(page.locator(".feedback-tally")).to_contain_text("1")
    item = Feedback.objects.get()
    assert (item.seen, item.status) == ("partly", "pending")

    # The inspector finds it in the work queue and approves it.
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_sign_in(page, live_server.url, "inspector")
    queue = page.locator("#followup-feedback a[href='/followup/feedback/?status=pending']")
    expect(queue.locator(".n")).to_have_text("1")
    with page.expect_navigation():
        queue.click()
    expect(page.get_by_text(COMMENT)).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Setujui untuk portal").click()
    expect(page.get_by_text("Tanggapan disetujui dan ditampilkan di portal.")).to_be_visible()

    # The citizen sees it, with its photo, on the action's page.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/tindak-lanjut/{s.rec.code}/DINKES/")
    expect(page.get_by_text(COMMENT)).to_be_visible()
    photo = page.get_by_role("img", name="Foto yang dikirim bersama tanggapan")
    expect(photo).to_be_visible()
    assert page.evaluate("document.querySelector('img.feedback-photo').naturalWidth") == 64
    _fits(page)
