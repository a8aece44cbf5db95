"""GET /api/v1/gratification/check: the checker's answer as JSON, exactly the issue's fields;
a bad parameter is a 400 naming it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

URL = "/api/v1/gratification/check"


def get(**params: Any) -> Any:
    query = {
        "received_on": "2026-01-20",
        "category": "colleague",
        "value": "600000",
        "cash": "false",
        "giver_ytd": "0",
        "duty_related": "false",
        **params,
    }
    return Client().get(URL, {k: v for k, v in query.items() if v is not None})


def test_a_gift_to_report_gets_the_rule_the_regulation_and_both_deadlines() -> None:
    response = get()
    assert response.status_code == 200
    assert response.json() == {
        "action": "report",
        "rule": "Hadiah bukan uang dari rekan kerja",
        "regulation": "Perkom 1/2026",
        "deadline_upg": "2026-02-03",
        "deadline_kpk": "2026-03-05",
    }


def test_a_gift_under_the_limit_needs_no_report_and_has_no_deadlines() -> None:
    body = get(value="500000").json()
    assert body == {
        "action": "none",
        "rule": "Hadiah bukan uang dari rekan kerja",
        "regulation": "Perkom 1/2026",
    }


def test_the_day_before_the_new_rules_the_old_regulation_answers() -> None:
    body = get(received_on="2026-01-19", value="300000").json()
    assert (body["action"], body["regulation"]) == ("report", "Perkom 2/2019")


def test_a_gift_connected_to_duty_is_refused() -> None:
    body = get(duty_related="true", category="family").json()
    assert body["action"] == "refuse"
    assert "deadline_upg" not in body


def test_giver_ytd_defaults_to_zero() -> None:
    assert get(giver_ytd=None, value="200000").json()["action"] == "none"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("received_on", "20-01-2026"),
        ("received_on", None),
        ("category", "birthday"),
        ("value", "-5"),
        ("value", "12.5"),
        ("value", str(10**16)),
        ("cash", "maybe"),
        ("giver_ytd", "-1"),
        ("duty_related", "perhaps"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(name: str, value: str | None) -> None:
    response = get(**{name: value})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert [p["name"] for p in body["parameters"]] == [name]


def test_a_date_of_receipt_in_the_future_is_a_400_naming_it() -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = get(received_on=tomorrow.isoformat())
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["parameters"]] == ["received_on"]
