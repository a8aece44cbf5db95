"""Every public portal page fits a small phone (360 px wide: no sideways scrolling, in Indonesian
and in English), the tracker stays a compact list there, and a page prints without the site's
navigation, with the address of its key links written after them.

The live server runs in another thread, so the data is committed (``transactional_db``)."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from integritas.core.testing import World
from integritas.indices.tests.test_dashboards_withheld_counts import withheld_wave
from integritas.portal.services import publishing
from integritas.portal.tests.stories import story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}
PORTAL_PREFIXES = ("/publik/", "/tindak-lanjut/", "/unit/", "/hasil-survei/")


def _links(page: Page) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    return [h for h in hrefs if "#" not in h]


def _walk(page: Page, base: str, start: list[str]) -> list[str]:
    """The portal pages reachable from ``start`` (without filters), each checked for width."""
    seen: list[str] = []
    queue = list(start)
    too_wide = {}
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        page.goto(base + path)
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > inner:
            too_wide[path] = width
        for href in _links(page):
            if not href.startswith(base):
                continue
            target = href[len(base) :]
            if target.startswith(PORTAL_PREFIXES) and "?" not in target:
                queue.append(target)
    assert not too_wide, f"wider than {SMALL_PHONE['width']}px: {too_wide}"
    return seen


def test_every_portal_page_fits_a_small_phone_in_both_languages(
    world: World, live_server: LiveServer, browser_page: Page
) -> None:
    s = story(world)
    wave = withheld_wave(world)  # withheld cells in a table wider than the phone
    publishing.publish(obj=wave, by=world.inspector)
    page = browser_page
    page.set_viewport_size(SMALL_PHONE)
    base = live_server.url
    start = ["/", "/publik/", "/tindak-lanjut/", "/tindak-lanjut/?q=tidak-ada", "/unit/TIDAKADA/"]
    seen = _walk(page, base, start)
    assert f"/tindak-lanjut/{s.rec.code}/" in seen and f"/hasil-survei/{wave.code}/" in seen
    assert f"/hasil-survei/{wave.code}/" in seen
    page.goto(base + "/publik/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    _walk(page, base, seen)


def test_the_tracker_is_a_compact_list_on_a_phone(
    world: World, live_server: LiveServer, browser_page: Page
) -> None:
    s = story(world)
    page = browser_page
    page.set_viewport_size(SMALL_PHONE)
    page.goto(live_server.url + "/tindak-lanjut/")
    plan = page.locator(f"#plan-{s.plan.pk}").locator("xpath=..")
    # Each plan shows its unit, status, verified progress and due date; its activities wait
    # behind a summary that opens without JavaScript.
    assert plan.get_by_text("Kemajuan yang diverifikasi").is_visible()
    activity = s.plan.activities.first()
    assert activity is not None
    assert not plan.get_by_text(activity.title).first.is_visible()
    plan.locator("summary").click()
    assert plan.get_by_text(activity.title).first.is_visible()
    # Opened, the activities are stacked: each value named, no column wider than the phone.
    cell = plan.locator("td[data-label]").nth(1)
    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert "Tenggat" in label
    box = plan.locator("table").bounding_box()
    assert box is not None and box["width"] <= SMALL_PHONE["width"]


def test_a_recommendation_prints_without_navigation_and_with_its_links_addresses(
    world: World, live_server: LiveServer, browser_page: Page
) -> None:
    s = story(world)
    page = browser_page
    page.goto(f"{live_server.url}/tindak-lanjut/{s.rec.code}/")
    page.emulate_media(media="print")
    for chrome in (".portal-nav", ".lang-switch", ".skip-link"):
        assert page.locator(chrome).first.is_hidden(), chrome
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
    # NFKC undoes the font's ligatures ("ﬀ" in a UUID with "ff"), which the PDF's text keeps.
    text = unicodedata.normalize(
        "NFKC", re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pdf.pages))
    )
    assert s.rec.title in text
    assert world.gov.name in text  # the header keeps the government's name
    assert f"Alamat halaman ini: {live_server.url}/tindak-lanjut/{s.rec.code}/" in text
    assert "Pemantauan tindak lanjut Masuk" not in text  # the portal's navigation
    assert "Bahasa Indonesia · English" not in text  # the language switch
    assert f"/bukti/{s.evidence.public_id}/" in text.replace(" ", "")  # the evidence's address
    assert "/unit/DINKES/" in text.replace(" ", "")
