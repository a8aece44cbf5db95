"""The index panel of the home page: the Inspectorate's new weak points per wave (each count equal
to the weak-point list it links to), and leadership's official SPI and own survey index."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from integritas.core.testing import World, assert_counts_match_lists, client_for
from integritas.indices.models import Institution, SpiResult, WeakPoint
from integritas.indices.services.weak_points import dismiss
from integritas.indices.tests.test_weak_points_detect import world_wave

pytestmark = pytest.mark.django_db


def indices_panel(user: Any) -> dict[str, Any] | None:
    page = client_for(user).get("/")
    found = [p for p in page.context["extra_panels"] if p["template"] == "indices/home_panel.html"]
    return found[0] if found else None


def test_the_inspectorate_counts_new_weak_points_as_the_list_does(world: World) -> None:
    wave = world_wave(world)
    label = f"new weak points in {wave.title}"
    assert assert_counts_match_lists(world.inspector)[label] == 5
    dismiss(
        weak_point=WeakPoint.objects.filter(wave=wave).first(),  # type: ignore[arg-type]
        by=world.inspector,
        reason="Sudah ditangani",
    )
    assert assert_counts_match_lists(world.inspector)[label] == 4


def test_no_new_weak_point_is_said_in_words(world: World) -> None:
    wave = world_wave(world)
    for weak_point in WeakPoint.objects.filter(wave=wave):
        dismiss(weak_point=weak_point, by=world.inspector, reason="Sudah ditangani")
    page = client_for(world.inspector, language="en").get("/").content.decode()
    assert "No new weak point waits for a decision." in page
    assert indices_panel(world.officer_a) is None  # unit staff have no weak-point queue


def test_leadership_sees_the_official_spi_and_the_latest_survey_index(world: World) -> None:
    own = Institution.objects.create(
        code="kota-uji", name="Kota Uji", kind=Institution.Kind.CITY, is_own=True
    )
    SpiResult.objects.create(institution=own, year=2022, index=Decimal("66.10"))
    SpiResult.objects.create(institution=own, year=2023, index=Decimal("63.26"))
    wave = world_wave(world)
    page = client_for(world.leader).get("/").content.decode()  # Indonesian, as users see it
    assert "63,26" in page and "Sangat Rentan" in page  # 2023's four bands
    assert f"/indices/waves/{wave.code}/" in page
    panel = indices_panel(world.leader)
    assert panel is not None and panel["leadership"]["survey"].wave == wave


def test_leadership_without_results_reads_why_in_words(world: World) -> None:
    page = client_for(world.leader, language="en").get("/").content.decode()
    assert "No official SPI result of this government has been entered yet." in page
    assert "No survey wave has computed results yet." in page
