"""A respondent answers an SKM survey from a service counter's QR code, on a phone, with
JavaScript turned off: the public pages must work as plain HTML forms.

The live server runs in another thread, so the data is committed (``transactional_db`` through
``live_server``).
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from integritas.conftest import CHROMIUM_ARGS, SKIP_REASON, TIMEOUT_MS, chromium_path
from integritas.core.models import Government, Unit
from integritas.surveys.models import Draft, Response, Service, Wave, WaveService
from integritas.surveys.services import respond
from integritas.surveys.testing import LIKERT4, build_version, build_wave

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ELEMENTS = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
SKM: dict[str, Any] = {
    "code": "skm-browser",
    "kind": "satisfaction",
    "title": "Survei Kepuasan Masyarakat",
    "dimensions": [(code, f"Unsur {code}") for code in ELEMENTS],
    "sections": [
        {
            "code": "profil",
            "title": "Profil responden",
            "questions": [
                {
                    "code": "sex",
                    "type": "single",
                    "required": False,
                    "text": "Jenis kelamin",
                    "choices": [("m", "Laki-laki", None), ("f", "Perempuan", None)],
                },
                {
                    "code": "age_band",
                    "type": "single",
                    "required": False,
                    "text": "Umur",
                    "choices": [
                        ("a", "< 25 tahun", None),
                        ("b", "25–40 tahun", None),
                        ("c", "> 40 tahun", None),
                    ],
                },
                {
                    "code": "education",
                    "type": "single",
                    "required": False,
                    "text": "Pendidikan terakhir",
                    "choices": [("sma", "SMA/sederajat", None), ("s1", "S1", None)],
                },
                {
                    "code": "occupation",
                    "type": "single",
                    "required": False,
                    "text": "Pekerjaan",
                    "choices": [("pns", "PNS", None), ("swasta", "Pegawai swasta", None)],
                },
            ],
        },
        {
            "code": "unsur",
            "title": "Penilaian layanan",
            "questions": [
                {
                    "code": code,
                    "type": "likert4",
                    "dimension": code,
                    "choices": LIKERT4,
                    "text": f"Penilaian {code}",
                }
                for code in ELEMENTS
            ],
        },
        {
            "code": "saran",
            "title": "Saran",
            "questions": [
                {"code": "saran", "type": "longtext", "required": False, "text": "Saran Anda"}
            ],
        },
    ],
}
# The answers the respondent gives to U1..U9 (choice codes "1".."4").
RATINGS = ["4", "3", "3", "4", "2", "4", "4", "3", "1"]


@dataclass
class Counter:
    url: str
    wave: Wave
    service: Service


@pytest.fixture
def counter(live_server: LiveServer, transactional_db: None) -> Counter:
    cache.clear()
    Government.objects.create(name="Pemerintah Kota Uji", kind=Government.Kind.CITY)
    unit = Unit.objects.create(code="DUKCAPIL", name="Dinas Kependudukan", type=Unit.Type.OFFICE)
    service = Service.objects.create(unit=unit, code="KTP", name="Pembuatan KTP-el")
    wave = build_wave(build_version(SKM), [unit], code="skm-2026", title="SKM Semester I")
    WaveService.objects.create(
        wave_unit=wave.wave_units.get(), service=service, public_code="qr-ktp-01"
    )
    return Counter(url=f"{live_server.url}/s/u/qr-ktp-01/", wave=wave, service=service)


@pytest.fixture
def phone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    """A phone-sized page in headless Chromium with JavaScript disabled."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        pytest.skip(SKIP_REASON)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see integritas/conftest.py
    with (
        tempfile.TemporaryDirectory(prefix="integritas-phone-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            java_script_enabled=False,
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            with contextlib.suppress(Exception):
                context.close()
            connections.close_all()


def next_page(page: Page) -> None:
    page.locator("button[name=action][value=next]").click()
    page.wait_for_load_state()


def fits_the_screen(page: Page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_a_respondent_answers_an_skm_survey_from_a_qr_code_on_a_phone_without_javascript(
    phone: Page, counter: Counter
) -> None:
    page = phone
    page.goto(counter.url)
    expect(page.locator("h1")).to_have_text("SKM Semester I")
    expect(page.locator("main")).to_contain_text("Pembuatan KTP-el")
    assert page.locator("script").count() == 0  # nothing here needs JavaScript
    fits_the_screen(page, "form.start-form button")
    page.locator("form.start-form button[type=submit]").click()
    page.wait_for_load_state()

    # Page 1 of 3: the optional profile, picked by tapping the labels.
    expect(page).to_have_url(re.compile(r"/s/r/[0-9a-f-]+/1/$"))
    expect(page.locator("progress")).to_have_attribute("value", "1")
    expect(page.locator("progress")).to_have_attribute("max", "3")
    resume_code = page.locator(".resume-code").inner_text()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", resume_code)
    page.get_by_text("Perempuan", exact=True).click()
    page.get_by_text("25–40 tahun", exact=True).click()
    next_page(page)

    # Page 2 of 3: the nine elements. Going on with one missing is refused, next to it.
    expect(page.locator("progress")).to_have_attribute("value", "2")
    for code, rating in zip(ELEMENTS[:-1], RATINGS[:-1], strict=True):
        page.locator(f"input[name='q-{code}'][value='{rating}']").check()
    fits_the_screen(page, "fieldset.question")
    next_page(page)
    expect(page.locator("#id_q-U9_error")).to_be_visible()
    expect(page.locator("input[name='q-U1'][value='4']")).to_be_checked()  # nothing lost
    page.locator(f"label[for='id_q-U9_{int(RATINGS[-1]) - 1}']").click()

    # Back keeps what was entered; the profile is still there.
    page.locator("button[name=action][value=back]").click()
    page.wait_for_load_state()
    expect(page.get_by_label("Perempuan")).to_be_checked()
    next_page(page)
    expect(page.locator("input[name='q-U9'][value='1']")).to_be_checked()
    next_page(page)

    # Page 3 of 3: a suggestion, then send.
    expect(page.locator("progress")).to_have_attribute("value", "3")
    page.locator("textarea[name='q-saran']").fill("Ruang tunggu perlu kipas angin.")
    next_page(page)

    expect(page).to_have_url(f"{counter.url.split('/s/')[0]}/s/thanks/{counter.wave.public_id}/")
    assert page.locator("main h1").count() == 1

    response = Response.objects.get()
    schema = respond.schema_for(counter.wave)
    expected = [0] * schema.slot_count
    for code, value in {
        "sex": "f",
        "age_band": "b",
        **dict(zip(ELEMENTS, RATINGS, strict=True)),
    }.items():
        spec = schema.questions[code]
        expected[spec.slot] = spec.choices.index(value) + 1  # type: ignore[index]
    assert Response.unpack(response.answers) == expected
    assert response.extra == {"saran": "Ruang tunggu perlu kipas angin."}
    assert response.service == counter.service and response.respondent_type == "public"
    assert not Draft.objects.exists()

    # Coming back to the poster's link on the same phone: already answered.
    page.goto(counter.url)
    assert page.locator("form.start-form").count() == 0
    assert Response.objects.count() == 1
