"""LHKPN compliance from e-LHKPN's export to the portal, in a real browser: the Inspectorate
imports the status file on the import page, sees the compliance change on the compliance page
and publishes the year; an anonymous visitor finds it from the portal's home, with both rates
and no official's name.

The clock is frozen on 15 April 2026 (2025's periodic reports were due on 31 March) for the live
server too. The pages are in Indonesian: elements are found by name and by the URL a form posts
to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.services.accounts import TOTP_DEVICE_NAME
from integritas.core.testing import PASSWORD, World
from integritas.prevention.models import LhkpnPublication
from integritas.prevention.tests.conftest import travel
from integritas.prevention.tests.lhkpn_data import CRAFTED, csv_file, nip, register_2025

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 4, 15)
INSPECTOR_KEY = b"integritas-lhkpn-publish"


def sign_in_inspector(page: Page, url: str, username: str) -> None:
    """The Inspectorate's roles sign in with a second step: the authenticator's code."""
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.fill("input[name=token]", f"{totp(INSPECTOR_KEY):06d}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{url}/")


def test_the_inspectorate_imports_statuses_publishes_and_the_public_sees_it(
    browser_page: Page, live_server: LiveServer, world: World, tmp_path: Path
) -> None:
    register_2025(world.dinkes, world.disdik)
    TOTPDevice.objects.create(
        user=world.inspector, name=TOTP_DEVICE_NAME, key=INSPECTOR_KEY.hex(), confirmed=True
    )
    export = tmp_path / "elhkpn-2025.csv"
    export.write_bytes(csv_file(CRAFTED))
    page = browser_page
    url = live_server.url
    with travel(TODAY):
        sign_in_inspector(page, url, world.inspector.username)
        page.goto(f"{url}/pencegahan/lhkpn/kepatuhan/?year=2025")
        main = page.locator("main")
        expect(main).to_contain_text("0,00%")  # nothing imported: nobody has filed
        expect(main).not_to_contain_text("80,00%")

        # The status export of e-LHKPN, on the import page.
        page.goto(f"{url}/pencegahan/lhkpn/impor-status/")
        page.fill("input[name=year]", "2025")
        page.set_input_files("input[name=file]", str(export))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "/pencegahan/lhkpn/kepatuhan/" in page.url
        # The government: 8 of 10 filed, 3 complete.
        expect(main).to_contain_text("80,00%")
        expect(main).to_contain_text("30,00%")

        # Published on the portal.
        with page.expect_navigation():
            page.locator("main form[action$='/lhkpn/kepatuhan/2025/terbitkan/'] button").click()
        expect(main).to_contain_text("Diterbitkan di portal.")
        assert LhkpnPublication.objects.live().filter(year=2025).exists()

        # An anonymous visitor finds it from the portal's home.
        page.context.clear_cookies()
        page.goto(f"{url}/")
        with page.expect_navigation():
            page.locator("main a[href='/kepatuhan-lhkpn/']").click()
        expect(page.locator("h1")).to_have_text("Kepatuhan LHKPN 2025")
        expect(main).to_contain_text("Tingkat penyampaian")
        expect(main).to_contain_text("Tingkat kelengkapan")
        expect(main).to_contain_text("80,00%")
        body = page.content()
        assert "Pejabat 1" not in body and nip(1) not in body
