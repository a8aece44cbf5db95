"""The portal's home shows the government's official SPI profile: score and category per year,
the national index and the same-type average where they are stored, and the trend chart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from integritas.core.testing import World
from integritas.indices.models.official import Institution, NationalFigure, SpiResult

pytestmark = pytest.mark.django_db


def test_the_home_shows_each_year_with_its_category_and_the_averages(world: World) -> None:
    own = Institution.objects.create(
        code="kota-uji", name="Kota Uji", kind=Institution.Kind.CITY, is_own=True
    )
    SpiResult.objects.create(institution=own, year=2022, index=Decimal("66.10"))
    SpiResult.objects.create(institution=own, year=2023, index=Decimal("63.26"))
    NationalFigure.objects.update_or_create(
        year=2023, defaults={"index": Decimal("70.97"), "averages_by_kind": {"city": "68.52"}}
    )
    page = Client().get("/").content.decode()
    assert "66,10" in page and "63,26" in page
    assert "Sangat Rentan" in page  # 2023's category of 63.26
    assert "70,97" in page and "68,52" in page
    assert "-2,84" in page  # the change from 2022
    assert "<svg" in page  # the trend


def test_without_official_results_the_home_says_so(world: World) -> None:
    page = Client().get("/").content.decode()
    assert "Belum ada hasil SPI resmi yang dicatat." in page
