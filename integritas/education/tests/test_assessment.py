"""Taking a pre- or post-test: the score is the share of correct answers on 0–100, a second
submission of the same phase is refused (the first counts), a closed phase takes none, a ticket
must be a confirmed place at this event, and a post-test before the pre-test is kept unpaired."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from integritas.core.models import User
from integritas.core.testing import World
from integritas.education.models import Event, Phase, Question, Registration, Submission
from integritas.education.services import assessment, tickets
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person


def bank(w: World | None, n: int = 4, *, by: User | None = None) -> list[Question]:
    """``n`` questions on gratification: true/false for odd ones, single choice otherwise."""
    staff = by or (w.inspector if w else None)
    questions = []
    for i in range(n):
        if i % 2:
            q = assessment.question_save(
                question=Question(),
                values={
                    "theme": "gratification",
                    "kind": "true_false",
                    "text": f"Benar {i}?",
                    "explanation": f"Karena {i}.",
                },
                options=[],
                correct=0,
                by=staff,
            )
        else:
            q = assessment.question_save(
                question=Question(),
                values={
                    "theme": "gratification",
                    "kind": "single",
                    "text": f"Pilih {i}",
                    "explanation": f"Sebab {i}.",
                },
                options=["A", "B", "C"],
                correct=1,
                by=staff,
            )
        questions.append(q)
    return questions


def with_test(w: World, event: Event, n: int = 4) -> list[Question]:
    questions = bank(w, n)
    assessment.test_update(
        event=event, questions=questions, certificate_needs_pass=False, pass_mark=70, by=w.inspector
    )
    return questions


def participant(event: Event, i: int, group: str = "staff") -> Registration:
    return registrations.register(
        event=event, person=Person(f"Peserta {i}", "Dinas", group, email=f"t{i}@example.test")
    )


def right(questions: list[Question], how_many: int) -> dict[int, int]:
    """Answers with the first ``how_many`` correct and the rest wrong."""
    answers = {}
    for i, q in enumerate(questions):
        choices = list(q.choices.all())
        pick = next(c for c in choices if c.is_correct == (i < how_many))
        answers[q.pk] = pick.pk
    return answers


def test_a_true_false_question_has_two_options_true_first(world: World):
    q = bank(world, 2)[1]
    assert [(c.label, c.is_correct) for c in q.choices.all()] == [("True", True), ("False", False)]


def test_a_single_choice_question_needs_two_options_and_one_correct(world: World):
    with pytest.raises(ValidationError):
        assessment.question_save(
            question=Question(),
            values={"theme": "gratification", "kind": "single", "text": "?", "explanation": ""},
            options=["Satu"],
            correct=0,
            by=world.inspector,
        )
    with pytest.raises(ValidationError):
        assessment.question_save(
            question=Question(),
            values={"theme": "gratification", "kind": "single", "text": "?", "explanation": ""},
            options=["Satu", "Dua"],
            correct=3,
            by=world.inspector,
        )


def test_the_score_is_the_share_of_correct_answers(world: World, event: Event):
    questions = with_test(world, event, 4)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    reg = participant(event, 1)
    submission = assessment.submit(
        event=event, phase=Phase.PRE, registration=reg, answers=right(questions, 3)
    )
    assert submission.score == Decimal("75.00")
    assert (submission.correct, submission.total) == (3, 4)
    assert submission.answers.filter(correct=True).count() == 3


def test_every_question_must_be_answered(world: World, event: Event):
    questions = with_test(world, event, 3)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    answers = right(questions, 3)
    answers.pop(questions[0].pk)
    with pytest.raises(ValidationError):
        assessment.submit(
            event=event, phase=Phase.PRE, registration=participant(event, 1), answers=answers
        )
    assert not Submission.objects.exists()


def test_a_second_submission_of_the_same_phase_is_refused_and_the_first_counts(
    world: World, event: Event
):
    questions = with_test(world, event, 2)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    reg = participant(event, 1)
    first = assessment.submit(
        event=event, phase=Phase.PRE, registration=reg, answers=right(questions, 1)
    )
    with pytest.raises(assessment.AlreadySubmitted) as refused:
        assessment.submit(
            event=event, phase=Phase.PRE, registration=reg, answers=right(questions, 2)
        )
    assert refused.value.submission.pk == first.pk
    assert Submission.objects.get().score == Decimal("50.00")


def test_a_phase_that_is_not_open_takes_no_submission(world: World, event: Event):
    questions = with_test(world, event, 2)
    reg = participant(event, 1)
    with pytest.raises(assessment.PhaseClosed):
        assessment.submit(
            event=event, phase=Phase.PRE, registration=reg, answers=right(questions, 2)
        )
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    assessment.close_phase(event=event, phase=Phase.PRE, by=world.inspector)
    with pytest.raises(assessment.PhaseClosed):
        assessment.submit(
            event=event, phase=Phase.PRE, registration=reg, answers=right(questions, 2)
        )


def test_only_a_confirmed_place_at_this_event_may_take_its_test(world: World, event: Event):
    from integritas.education.tests.conftest import make_event

    other = make_event(world, title="Lain")
    mine, theirs = participant(event, 1), participant(other, 2)
    assert assessment.find_participant(event=event, code=tickets.code_for(mine.ticket)) == mine
    with pytest.raises(assessment.TicketRefused):
        assessment.find_participant(event=event, code=tickets.code_for(theirs.ticket))
    with pytest.raises(assessment.TicketRefused):
        assessment.find_participant(event=event, code="AAAA-BBBB-CCCC")
    registrations.cancel(registration=mine)
    with pytest.raises(assessment.TicketRefused):
        assessment.find_participant(event=event, code=tickets.code_for(mine.ticket))


def test_a_post_test_before_the_pre_test_is_taken_but_left_unpaired(world: World, event: Event):
    questions = with_test(world, event, 2)
    reg = participant(event, 1)
    assessment.open_phase(event=event, phase=Phase.POST, by=world.inspector)
    assessment.submit(event=event, phase=Phase.POST, registration=reg, answers=right(questions, 2))
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    assessment.submit(event=event, phase=Phase.PRE, registration=reg, answers=right(questions, 1))
    assert assessment.is_paired(reg) is False
