"""Check-in by camera: the check-in page alone may use the camera, and in a real browser the
scanner reads a ticket's QR code with the browser's barcode detector and checks the ticket in,
then goes on to the next one. Where the browser has no detector, the page is the typed-code
page it always was."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.models import Government, Role
from integritas.core.testing import World, client_for
from integritas.core.tests.conftest import make_user
from integritas.core.tests.test_browser_journeys import (
    ENROLLED_KEY,
    Journeys,
    code_for,
    enrol,
    sign_in,
    submit_code,
)
from integritas.education.models import Event, Registration
from integritas.education.services import registration as registrations
from integritas.education.services import tickets
from integritas.education.services.registration import Person
from integritas.education.tests.conftest import make_event

# A camera (a canvas's video stream) and a barcode detector that "sees" the codes listed in
# window.__tickets, one each time the scanner starts, after a few empty frames.
FAKE_CAMERA = """
window.__tickets = JSON.parse(sessionStorage.getItem("test-tickets") || "[]");
navigator.mediaDevices.getUserMedia = function () {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return Promise.resolve(canvas.captureStream(5));
};
window.BarcodeDetector = class {
  constructor(options) { this.frames = 0; }
  detect(source) {
    this.frames += 1;
    if (this.frames < 3 || !window.__tickets.length) return Promise.resolve([]);
    const code = window.__tickets.shift();
    sessionStorage.setItem("test-tickets", JSON.stringify(window.__tickets));
    return Promise.resolve([{ rawValue: code, format: "qr_code" }]);
  }
};
"""


def test_only_the_check_in_page_may_use_the_camera(world: World, event: Event) -> None:
    client = client_for(world.inspector)
    checkin = client.get(reverse("education-check-in", args=[event.code]))
    assert "camera=(self)" in checkin["Permissions-Policy"]
    assert "microphone=()" in checkin["Permissions-Policy"]
    detail = client.get(reverse("education-event", args=[event.code]))
    assert "camera=()" in detail["Permissions-Policy"]
    assert "camera=(self)" not in detail["Permissions-Policy"]


def test_the_scanner_is_offered_only_by_script_and_the_typed_code_stays(
    world: World, event: Event
) -> None:
    page = client_for(world.inspector).get(reverse("education-check-in", args=[event.code]))
    html = page.content.decode()
    assert 'id="scanner" class="scanner" hidden' in html
    assert "js/checkin-scan.js" in html
    assert 'name="code"' in html


@pytest.mark.browser
def test_staff_scan_two_tickets_in_a_row_with_the_camera(
    browser_page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    Government.objects.create(name="Pemerintah Kota Uji", kind=Government.Kind.CITY)
    inspector = make_user("inspector", role=Role.INSPECTOR)
    enrol(inspector)
    event = make_event(None, by=inspector)
    people = [
        Person("Rina Marlina", "Dinas Kesehatan", "staff", email="rina@example.test"),
        Person("Bayu Saputra", "Harian Kota", "press", email="bayu@example.test"),
    ]
    codes = [tickets.code_for(registrations.register(event=event, person=p).ticket) for p in people]
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    journeys = Journeys(
        url=live_server.url, dinkes=None, disdik=None, inspector=inspector, officer_a=None
    )  # type: ignore[arg-type]
    sign_in(page, journeys, "inspector")
    assert submit_code(page, code_for(ENROLLED_KEY)) == 302
    page.add_init_script(FAKE_CAMERA)
    page.goto(f"{live_server.url}/edukasi/{event.code}/hadir/")
    page.evaluate("codes => sessionStorage.setItem('test-tickets', JSON.stringify(codes))", codes)
    page.reload()
    expect(page.locator("#scanner")).to_be_visible()
    with page.expect_navigation():
        page.locator("#scanner .scan-start").click()
    expect(page.locator("#outcome")).to_contain_text("Rina Marlina")
    # Scanning goes on by itself after the answer: the second ticket follows.
    expect(page.locator("#outcome")).to_contain_text("Bayu Saputra", timeout=10000)
    expect(page.locator("#outcome")).to_have_class("message success")
    page.locator("#scanner .scan-stop").click()
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 2


@pytest.mark.browser
def test_without_a_barcode_detector_the_page_is_the_typed_code_page(
    browser_page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    Government.objects.create(name="Pemerintah Kota Uji", kind=Government.Kind.CITY)
    inspector = make_user("inspector", role=Role.INSPECTOR)
    enrol(inspector)
    event = make_event(None, by=inspector)
    page = browser_page
    journeys = Journeys(
        url=live_server.url, dinkes=None, disdik=None, inspector=inspector, officer_a=None
    )  # type: ignore[arg-type]
    sign_in(page, journeys, "inspector")
    assert submit_code(page, code_for(ENROLLED_KEY)) == 302
    page.add_init_script("delete window.BarcodeDetector;")
    page.goto(f"{live_server.url}/edukasi/{event.code}/hadir/")
    expect(page.locator("#scanner")).to_be_hidden()
    expect(page.locator("form.checkin input[name=code]")).to_be_visible()
