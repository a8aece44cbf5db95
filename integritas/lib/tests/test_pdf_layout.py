"""Every PDF the app produces fits its page: rendered from the demo city's data, no text of any
page lies beyond the right edge of the page's content area, and the wide tables keep their
right-hand columns."""

from __future__ import annotations

import functools
import io
import re
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from integritas.audit.context import acting_as
from integritas.core import extensions
from integritas.core.demo import seed
from integritas.core.models import User
from integritas.core.testing import body, client_for
from integritas.indices.models import IndexRun
from integritas.surveys.models import Wave

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
REPORT_RIGHT_MARGIN = 16 * MM  # templates/pdf/base.html
POSTER_RIGHT_MARGIN = 18 * MM  # surveys/waves/poster.html
TOLERANCE = 1.0  # points


@functools.cache
def advances(base_font: str) -> tuple[dict[str, float], float]:
    """Advance widths (in em) of the characters of the system font a PDF font was embedded from
    ("/ABCDEF+DejaVu-Sans-Bold" is DejaVu Sans, bold), and a width for characters it lacks."""
    name = base_font.lstrip("/").split("+")[-1]
    styles = [style for style in ("Bold", "Oblique", "Italic") if style in name]
    family = re.sub("-?(Bold|Oblique|Italic)", "", name).replace("-", " ")
    pattern = family + (":" + ":".join(s.lower() for s in styles) if styles else "")
    path = subprocess.run(
        ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=True
    ).stdout
    font = TTFont(path)
    em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {chr(code): metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()}
    return widths, max(widths.get("W", 1.0), 1.0)


@dataclass(frozen=True)
class Run:
    page: int
    x: float
    end: float
    text: str


def text_runs(content: bytes) -> tuple[list[Run], list[float]]:
    """The text runs of each page (where they start and, estimated, end) and the page widths."""
    reader = PdfReader(io.BytesIO(content))
    runs: list[Run] = []
    widths = []
    for number, page in enumerate(reader.pages, start=1):
        widths.append(float(page.mediabox.width))

        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
            text = text.rstrip()
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            advance, missing = advances(str(font["/BaseFont"]))
            em = sum(advance.get(character, missing) for character in text)
            end = x + em * size * scale
            runs.append(Run(number, x, end, text))  # noqa: B023 (called before the loop moves)

        page.extract_text(visitor_text=visit)
    return runs, widths


def beyond_right_edge(content: bytes, right_margin: float) -> list[Run]:
    runs, widths = text_runs(content)
    return [r for r in runs if r.end > widths[r.page - 1] - right_margin + TOLERANCE]


def page_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def demo() -> User:
    """The demo city with every app's demo data; its Inspector General prints."""
    seed(password=None)
    for _label, seeder in extensions.demo_seeders():
        with acting_as(label="seed_demo"):
            seeder()
    return User.objects.get(username="inspektur")


def test_the_follow_up_monitoring_report_keeps_its_right_hand_columns_on_the_page(
    demo: User,
) -> None:
    response = client_for(demo).get("/followup/dashboard/report.pdf")
    assert response.status_code == 200
    assert beyond_right_edge(response.content, REPORT_RIGHT_MARGIN) == []
    words = set(page_text(response.content).split())
    # Verified, Overdue, Recovered, Outstanding and the Total line (headers wrap over lines).
    assert {"Terverifikasi", "Lewat", "tenggat", "Sudah", "dikembalikan", "Sisa", "Total"} <= words
    assert "Rp1.729.250.000" in words  # the total to recover, in Rupiah


def test_every_wave_report_fits_its_page(demo: User) -> None:
    runs = IndexRun.objects.select_related("wave").order_by("wave__code")
    codes = sorted({run.wave.code for run in runs})
    assert codes
    for code in codes:
        response = client_for(demo).get(reverse("indices-wave-report", args=[code]))
        assert response.status_code == 200, code
        content = body(response)  # sent from a temporary file
        assert beyond_right_edge(content, REPORT_RIGHT_MARGIN) == [], code
        assert "Keseluruhan" in page_text(content)  # the heat map's last column


def test_every_poster_fits_its_page(demo: User) -> None:
    waves = list(Wave.objects.order_by("code"))
    assert waves
    for wave in waves:
        response = client_for(demo).get(f"/surveys/waves/{wave.code}/posters.pdf")
        assert response.status_code == 200, wave.code
        assert response["Content-Type"] == "application/pdf"
        assert beyond_right_edge(response.content, POSTER_RIGHT_MARGIN) == [], wave.code
