"""A gift from the checker to its handover, in a real browser: an employee checks a gift on the
public checker (a neighbour's parcel, of a kind that is not exempt), follows its link to report it
with a photo of the gift, and the UPG finds the report complete, forwards it to KPK, records
KPK's decision (state property) and the handover, which closes it.

The clock is frozen on Thursday 5 February 2026 (Perkom 1/2026) for the live server too. The
pages are in Indonesian: elements are found by name and by the URL a form posts to."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.models import Role
from integritas.core.testing import World, browser_sign_in, ensure_holidays, make_user
from integritas.prevention.models import GratificationReport, ReportAttachment
from integritas.prevention.tests.conftest import ensure_rule_sets, travel

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 2, 5)


def sign_in(page: Page, url: str, username: str) -> None:
    page.context.clear_cookies()
    browser_sign_in(page, url, username)


def step(page: Page, report: GratificationReport, name: str) -> Any:
    return page.locator(f"main form[action$='/gratifikasi/{report.pk}/{name}/']")


def test_a_gift_is_checked_reported_forwarded_decided_and_handed_over(
    browser_page: Page, live_server: LiveServer, world: World, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_holidays()
    ensure_rule_sets()
    make_user("upg_petugas", role=Role.UPG_OFFICER)
    photo = tmp_path / "parsel.jpg"
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (180, 40, 40)).save(buffer, format="JPEG", exif=exif)
    photo.write_bytes(buffer.getvalue())
    page = browser_page
    url = live_server.url
    with travel(TODAY):
        # The employee checks the gift: a parcel from a neighbour, a kind that is not exempt.
        sign_in(page, url, world.officer_a.username)
        page.goto(f"{url}/gratifikasi/cek/")
        page.fill("input[name=received_on]", "2026-02-02")
        page.check("input[name=category][value=other]")
        page.fill("input[name=value]", "750000")
        page.check("input[name=cash][value=false]")
        page.check("input[name=duty_related][value=false]")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        expect(page.locator("#answer-title")).to_have_text("Laporkan hadiah ini")
        with page.expect_navigation():
            page.locator("#answer a[href='/pencegahan/gratifikasi/lapor/']").click()

        # ... and reports it, with a photo of the parcel.
        page.select_option("select[name=kind]", "receipt")
        page.fill("input[name=giver]", "Bapak Hendra, tetangga")
        page.select_option("select[name=relation]", "other")
        page.select_option("select[name=event]", "other")
        page.select_option("select[name=object_kind]", "goods")
        page.fill("textarea[name=description]", "Parsel buah dan kue")
        page.fill("input[name=value]", "750000")
        page.fill("input[name=location]", "Kantor UPG, lemari arsip")
        page.fill("input[name=received_on]", "2026-02-02")
        page.fill("input[name=reported_on]", "2026-02-05")
        page.fill("textarea[name=chronology]", "Diantar ke rumah tanpa acara apa pun.")
        page.set_input_files("input[name=attachments]", str(photo))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        report = GratificationReport.objects.get()
        expect(page.locator("h1")).to_contain_text(report.tracking_number)
        expect(page.locator("#lampiran")).to_contain_text("parsel.jpg")

        # The UPG finds it complete, forwards it, records KPK's decision and the handover.
        sign_in(page, url, "upg_petugas")
        page.goto(f"{url}/pencegahan/gratifikasi/{report.pk}/")
        with page.expect_navigation():
            step(page, report, "complete").locator("button").click()
        forward = step(page, report, "forward")
        forward.locator("input[name='forward-gol_reference']").fill("GOL-2026-0042")
        forward.locator("input[name='forward-forwarded_on']").fill("2026-02-05")
        with page.expect_navigation():
            forward.locator("button").click()
        decide = step(page, report, "decide")
        decide.locator("select[name='decide-decision']").select_option("state")
        decide.locator("input[name='decide-decree_number']").fill("SK-KPK/12/2026")
        decide.locator("input[name='decide-decree_date']").fill("2026-02-05")
        with page.expect_navigation():
            decide.locator("button").click()
        hand_over = step(page, report, "hand_over")
        hand_over.locator("input[name='hand_over-handover_receipt']").fill("BAST-7/2026")
        with page.expect_navigation():
            hand_over.locator("button").click()
        expect(page.locator("main")).to_contain_text("Ditutup")
    report.refresh_from_db()
    assert report.status == "closed" and report.decision == "state"
    assert (report.gol_reference, report.decree_number, report.handover_receipt) == (
        "GOL-2026-0042",
        "SK-KPK/12/2026",
        "BAST-7/2026",
    )
    stored = ReportAttachment.objects.get(report=report)
    with stored.file.open("rb") as handle:
        assert b"PhoneMaker" not in handle.read()
