"""Scoring a whole LKE and its eligibility for the target predicate against the framework's
versioned threshold set: every failing condition listed with its gap, each threshold met exactly
at its minimum and failed just below."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from integritas.assessments.services import lke as lke_service
from integritas.assessments.tests.lke_fixtures import answer_all, full_answers, start
from integritas.core.testing import World

pytestmark = pytest.mark.django_db


def results(ipak: str = "3.60", ipkp: str = "3.20", kin: str = "50") -> dict[str, str]:
    return {"H.IPAK": ipak, "H.IPKP": ipkp, "H.KIN": kin}


def test_a_full_lke_scores_by_hand_and_is_eligible_at_every_minimum(world: World) -> None:
    lke = start(world)
    answer_all(lke, world.officer_a, {**full_answers(lke.framework), **results()})
    scores = lke_service.score(lke)
    # enablers 60 + IPAK 15.75 + IPKP 14.00 + performance 2.50 = 92.25
    assert (scores.points["P"], scores.points["H"], scores.total) == (D(60), D("32.25"), D("92.25"))
    assert lke_service.eligibility(lke) == []


@pytest.mark.parametrize(
    ("answers", "label", "actual", "gap"),
    [
        (results(ipak="3.59"), "Anti-corruption perception index", D("3.59"), D("0.01")),
        (results(ipkp="3.19"), "Service quality perception index", D("3.19"), D("0.01")),
        (results(kin="49"), "Performance achievement score", D("2.45"), D("0.05")),
    ],
)
def test_just_below_a_minimum_fails_that_condition_with_its_gap(
    world: World, answers: dict[str, str], label: str, actual: D, gap: D
) -> None:
    lke = start(world)
    answer_all(lke, world.officer_a, {**full_answers(lke.framework), **answers})
    failures = lke_service.eligibility(lke)
    assert [(f.label, f.actual, f.gap) for f in failures] == [(label, actual, gap)]


def test_every_failing_condition_is_listed(world: World) -> None:
    lke = start(world)
    # Tier C (half) everywhere, percentages at 50, IPAK 3.0, IPKP 3.0, performance 40 %.
    answers = full_answers(lke.framework)
    for code, value in answers.items():
        answers[code] = {"A": "C", "yes": "yes", "100": "50"}[value]
    answer_all(lke, world.officer_a, {**answers, **results("3.0", "3.0", "40")})
    failures = lke_service.eligibility(lke)
    labels = [(f.label, f.node) for f in failures]
    assert ("Total score", "") in labels
    assert ("Enablers score", "") in labels
    areas = [f.node for f in failures if f.node]
    # MP has one yes/no question worth 1 of its 8: (1 + 3.5) / 8 = 0.5625 < 0.6
    assert areas == ["MP", "TT", "SDM", "AKN", "PW", "PP"]
    by_label = {f.label: f for f in failures}
    assert by_label["Anti-corruption perception index"].gap == D("0.6")
    assert by_label["Service quality perception index"].gap == D("0.2")
    assert by_label["Performance achievement score"].actual == D("2.0")
    # results 13.125 + 13.125 + 2 = 28.25: above 18.25, not listed
    assert "Results score" not in by_label


def test_wbbm_needs_wbk_already_held(world: World) -> None:
    lke = start(world, target="WBBM")
    answer_all(lke, world.officer_a, {**full_answers(lke.framework), **results("3.6", "3.6", "80")})
    assert [f.predicate for f in lke_service.eligibility(lke)] == ["WBK"]
    lke.held = "WBK"
    assert lke_service.eligibility(lke) == []


def test_an_index_not_measured_fails_by_its_whole_minimum(world: World) -> None:
    lke = start(world)
    answer_all(lke, world.officer_a, full_answers(lke.framework))
    failures = {f.label: f for f in lke_service.eligibility(lke)}
    assert failures["Anti-corruption perception index"].actual is None
    assert failures["Anti-corruption perception index"].gap == D("3.6")
