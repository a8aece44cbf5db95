"""A unit officer's home page in a real browser: the plan the Inspectorate returned comes first,
with its reason, before anything else on the page; its count opens the plan list showing exactly
that plan.

The live server runs in another thread, so the data is committed (``transactional_db`` through
``live_server``); the holidays the migrations seed are seeded again, as in the follow-up journey.
The pages are in Indonesian: elements are found by id and by address, never by English text.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.testing import World, browser_sign_in
from integritas.followup.models import ActionPlan
from integritas.followup.services import plans as services
from integritas.followup.testing import draft_plan, recommendation

pytestmark = pytest.mark.browser
REASON = "Kegiatan kedua belum punya indikator keluaran."


@pytest.fixture
def returned_plan(world: World, live_server: LiveServer) -> ActionPlan:
    """DINKES has a plan to draft and, issued earlier, a plan returned for revision."""
    plan = draft_plan(world, recommendation(world, title="Perbaiki layanan perizinan"))
    services.plan_transition(plan=plan, name="submit", by=world.head_a)
    returned = services.plan_transition(
        plan=plan, name="return_plan", by=world.inspector, reason=REASON
    )
    recommendation(world, title="Tegakkan kode etik")  # a fresh plan to draft
    return returned


def test_a_unit_officers_home_lists_the_returned_item_first(
    browser_page: Page, live_server: LiveServer, world: World, returned_plan: ActionPlan
) -> None:
    page = browser_page
    browser_sign_in(page, live_server.url, "officer_a")

    # The first card of the page is the unit's queue, and its first item is the returned plan.
    first_card = page.locator("main section.card").first
    expect(first_card).to_have_id("followup-unit")
    first_item = first_card.locator("li").first
    expect(first_item).to_contain_text(REASON)
    link = first_item.locator("a").first
    expect(link).to_have_attribute("href", f"/followup/plans/{returned_plan.public_id}/")

    # Its count opens the list of exactly the returned plans.
    counted = first_card.locator("a[href='/followup/plans/?status=returned']")
    expect(counted.locator(".n")).to_have_text("1")
    with page.expect_navigation():
        counted.click()
    expect(page.locator("#plans tbody tr")).to_have_count(1)
    expect(page.locator("#plans tbody")).to_contain_text(returned_plan.recommendation.code)
