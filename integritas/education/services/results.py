"""An event's test results: scores and learning gain (``education.gain``, DOMAIN.md §7b) for
the event, per audience group and per question, and one row per participant.

Participants are keyed by registration (their ticket): a pre- and a post-test of the same
registration are a pair, unless the pre-test was taken after the post-test (``assessment.pairs``).
The class gain uses every pre-test and every post-test; the mean individual gain only the pairs.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from integritas.education.gain import LearningGain, learning_gain
from integritas.education.models import (
    Answer,
    AudienceGroup,
    Event,
    EventTest,
    Phase,
    Registration,
    Submission,
)
from integritas.education.services import assessment, tickets


@dataclass(frozen=True)
class ParticipantRow:
    ticket: str
    name: str
    group: str
    group_label: str
    checked_in: bool
    pre: float | None
    post: float | None
    pre_source: str
    post_source: str
    paired: bool
    gain: float | None


@dataclass(frozen=True)
class GroupRow:
    group: str
    label: str
    gain: LearningGain


@dataclass(frozen=True)
class QuestionRow:
    number: int
    text: str
    pre_answered: int
    pre_correct: int
    post_answered: int
    post_correct: int

    @property
    def pre_share(self) -> float | None:
        return self.pre_correct / self.pre_answered if self.pre_answered else None

    @property
    def post_share(self) -> float | None:
        return self.post_correct / self.post_answered if self.post_answered else None


@dataclass(frozen=True)
class Results:
    overall: LearningGain
    groups: list[GroupRow]
    questions: list[QuestionRow]
    participants: list[ParticipantRow]
    unpaired_post: int  # post-tests without a pre-test before them


def _gain(rows: Iterable[ParticipantRow]) -> LearningGain:
    pre: dict[Hashable, float] = {}
    post: dict[Hashable, float] = {}
    for row in rows:
        if row.pre is not None:
            pre[row.ticket] = row.pre
        if row.post is not None:
            # An unpaired post-test counts for the class gain but pairs with nothing.
            post[row.ticket if row.paired else ("unpaired", row.ticket)] = row.post
    return learning_gain(pre, post)


def participant_rows(event: Event) -> list[ParticipantRow]:
    registrations = (
        Registration.objects.filter(event=event, submissions__isnull=False)
        .distinct()
        .prefetch_related("submissions")
        .order_by("name", "pk")
    )
    rows = []
    for reg in registrations:
        by_phase = {s.phase: s for s in reg.submissions.all()}
        pre, post = by_phase.get(Phase.PRE), by_phase.get(Phase.POST)
        paired = assessment.pairs(pre, post)
        pre_score = float(pre.score) if pre else None
        post_score = float(post.score) if post else None
        gain = None
        if paired and pre_score is not None and post_score is not None and pre_score < 100:
            gain = (post_score - pre_score) / (100 - pre_score)
        rows.append(
            ParticipantRow(
                ticket=tickets.code_for(reg.ticket),
                name=reg.name,
                group=reg.group,
                group_label=reg.get_group_display(),
                checked_in=reg.checked_in_at is not None,
                pre=pre_score,
                post=post_score,
                pre_source=pre.source if pre else "",
                post_source=post.source if post else "",
                paired=paired,
                gain=gain,
            )
        )
    return rows


def question_rows(event: Event) -> list[QuestionRow]:
    test = EventTest.objects.filter(event=event).first()
    if test is None:
        return []
    counts: dict[tuple[int, str], list[int]] = {}
    answers = Answer.objects.filter(submission__registration__event=event).values_list(
        "question_id", "submission__phase", "correct"
    )
    for question_id, phase, correct in answers:
        tally = counts.setdefault((question_id, phase), [0, 0])
        tally[0] += 1
        tally[1] += int(correct)
    rows = []
    for number, question in enumerate(assessment.questions_of(test), start=1):
        pre = counts.get((question.pk, Phase.PRE), [0, 0])
        post = counts.get((question.pk, Phase.POST), [0, 0])
        rows.append(QuestionRow(number, question.text, pre[0], pre[1], post[0], post[1]))
    return rows


def event_results(event: Event) -> Results:
    participants = participant_rows(event)
    labels = dict(AudienceGroup.choices)
    groups = [
        GroupRow(group, str(labels[group]), _gain(r for r in participants if r.group == group))
        for group in AudienceGroup.values
        if any(r.group == group for r in participants)
    ]
    return Results(
        overall=_gain(participants),
        groups=groups,
        questions=question_rows(event),
        participants=participants,
        unpaired_post=sum(1 for r in participants if r.post is not None and not r.paired),
    )


def passed(event: Event) -> set[int]:
    """The registrations whose post-test reaches the event's pass mark."""
    test = EventTest.objects.filter(event=event).first()
    mark = test.pass_mark if test else 0
    return set(
        Submission.objects.filter(
            registration__event=event, phase=Phase.POST, score__gte=mark
        ).values_list("registration_id", flat=True)
    )


def gain_data(g: LearningGain) -> dict[str, Any]:
    data = asdict(g)
    data["class_band"] = g.class_band.value if g.class_band else None
    data["individual_band"] = g.individual_band.value if g.individual_band else None
    return data


def as_data(event: Event, found: Results) -> dict[str, Any]:
    """The results as plain data (for ``manage.py event_results --json``)."""
    return {
        "event": event.code,
        "title": event.title,
        "overall": {**gain_data(found.overall), "unpaired_post": found.unpaired_post},
        "groups": [{"group": g.group, **gain_data(g.gain)} for g in found.groups],
        "questions": [
            {
                "number": q.number,
                "text": q.text,
                "pre_answered": q.pre_answered,
                "pre_correct": q.pre_correct,
                "pre_share": q.pre_share,
                "post_answered": q.post_answered,
                "post_correct": q.post_correct,
                "post_share": q.post_share,
            }
            for q in found.questions
        ],
    }
