"""The export page of a wave's responses."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from integritas.audit.models import Event
from integritas.core.testing import World, body, client_for
from integritas.surveys.models import Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db
DAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def wave(world: World) -> Wave:
    wave = build_wave(build_version(), [world.dinkes, world.disdik], code="skm-2026")
    for unit, n in ((world.dinkes, 12), (world.disdik, 14), (world.dinkes, 0)):
        for _ in range(n):
            Response.objects.create(
                wave=wave,
                unit=unit,
                respondent_type="public",
                submitted_on=DAY,
                answers=Response.pack([1, 4, 3, 2]),
            )
    return wave


def url(wave: Wave) -> str:
    return reverse("surveys-data-export", args=[wave.code])


def test_the_page_says_how_many_responses_the_export_withholds(world: World, wave: Wave) -> None:
    Response.objects.create(
        wave=wave,
        unit=world.puskesmas,
        respondent_type="public",
        submitted_on=DAY,
        answers=Response.pack([1, 1, 1, 1]),
    )

    response = client_for(world.inspector).get(url(wave))

    assert response.status_code == 200
    assert response.context["withheld"].total == 27
    assert response.context["withheld"].responses == 13  # PKM (1) and DINKES (12) as complement
    html = response.content.decode()
    assert 'id="export-summary"' in html and 'type="radio"' in html


def test_it_downloads_a_workbook_and_records_the_download(world: World, wave: Wave) -> None:
    response = client_for(world.inspector).post(url(wave), {"format": "xlsx", "values": "codes"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="skm-2026-responses-{timezone.localdate().isoformat()}.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames == ["responses", "codebook"]
    assert workbook["responses"].max_row == 27
    event = Event.objects.get(action="wave.responses_exported")
    assert event.actor == world.inspector


def test_it_downloads_csv_as_a_zip_with_the_codebook(world: World, wave: Wave) -> None:
    response = client_for(world.inspector).post(url(wave), {"format": "csv", "values": "labels"})

    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(body(response))).namelist()
    assert names == ["skm-2026-responses.csv", "skm-2026-codebook.csv"]


def test_an_unknown_format_is_refused_with_the_form(world: World, wave: Wave) -> None:
    response = client_for(world.inspector).post(url(wave), {"format": "pdf", "values": "codes"})

    assert response.status_code == 400 and "format" in response.context["form"].errors
    assert not Event.objects.filter(action="wave.responses_exported").exists()


def test_leadership_may_see_the_wave_but_not_download_its_responses(
    world: World, wave: Wave
) -> None:
    response = client_for(world.leader).post(url(wave), {"format": "csv", "values": "codes"})

    assert response.status_code == 403
