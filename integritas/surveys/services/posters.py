"""Printable QR posters (PDF) for service counters: one A4 page per unit or service link."""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import override
from weasyprint import HTML

from integritas.core.models import Government
from integritas.lib import pdf
from integritas.surveys.models import Wave, WaveUnit


def public_url(base_url: str, public_code: str) -> str:
    return base_url.rstrip("/") + reverse("surveys-respond-public", args=[public_code])


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000000", light="#ffffff")


def poster_pages(*, wave: Wave, wave_units: list[WaveUnit], base_url: str) -> list[dict[str, Any]]:
    """One page per service counter of each unit, or one per unit when it has no service."""
    pages = []
    for wave_unit in wave_units:
        services = list(wave_unit.wave_services.all())
        targets: list[tuple[str | None, str]] = [
            (ws.service.name, ws.public_code) for ws in services
        ]
        if not targets:
            targets = [(None, wave_unit.public_code)]
        for service_name, code in targets:
            url = public_url(base_url, code)
            pages.append(
                {"unit": wave_unit.unit, "service": service_name, "url": url, "qr": _qr(url)}
            )
    return pages


def render_document(*, wave: Wave, wave_units: list[WaveUnit], base_url: str) -> Any:
    """The laid-out posters (a WeasyPrint document: ``.pages``, ``.write_pdf()``)."""
    with override("id"):  # posters hang in Indonesian public offices
        html = render_to_string(
            "surveys/waves/poster.html",
            {
                "wave": wave,
                "government": Government.current(),
                "pages": poster_pages(wave=wave, wave_units=wave_units, base_url=base_url),
            },
        )
    # Laid out like every other document: local static files and data: URLs only, never the
    # network (``base_url`` is for the links printed on the posters, not for fetching).
    return HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.LocalFetcher()).render()


def render_posters(*, wave: Wave, wave_units: list[WaveUnit], base_url: str) -> bytes:
    pdf: bytes = render_document(wave=wave, wave_units=wave_units, base_url=base_url).write_pdf()
    return pdf
