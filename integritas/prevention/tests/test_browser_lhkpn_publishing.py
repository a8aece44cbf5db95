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
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.testing import World, browser_sign_in, enrol_authenticator
from integritas.prevention.models import LhkpnPublication
from integritas.prevention.tests.conftest import travel
from integritas.prevention.tests.lhkpn_data import CRAFTED, csv_file, nip, register_2025

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 4, 15)


def test_the_inspectorate_imports_statuses_publishes_and_the_public_sees_it(
    browser_page: Page, live_server: LiveServer, world: World, tmp_path: Path
) -> None:
    register_2025(world.dinkes, world.disdik)
    enrol_authenticator(world.inspector)
    export = tmp_path / "elhkpn-2025.csv"
    export.write_bytes(csv_file(CRAFTED))
    page = browser_page
    url = live_server.url
    with travel(TODAY):
        # The Inspectorate's roles sign in with a second step: the authenticator's code.
        assert browser_sign_in(page, url, world.inspector.username)
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
