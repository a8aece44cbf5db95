"""Configuration validation: clear ConfigError messages, defaults filled in."""

import pytest

from integritas.indices.engine import ConfigError, available_methods, get_method, validate_config
from integritas.indices.engine.integrity import spi_categories


def test_it_registers_the_three_methods():
    assert available_methods() == ["integrity", "satisfaction", "zi_perception"]


def test_it_rejects_an_unknown_method():
    with pytest.raises(ConfigError, match="Unknown index method 'nps'"):
        get_method("nps")


def test_it_fills_in_documented_defaults():
    config = validate_config("integrity")
    assert config["k"] == 10
    assert config["group_weights"] == {"internal": 0.6, "external": 0.3, "expert": 0.1}
    assert config["correction"] == 0.0
    assert config["categories"][0] == ("Rentan", 0.0, 72.9)
    assert validate_config("satisfaction")["grades"][-1] == ("A", 88.31, 100.0)
    assert validate_config("zi_perception")["target"] is None


def test_it_accepts_the_official_2022_and_2024_categories():
    for year in (2022, 2023, 2024):
        validate_config("integrity", {"categories": spi_categories(year)})


@pytest.mark.parametrize(
    ("method", "config", "message"),
    [
        ("satisfaction", {"weights": {"e1": 0.5, "e2": 0.4}}, "must sum to 1, but they sum to 0.9"),
        ("satisfaction", {"weights": {"e1": 1.2, "e2": -0.2}}, "negative weight"),
        ("satisfaction", {"weights": {}}, "non-empty mapping"),
        (
            "integrity",
            {"group_weights": {"internal": 0.7, "external": 0.3, "expert": 0.1}},
            "must sum to 1",
        ),
        ("integrity", {"group_weights": {"internal": 1.0}}, "missing \\['expert', 'external'\\]"),
        (
            "integrity",
            {"dimension_weights": {"internal": {"a": 0.3, "b": 0.3}}},
            "dimension_weights\\['internal'\\] must sum to 1",
        ),
        ("integrity", {"dimension_weights": {"public": {"a": 1.0}}}, "unknown group"),
        ("integrity", {"correction": -1}, "correction must be between 0 and 100"),
        ("integrity", {"correction": "5"}, "correction must be a finite number"),
        (
            "integrity",
            {"categories": [["Rentan", 0, 73.5], ["Terjaga", 73, 100]]},
            "'Rentan' and 'Terjaga' overlap",
        ),
        (
            "integrity",
            {"categories": [["Rentan", 0, 70], ["Terjaga", 73, 100]]},
            "leave a gap \\(70.0 to 73.0\\).*must start at 70.1",
        ),
        ("integrity", {"categories": [["Terjaga", 78, 120]]}, "outside 0.0–100.0"),
        ("integrity", {"categories": [["Terjaga", 90, 80]]}, "starts \\(90.0\\) above its end"),
        ("integrity", {"categories": [["A", 0, 50], ["A", 50.1, 100]]}, "labels must be unique"),
        ("satisfaction", {"grades": [["A", 88.31, 100], ["B", 76.61, 88.2]]}, "leave a gap"),
        ("satisfaction", {"grades": "A"}, "non-empty list"),
        ("zi_perception", {"k": 0}, "k must be a whole number of at least 1"),
        ("zi_perception", {"target": float("nan")}, "target must be a finite number"),
        ("zi_perception", {"treshold": 3}, "Unknown configuration key\\(s\\): treshold"),
    ],
)
def test_it_rejects_invalid_configuration_with_a_clear_message(method, config, message):
    with pytest.raises(ConfigError, match=message):
        validate_config(method, config)


def test_it_accepts_weights_within_the_tolerance():
    validate_config("satisfaction", {"weights": {"e1": 0.5, "e2": 0.5 + 5e-7}})
