"""Scoring a stored framework: every bad answer reported in the reader's language, the scores per
node, percentages with their colour band, and eligibility with each failing condition's gap."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from integritas.assessments.models import Framework
from integritas.assessments.services import scores


def test_every_bad_answer_is_named_with_its_item_in_indonesian(framework: Framework) -> None:
    answers = {"MP.1": "F", "MP.2": "mungkin", "KIN": "120", "IPAK": "4,5", "PW.1": "x"}
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        scores.score(framework=framework, answers=answers)
    messages = caught.value.message_dict
    assert set(messages) == {"MP.1", "MP.2", "KIN", "IPAK", "PW.1"}
    assert messages["MP.1"] == ["“F” bukan salah satu pilihan A, B, C, D, E."]
    assert messages["KIN"] == ["120 di luar rentang 0–100."]
    assert messages["IPAK"] == ["4.5 di luar rentang 0–4."]
    assert messages["PW.1"] == ["“x” bukan angka."]


def test_an_answer_to_an_unknown_item_is_refused(framework: Framework) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        scores.score(framework=framework, answers={"MP": "yes", "NOPE": "1"})
    assert caught.value.message_dict == {
        "MP": ["This is not an item of the framework."],
        "NOPE": ["This is not an item of the framework."],
    }


def test_scores_percentages_and_bands_of_a_stored_framework(framework: Framework) -> None:
    result = scores.score(
        framework=framework,
        answers={"MP.1": "B", "MP.2": "yes", "PW.1": 2, "IPAK": "3.60", "KIN": "50", "IPKP": "3.2"},
    )
    # MP 7.5 + 10 = 17.5; PW 20; P 37.5; H 15.75 + 2.5 + 14 = 32.25; total 69.75
    assert result.points["MP"] == D("17.5") and result.points["PW"] == D("20")
    assert result.total == D("69.75")
    assert scores.summary(framework=framework, scores=result)["total"] == (D("69.75"), "blue")
    assert scores.summary(framework=framework, scores=result)["nodes"]["PW"] == (D("50"), "blue")


def test_eligibility_lists_every_failing_condition_of_the_set(framework: Framework) -> None:
    result = scores.score(
        framework=framework,
        answers={"MP.1": "B", "MP.2": "yes", "PW.1": 2, "IPAK": "3.60", "KIN": "50", "IPKP": "3.2"},
    )
    failures = scores.eligibility(framework=framework, set_code="WBK", scores=result)
    # total 69.75 < 75; PW 20 of 40 = 0.5 < 0.6; IPAK 3.60 is exactly at its minimum
    assert [(f.label, f.node, f.gap) for f in failures] == [
        ("Nilai total", "", D("5.25")),
        ("Setiap area", "PW", D("0.1")),
    ]


def test_eligibility_against_an_unknown_set_says_so(framework: Framework) -> None:
    result = scores.score(framework=framework, answers={})
    with translation.override("en"), pytest.raises(ValidationError, match="no threshold set WBBM"):
        scores.eligibility(framework=framework, set_code="WBBM", scores=result)
