"""Withheld results never give away how many answered, and a unit with enough respondents keeps
its result when a small sibling needs protecting: the aggregate above it is hidden instead.

The wave (k = 40): DINKES holds DINKES.PKM (53 responses) and DINKES.LAB (37, too few);
DISDIK (61) and DISHUB (38, too few) are top-level units. DINKES (90) minus DINKES.PKM would
give away the 37 of DINKES.LAB, so DINKES is hidden, not DINKES.PKM; the government total (189)
stays, since what it leaves unpublished (DINKES.LAB and DISHUB, 75) is at least k. No page,
export, PDF or JSON shows 37, 38 or 90: withheld counts read "< 40" or "≥ 40".
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import IO, Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from integritas.core.models import Unit
from integritas.core.testing import World, body, client_for
from integritas.indices.models import IndexResult
from integritas.indices.services.compute import compute_wave
from integritas.lib import pdf
from integritas.surveys.models import Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db

K = 40
SIZES = {"DINKES.PKM": 53, "DINKES.LAB": 37, "DISDIK": 61, "DISHUB": 38}
HIDDEN_COUNTS = ("37", "38", "90")


def withheld_wave(world: World) -> Wave:
    lab = Unit.objects.create(
        code="DINKES.LAB",
        name="UPTD Laboratorium",
        type=Unit.Type.TECHNICAL_UNIT,
        parent=world.dinkes,
    )
    dishub = Unit.objects.create(code="DISHUB", name="Dinas Perhubungan", type=Unit.Type.OFFICE)
    units = {"DINKES.PKM": world.puskesmas, "DINKES.LAB": lab, "DISDIK": world.disdik}
    units["DISHUB"] = dishub
    wave = build_wave(
        build_version(),
        [world.dinkes, *units.values()],
        code="withheld",
        min_group_size=K,
        title="SKM kecil",
    )
    today = timezone.localdate()
    Response.objects.bulk_create(
        Response(
            wave=wave,
            unit=units[code],
            respondent_type="public",
            submitted_on=today,
            answers=Response.pack([0, 1 + i % 4, 1 + (i * 3) % 4, 0]),
        )
        for code, size in SIZES.items()
        for i in range(size)
    )
    compute_wave(wave=wave)
    return wave


def cell(node: str, dimension: str = "ALL") -> IndexResult:
    return IndexResult.objects.get(node=node, dimension=dimension, respondent_type="all")


def leaks(text: str) -> list[str]:
    """Withheld counts written as numbers in ``text`` (charts and styles left out)."""
    text = re.sub(r"<svg.*?</svg>|<style.*?</style>", "", text, flags=re.S)
    numbers = "|".join(HIDDEN_COUNTS)
    pattern = rf"(?<![\d.,:#\-/\w])({numbers})(?![\d.,:%\w])"
    return re.findall(pattern, text)


def test_the_aggregate_is_hidden_so_a_unit_meeting_k_keeps_its_result(world: World) -> None:
    withheld_wave(world)
    assert not cell("DINKES.PKM").suppressed and cell("DINKES.PKM").score is not None
    assert cell("DINKES.LAB").suppressed  # 37 < 40
    assert cell("DINKES").suppressed and cell("DINKES").n == 90  # takes the complementary
    assert not cell("ALL").suppressed and cell("ALL").n == 189


def test_the_pages_show_withheld_counts_as_bounds_never_the_number(world: World) -> None:
    wave = withheld_wave(world)
    client = client_for(world.inspector_general)
    url = reverse("indices-wave", args=[wave.code])
    for query in ("", "?level=2", "?sort=-n", "?level=2&sort=-n"):
        html = client.get(url + query).content.decode()
        assert leaks(html) == [], query
        assert "&lt; 40" in html, query
    top = client.get(url).content.decode()
    ranking = top.split('id="ranking-table"', 1)[1].split("</table>", 1)[0]
    assert "≥ 40" in ranking  # DINKES, hidden to protect DINKES.LAB
    for page_url in (reverse("indices-home"), reverse("indices-year", args=[wave.opens_on.year])):
        assert leaks(client.get(page_url).content.decode()) == []


def test_the_exports_show_withheld_counts_as_bounds_never_the_number(world: World) -> None:
    wave = withheld_wave(world)
    client = client_for(world.inspector_general)
    url = reverse("indices-wave", args=[wave.code])
    for level in ("1", "2"):
        for table in ("dimensions", "ranking", "heatmap", "responses"):
            params = {"table": table, "level": level}
            text = body(client.get(url, {**params, "export": "csv"})).decode("utf-8-sig")
            assert leaks(text) == [], (table, text)
            book = load_workbook(
                io.BytesIO(body(client.get(url, {**params, "export": "xlsx"}))), read_only=True
            )
            values = [str(v) for row in book.active.iter_rows(values_only=True) for v in row]
            assert leaks("\n".join(values)) == [], (table, values)
    rows = list(
        csv.DictReader(
            io.StringIO(
                body(client.get(url, {"table": "ranking", "level": "2", "export": "csv"})).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert {row["Unit Kerja"]: row["Responden (n)"] for row in rows} == {
        "DINKES.PKM": "53",
        "DINKES.LAB": "< 40",
    }
    summary = body(client.get(reverse("indices-home"), {"export": "csv"})).decode("utf-8-sig")
    assert leaks(summary) == []


def test_the_pdf_report_shows_withheld_counts_as_bounds(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    wave = withheld_wave(world)
    pages: list[str] = []
    real = pdf.write_pdf

    def spy(html: str, target: IO[bytes]) -> None:
        pages.append(html)
        real(html, target)

    monkeypatch.setattr(pdf, "write_pdf", spy)
    for level in ("1", "2"):
        response = client_for(world.inspector).get(
            reverse("indices-wave-report", args=[wave.code]), {"level": level}
        )
        assert response.status_code == 200
    assert len(pages) == 2
    for html in pages:
        assert leaks(html) == []
    assert "&lt; 40" in pages[1]


def test_compute_indices_json_shows_withheld_counts_as_bounds(world: World) -> None:
    wave = withheld_wave(world)
    out = io.StringIO()
    call_command("compute_indices", "--wave", wave.code, "--json", stdout=out)
    payload: dict[str, Any] = json.loads(out.getvalue())
    assert leaks(out.getvalue()) == []
    cells = {(r["node"], r["dimension"], r["respondent_type"]): r for r in payload["results"]}
    assert cells[("DINKES.LAB", "ALL", "all")]["n"] == "< 40"
    assert cells[("DINKES", "ALL", "all")]["n"] == "≥ 40"
    assert cells[("DINKES.PKM", "ALL", "all")]["n"] == 53


def test_the_withheld_column_of_an_export_answers_in_the_readers_language(world: World) -> None:
    wave = withheld_wave(world)
    url = reverse("indices-wave", args=[wave.code])
    params = {"table": "ranking", "level": "2", "export": "csv"}
    for language, words in (("id", {"ya", "tidak"}), ("en", {"yes", "no"})):
        client = client_for(world.inspector_general, language=language)
        text = body(client.get(url, params)).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert {row[-1] for row in rows[1:]} <= words, rows
