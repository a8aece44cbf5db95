"""Eligibility against the shipped LKE threshold sets: each condition of WBK and WBBM is met
exactly at its minimum and fails just below it, alone, with its gap."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from integritas.assessments import imports, scoring
from integritas.assessments.models import Framework
from integritas.core.testing import World

JUST_BELOW = D("0.01")


def comfortable(framework: Framework) -> scoring.TreeScores:
    """Every node at its full weight and both indices at 4: every condition is met."""
    specs = framework.specs()
    return scoring.TreeScores(
        points={s.code: s.weight or D(0) for s in specs},
        total=framework.total_weight,
        weights={s.code: s.weight for s in specs},
        kinds={s.code: s.kind for s in specs},
        values={"H.IPAK": D(4), "H.IPKP": D(4), "H.KIN": D(100)},
    )


def at(scores: scoring.TreeScores, condition: scoring.ConditionSpec, number: D) -> None:
    """Set what ``condition`` measures to ``number`` (for an ``each`` condition: on one area)."""
    if condition.scope == scoring.TOTAL:
        scores.total = number
    elif condition.scope == scoring.EACH:
        weight = scores.weights["PW"]
        assert weight is not None
        scores.points["PW"] = number * weight
    elif condition.measure == scoring.VALUE:
        scores.values[condition.target] = number
    else:
        scores.points[condition.target] = number


CASES = [
    (set_code, index) for set_code, count in (("WBK", 7), ("WBBM", 7)) for index in range(count)
]


@pytest.mark.parametrize(("set_code", "index"), CASES)
def test_each_condition_is_met_exactly_at_its_minimum_and_fails_just_below(
    world: World, set_code: str, index: int
) -> None:
    framework, _loaded = imports.load_shipped(name=imports.SHIPPED_LKE)
    threshold_set = framework.threshold_sets.get(code=set_code)
    conditions = threshold_set.specs()
    condition = conditions[index]
    held = {"WBK"}

    exactly = comfortable(framework)
    at(exactly, condition, condition.minimum)
    assert (
        scoring.eligibility(exactly, conditions, requires=threshold_set.requires, held=held) == []
    )

    below = comfortable(framework)
    step = JUST_BELOW if condition.measure != scoring.SHARE else D("0.0001")
    at(below, condition, condition.minimum - step)
    failures = scoring.eligibility(below, conditions, requires=threshold_set.requires, held=held)
    assert len(failures) == 1
    [failure] = failures
    assert failure.label == condition.label
    assert failure.gap == step
    if condition.scope == scoring.EACH:
        assert failure.node == "PW"


def test_a_unit_failing_several_conditions_hears_of_every_one_with_its_gap(world: World) -> None:
    framework, _loaded = imports.load_shipped(name=imports.SHIPPED_LKE)
    wbk = framework.threshold_sets.get(code="WBK")
    scores = comfortable(framework)
    scores.total = D("72.5")
    scores.values["H.IPKP"] = D("3.05")
    scores.points["MP"] = D("4")  # half of 8
    failures = scoring.eligibility(scores, wbk.specs())
    assert [(f.node, f.gap) for f in failures] == [
        ("", D("2.5")),
        ("MP", D("0.1")),
        ("", D("0.15")),
    ]


def test_wbbm_needs_wbk_already_held(world: World) -> None:
    framework, _loaded = imports.load_shipped(name=imports.SHIPPED_LKE)
    wbbm = framework.threshold_sets.get(code="WBBM")
    [failure] = scoring.eligibility(comfortable(framework), wbbm.specs(), requires=wbbm.requires)
    assert failure.predicate == "WBK"
