"""Learning gain between a pre-test and a post-test (Hake's normalised gain), on 0–100 scores.

    g = (post − pre) ÷ (100 − pre)

It is the share of the possible rise that was achieved: 1 is everything, 0 is nothing, a
negative g is a decline. A participant who scored 100 on the pre-test had nothing left to gain;
their g is undefined, so they are left out of the mean of individual gains (but counted as a
pair). Two figures are reported, as the literature does, with the counts behind them:

- the **class gain**, from the mean pre-test and mean post-test scores of everyone who took each;
- the **mean individual gain**, the mean of g over the participants who took both (pairs).

The bands (high, medium, low) and their thresholds live here and nowhere else. No Django: this
is pure computation, tested with plain data.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

MAX_SCORE = 100.0
# Hake's bands: high from HIGH_FROM, medium from MEDIUM_FROM, low below (a decline is low).
HIGH_FROM = 0.7
MEDIUM_FROM = 0.3


class Band(enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# The bands as data, highest first: (band, lowest g that reaches it).
BANDS: tuple[tuple[Band, float], ...] = (
    (Band.HIGH, HIGH_FROM),
    (Band.MEDIUM, MEDIUM_FROM),
    (Band.LOW, float("-inf")),
)


def _checked(value: float) -> float:
    value = float(value)
    if not 0 <= value <= MAX_SCORE:
        raise ValueError(f"a score must lie between 0 and 100, not {value}")
    return value


def gain(pre: float, post: float) -> float | None:
    """Hake's g for one pair of scores; None when the pre-test score leaves nothing to gain."""
    pre, post = _checked(pre), _checked(post)
    if pre >= MAX_SCORE:
        return None
    return (post - pre) / (MAX_SCORE - pre)


def band(g: float | None) -> Band | None:
    """The band ``g`` falls in (None for an undefined gain)."""
    if g is None:
        return None
    return next(b for b, lowest in BANDS if g >= lowest)


@dataclass(frozen=True)
class LearningGain:
    n_pre: int
    n_post: int
    n_paired: int
    n_individual: int  # pairs with a pre-test below 100, whose g is defined
    mean_pre: float | None
    mean_post: float | None
    class_gain: float | None
    mean_individual_gain: float | None

    @property
    def class_band(self) -> Band | None:
        return band(self.class_gain)

    @property
    def individual_band(self) -> Band | None:
        return band(self.mean_individual_gain)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def learning_gain(pre: Mapping[Hashable, float], post: Mapping[Hashable, float]) -> LearningGain:
    """The gain of a group from each participant's pre-test and post-test scores, keyed by
    participant (a ticket): participants in both are the pairs."""
    pre_scores = {k: _checked(v) for k, v in pre.items()}
    post_scores = {k: _checked(v) for k, v in post.items()}
    paired = pre_scores.keys() & post_scores.keys()
    individual = [g for k in paired if (g := gain(pre_scores[k], post_scores[k])) is not None]
    mean_pre = _mean(list(pre_scores.values()))
    mean_post = _mean(list(post_scores.values()))
    class_gain = None
    if mean_pre is not None and mean_post is not None:
        class_gain = gain(mean_pre, mean_post)
    return LearningGain(
        n_pre=len(pre_scores),
        n_post=len(post_scores),
        n_paired=len(paired),
        n_individual=len(individual),
        mean_pre=mean_pre,
        mean_post=mean_post,
        class_gain=class_gain,
        mean_individual_gain=_mean(individual),
    )
