"""The settings forms: each bad input of the issue gets a clear message on its own field."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from integritas.indices.forms.settings import (
    IntegrityForm,
    SatisfactionForm,
    ZiPerceptionForm,
    band_lines,
)
from integritas.indices.models import MethodSetting
from integritas.indices.services.settings import default_config

pytestmark = pytest.mark.django_db

SPI_2024 = "Rentan; 0; 72.9\nWaspada; 73; 77.9\nTerjaga; 78; 100"


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def integrity(**changes: str) -> IntegrityForm:
    data = {
        "year": "2025",
        "weight_internal": "0.6",
        "weight_external": "0.3",
        "weight_expert": "0.1",
        "correction": "0",
        "categories": SPI_2024,
        "precision": "1",
        **changes,
    }
    return IntegrityForm(data, creating=True)


def satisfaction(**changes: str) -> SatisfactionForm:
    data = {
        "year": "2025",
        "grades": band_lines(default_config("satisfaction")["grades"]),
        "precision": "2",
        **changes,
    }
    return SatisfactionForm(data, creating=True)


def errors(form: Any, field: str) -> list[str]:
    assert not form.is_valid()
    return list(form.errors.get(field, []))


def test_the_documented_defaults_are_valid() -> None:
    form = integrity()
    assert form.is_valid(), form.errors
    assert form.config["group_weights"] == {"internal": 0.6, "external": 0.3, "expert": 0.1}
    assert form.config["categories"][0] == ["Rentan", 0.0, 72.9]
    assert satisfaction().is_valid()


def test_numbers_may_be_written_with_a_decimal_comma() -> None:
    form = integrity(
        weight_internal="0,5",
        weight_external="0,4",
        correction="5,39",
        categories="Rentan; 0; 72,9\nWaspada; 73; 77,9\nTerjaga; 78; 100",
    )
    assert form.is_valid(), form.errors
    assert form.config["group_weights"]["internal"] == 0.5
    assert form.config["correction"] == 5.39
    assert form.config["categories"][0] == ["Rentan", 0.0, 72.9]


def test_group_weights_that_do_not_add_up_to_1_are_refused() -> None:
    # 0.5 + 0.3 + 0.1 = 0.9
    assert errors(integrity(weight_internal="0.5"), "weight_internal") == [
        "The group weights must add up to 1; they add up to 0.9."
    ]


def test_a_negative_or_too_large_group_weight_is_refused() -> None:
    assert errors(integrity(weight_expert="-0.1"), "weight_expert") == [
        "Enter a number from 0 to 1."
    ]
    assert errors(integrity(weight_internal="abc"), "weight_internal") == ["“abc” is not a number."]


def test_dimension_weights_must_add_up_to_1() -> None:
    # 0.5 + 0.4 = 0.9
    form = integrity(dimension_weights_internal="D1 = 0.5\nD2 = 0.4")
    assert errors(form, "dimension_weights_internal") == [
        "The weights must add up to 1; they add up to 0.9."
    ]


def test_dimension_weight_lines_report_every_bad_line() -> None:
    form = integrity(dimension_weights_external="E1 0.5\nE2 = x\nE3 = -0.5\nE3 = 0.5")
    assert errors(form, "dimension_weights_external") == [
        "Line 1: write “code = weight”, for example “D1 = 0.25”.",
        "Line 2: “x” is not a number.",
        "Line 3: a weight cannot be negative.",
        "Line 4: “E3” is given twice.",
    ]


def test_valid_dimension_weights_are_kept_per_group() -> None:
    form = integrity(dimension_weights_internal="D1 = 0.25\nD2: 0.75")
    assert form.is_valid(), form.errors
    assert form.config["dimension_weights"] == {"internal": {"D1": 0.25, "D2": 0.75}}


def test_overlapping_bands_are_refused() -> None:
    form = integrity(categories="Rentan; 0; 73.5\nWaspada; 73; 77.9\nTerjaga; 78; 100")
    assert errors(form, "categories") == ["Bands “Rentan” and “Waspada” overlap."]


def test_a_gap_between_bands_is_refused() -> None:
    form = integrity(categories="Rentan; 0; 72.9\nWaspada; 73.5; 77.9\nTerjaga; 78; 100")
    assert errors(form, "categories") == [
        "There is a gap between 72.9 and 73.5: the band after “Rentan” must start at 73."
    ]


def test_bands_outside_0_to_100_are_refused() -> None:
    form = integrity(categories="Rentan; -5; 72.9\nWaspada; 73; 77.9\nTerjaga; 78; 120")
    assert errors(form, "categories") == [
        "Band “Rentan” (-5–72.9) is outside 0–100.",
        "Band “Terjaga” (78–120) is outside 0–100.",
    ]


def test_a_band_that_ends_before_it_starts_is_refused() -> None:
    form = integrity(categories="Rentan; 72.9; 0\nTerjaga; 73; 100")
    assert "Band “Rentan” starts above its end (72.9 is more than 0)." in errors(form, "categories")


def test_band_limits_finer_than_the_precision_are_refused() -> None:
    form = integrity(categories="Rentan; 0; 72.95\nTerjaga; 73; 100")
    # SPI scores are never rounded before they are placed, so the message does not say so.
    assert errors(form, "categories") == [
        "Band “Rentan”: write its limits with at most 1 decimals."
    ]


def test_badly_written_band_lines_and_repeated_labels_are_reported() -> None:
    form = integrity(categories="Rentan 0 72.9\nWaspada; x; 77.9")
    assert errors(form, "categories") == [
        "Line 1: write “label; lowest score; highest score”, for example “Waspada; 73; 77.9”.",
        "Line 2: “x” is not a number.",
    ]
    form = integrity(categories="A; 0; 49.9\nA; 50; 100")
    assert errors(form, "categories") == ["The label “A” is used twice."]


def test_empty_bands_are_refused() -> None:
    assert errors(integrity(categories=" \n"), "categories")


def test_the_correction_must_be_between_0_and_100() -> None:
    assert errors(integrity(correction="101"), "correction") == ["Enter a number from 0 to 100."]


def test_grades_are_checked_at_their_precision() -> None:
    # At precision 2 the official SKM table is contiguous; at precision 1 "76.61" is too fine.
    form = satisfaction(precision="1")
    assert any("at most 1 decimals" in e for e in errors(form, "grades"))
    form = satisfaction(grades="D; 25; 64.99\nC; 65.5; 76.6\nB; 76.61; 88.3\nA; 88.31; 100")
    assert errors(form, "grades") == [
        "There is a gap between 64.99 and 65.5: the band after “D” must start at 65."
    ]


def test_satisfaction_element_weights_are_optional_and_must_add_up_to_1() -> None:
    form = satisfaction()
    assert form.is_valid()
    assert form.config["weights"] is None
    form = satisfaction(weights="U1 = 0.5\nU2 = 0.25")
    assert errors(form, "weights") == ["The weights must add up to 1; they add up to 0.75."]
    form = satisfaction(weights="U1 = 0.5\nU2 = 0.5")
    assert form.is_valid()
    assert form.config["weights"] == {"U1": 0.5, "U2": 0.5}


def test_the_weak_threshold_must_be_on_the_methods_scale() -> None:
    assert errors(integrity(weak_threshold="150"), "weak_threshold") == [
        "Enter a number from 0 to 100."
    ]
    form = ZiPerceptionForm({"year": "2025", "target": "3.5", "weak_threshold": "7"}, creating=True)
    assert errors(form, "weak_threshold") == ["Enter a number from 1 to 6."]


def test_the_zi_target_is_optional() -> None:
    form = ZiPerceptionForm({"year": "2025", "target": ""}, creating=True)
    assert form.is_valid()
    assert form.config == {"target": None}
    form = ZiPerceptionForm({"year": "2025", "target": "3,5"}, creating=True)
    assert form.is_valid()
    assert form.config == {"target": 3.5}


def test_a_second_setting_for_the_same_year_is_refused() -> None:
    MethodSetting.objects.create(method="integrity", year=2025)
    assert errors(integrity(), "year") == [
        "There is already a setting of this method for 2025; change that one instead."
    ]
    assert integrity(year="2026").is_valid()


def test_every_problem_is_reported_at_once() -> None:
    form = integrity(
        weight_internal="0.5", categories="Rentan; 0; 73.5\nTerjaga; 73; 100", correction="-1"
    )
    assert not form.is_valid()
    assert set(form.errors) == {"weight_internal", "categories", "correction"}


def test_categories_whose_lowest_does_not_start_at_0_are_refused() -> None:
    form = integrity(
        categories="Sangat Rentan; 42.01; 67.9\nRentan; 68; 73.6\nWaspada; 73.7; 77.4\n"
        "Terjaga; 77.5; 100",
        precision="2",
    )
    assert errors(form, "categories") == [
        "The lowest category must start at 0, so that every score has one."
    ]


def test_the_official_categories_of_every_year_are_valid() -> None:
    for year in (2022, 2023, 2024):
        form = integrity(categories=band_lines(default_config("integrity", year)["categories"]))
        assert form.is_valid(), form.errors
