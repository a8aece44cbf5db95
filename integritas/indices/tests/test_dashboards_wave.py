"""The per-wave dashboard: headline, dimensions, ranking, heatmap, responses, exports, and who
sees which rows. Figures are those worked out in ``url_matrix_dashboards``."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from integritas.core.testing import World, body, client_for
from integritas.indices.models import IndexResult
from integritas.indices.tests.url_matrix_dashboards import dashboard_wave
from integritas.surveys.models import WaveUnit

pytestmark = pytest.mark.django_db


def page(world: World, user: object, query: str = "", code: str = "dash-wave") -> str:
    if code == "dash-wave":
        dashboard_wave(world)
    response = client_for(user).get(reverse("indices-wave", args=[code]) + query)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def ranking_section(html: str) -> str:
    return html.split('id="ranking-table"', 1)[1].split("</table>", 1)[0]


def test_it_shows_the_headline_with_grade_interval_and_dimensions(world: World) -> None:
    html = page(world, world.inspector_general)
    assert "67,53" in html  # IKM of the whole government, two decimals, Indonesian comma
    assert "C · " in html  # grade C with its meaning
    assert "69,44" in html and "65,63" in html  # U1 and U2 of the whole government


def test_units_are_ranked_by_overall_score_highest_first(world: World) -> None:
    # The top level (DINKES.PKM is a sub-unit of DINKES: ranked at level 2).
    table = ranking_section(page(world, world.inspector))
    order = [table.index(name) for name in ("DINKES<", "DISDIK")]
    assert order == sorted(order)
    assert "77,50" in table and "53,13" in table and "DINKES.PKM" not in table
    assert '<tr><td class="num">1</td><td>Dinas Kesehatan' in table


def test_the_ranking_can_start_with_the_lowest_score(world: World) -> None:
    table = ranking_section(page(world, world.inspector, "?sort=score"))
    order = [table.index(name) for name in ("DISDIK", "DINKES<")]
    assert order == sorted(order)


def test_a_unit_user_sees_only_their_units_and_the_government_total(world: World) -> None:
    html = page(world, world.officer_a)
    assert "Dinas Kesehatan" in html and "UPTD Puskesmas" in html
    assert "Dinas Pendidikan" not in html
    assert "DISDIK" not in html
    assert "53,13" not in html and "77,50" in html
    assert "56,25" in page(world, world.officer_a, "?level=2")  # the sub-unit, one level down
    assert "67,53" in html  # the government total stays visible

    # No rank column: a rank among some units would mislead.
    assert "<tr><td>Dinas Kesehatan" in ranking_section(html)

    other = page(world, world.officer_b)
    assert "Dinas Pendidikan" in other
    assert "Dinas Kesehatan" not in other and "77,50" not in other


def test_suppressed_cells_show_a_dash_and_never_a_value(world: World) -> None:
    wave = dashboard_wave(world)
    # Even if a value were ever stored on a suppressed row, it must not come out.
    planted = IndexResult.objects.filter(run__wave=wave, suppressed=True)
    assert planted.filter(respondent_type="internal").count() == 12
    planted.update(score=12.3456, ci_low=11.1111, ci_high=13.3333, grade="X")
    html = page(world, world.inspector_general, "?type=internal")
    assert 'class="withheld"' in html
    for leaked in ("12,35", "12.35", "11,11", "13,33", ">X<"):
        assert leaked not in html
    client = client_for(world.inspector_general)
    url = reverse("indices-wave", args=[wave.code])
    for table in ("dimensions", "ranking", "heatmap"):
        csv = client.get(url, {"type": "internal", "table": table, "export": "csv"})
        assert csv.status_code == 200
        text = body(csv).decode("utf-8-sig")
        assert "12.35" not in text and "12.3456" not in text and "11.11" not in text
        xlsx = client.get(url, {"type": "internal", "table": table, "export": "xlsx"})
        book = load_workbook(io.BytesIO(body(xlsx)), read_only=True)
        values = [v for row in book.active.iter_rows(values_only=True) for v in row]
        assert not any(isinstance(v, float) and 11 < v < 14 for v in values), values


def test_the_respondent_type_filter_changes_the_figures(world: World) -> None:
    html = page(world, world.inspector_general, "?type=internal")
    assert "67,53" not in html
    assert 'value="internal" selected' in html
    # An unknown type falls back to all respondents.
    assert "67,53" in page(world, world.inspector_general, "?type=nonsense")


def test_the_dimension_chart_is_valid_svg(world: World) -> None:
    html = page(world, world.leader)
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    root = ET.fromstring(svg.group(0))  # noqa: S314 - our own markup
    assert len(root.findall("{http://www.w3.org/2000/svg}rect")) == 2  # U1 and U2


def test_the_heatmap_colours_cells_by_grade_and_has_a_legend(world: World) -> None:
    html = page(world, world.inspector)
    heatmap = html.split('class="heatmap"', 1)[1].split("</table>", 1)[0]
    # DINKES U1 80.00 is grade B (76.61-88.30) -> step 3; DISDIK U2 50.00 is D -> step 0.
    assert re.search(r'heat-3">\s*80,00', heatmap)
    assert re.search(r'heat-0">\s*50,00', heatmap)
    assert "D (25–64,99)" in html and "A (88,31–100)" in html


def test_response_counts_and_rates_per_unit(world: World) -> None:
    wave = dashboard_wave(world)
    WaveUnit.objects.filter(wave=wave, unit=world.dinkes).update(target=4)
    html = page(world, world.inspector)
    responses = html.split('id="responses"', 1)[1]
    assert "75,0%" in responses  # 3 responses of a target of 4
    assert "—" in responses.split("</table>", 1)[0]  # no target set for the others


def test_exports_list_the_ranking_in_order(world: World) -> None:
    wave = dashboard_wave(world)
    response = client_for(world.admin).get(
        reverse("indices-wave", args=[wave.code]), {"table": "ranking", "export": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = body(response).decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Peringkat,Unit Kerja,Nama,Skor,Batas bawah selang kepercayaan 95%,"
        "Batas atas selang kepercayaan 95%,Mutu,Responden (n),Disembunyikan"
    )
    assert [line.split(",")[1] for line in lines[1:]] == ["DINKES", "DISDIK"]
    assert lines[1].startswith("1,DINKES,Dinas Kesehatan,77.5,")


def test_unit_users_cannot_download_tables(world: World) -> None:
    wave = dashboard_wave(world)
    response = client_for(world.officer_a).get(
        reverse("indices-wave", args=[wave.code]), {"table": "ranking", "export": "csv"}
    )
    assert response.status_code == 403


def test_an_unknown_table_is_not_found(world: World) -> None:
    wave = dashboard_wave(world)
    response = client_for(world.admin).get(
        reverse("indices-wave", args=[wave.code]), {"table": "secrets", "export": "csv"}
    )
    assert response.status_code == 404


def test_a_wave_without_results_says_so_and_still_shows_responses(world: World) -> None:
    dashboard_wave(world, code="not-computed", computed=False)
    html = page(world, world.inspector_general, code="not-computed")
    assert 'class="empty"' in html
    assert 'id="ranking-table"' not in html and "<svg" not in html
    assert 'id="responses"' in html and "Dinas Pendidikan" in html


def test_it_says_whether_the_results_are_up_to_date(world: World) -> None:
    html = page(world, world.inspector)
    assert 'class="fill-state"><span class="badge ok">' in html


def test_an_integrity_wave_subtracts_the_correction_from_the_government_index_only(
    world: World,
) -> None:
    from django.utils import timezone

    from integritas.indices.models import MethodSetting
    from integritas.indices.services.compute import compute_wave
    from integritas.indices.services.settings import wave_year
    from integritas.surveys.models import Dimension, Response
    from integritas.surveys.testing import SMALL_SPEC, build_version, build_wave

    version = build_version({**SMALL_SPEC, "code": "spi-uji", "kind": "integrity"})
    Dimension.objects.filter(version=version).update(group="internal")
    wave = build_wave(version, [world.disdik], code="spi-uji", min_group_size=2)
    MethodSetting.objects.create(
        method="integrity", year=wave_year(wave), config={"correction": 3.88}
    )
    for answers in ([0, 4, 4, 0], [0, 4, 4, 0], [0, 3, 3, 0]):  # 100, 100, 66.67 -> 88.89
        Response.objects.create(
            wave=wave,
            unit=world.disdik,
            respondent_type="internal",
            submitted_on=timezone.localdate(),
            answers=Response.pack(answers),
        )
    compute_wave(wave=wave)
    html = page(world, world.inspector, code=wave.code)
    assert "Poin koreksi" in html and "3,88" in html
    assert "85,0" in html  # the government: 88.89 − 3.88 = 85.01
    assert "88,9" in ranking_section(html)  # DISDIK, uncorrected
