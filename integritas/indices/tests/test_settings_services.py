"""The year-versioned method settings: which one applies to a year, and the services that
create, change and delete them (each with one audit event)."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.core.models import FiscalYear
from integritas.core.testing import World
from integritas.indices.engine.integrity import SPI_CATEGORIES
from integritas.indices.models import MethodSetting
from integritas.indices.services import settings as ms
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db
INTEGRITY = MethodSetting.Method.INTEGRITY
SATISFACTION = MethodSetting.Method.SATISFACTION


def make(method: str = INTEGRITY, year: int = 2022, **config: object) -> MethodSetting:
    return MethodSetting.objects.create(method=method, year=year, config=config)


def test_a_2022_setting_applies_to_2023_until_a_2024_setting_exists() -> None:
    s2022 = make(year=2022, correction=5.0)
    assert ms.setting_for(INTEGRITY, 2021) is None
    assert ms.setting_for(INTEGRITY, 2023) == s2022
    assert ms.effective_config(INTEGRITY, 2023) == {
        "correction": 5.0,
        "categories": SPI_CATEGORIES[2022],  # the official bands of 2023
    }
    s2024 = make(year=2024, correction=2.0)
    assert ms.setting_for(INTEGRITY, 2023) == s2022
    assert ms.setting_for(INTEGRITY, 2024) == s2024
    assert ms.setting_for(INTEGRITY, 2030) == s2024
    assert ms.effective_config(INTEGRITY, 2025) == {"correction": 2.0}


def test_settings_of_one_method_do_not_apply_to_another() -> None:
    make(method=SATISFACTION, year=2020, precision=3)
    assert ms.setting_for(INTEGRITY, 2024) is None
    assert ms.effective_config(SATISFACTION, 2024) == {"precision": 3}


def test_without_a_setting_the_integrity_index_uses_the_official_categories_of_the_year() -> None:
    # 2022 and 2023 use the four bands; from 2024 on the engine default (2024) applies, so
    # nothing is added to the engine configuration.
    assert ms.effective_config(INTEGRITY, 2022) == {"categories": SPI_CATEGORIES[2022]}
    assert ms.effective_config(INTEGRITY, 2023) == {"categories": SPI_CATEGORIES[2022]}
    assert ms.effective_config(INTEGRITY, 2024) == {}
    assert ms.effective_config(SATISFACTION, 2022) == {}
    assert ms.spi_categories_for(2022)[0] == ["Sangat Rentan", 0.0, 67.9]
    assert ms.spi_categories_for(2023) == SPI_CATEGORIES[2022]
    assert ms.spi_categories_for(2024)[0] == ["Rentan", 0.0, 72.9]


def test_a_setting_keeps_its_categories_in_later_years() -> None:
    make(year=2021, categories=[["Low", 0.0, 49.9], ["High", 50.0, 100.0]])
    assert ms.spi_categories_for(2025) == [["Low", 0.0, 49.9], ["High", 50.0, 100.0]]


def test_the_weak_threshold_comes_from_the_setting_in_force() -> None:
    MethodSetting.objects.create(method=SATISFACTION, year=2023, weak_threshold=76.61)
    assert ms.weak_threshold_for(SATISFACTION, 2022) is None
    assert ms.weak_threshold_for(SATISFACTION, 2026) == 76.61


def test_defaults_are_the_documented_ones() -> None:
    integrity = ms.default_config(INTEGRITY, 2024)
    assert integrity["group_weights"] == {"internal": 0.6, "external": 0.3, "expert": 0.1}
    assert integrity["categories"] == SPI_CATEGORIES[2024]
    assert integrity["correction"] == 0.0
    assert ms.default_config(INTEGRITY, 2022)["categories"] == SPI_CATEGORIES[2022]
    satisfaction = ms.default_config(SATISFACTION)
    # Bands are kept from the lowest to the highest, as the engine sorts them.
    assert satisfaction["grades"][-1] == ["A", 88.31, 100.0]
    assert satisfaction["weights"] is None
    assert "k" not in satisfaction


def test_affected_years_run_until_the_next_setting(world: World) -> None:
    s2022 = make(year=2022)
    make(year=2024)
    assert list(ms.affected_years(s2022)) == [2022, 2023]


def test_affected_years_of_the_last_setting_reach_the_last_year_in_use(world: World) -> None:
    FiscalYear.objects.create(year=2031, **FiscalYear.defaults_for(2031))
    s2024 = make(year=2024)
    years = ms.affected_years(s2024)
    assert years[0] == 2024
    assert years[-1] == 2031


def test_affected_waves_are_the_methods_waves_in_those_years(world: World) -> None:
    version = build_version()  # a satisfaction instrument
    inside = build_wave(version, [world.dinkes], code="skm-2023", opens_on=dt.date(2023, 3, 1))
    build_wave(version, [world.dinkes], code="skm-2021", opens_on=dt.date(2021, 3, 1))
    setting = make(method=SATISFACTION, year=2022)
    make(method=SATISFACTION, year=2024)
    assert list(ms.affected_waves(setting)) == [inside]
    assert not ms.affected_waves(make(method=INTEGRITY, year=2022)).exists()


def test_create_stores_only_what_differs_from_the_defaults_and_records_it(world: World) -> None:
    config = {**ms.default_config(INTEGRITY, 2025), "correction": 5.39}
    setting = ms.setting_create(
        method=INTEGRITY,
        year=2025,
        config=config,
        weak_threshold=70.0,
        note="Surat KPK",
        by=world.inspector_general,
    )
    setting.refresh_from_db()
    assert setting.config == {"correction": 5.39}
    assert setting.updated_by == world.inspector_general
    event = Event.objects.get(action="method_setting.created")
    assert event.object_id == str(setting.pk)
    assert event.actor == world.inspector_general
    assert event.changes["correction"] == [None, "5.39"]
    assert event.changes["group_weights"] == [None, "internal 0.6 · external 0.3 · expert 0.1"]
    assert event.changes["year"] == [None, 2025]
    assert event.changes["weak_threshold"] == [None, 70.0]


def test_a_setting_with_the_official_categories_of_its_year_does_not_store_them() -> None:
    # Each later year then gets its own official bands: 2024 onwards the three.
    setting = ms.setting_create(
        method=INTEGRITY, year=2022, config=ms.default_config(INTEGRITY, 2022)
    )
    assert setting.config == {}
    assert ms.spi_categories_for(2023) == SPI_CATEGORIES[2022]
    assert ms.spi_categories_for(2024) == SPI_CATEGORIES[2024]


def test_a_setting_whose_categories_differ_from_the_official_ones_of_its_year_stores_them() -> None:
    config = {**ms.default_config(INTEGRITY, 2023), "categories": SPI_CATEGORIES[2024]}
    setting = ms.setting_create(method=INTEGRITY, year=2023, config=config)
    assert setting.config == {"categories": SPI_CATEGORIES[2024]}
    assert ms.full_config(setting)["categories"] == SPI_CATEGORIES[2024]


def test_the_engine_and_the_pages_use_the_same_categories_when_a_setting_keeps_them() -> None:
    # A 2022 setting that changes only the correction leaves each year its official bands,
    # for the engine's configuration (the loader reads effective_config) and the SPI pages.
    make(year=2022, correction=5.0)
    assert ms.effective_config(INTEGRITY, 2023) == {
        "categories": SPI_CATEGORIES[2022],
        "correction": 5.0,
    }
    assert ms.spi_categories_for(2023) == SPI_CATEGORIES[2022]
    assert ms.effective_config(INTEGRITY, 2024) == {"correction": 5.0}
    assert ms.spi_categories_for(2024) == SPI_CATEGORIES[2024]


def test_create_refuses_a_second_setting_for_the_same_method_and_year() -> None:
    make(year=2024)
    with pytest.raises(ValidationError) as exc:
        ms.setting_create(method=INTEGRITY, year=2024, config={})
    assert "year" in exc.value.message_dict
    assert MethodSetting.objects.count() == 1
    assert not Event.objects.filter(action="method_setting.created").exists()


def test_create_refuses_a_configuration_the_engine_refuses() -> None:
    with pytest.raises(ValidationError):
        ms.setting_create(
            method=INTEGRITY,
            year=2024,
            config={"group_weights": {"internal": 0.5, "external": 0.3, "expert": 0.1}},
        )
    with pytest.raises(ValidationError):
        ms.setting_create(method=SATISFACTION, year=2024, config={"correction": 1.0})
    assert not MethodSetting.objects.exists()
    assert not Event.objects.exists()


def test_update_records_before_and_after_of_what_changed(world: World) -> None:
    setting = make(method=SATISFACTION, year=2024)
    ms.setting_update(
        setting=setting,
        config={
            "precision": 2,
            "weights": None,
            "grades": ms.default_config(SATISFACTION)["grades"],
        },
        weak_threshold=65.0,
        note="",
        by=world.admin,
    )
    ms.setting_update(
        setting=setting,
        config={"grades": [["Good", 0.0, 49.99], ["Better", 50.0, 100.0]]},
        weak_threshold=65.0,
        note="",
        by=world.admin,
    )
    setting.refresh_from_db()
    assert setting.config == {"grades": [["Good", 0.0, 49.99], ["Better", 50.0, 100.0]]}
    events = list(Event.objects.filter(action="method_setting.updated").order_by("seq"))
    assert [set(e.changes) for e in events] == [{"weak_threshold"}, {"grades"}]
    assert events[1].changes["grades"] == [
        "D 25–64.99 · C 65–76.6 · B 76.61–88.3 · A 88.31–100",
        "Good 0–49.99 · Better 50–100",
    ]


def test_an_update_that_changes_nothing_records_nothing() -> None:
    setting = make(method=MethodSetting.Method.ZI_PERCEPTION, year=2024, target=3.5)
    ms.setting_update(setting=setting, config={"target": 3.5})
    assert not Event.objects.exists()


def test_delete_removes_the_setting_and_records_what_it_held(world: World) -> None:
    setting = make(year=2022, correction=5.0)
    pk = setting.pk
    ms.setting_delete(setting=setting, by=world.admin)
    assert not MethodSetting.objects.exists()
    event = Event.objects.get(action="method_setting.deleted")
    assert event.object_id == str(pk)
    assert event.changes["correction"] == ["5", None]
    assert event.changes["year"] == [2022, None]


def test_changing_a_setting_marks_the_computed_waves_of_its_years_for_recomputation() -> None:
    from integritas.indices.models import WaveIndexState
    from integritas.indices.services.compute import compute_wave
    from integritas.indices.tests.test_compute_indices import make_wave

    wave = make_wave(k=2)  # an SKM-like wave opening this year
    compute_wave(wave=wave)
    year = ms.wave_year(wave)
    ms.setting_create(
        method="satisfaction", year=year, config={}, weak_threshold=70.0, note="ambang 70"
    )
    state = WaveIndexState.objects.get(wave=wave)
    assert state.status == WaveIndexState.Status.STALE
    assert state.full_needed


def test_stored_categories_start_at_0_and_the_official_ones_of_the_year_are_dropped() -> None:
    migration = import_module("integritas.indices.migrations.0006_spi_categories_from_zero")
    assert migration.OFFICIAL == SPI_CATEGORIES
    old_2022 = [["Sangat Rentan", 42.01, 67.9], *SPI_CATEGORIES[2022][1:]]
    official = make(year=2022, categories=old_2022, correction=2.0)
    own = make(year=2026, categories=[["Low", 10.0, 49.9], ["High", 50.0, 100.0]])
    other = MethodSetting.objects.create(method=SATISFACTION, year=2022, config={"precision": 3})
    migration.lowest_from_zero(apps, None)
    official.refresh_from_db()
    assert official.config == {"correction": 2.0}
    assert ms.spi_categories_for(2023) == SPI_CATEGORIES[2022]
    assert ms.spi_categories_for(2024) == SPI_CATEGORIES[2024]
    own.refresh_from_db()
    assert own.config == {"categories": [["Low", 0.0, 49.9], ["High", 50.0, 100.0]]}
    other.refresh_from_db()
    assert other.config == {"precision": 3}
