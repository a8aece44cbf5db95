"""The wave's ranking compares like with like: one level of the unit tree at a time (the top
level under the government by default), so a parent never stands beside its own sub-unit, and
the number of units it announces is the number it lists."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from integritas.core.models import Unit
from integritas.core.testing import World, body, client_for
from integritas.indices.services.compute import compute_wave
from integritas.indices.tests.url_matrix_dashboards import dashboard_wave
from integritas.surveys.models import Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db


def only_child_wave(world: World) -> Wave:
    """DINSOS answers only through its one sub-unit DINSOS.PANTI (4 responses), so the two
    have identical figures; DISDIK (3) is another top-level unit. k = 2."""
    dinsos = Unit.objects.create(code="DINSOS", name="Dinas Sosial", type=Unit.Type.OFFICE)
    panti = Unit.objects.create(
        code="DINSOS.PANTI", name="UPTD Panti Sosial", type=Unit.Type.TECHNICAL_UNIT, parent=dinsos
    )
    wave = build_wave(build_version(), [panti, world.disdik], code="only-child", min_group_size=2)
    answers = {panti: [[0, 4, 3, 0], [0, 3, 3, 0], [0, 2, 4, 0], [0, 4, 4, 0]]}
    answers[world.disdik] = [[0, 1, 2, 0], [0, 2, 2, 0], [0, 3, 1, 0]]
    for unit, rows in answers.items():
        for row in rows:
            Response.objects.create(
                wave=wave,
                unit=unit,
                respondent_type="public",
                submitted_on=timezone.localdate(),
                answers=Response.pack(row),
            )
    compute_wave(wave=wave)
    return wave


def get(world: World, user: object, code: str, query: str = "") -> str:
    response = client_for(user).get(reverse("indices-wave", args=[code]) + query)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def ranking_rows(html: str) -> list[str]:
    table = html.split('id="ranking-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<span class="muted">([^<]+)</span></td>', table)


def announced(html: str) -> int:
    ranking = html.split('id="ranking"', 1)[1].split("</section>", 1)[0]
    found = re.search(r'class="listed">(\d+) (?:unit|units|unit kerja|perangkat daerah)', ranking)
    assert found, ranking
    return int(found.group(1))


def test_a_parent_is_never_ranked_beside_its_only_child(world: World) -> None:
    wave = only_child_wave(world)
    top = get(world, world.inspector, wave.code)
    assert ranking_rows(top) == ["DINSOS", "DISDIK"]
    below = get(world, world.inspector, wave.code, "?level=2")
    assert ranking_rows(below) == ["DINSOS.PANTI"]
    assert '<td class="num">1</td><td>UPTD Panti Sosial' in below  # ranked among its level


def test_the_ranking_defaults_to_the_top_level_and_offers_the_levels_below(world: World) -> None:
    dashboard_wave(world)
    html = get(world, world.inspector, "dash-wave")
    assert ranking_rows(html) == ["DINKES", "DISDIK"]
    assert 'name="level"' in html and '<option value="2"' in html
    assert ranking_rows(get(world, world.inspector, "dash-wave", "?level=2")) == ["DINKES.PKM"]
    # A level with no units falls back to the top level.
    assert ranking_rows(get(world, world.inspector, "dash-wave", "?level=9")) == [
        "DINKES",
        "DISDIK",
    ]


def test_the_announced_number_of_units_is_the_number_listed(world: World) -> None:
    wave = only_child_wave(world)
    dashboard_wave(world)
    for code in (wave.code, "dash-wave"):
        for query in ("", "?level=2"):
            html = get(world, world.inspector, code, query)
            assert announced(html) == len(ranking_rows(html)), (code, query)
    own = get(world, world.officer_a, "dash-wave")
    assert announced(own) == len(ranking_rows(own)) == 1


def test_the_ranking_export_and_the_pdf_follow_the_level(world: World) -> None:
    wave = only_child_wave(world)
    client = client_for(world.inspector)
    url = reverse("indices-wave", args=[wave.code])
    for level, expected in (("", ["DINSOS", "DISDIK"]), ("2", ["DINSOS.PANTI"])):
        params = {"table": "ranking", "export": "csv", "level": level}
        rows = list(csv.DictReader(io.StringIO(body(client.get(url, params)).decode("utf-8-sig"))))
        assert [row["Unit Kerja"] for row in rows] == expected
        assert rows[0]["Peringkat"] == "1"
