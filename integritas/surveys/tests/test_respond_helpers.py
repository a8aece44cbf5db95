"""Shared helpers for the respondent-page tests (no tests here): a questionnaire with every
question type, and a client that answers pages the way a browser does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from integritas.core.models import Unit
from integritas.surveys.models import Draft, Invitation, Wave, WaveUnit
from integritas.surveys.services import respond
from integritas.surveys.testing import LIKERT4, build_version, build_wave
from integritas.surveys.tokens import digest, new_token
from integritas.surveys.views.respond import DRAFT_COOKIE, DRAFT_SALT

LIKERT5 = [(str(i), f"Skala {i}", i) for i in range(1, 6)]
LIKERT6 = [(str(i), f"Skala {i}", i) for i in range(1, 7)]
YESNO = [("yes", "Ya", None), ("no", "Tidak", None)]

# Every question type, a same-page condition, a page that only some answers open, and a page
# and a question only some respondent types get. Slots: sex 0, U1 1, U2 2, U3 3, complained 4,
# channels 5, I1 6, resolved 7; the rest (numbers, dates, texts) go to ``extra``.
ALL_TYPES: dict[str, Any] = {
    "code": "all-types",
    "kind": "satisfaction",
    "title": "Survei semua jenis",
    "dimensions": [("U1", "Persyaratan"), ("U2", "Prosedur"), ("U3", "Waktu")],
    "sections": [
        {
            "code": "profile",
            "title": "Tentang Anda",
            "questions": [
                {
                    "code": "sex",
                    "type": "single",
                    "required": False,
                    "text": "Jenis kelamin",
                    "text_en": "Sex",
                    "choices": [("m", "Laki-laki", None), ("f", "Perempuan", None)],
                },
                {"code": "age", "type": "number", "min": 17, "max": 99, "text": "Umur"},
                {"code": "visited", "type": "date", "required": False, "text": "Tanggal datang"},
            ],
        },
        {
            "code": "service",
            "title": "Layanan",
            "questions": [
                {"code": "U1", "type": "likert4", "dimension": "U1", "choices": LIKERT4},
                {"code": "U2", "type": "likert5", "dimension": "U2", "choices": LIKERT5},
                {"code": "U3", "type": "likert6", "dimension": "U3", "choices": LIKERT6},
                {"code": "complained", "type": "yesno", "required": False, "choices": YESNO},
                {
                    "code": "complaint_text",
                    "type": "longtext",
                    "condition": {"question": "complained", "op": "in", "values": ["yes"]},
                },
                {
                    "code": "channels",
                    "type": "multiple",
                    "required": False,
                    "choices": [
                        ("web", "Situs", None),
                        ("phone", "Telepon", None),
                        ("desk", "Loket", None),
                    ],
                },
            ],
        },
        {
            "code": "staff",
            "title": "Khusus pegawai",
            "respondent_types": ["internal"],
            "questions": [{"code": "I1", "type": "likert4", "choices": LIKERT4}],
        },
        {
            "code": "followup",
            "title": "Tindak lanjut pengaduan",
            "questions": [
                {
                    "code": "resolved",
                    "type": "yesno",
                    "choices": YESNO,
                    "condition": {"question": "complained", "op": "in", "values": ["yes"]},
                }
            ],
        },
        {
            "code": "closing",
            "title": "Penutup",
            "questions": [
                {"code": "suggestion", "type": "text", "required": False},
                {
                    "code": "expert_note",
                    "type": "text",
                    "required": False,
                    "respondent_types": ["expert"],
                },
            ],
        },
    ],
}

# What a public respondent gives on each page to get through (no complaint: 3 pages).
GOOD_ANSWERS: list[dict[str, Any]] = [
    {"sex": "f", "age": "34", "visited": "2025-08-17"},
    {"U1": "3", "U2": "4", "U3": "6", "complained": "no", "channels": ["web", "desk"]},
    {"suggestion": "Antrean lebih cepat"},
]


def t(message: str, **values: Any) -> str:
    """Page text as an Indonesian respondent sees it (English until the catalogue has it)."""
    with translation.override("id"):
        text = translation.gettext(message)
    return text % values if values else text


def main_part(response: Any) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def make_wave(unit: Unit, spec: dict[str, Any] = ALL_TYPES, **fields: Any) -> Wave:
    return build_wave(build_version(spec), [unit], code=fields.pop("code", "resp-wave"), **fields)


def public_code(wave: Wave) -> str:
    return WaveUnit.objects.filter(wave=wave).values_list("public_code", flat=True)[0]


def public_url(wave: Wave) -> str:
    return reverse("surveys-respond-public", args=[public_code(wave)])


def page_url(wave: Wave, number: int) -> str:
    return reverse("surveys-respond-page", args=[wave.public_id, number])


def invite(wave: Wave, unit: Unit, **fields: Any) -> tuple[Invitation, str]:
    token = new_token()
    invitation = Invitation.objects.create(
        wave=wave, unit=unit, token_digest=digest(token, purpose="invitation"), **fields
    )
    return invitation, token


def start(client: Client, wave: Wave, respondent_type: str | None = None, **extra: Any) -> Any:
    data = {"code": public_code(wave)}
    if respondent_type:
        data["respondent_type"] = respondent_type
    return client.post(reverse("surveys-respond-start"), data, **extra)


def shown_on(html: str) -> str:
    """The page's hidden list of the questions it shows, as a browser would send it back."""
    found = re.search(r'name="shown" value="([^"]*)"', html)
    assert found, "the page has no list of shown questions"
    return found.group(1)


def answer(
    client: Client,
    wave: Wave,
    number: int,
    answers: Mapping[str, Any],
    *,
    action: str = "next",
    **extra: Any,
) -> Any:
    """Open page ``number`` and send it with ``answers`` (question code -> value or list)."""
    opened = client.get(page_url(wave, number), **extra)
    assert opened.status_code == 200, opened.status_code
    data: dict[str, Any] = {"shown": shown_on(opened.content.decode()), "action": action}
    data.update({f"q-{code}": value for code, value in answers.items()})
    return client.post(page_url(wave, number), data, **extra)


def answer_all(
    client: Client, wave: Wave, pages: list[dict[str, Any]] = GOOD_ANSWERS, **extra: Any
) -> Any:
    """Answer every page in turn; returns the last response (the redirect to thanks)."""
    response = None
    for number, answers in enumerate(pages, start=1):
        response = answer(client, wave, number, answers, **extra)
        assert response.status_code == 302, (number, response.status_code)
    return response


def cookie_value(client: Client) -> str:
    """The draft cookie's content ("r:<resume code>" or "i:<token>"), or ""."""
    cookie = client.cookies.get(DRAFT_COOKIE)
    if cookie is None or not cookie.value:
        return ""
    request = HttpRequest()
    request.COOKIES = {DRAFT_COOKIE: cookie.value}
    return str(request.get_signed_cookie(DRAFT_COOKIE, default="", salt=DRAFT_SALT))


def current_draft(client: Client) -> Draft | None:
    kind, _sep, secret = cookie_value(client).partition(":")
    return respond.find_draft(kind, secret)
