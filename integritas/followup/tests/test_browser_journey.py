"""The follow-up journey in a real browser: a unit officer uploads evidence, the unit
head submits it, an inspector returns it with a reason, the officer uploads a new version, the
head submits again, an inspector verifies the activity and then the plan, and the unit's dashboard
shows the plan verified at 100%.

The recommendation and its approved plan are set up through the services; every step of the
journey is done in headless Chromium, then the database is re-read. The live server runs in
another thread, so the data is committed (``transactional_db`` through ``live_server``); an
earlier transactional test may have flushed the holidays the migrations seed, so the fixture seeds
them again (due dates must be working days). The pages are in Indonesian: elements are found by
name and by the URL a form posts to, never by English text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.audit.models import Event
from integritas.core.testing import BrowserPeople, World, enrol_authenticator
from integritas.followup.models import ActionPlan, Activity, Evidence
from integritas.followup.services import plans as services
from integritas.followup.testing import draft_plan
from integritas.lib.formatting import format_number

pytestmark = pytest.mark.browser


def pdf_file(text: str) -> bytes:
    """A small but complete PDF: one page showing ``text``, with a correct cross-reference."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def press(page: Page, target: Locator) -> None:
    """Click a button that posts a form, and wait for the page the redirect leads to."""
    with page.expect_navigation():
        target.click()


def step(page: Page, name: str) -> Locator:
    """The button of workflow step ``name`` on the plan page (found by where its form posts)."""
    return page.locator(f"main form[action*='/plans/'][action$='/steps/{name}/'] button")


def activity_step(page: Page, activity: Activity, name: str) -> Locator:
    """The button of an activity's step ``name`` on the plan page."""
    return page.locator(
        f"main form[action$='/activities/{activity.public_id}/steps/{name}/'] button"
    )


@pytest.fixture
def approved_plan(world: World, live_server: LiveServer) -> ActionPlan:
    """DINKES's plan for a KPK recommendation, one activity of weight 100, approved."""
    enrol_authenticator(world.inspector)
    plan = draft_plan(world)
    services.plan_transition(plan=plan, name="submit", by=world.head_a)
    return services.plan_transition(plan=plan, name="approve", by=world.inspector)


