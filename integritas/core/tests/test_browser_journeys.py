"""Main journeys in a real browser: two-factor sign-in, language choice, unit scoping.

Each test drives headless Chromium against the live server, then re-reads the database.
The live server runs in another thread, so the data must be committed: these tests use
``transactional_db`` (through ``live_server``) and build their own small world.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.audit.models import Event
from integritas.core.models import Government, Role, Unit, User
from integritas.core.services.accounts import (
    RECOVERY_DEVICE_NAME,
    TOTP_DEVICE_NAME,
    issue_recovery_codes,
)
from integritas.core.tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser

# A known authenticator secret for the already-enrolled inspector (20 bytes, as RFC 4226 advises).
ENROLLED_KEY = b"integritas-e2e-key-1"


@dataclass
class Journeys:
    """The few people and units the journeys need, committed for the live server to see."""

    url: str
    dinkes: Unit
    disdik: Unit
    inspector: User
    officer_a: User


@pytest.fixture
def journeys(live_server: LiveServer, transactional_db: None) -> Journeys:
    Government.objects.create(name="Pemerintah Kota Uji", kind=Government.Kind.CITY)
    dinkes = Unit.objects.create(code="DINKES", name="Dinas Kesehatan", type=Unit.Type.OFFICE)
    disdik = Unit.objects.create(code="DISDIK", name="Dinas Pendidikan", type=Unit.Type.OFFICE)
    return Journeys(
        url=live_server.url,
        dinkes=dinkes,
        disdik=disdik,
        inspector=make_user("inspector", role=Role.INSPECTOR),
        officer_a=make_user("officer_a", unit=dinkes, role=Role.UNIT_OFFICER, role_unit=dinkes),
    )


def sign_in(page: Page, world: Journeys, username: str) -> None:
    page.goto(f"{world.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def submit_code(page: Page, code: str) -> int:
    """Type a sign-in code, submit it, and return the status of the POST's response."""
    page.fill("input[name=token]", code)
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return response.value.status


def key_from_secret(secret: str) -> bytes:
    """The key behind the manual-entry secret shown on the set-up page (base32, in groups)."""
    compact = "".join(secret.split()).upper()
    return base64.b32decode(compact + "=" * (-len(compact) % 8))


def code_for(key: bytes, drift: int = 0) -> str:
    return f"{totp(key, drift=drift):06d}"


def wrong_code_for(key: bytes) -> str:
    """A 6-digit code that no accepted time step (nor its neighbours) would produce."""
    near = {code_for(key, drift) for drift in range(-3, 4)}
    return next(c for c in (f"{n:06d}" for n in range(123456, 999999, 111111)) if c not in near)


def enrol(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=ENROLLED_KEY.hex(), confirmed=True
    )


def test_an_inspector_sets_up_two_factor_on_first_sign_in(
    browser_page: Page, journeys: Journeys
) -> None:
    page = browser_page
    sign_in(page, journeys, "inspector")
    expect(page).to_have_url(f"{journeys.url}/accounts/two-factor/setup/")
    # Opening the page changes nothing; the button starts the setup and shows the key.
    assert not TOTPDevice.objects.filter(user=journeys.inspector).exists()
    page.locator("#two-factor-start").click()
    expect(page).to_have_url(f"{journeys.url}/accounts/two-factor/setup/")

    key = key_from_secret(page.locator("#totp-secret").inner_text())
    assert submit_code(page, code_for(key)) == 200
    expect(page.locator("#recovery-codes li")).to_have_count(10)

    page.locator("main a.button[href='/']").click()
    expect(page).to_have_url(f"{journeys.url}/")
    expect(page.locator("nav.main-nav")).to_be_visible()

    device = TOTPDevice.objects.get(user=journeys.inspector, name=TOTP_DEVICE_NAME)
    assert device.confirmed
    assert device.bin_key == key
    assert StaticToken.objects.filter(device__user=journeys.inspector).count() == 10
    assert Event.objects.filter(
        action="auth.2fa_enrolled", object_id=str(journeys.inspector.pk)
    ).exists()


