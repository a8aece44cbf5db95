"""The MCSP document desk in a real browser: a unit officer uploads a document, an inspector
returns it with a reason, the officer uploads a new version, the inspector marks it ready,
records its upload to KPK's portal and KPK's acceptance, and the verified score moves.

The desk is opened through the services; every step is done in headless Chromium, then the
database is re-read. Pages are in Indonesian: elements are found by name and by the URL a form
posts to, never by English text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.assessments.models import Assessment, Document, DocumentStatus
from integritas.assessments.tests.desk_fixtures import PDF, open_desk
from integritas.audit.models import Event
from integritas.core.testing import BrowserPeople, World, enrol_authenticator
from integritas.lib.formatting import format_number

pytestmark = pytest.mark.browser


def press(page: Page, target: Locator) -> None:
    """Click a button that posts a form, and wait for the page the redirect leads to."""
    with page.expect_navigation():
        target.click()


def score(value: str) -> str:
    return format_number(Decimal(value), 2, "id")


@pytest.fixture
def desk_year(world: World, live_server: LiveServer) -> Assessment:
    enrol_authenticator(world.inspector)
    return open_desk()


def test_a_document_goes_from_upload_to_kpk_acceptance_and_the_verified_score_moves(
    browser_page: Page,
    live_server: LiveServer,
    world: World,
    desk_year: Assessment,
    tmp_path: Path,
) -> None:
    desk_url = f"{live_server.url}/penilaian/meja/{desk_year.public_id}/"
    requirement_url = f"{desk_url}syarat/PBJ.1/"
    first, second = tmp_path / "rup-2026.pdf", tmp_path / "rup-2026-revisi.pdf"
    first.write_bytes(PDF + b"RUP 2026")
    second.write_bytes(PDF + b"RUP 2026, diumumkan di SiRUP")
    people = BrowserPeople(browser_page, live_server.url)
    before = Event.objects.order_by("seq").values_list("seq", flat=True).last() or 0

    # The inspector sees nothing verified yet.
    page = people.become("inspector")
    page.goto(desk_url)
    assert page.locator("script").count() == 0
    expect(page.locator("#verified-total")).to_have_text(score("0"))

    # The DINKES officer uploads the procurement plan for PBJ.1.
    page = people.become("officer_a")
    page.goto(requirement_url)
    upload = page.locator("main form[action$='/syarat/PBJ.1/unggah/']")
    upload.locator("select[name=unit]").select_option(str(world.dinkes.pk))
    upload.locator("input[name=title]").fill("Rencana umum pengadaan 2026")
    upload.locator("input[name=file]").set_input_files(first)
    upload.locator("input[name=valid_from]").fill("2026-01-01")
    press(page, upload.locator("button[type=submit]"))
    expect(page).to_have_url(requirement_url)
    document = Document.objects.get(assessment=desk_year, node__code="PBJ.1")
    assert document.status == DocumentStatus.SUBMITTED
    expect(page.locator(f"#doc-{document.number}")).to_contain_text(
        hashlib.sha256(first.read_bytes()).hexdigest()
    )

    # The inspector returns it with a reason.
    reason = "Tautan SiRUP belum dicantumkan."
    page = people.become("inspector")
    page.goto(requirement_url)
    card = page.locator(f"#doc-{document.number}")
    card.locator("input[name=reason]").fill(reason)
    press(page, card.locator("button[name=action][value=return]"))
    document.refresh_from_db()
    assert (document.status, document.return_reason) == (DocumentStatus.RETURNED, reason)

    # The officer sees the reason and uploads a new version; the first is kept.
    page = people.become("officer_a")
    page.goto(requirement_url)
    card = page.locator(f"#doc-{document.number}")
    expect(card).to_contain_text(reason)
    card.locator("details > summary").click()
    version = card.locator("form[action$='/versi/']")
    version.locator("input[name=file]").set_input_files(second)
    version.locator("input[name=valid_from]").fill("2026-01-01")
    press(page, version.locator("button[type=submit]"))
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED
    assert list(document.versions.order_by("version").values_list("version", "sha256")) == [
        (1, hashlib.sha256(first.read_bytes()).hexdigest()),
        (2, hashlib.sha256(second.read_bytes()).hexdigest()),
    ]

    # The inspector marks it ready: the projected score moves, the verified one does not.
    page = people.become("inspector")
    page.goto(requirement_url)
    card = page.locator(f"#doc-{document.number}")
    press(page, card.locator("button[name=action][value=ready]"))
    page.goto(desk_url)
    expect(page.locator("#projected-total")).to_have_text(score("50"))
    expect(page.locator("#verified-total")).to_have_text(score("0"))

    # The upload to KPK's portal and KPK's acceptance are recorded.
    page.goto(requirement_url)
    card = page.locator(f"#doc-{document.number}")
    card.locator("input[name=on]").fill("2026-11-20")
    press(page, card.locator("button[name=action][value=kpk_upload]"))
    document.refresh_from_db()
    assert (document.status, document.kpk_uploaded_on) == (
        DocumentStatus.UPLOADED,
        dt.date(2026, 11, 20),
    )
    card = page.locator(f"#doc-{document.number}")
    press(page, card.locator("button[name=action][value=accept]"))
    document.refresh_from_db()
    assert document.status == DocumentStatus.ACCEPTED

    # The verified score has moved: procurement is complete, half the total.
    page.goto(desk_url)
    expect(page.locator("#verified-total")).to_have_text(score("50"))
    expect(page.locator("#projected-total")).to_have_text(score("50"))

    assert list(
        Event.objects.filter(seq__gt=before, action__startswith="assessments.document_")
        .order_by("seq")
        .values_list("action", "actor__username")
    ) == [
        ("assessments.document_uploaded", "officer_a"),
        ("assessments.document_returned", "inspector"),
        ("assessments.document_uploaded", "officer_a"),
        ("assessments.document_ready", "inspector"),
    ]
    assert list(
        Event.objects.filter(seq__gt=before, action__startswith="assessments.kpk_")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["assessments.kpk_upload_recorded", "assessments.kpk_verdict_recorded"]