def test_evidence_goes_from_upload_to_return_to_verification_and_the_dashboard_shows_100(
    browser_page: Page,
    live_server: LiveServer,
    world: World,
    approved_plan: ActionPlan,
    tmp_path: Path,
) -> None:
    plan = approved_plan
    plan_url = f"{live_server.url}/followup/plans/{plan.public_id}/"
    activity = Activity.objects.get(plan=plan)
    first, second = tmp_path / "notulen-rapat.pdf", tmp_path / "notulen-rapat-revisi.pdf"
    first.write_bytes(pdf_file("Notulen rapat sosialisasi"))
    second.write_bytes(pdf_file("Notulen rapat sosialisasi - ditandatangani"))
    people = BrowserPeople(browser_page, live_server.url)
    before = Event.objects.order_by("seq").values_list("seq", flat=True).last()

    # The unit officer starts the work, uploads the minutes as a PDF and reports 100%.
    page = people.become("officer_a")
    page.goto(plan_url)
    press(page, step(page, "start"))
    page.click(f"main a[href$='/activities/{activity.public_id}/evidence/new/']")
    page.fill("input[name=title]", "Notulen rapat sosialisasi")
    expect(page.locator("input[name=kind][value=file]")).to_be_checked()
    page.set_input_files("input[name=file]", first)
    page.fill("input[name=effective_from]", "2026-06-01")
    press(page, page.locator("main form[enctype='multipart/form-data'] button[type=submit]"))
    expect(page).to_have_url(plan_url)
    sha_first = hashlib.sha256(first.read_bytes()).hexdigest()
    expect(page.locator("main")).to_contain_text(sha_first)
    stored = Evidence.objects.get(activity=activity).files.get()
    assert (stored.original_name, stored.content_type, stored.sha256) == (
        "notulen-rapat.pdf",
        "application/pdf",
        sha_first,
    )
    page.fill(f"#progress-{activity.public_id}", "100")
    press(page, page.locator(f"main form[action$='/{activity.public_id}/progress/'] button"))
    assert Activity.objects.get(pk=activity.pk).progress_claimed == Decimal("100")

    # The unit head submits the evidence for verification.
    page = people.become("head_a")
    page.goto(plan_url)
    press(page, step(page, "submit_evidence"))
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.EVIDENCE_SUBMITTED
    assert plan.evidence_submitted_by == world.head_a

    # The inspector (with two-factor sign-in) returns it with a reason.
    reason = "Notulen belum ditandatangani kepala dinas."
    page = people.become("inspector")
    page.goto(plan_url)
    expect(activity_step(page, activity, "verify")).to_be_visible()
    page.click("main details:has(form[action*='/plans/'][action$='/steps/return/']) > summary")
    page.fill("#reason-return", reason)
    evidence = Evidence.objects.get(activity=activity)
    page.check(f"input[name=concerned][value='{evidence.public_id}']")
    press(page, step(page, "return"))
    plan.refresh_from_db()
    assert (plan.status, plan.last_reason) == (ActionPlan.Status.IN_PROGRESS, reason)

    # The officer sees the return first, with its reason and the file concerned, and uploads a
    # new version; the first one is kept.
    page = people.become("officer_a")
    page.goto(plan_url)
    expect(page.locator("#current-return")).to_contain_text(reason)
    expect(page.locator("#current-return")).to_contain_text(stored.original_name)
    page.click(f"main a[href$='/evidence/{evidence.public_id}/versions/new/']")
    page.set_input_files("input[name=file]", second)
    press(page, page.locator("main form[enctype='multipart/form-data'] button[type=submit]"))
    expect(page).to_have_url(plan_url)
    sha_second = hashlib.sha256(second.read_bytes()).hexdigest()
    expect(page.locator("main")).to_contain_text(sha_second)
    expect(page.locator("main")).to_contain_text(sha_first)
    versions = list(evidence.files.order_by("version").values_list("version", "sha256"))
    assert versions == [(1, sha_first), (2, sha_second)]

    # The head submits again; the inspector verifies.
    page = people.become("head_a")
    page.goto(plan_url)
    press(page, step(page, "submit_evidence"))
    page = people.become("inspector")
    page.goto(plan_url)
    press(page, activity_step(page, activity, "verify"))
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.VERIFIED
    press(page, step(page, "verify"))
    expect(page.locator("main h1 .badge.ok")).to_be_visible()
    plan.refresh_from_db()
    assert (plan.status, plan.verified_by) == (ActionPlan.Status.VERIFIED, world.inspector)
    assert plan.progress() == (Decimal("100.0"), Decimal("100.0"))

    # The unit's follow-up dashboard shows the plan verified at 100%.
    page = people.become("officer_a")
    response = page.goto(f"{live_server.url}/followup/dashboard/units/DINKES/")
    assert response is not None and response.status == 200
    hundred = f"{format_number(Decimal('100'), 1, 'id')}%"
    row = page.locator("main table tbody tr", has_text=plan.recommendation.code)
    expect(row).to_have_count(1)
    with translation.override("id"):
        verified = str(ActionPlan.Status.VERIFIED.label)
    expect(row.locator("td").nth(2)).to_have_text(verified)
    expect(row.locator("td").last).to_have_text(hundred)
    expect(page.locator("main dl.facts strong")).to_have_text(hundred)

    assert list(
        Event.objects.filter(seq__gt=before, action__startswith="plan.", object_id=str(plan.pk))
        .order_by("seq")
        .values_list("action", "actor__username")
    ) == [
        ("plan.start", "officer_a"),
        ("plan.submit_evidence", "head_a"),
        ("plan.return", "inspector"),
        ("plan.submit_evidence", "head_a"),
        ("plan.verify", "inspector"),
    ]
    assert people.asked_for_a_code == {"inspector"}
    assert Event.objects.filter(action="plan.return", reason=reason).exists()
    assert evidence.effective_from == dt.date(2026, 6, 1)
    assert Event.objects.filter(
        seq__gt=before, action="evidence.version_added", actor=world.officer_a
    ).exists()
