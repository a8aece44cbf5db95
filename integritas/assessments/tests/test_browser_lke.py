"""On a phone, in a real browser without any script: a unit officer answers LKE questions one
after another, a percentage outside 0–100 comes back with its message, and the LKE's page fits
the screen. The live server runs in another thread, so the data is committed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.assessments.models import LkeAnswer
from integritas.assessments.services import lke as lke_service
from integritas.assessments.tests.lke_fixtures import shipped_lke
from integritas.core.models import Government, Role, Unit
from integritas.core.testing import browser_sign_in, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_unit_officer_answers_lke_questions_on_a_phone(
    browser_page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    Government.objects.create(name="Pemerintah Kota Uji", kind=Government.Kind.CITY)
    dinkes = Unit.objects.create(code="DINKES", name="Dinas Kesehatan", type=Unit.Type.OFFICE)
    officer = make_user("officer_a", unit=dinkes, role=Role.UNIT_OFFICER, role_unit=dinkes)
    inspector = make_user("inspector", role=Role.INSPECTOR)
    item = lke_service.start(framework=shipped_lke(), unit=dinkes, target="WBK", by=inspector)
    page = browser_page
    page.set_viewport_size(PHONE)
    browser_sign_in(page, live_server.url, officer.username)

    page.goto(f"{live_server.url}/penilaian/lke/{item.public_id}/soal/MP.PM.2/")
    assert page.locator("script").count() == 0
    page.locator("input[name=answer][value=B]").check()
    with page.expect_navigation():
        page.locator("button[name=next]").click()
    expect(page).to_have_url(f"{live_server.url}/penilaian/lke/{item.public_id}/soal/MP.PM.3/")

    page.goto(f"{live_server.url}/penilaian/lke/{item.public_id}/soal/SDM.RF.3/")
    page.fill("input[name=answer]", "120")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("120 di luar rentang 0–100")
    page.fill("input[name=answer]", "97,5")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert sorted(LkeAnswer.objects.values_list("node__code", "answer")) == [
        ("MP.PM.2", "B"),
        ("SDM.RF.3", "97.5"),
    ]

    page.goto(f"{live_server.url}/penilaian/lke/{item.public_id}/")
    expect(page.locator("h1")).to_contain_text("Dinas Kesehatan")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
