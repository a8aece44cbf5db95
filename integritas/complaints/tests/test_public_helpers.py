"""Shared helpers for the public report page tests (no tests here): a reporter's browser, the
form as a reporter fills it in, and reading the receipt off the page."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from integritas.complaints.tests.helpers import FIELDS
from integritas.core.models import Unit

REPORT_URL = "/lapor/"
CHECK_URL = "/lapor/cek/"
REPLY_URL = "/lapor/cek/balas/"


def reporter(**extra: Any) -> Client:
    """A browser with no account, reading English (so assertions read like the code)."""
    client = Client(**extra)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(about: Unit | None, **overrides: Any) -> dict[str, Any]:
    """A complete anonymous whistleblowing report about a unit (None: "I do not know")."""
    data: dict[str, Any] = {
        "channel": "whistleblowing",
        "category": "bribery",
        "unit": str(about.public_id) if about is not None else "unknown",
        "official": "",
        "identity": "anonymous",
        "name": "",
        "contact": "",
        **FIELDS,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def send(client: Client, data: dict[str, Any]) -> HttpResponse:
    return client.post(reverse("complaints-public-report"), data)


def receipt_from(response: HttpResponse) -> str:
    """The receipt as the page shows it: four groups of four digits."""
    html = response.content.decode()
    match = re.search(r'<p class="receipt" id="receipt">(.*?)</p>', html, re.S)
    assert match, "no receipt on the page"
    groups = re.findall(r"<span>(\d+)</span>", match.group(1))
    return " ".join(groups)


def main_part(response: HttpResponse) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def reporter_pass(response: HttpResponse) -> str:
    match = re.search(r'name="pass" value="([^"]+)"', response.content.decode())
    assert match, "no pass on the page"
    return match.group(1)


def once_token(response: HttpResponse) -> str:
    match = re.search(r'name="once" value="([^"]*)"', response.content.decode())
    assert match, "no form token on the page"
    return match.group(1)


def open_report(client: Client, receipt: str) -> HttpResponse:
    return client.post(reverse("complaints-public-check"), {"receipt": receipt})
