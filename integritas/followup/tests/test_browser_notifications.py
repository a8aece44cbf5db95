"""In a real browser: an inspector returns evidence naming the file concerned, and the unit
officer finds the notification naming that file, opens it and lands on the plan (and got the
same by email, the default choice).

The plan is set up through the services up to the evidence being submitted; the inspector's
return and the officer's reading are done in headless Chromium. The pages are in Indonesian:
elements are found by name and by the URL a form posts to.
"""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.core.models import Notification
from integritas.core.testing import BrowserPeople, World, enrol_authenticator
from integritas.followup.models import ActionPlan, Evidence
from integritas.followup.services import plans as services
from integritas.followup.testing import running_plan
from integritas.followup.tests.test_browser_journey import press, step

pytestmark = pytest.mark.browser


@pytest.fixture
def submitted_evidence(world: World, live_server: LiveServer) -> ActionPlan:
    """DINKES's plan in progress with one PDF (perwal.pdf), its evidence submitted."""
    enrol_authenticator(world.inspector)
    plan = running_plan(world)
    return services.plan_transition(plan=plan, name="submit_evidence", by=world.head_a)


def test_the_officer_is_told_which_file_the_inspector_returned(
    browser_page: Page, live_server: LiveServer, world: World, submitted_evidence: ActionPlan
) -> None:
    plan = submitted_evidence
    plan_url = f"{live_server.url}/followup/plans/{plan.public_id}/"
    evidence = Evidence.objects.get(activity__plan=plan)
    people = BrowserPeople(browser_page, live_server.url)
    mail.outbox.clear()
    earlier = Notification.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    # The inspector returns the evidence, naming the file.
    page = people.become("inspector")
    page.goto(plan_url)
    page.click("main details:has(form[action$='/steps/return/']) > summary")
    page.fill("#reason-return", "Perwal belum ditandatangani.")
    page.check(f"input[name=concerned][value='{evidence.public_id}']")
    press(page, step(page, "return"))
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.IN_PROGRESS

    # The officer opens the notifications, finds the file named, and opens the plan.
    page = people.become("officer_a")
    page.goto(f"{live_server.url}/notifications/")
    card = page.locator("main article.card", has_text="Bukti dukung dikembalikan")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("perwal.pdf")
    expect(card).to_contain_text("Perwal belum ditandatangani.")
    press(page, card.locator("form[action$='/open/'] button[type=submit]"))
    expect(page).to_have_url(plan_url)
    expect(page.locator("#current-return")).to_contain_text("perwal.pdf")
    returned = Notification.objects.filter(pk__gt=earlier)
    assert returned.get(user=world.officer_a).read_at is not None

    # Nobody else in the unit was forgotten, nobody outside it was told, and the email came too.
    assert sorted(returned.values_list("user__username", flat=True)) == ["head_a", "officer_a"]
    to_officer = [m for m in mail.outbox if m.to == [world.officer_a.email]]
    assert len(to_officer) == 1
    assert "perwal.pdf" in to_officer[0].body
