"""Scoring per method, weights and eligibility, on cases computed by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from integritas.assessments import scoring
from integritas.assessments.scoring import ConditionSpec, NodeSpec, ScoringError

TIERS = {"A": D("1"), "B": D("0.75"), "C": D("0.5"), "D": D("0.25"), "E": D("0")}


def leaf(method: str, weight: str = "4", **values: object) -> NodeSpec:
    return NodeSpec(code="Q", weight=D(weight), method=method, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answer", "points"), [("yes", "4"), ("ya", "4"), (True, "4"), ("no", "0"), ("tidak", "0")]
)
def test_a_yes_no_item_earns_its_whole_weight_or_nothing(answer: object, points: str) -> None:
    assert scoring.score_item(leaf(scoring.YES_NO), answer) == D(points)


@pytest.mark.parametrize(("answer", "points"), [("A", "2"), ("b", "1.5"), ("D", "0.5"), ("E", "0")])
def test_a_tiered_choice_earns_its_value_times_the_weight(answer: str, points: str) -> None:
    assert scoring.score_item(leaf(scoring.CHOICE, "2", choices=TIERS), answer) == D(points)


def test_a_percentage_earns_its_share_of_the_weight() -> None:
    assert scoring.score_item(leaf(scoring.PERCENT, "5"), "50") == D("2.5")
    assert scoring.score_item(leaf(scoring.PERCENT, "5"), "87,5") == D("4.375")


def test_a_survey_index_converts_to_points_proportionally_on_the_0_to_4_scale() -> None:
    ipak = NodeSpec(code="IPAK", weight=D("17.5"), method=scoring.SCALE)
    assert scoring.score_item(ipak, "3.60") == D("15.75")
    assert scoring.score_item(ipak, "3.20") == D("14")
    assert scoring.score_item(ipak, "4") == D("17.5")


def test_documents_score_in_proportion_to_those_accepted_never_beyond_all() -> None:
    item = leaf(scoring.DOCUMENTS, "6", required_documents=4)
    assert scoring.score_item(item, 3) == D("4.5")
    assert scoring.score_item(item, 0) == D("0")
    assert scoring.score_item(item, 5) == D("6")


@pytest.mark.parametrize(
    ("node", "answer", "words"),
    [
        (leaf(scoring.YES_NO), "maybe", "not yes or no"),
        (leaf(scoring.CHOICE, choices=TIERS), "F", "not one of the choices A, B, C, D, E"),
        (leaf(scoring.PERCENT), "101", "outside 0–100"),
        (leaf(scoring.PERCENT), "-1", "outside 0–100"),
        (leaf(scoring.SCALE), "4.01", "outside 0–4"),
        (leaf(scoring.SCALE), "tinggi", "not a number"),
        (leaf(scoring.DOCUMENTS, required_documents=2), "1.5", "not a number of documents"),
        (leaf(scoring.DOCUMENTS), "1", "required documents is missing"),
        (leaf("stars"), "1", "unknown scoring method"),
    ],
)
def test_it_refuses_answers_outside_the_method_with_a_clear_message(
    node: NodeSpec, answer: str, words: str
) -> None:
    with pytest.raises(ScoringError, match=words):
        scoring.score_item(node, answer)


TREE = [
    NodeSpec("P", D("60"), kind="component"),
    NodeSpec("MP", D("8"), parent="P", kind="area"),
    NodeSpec("MP1", D("4"), parent="MP", method=scoring.CHOICE, choices=TIERS),
    NodeSpec("MP2", D("4"), parent="MP", method=scoring.YES_NO),
    NodeSpec("SDM", D("52"), parent="P", kind="area"),
    NodeSpec("SDM1", D("52"), parent="SDM", method=scoring.PERCENT),
    NodeSpec("H", D("40"), kind="component"),
    NodeSpec("IPAK", D("17.5"), parent="H", method=scoring.SCALE),
    NodeSpec("IPKP", D("17.5"), parent="H", method=scoring.SCALE),
    NodeSpec("KIN", D("5"), parent="H", method=scoring.PERCENT),
]


def test_weights_that_add_up_at_every_level_have_no_problem() -> None:
    assert scoring.weight_problems(TREE, D("100")) == []


def test_it_names_every_missing_weight_and_every_level_that_does_not_add_up() -> None:
    nodes = [
        NodeSpec("P", D("60")),
        NodeSpec("MP", None, parent="P"),
        NodeSpec("MP1", D("4"), parent="MP", method=scoring.YES_NO),
        NodeSpec("SDM", D("50"), parent="P"),
        NodeSpec("SDM1", D("49.5"), parent="SDM", method=scoring.YES_NO),
        NodeSpec("H", D("30")),
        NodeSpec("H1", D("-1"), parent="H", method=scoring.YES_NO),
        NodeSpec("H2", D("31"), parent="H", method=scoring.YES_NO),
    ]
    problems = scoring.weight_problems(nodes, D("100"))
    assert [(p.code, p.kind) for p in problems] == [
        ("MP", "missing"),
        ("H1", "negative"),
        ("", "sum"),
        ("SDM", "sum"),
    ]
    assert (problems[2].expected, problems[2].actual) == (D("100"), D("90"))
    assert (problems[3].expected, problems[3].actual) == (D("50"), D("49.5"))


def test_scores_add_up_the_tree_and_unanswered_items_score_nothing() -> None:
    scores = scoring.score_tree(
        TREE, {"MP1": "B", "MP2": "yes", "SDM1": "50", "IPAK": "3.60", "KIN": "100"}
    )
    assert scores.points["MP"] == D("7")  # 3 + 4
    assert scores.points["P"] == D("33")  # 7 + 26
    assert scores.points["H"] == D("20.75")  # 15.75 + 0 + 5
    assert scores.total == D("53.75")
    assert scores.share_of("MP") == D("0.875")
    assert scores.values == {"IPAK": D("3.60"), "SDM1": D("50"), "KIN": D("100")}


def test_it_refuses_an_answer_to_a_node_that_is_not_an_item() -> None:
    with pytest.raises(ScoringError, match="MP: not an item"):
        scoring.score_tree(TREE, {"MP": "yes"})


WBK = [
    ConditionSpec(scoring.TOTAL, D("75"), label="total"),
    ConditionSpec(scoring.NODE, D("40"), target="P", label="enablers"),
    ConditionSpec(scoring.EACH, D("0.60"), measure=scoring.SHARE, target="area", label="area"),
    ConditionSpec(scoring.NODE, D("3.60"), measure=scoring.VALUE, target="IPAK", label="IPAK"),
    ConditionSpec(scoring.NODE, D("2.50"), target="KIN", label="performance"),
]


def test_every_threshold_is_met_exactly_at_it_and_fails_just_below_with_its_gap() -> None:
    exact = scoring.TreeScores(
        points={"P": D("40"), "MP": D("4.8"), "SDM": D("35.2"), "KIN": D("2.5")},
        total=D("75"),
        weights={"P": D("60"), "MP": D("8"), "SDM": D("52"), "KIN": D("5")},
        kinds={"P": "component", "MP": "area", "SDM": "area", "KIN": ""},
        values={"IPAK": D("3.60")},
    )
    exact.points["IPAK"] = D("15.75")
    assert scoring.eligibility(exact, WBK) == []

    below = scoring.TreeScores(
        points={
            "P": D("39.99"),
            "MP": D("4.79"),
            "SDM": D("35.2"),
            "KIN": D("2.49"),
            "IPAK": D("15.70"),
        },
        total=D("74.99"),
        weights=exact.weights | {"IPAK": D("17.5")},
        kinds=exact.kinds | {"IPAK": ""},
        values={"IPAK": D("3.59")},
    )
    failures = scoring.eligibility(below, WBK)
    assert [(f.label, f.node, f.gap) for f in failures] == [
        ("total", "", D("0.01")),
        ("enablers", "", D("0.01")),
        ("area", "MP", D("0.60") - D("4.79") / D("8")),
        ("IPAK", "", D("0.01")),
        ("performance", "", D("0.01")),
    ]


def test_an_unmeasured_index_fails_its_condition_by_the_whole_minimum() -> None:
    scores = scoring.score_tree(TREE, {})
    ipak = [c for c in WBK if c.label == "IPAK"]
    [failure] = scoring.eligibility(scores, ipak)
    assert failure.actual is None and failure.gap == D("3.60")


def test_a_predicate_the_unit_must_already_hold_is_a_failing_condition_until_held() -> None:
    scores = scoring.score_tree(TREE, {})
    [failure] = scoring.eligibility(scores, [], requires="WBK")
    assert failure.predicate == "WBK" and failure.gap is None
    assert scoring.eligibility(scores, [], requires="WBK", held={"WBK"}) == []


MCSP_BANDS = [
    scoring.BandSpec(D("0"), "red"),
    scoring.BandSpec(D("25"), "yellow"),
    scoring.BandSpec(D("50"), "blue"),
    scoring.BandSpec(D("75"), "green"),
]


@pytest.mark.parametrize(
    ("score", "colour"),
    [
        ("0", "red"),
        ("24.99", "red"),
        ("25", "yellow"),
        ("49.99", "yellow"),
        ("50", "blue"),
        ("74.99", "blue"),
        ("75", "green"),
        ("100", "green"),
    ],
)
def test_a_score_exactly_at_a_bound_is_in_the_upper_band(score: str, colour: str) -> None:
    band = scoring.band_for(D(score), MCSP_BANDS)
    assert band is not None and band.colour == colour


def test_bands_are_data_a_year_may_start_green_at_78() -> None:
    bands = [*MCSP_BANDS[:3], scoring.BandSpec(D("78"), "green")]
    assert scoring.band_for(D("77.99"), bands).colour == "blue"  # type: ignore[union-attr]
    assert scoring.band_for(D("78"), bands).colour == "green"  # type: ignore[union-attr]
    assert scoring.band_for(D("50"), []) is None


def test_with_equal_area_weights_the_total_percentage_is_the_mean_of_the_areas() -> None:
    areas = [
        NodeSpec("A1", D("25"), kind="area"),
        NodeSpec("A1.1", D("25"), parent="A1", method=scoring.DOCUMENTS, required_documents=4),
        NodeSpec("A2", D("25"), kind="area"),
        NodeSpec("A2.1", D("25"), parent="A2", method=scoring.PERCENT),
        NodeSpec("A3", D("25"), kind="area"),
        NodeSpec("A3.1", D("25"), parent="A3", method=scoring.YES_NO),
        NodeSpec("A4", D("25"), kind="area"),
        NodeSpec("A4.1", D("25"), parent="A4", method=scoring.YES_NO),
    ]
    projected = scoring.score_tree(areas, {"A1.1": 4, "A2.1": "80", "A3.1": "yes", "A4.1": "no"})
    verified = scoring.score_tree(areas, {"A1.1": 3, "A2.1": "80", "A3.1": "yes", "A4.1": "no"})
    assert [scoring.percent(projected, a) for a in ("A1", "A2", "A3", "A4")] == [
        D(100),
        D(80),
        D(100),
        D(0),
    ]
    assert scoring.percent(projected) == D(70)  # (100 + 80 + 100 + 0) / 4
    assert scoring.percent(verified, "A1") == D(75)
    assert scoring.percent(verified) == D("63.75")
