"""The per-year dashboard: the year's waves with headline scores and each instrument's trend."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from integritas.core.testing import World, body, client_for
from integritas.indices.services.compute import compute_wave
from integritas.indices.services.settings import wave_year
from integritas.indices.tests.url_matrix_dashboards import dashboard_wave
from integritas.surveys.models import Response, Wave

pytestmark = pytest.mark.django_db


def earlier_wave(world: World, wave: Wave) -> Wave:
    """The same instrument a year earlier: one DINKES respondent answering 2 and 2 twice."""
    previous = Wave.objects.create(
        code="dash-previous",
        title="SKM tahun lalu",
        version=wave.version,
        opens_on=wave.opens_on - dt.timedelta(days=365),
        closes_on=wave.closes_on - dt.timedelta(days=365),
        respondent_types=["public"],
        min_group_size=2,
    )
    previous.wave_units.create(unit=world.dinkes, public_code="prevcode0001")
    for _ in range(2):
        Response.objects.create(
            wave=previous,
            unit=world.dinkes,
            respondent_type="public",
            submitted_on=previous.opens_on,
            answers=Response.pack([0, 2, 2, 0]),
        )
    compute_wave(wave=previous)  # U1 = U2 = 2 -> 50.00, IKM 50.00
    return previous


def test_it_lists_the_waves_of_the_year_with_their_headline(world: World) -> None:
    wave = dashboard_wave(world)
    url = reverse("indices-year", args=[wave_year(wave)])
    html = client_for(world.leader).get(url).content.decode()
    assert reverse("indices-wave", args=[wave.code]) in html
    assert "67,53" in html


def test_the_trend_follows_the_instrument_across_years(world: World) -> None:
    wave = dashboard_wave(world)
    previous = earlier_wave(world, wave)
    year = wave_year(wave)
    html = client_for(world.inspector).get(reverse("indices-year", args=[year])).content.decode()
    assert f">{wave_year(previous)}<" in html and f">{year}<" in html
    assert "50,00" in html and "67,53" in html  # overall index in both years
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 2  # overall, per dimension
    for svg in svgs:
        ET.fromstring(svg)  # noqa: S314 - our own markup


def test_the_trend_table_downloads(world: World) -> None:
    wave = dashboard_wave(world)
    earlier_wave(world, wave)
    response = client_for(world.admin).get(
        reverse("indices-year", args=[wave_year(wave)]),
        {"table": f"trend-{wave.version.instrument.code}", "export": "csv"},
    )
    lines = body(response).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kode dimensi,Nama,")
    assert lines[1].startswith("ALL,") and lines[1].endswith(",50.0,67.53")


def test_a_year_without_waves_has_an_empty_state(world: World) -> None:
    html = client_for(world.inspector).get(reverse("indices-year", args=[2001])).content.decode()
    assert 'class="empty"' in html and "<svg" not in html


def test_years_out_of_range_are_not_found(world: World) -> None:
    assert client_for(world.inspector).get("/indices/years/1200/").status_code == 404