def test_an_enrolled_inspector_needs_the_right_code_to_get_in(
    browser_page: Page, journeys: Journeys
) -> None:
    page = browser_page
    enrol(journeys.inspector)
    sign_in(page, journeys, "inspector")
    expect(page).to_have_url(f"{journeys.url}/accounts/two-factor/")

    assert submit_code(page, wrong_code_for(ENROLLED_KEY)) == 400
    expect(page).to_have_url(f"{journeys.url}/accounts/two-factor/")
    expect(page.locator("main .errorlist")).to_be_visible()
    # The units list is still closed: the gate sends the user back to verification.
    page.goto(f"{journeys.url}/units/")
    expect(page).to_have_url(f"{journeys.url}/accounts/two-factor/")

    # django-otp throttles a device for 1 s after a failure (2**(n-1) s after n failures).
    page.wait_for_timeout(1100)
    assert submit_code(page, code_for(ENROLLED_KEY)) == 302
    expect(page).to_have_url(f"{journeys.url}/")

    response = page.goto(f"{journeys.url}/units/")
    assert response is not None and response.status == 200
    expect(page).to_have_url(f"{journeys.url}/units/")
    expect(page.locator("main table")).to_contain_text("Dinas Kesehatan")
    expect(page.locator("main table")).to_contain_text("Dinas Pendidikan")


def test_a_recovery_code_works_once(browser_page: Page, journeys: Journeys) -> None:
    page = browser_page
    enrol(journeys.inspector)
    codes = issue_recovery_codes(journeys.inspector)

    sign_in(page, journeys, "inspector")
    expect(page).to_have_url(f"{journeys.url}/accounts/two-factor/")
    assert submit_code(page, codes[0]) == 302
    expect(page).to_have_url(f"{journeys.url}/")
    expect(page.locator("main .messages .warning")).to_contain_text("9")
    assert not StaticToken.objects.filter(
        device__user=journeys.inspector, device__name=RECOVERY_DEVICE_NAME, token=codes[0]
    ).exists()
    assert Event.objects.filter(
        action="auth.recovery_code_used", object_id=str(journeys.inspector.pk)
    ).exists()

    # A new session (as on another computer): the same code is refused.
    page.context.clear_cookies()
    sign_in(page, journeys, "inspector")
    expect(page).to_have_url(f"{journeys.url}/accounts/two-factor/")
    assert submit_code(page, codes[0]) == 400
    expect(page).to_have_url(f"{journeys.url}/accounts/two-factor/")
    expect(page.locator("main .errorlist")).to_be_visible()
    assert StaticToken.objects.filter(device__user=journeys.inspector).count() == 9


def test_a_unit_officer_switches_to_english_and_it_is_remembered(
    browser_page: Page, journeys: Journeys
) -> None:
    page = browser_page
    html = page.locator("html")
    sign_in(page, journeys, "officer_a")
    expect(page).to_have_url(f"{journeys.url}/")
    nav = page.locator("nav.main-nav")
    sign_out = page.locator(".user-menu button[type=submit]")
    expect(html).to_have_attribute("lang", "id")
    expect(nav.get_by_role("link", name="Unit Kerja", exact=True)).to_be_visible()
    expect(sign_out).to_have_text("Keluar")

    page.select_option("#lang-select", "en")
    page.click("form.lang-switch button[type=submit]")
    page.wait_for_load_state()
    expect(page).to_have_url(f"{journeys.url}/")
    expect(html).to_have_attribute("lang", "en")
    expect(nav.get_by_role("link", name="Units", exact=True)).to_be_visible()
    expect(sign_out).to_have_text("Sign out")
    journeys.officer_a.refresh_from_db()
    assert journeys.officer_a.language == "en"
    assert Event.objects.filter(action="user.language_changed").count() == 1

    sign_out.click()
    expect(page).to_have_url(f"{journeys.url}/accounts/login/")
    # Forget the language cookie too, so that only the user's record can remember the choice.
    page.context.clear_cookies()
    page.goto(f"{journeys.url}/accounts/login/")
    expect(html).to_have_attribute("lang", "id")
    sign_in(page, journeys, "officer_a")
    expect(page).to_have_url(f"{journeys.url}/")
    expect(html).to_have_attribute("lang", "en")


def test_a_unit_officer_cannot_see_another_unit(browser_page: Page, journeys: Journeys) -> None:
    page = browser_page
    sign_in(page, journeys, "officer_a")

    own = page.goto(f"{journeys.url}/units/DINKES/")
    assert own is not None and own.status == 200
    expect(page.locator("main h1")).to_contain_text("Dinas Kesehatan")

    other = page.goto(f"{journeys.url}/units/DISDIK/")
    assert other is not None and other.status == 404
    assert "Dinas Pendidikan" not in page.content()
    # The code is only in the language form's hidden "next" field, never in visible text.
    assert "DISDIK" not in page.locator("body").inner_text()

    listing = page.goto(f"{journeys.url}/units/")
    assert listing is not None and listing.status == 200
    expect(page.locator("main table")).to_contain_text("Dinas Kesehatan")
    assert "Dinas Pendidikan" not in page.content()
    assert "DISDIK" not in page.content()
