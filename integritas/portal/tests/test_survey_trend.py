"""The survey results page shows the trend of the government's published results across the
years: per questionnaire, a table of each published wave's overall result (grade, respondents)
beside a bar chart of the same figures, oldest first; a withheld result stays "—" with its bound,
and an unpublished wave is not in it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from integritas.core.testing import World
from integritas.indices.models import IndexResult
from integritas.portal.services import public as published
from integritas.portal.services import publishing
from integritas.portal.tests.stories import computed_wave
from integritas.portal.tests.test_public_pages import _government_score
from integritas.surveys.models import Wave

pytestmark = pytest.mark.django_db


def _moved_to(wave: Wave, year: int) -> Wave:
    Wave.objects.filter(pk=wave.pk).update(
        opens_on=dt.date(year, 3, 1), closes_on=dt.date(year, 4, 30)
    )
    wave.refresh_from_db()
    return wave


def _three_years(world: World) -> tuple[Wave, Wave, Wave]:
    older = _moved_to(computed_wave(world, code="skm-2024", title="SKM 2024", shift=1), 2024)
    newer = _moved_to(computed_wave(world, code="skm-2025", title="SKM 2025"), 2025)
    hidden = _moved_to(computed_wave(world, code="skm-2026", title="SKM 2026", shift=2), 2026)
    for wave in (older, newer):
        publishing.publish(obj=wave, by=world.inspector)
    return older, newer, hidden


def test_the_results_page_shows_the_governments_results_across_the_years(world: World) -> None:
    older, newer, hidden = _three_years(world)
    page = Client().get(reverse("portal-waves")).content.decode()
    assert 'id="trend-title"' in page
    table = page.split('class="trend"', 1)[1].split("</table>", 1)[0]
    assert "<caption" in table
    assert table.index("2024") < table.index("2025")  # oldest first
    assert _government_score(older) in table and _government_score(newer) in table
    assert _government_score(hidden) not in page and hidden.title not in page
    # The chart beside the table, drawn on the server, with a title.
    chart = page.split('class="trend"', 1)[1].split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<title>" in chart and _government_score(newer) in chart


def test_a_withheld_government_result_stays_withheld_in_the_trend(world: World) -> None:
    older, newer, _hidden = _three_years(world)
    score = _government_score(older)
    IndexResult.objects.filter(
        run__wave=older, node="ALL", dimension="ALL", respondent_type="all"
    ).update(suppressed=True, score=None, ci_low=None, ci_high=None)
    trends = published.trends()
    assert [p.wave for p in trends[0].points] == [older, newer]
    assert trends[0].points[0].cell is not None and trends[0].points[0].cell.score is None
    page = Client().get(reverse("portal-waves")).content.decode()
    row = page.split('id="trend-skm-2024"', 1)[1].split("</tr>", 1)[0]
    assert score not in page
    assert "—" in row and ("≥ 5" in row or "&lt; 5" in row)


def test_without_published_results_the_page_says_so_and_draws_no_trend(world: World) -> None:
    computed_wave(world, code="skm-rahasia", title="SKM rahasia")
    page = Client().get(reverse("portal-waves")).content.decode()
    assert 'id="trend-title"' not in page and "<svg" not in page
    assert "Belum ada hasil survei yang diterbitkan." in page
