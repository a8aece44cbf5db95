"""Learning gain (Hake) against hand-computed cases: class g from the mean scores, the mean of
individual g over pairs (pre = 100 left out), the counts, the bands and a decline."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integritas.education.gain import Band, band, gain, learning_gain

score = st.floats(min_value=0, max_value=100, allow_nan=False)


def test_it_computes_one_gain_as_the_share_of_the_possible_rise():
    # (80 - 50) / (100 - 50) = 0.6
    assert gain(50, 80) == pytest.approx(0.6)


def test_a_decline_gives_a_negative_gain():
    # (40 - 60) / (100 - 60) = -0.5
    assert gain(60, 40) == pytest.approx(-0.5)


def test_a_perfect_pre_test_has_no_gain():
    assert gain(100, 100) is None
    assert gain(100, 80) is None


def test_the_bands_follow_the_thresholds():
    assert band(0.7) is Band.HIGH
    assert band(0.69) is Band.MEDIUM
    assert band(0.3) is Band.MEDIUM
    assert band(0.29) is Band.LOW
    assert band(-0.5) is Band.LOW
    assert band(None) is None


def test_it_reports_class_and_mean_individual_gain_with_the_counts():
    # Pairs: a 50→80 (g 0.6), b 60→40 (g -0.5), c 100→90 (pre 100: left out of the individual
    # mean); d has a pre-test only, e a post-test only.
    pre = {"a": 50.0, "b": 60.0, "c": 100.0, "d": 30.0}
    post = {"a": 80.0, "b": 40.0, "c": 90.0, "e": 70.0}
    result = learning_gain(pre, post)
    assert (result.n_pre, result.n_post, result.n_paired) == (4, 4, 3)
    # Mean pre (50+60+100+30)/4 = 60; mean post (80+40+90+70)/4 = 70; g = 10/40 = 0.25.
    assert result.mean_pre == pytest.approx(60.0)
    assert result.mean_post == pytest.approx(70.0)
    assert result.class_gain == pytest.approx(0.25)
    assert result.class_band is Band.LOW
    # Individual: (0.6 + -0.5) / 2 = 0.05, over the two pairs with pre below 100.
    assert result.mean_individual_gain == pytest.approx(0.05)
    assert result.n_individual == 2
    assert result.individual_band is Band.LOW


def test_a_class_that_learned_a_lot_is_high():
    result = learning_gain({"a": 40, "b": 60}, {"a": 85, "b": 90})
    # class: mean pre 50, mean post 87.5 → 37.5 / 50 = 0.75
    assert result.class_gain == pytest.approx(0.75)
    assert result.class_band is Band.HIGH
    # individual: 45/60 = 0.75, 30/40 = 0.75
    assert result.mean_individual_gain == pytest.approx(0.75)


def test_nothing_to_compute_gives_none_not_an_error():
    result = learning_gain({}, {})
    assert (result.n_pre, result.n_post, result.n_paired) == (0, 0, 0)
    assert result.class_gain is None and result.mean_individual_gain is None
    only_perfect = learning_gain({"a": 100}, {"a": 100})
    assert only_perfect.class_gain is None
    assert only_perfect.mean_individual_gain is None
    assert only_perfect.n_paired == 1 and only_perfect.n_individual == 0


def test_scores_outside_0_to_100_are_refused():
    with pytest.raises(ValueError):
        gain(-1, 50)
    with pytest.raises(ValueError):
        learning_gain({"a": 50}, {"a": 101})


@given(pre=score.filter(lambda p: p < 100), post=score)
def test_a_gain_is_never_above_one_and_rises_with_the_post_score(pre: float, post: float):
    g = gain(pre, post)
    assert g is not None and g <= 1 + 1e-9
    assert (g > 0) == (post > pre) or math.isclose(post, pre)


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.tuples(score, score), max_size=20))
def test_the_counts_match_the_pairs(pairs: dict[str, tuple[float, float]]):
    pre = {k: p for k, (p, _) in pairs.items()}
    post = {k: q for k, (_, q) in pairs.items()}
    result = learning_gain(pre, post)
    assert result.n_pre == result.n_post == result.n_paired == len(pairs)
    assert result.n_individual == sum(1 for p, _ in pairs.values() if p < 100)
