"""Pre- and post-tests: the question banks per theme, the test assembled for an event, its two
phases the Inspectorate opens and closes, and a participant's submission (DOMAIN.md §7b).

A participant names themself with their ticket code (``services.tickets``): a confirmed place at
this event. Each registration has at most one submission per phase: the first counts, a second
is refused (a unique constraint decides between two phones submitting at the same moment). The
score is the share of correct answers on 0–100, fixed when submitted, so later changes to a
question do not rewrite it. A post-test taken before the pre-test is kept, but it is not paired
(``pairs``): the gain would measure nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas import audit
from integritas.core.models import User
from integritas.education.models import (
    Answer,
    AuditAction,
    Choice,
    Event,
    EventTest,
    Phase,
    Question,
    QuestionKind,
    Registration,
    Submission,
    TestItem,
)
from integritas.education.services import tickets

MAX_OPTIONS = 6
CENT = Decimal("0.01")


class PhaseClosed(Exception):
    """The phase is not open for submissions."""


class AlreadySubmitted(Exception):
    """The registration already has a submission for this phase (the first counts)."""

    def __init__(self, submission: Submission) -> None:
        super().__init__(submission.phase)
        self.submission = submission


class TicketRefused(Exception):
    """The code is not a confirmed place at this event; ``message`` says why, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- The question bank -----------------------------------------------------------------------


@transaction.atomic
def question_save(
    *,
    question: Question,
    values: Mapping[str, Any],
    options: Sequence[str],
    correct: int,
    by: User | None,
) -> Question:
    """Create or change a question. A single-choice question takes 2 to ``MAX_OPTIONS`` options
    with the one at index ``correct`` right; a true/false question has "true" (0) and "false"
    (1). Once answered, only its wording and explanation may change: its options and answer
    key were used to mark the answers."""
    creating = question.pk is None
    for name in ("theme", "kind", "text", "explanation"):
        setattr(question, name, values[name])
    if question.kind == QuestionKind.TRUE_FALSE:
        options = ["", ""]
    else:
        # Blank options are left out; ``correct`` keeps pointing at the option it named.
        kept = [(i, text.strip()) for i, text in enumerate(options) if text.strip()]
        correct = next((n for n, (i, _text) in enumerate(kept) if i == correct), -1)
        options = [text for _i, text in kept]
        if len(options) < 2:
            raise ValidationError({"options": _("Give at least two options.")})
        if len(options) > MAX_OPTIONS:
            raise ValidationError(
                {"options": _("Give at most %(n)d options.") % {"n": MAX_OPTIONS}}
            )
    if not 0 <= correct < len(options):
        raise ValidationError({"correct": _("Choose the correct option among those given.")})
    if creating:
        question.created_by = by
    question.full_clean()
    planned = [(text, i == correct) for i, text in enumerate(options)]
    current: list[tuple[str, bool]] = []
    if not creating:
        current = [(c.text, c.is_correct) for c in question.choices.all()]
        if current != planned and Answer.objects.filter(question=question).exists():
            raise ValidationError(
                {
                    "options": _(
                        "This question has been answered: its options and correct answer can "
                        "no longer change. Write a new question instead."
                    )
                }
            )
    question.save()
    if creating or current != planned:
        question.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(question=question, position=i, text=text, is_correct=right)
            for i, (text, right) in enumerate(planned)
        )
    return question


def question_in_use(question: Question) -> bool:
    return TestItem.objects.filter(question=question).exists() or question.answers.exists()


def question_delete(*, question: Question) -> None:
    """Delete a question that no test uses and nobody answered."""
    if question_in_use(question):
        raise ValidationError(
            _("This question is part of a test or has been answered; it cannot be deleted.")
        )
    question.delete()


# --- The event's test ------------------------------------------------------------------------


def test_for(event: Event) -> EventTest:
    """The event's test, created empty on first use."""
    found, _created = EventTest.objects.get_or_create(event=event)
    return found


def test_of(event: Event) -> EventTest:
    """The event's test, or an unsaved empty one (for pages that only read)."""
    return EventTest.objects.filter(event=event).first() or EventTest(event=event)


def questions_of(test: EventTest) -> list[Question]:
    """The test's questions in order, with their options."""
    if test.pk is None:
        return []
    return [
        item.question
        for item in test.items.select_related("question").prefetch_related("question__choices")
    ]


@transaction.atomic
def test_update(
    *,
    event: Event,
    questions: Sequence[Question],
    certificate_needs_pass: bool,
    pass_mark: int,
    by: User | None,
) -> EventTest:
    """Set the test's questions (in the order given) and its pass rule for certificates. The
    questions may not change once someone has submitted the test online."""
    test = EventTest.objects.select_for_update().get(pk=test_for(event).pk)
    if not 0 <= pass_mark <= 100:
        raise ValidationError({"pass_mark": _("The pass mark lies between 0 and 100.")})
    before_ids = [q.pk for q in questions_of(test)]
    after_ids = [q.pk for q in questions]
    changes: dict[str, Any] = {}
    if before_ids != after_ids:
        if Answer.objects.filter(submission__registration__event=event).exists():
            raise ValidationError(
                {
                    "questions": _(
                        "Participants have already taken this test online; its questions can no "
                        "longer change."
                    )
                }
            )
        test.items.all().delete()
        TestItem.objects.bulk_create(
            TestItem(test=test, question=q, position=i) for i, q in enumerate(questions)
        )
        changes["questions"] = [len(before_ids), len(after_ids)]
    if test.certificate_needs_pass != certificate_needs_pass:
        changes["certificate_needs_pass"] = [test.certificate_needs_pass, certificate_needs_pass]
    if test.pass_mark != pass_mark:
        changes["pass_mark"] = [test.pass_mark, pass_mark]
    test.certificate_needs_pass = certificate_needs_pass
    test.pass_mark = pass_mark
    test.save(update_fields=["certificate_needs_pass", "pass_mark"])
    if changes:
        audit.record(AuditAction.TEST_UPDATED, obj=event, changes=changes, actor=by)
    return test


@transaction.atomic
def open_phase(*, event: Event, phase: str, by: User | None) -> EventTest:
    """Open the pre- or post-test for participants (again, after it was closed)."""
    test = EventTest.objects.select_for_update().get(pk=test_for(event).pk)
    if not test.is_open(phase):
        setattr(test, f"{phase}_opened_at", timezone.now())
        setattr(test, f"{phase}_closed_at", None)
        test.save(update_fields=[f"{phase}_opened_at", f"{phase}_closed_at"])
        audit.record(AuditAction.TEST_PHASE_OPENED, obj=event, changes={"phase": phase}, actor=by)
    return test


@transaction.atomic
def close_phase(*, event: Event, phase: str, by: User | None) -> EventTest:
    test = EventTest.objects.select_for_update().get(pk=test_for(event).pk)
    if test.is_open(phase):
        setattr(test, f"{phase}_closed_at", timezone.now())
        test.save(update_fields=[f"{phase}_closed_at"])
        audit.record(AuditAction.TEST_PHASE_CLOSED, obj=event, changes={"phase": phase}, actor=by)
    return test


def has_open_phase(event: Event) -> bool:
    """Whether participants can take a test of ``event`` now."""
    test = EventTest.objects.filter(event=event).first()
    return test is not None and (test.pre_open or test.post_open)


# --- Taking the test -------------------------------------------------------------------------


def find_participant(*, event: Event, code: str) -> Registration:
    """The confirmed registration at ``event`` that the ticket ``code`` names."""
    try:
        ticket = tickets.read_code(code)
    except tickets.ForgedTicket as exc:
        raise TicketRefused(
            _("This is not a valid ticket code. Check it against your ticket.")
        ) from exc
    found = Registration.objects.filter(ticket=ticket, event=event).first()
    if found is None:
        raise TicketRefused(_("This ticket is not for this event."))
    if found.status != Registration.Status.CONFIRMED:
        raise TicketRefused(_("This ticket has been cancelled or is still on the waiting list."))
    return found


def submission_of(registration: Registration, phase: str) -> Submission | None:
    return Submission.objects.filter(registration=registration, phase=phase).first()


def percent(correct: int, total: int) -> Decimal:
    """``correct`` of ``total`` on 0–100, to two decimals."""
    return (Decimal(100) * correct / total).quantize(CENT, rounding=ROUND_HALF_UP)


def submit(
    *, event: Event, phase: str, registration: Registration, answers: Mapping[int, int]
) -> Submission:
    """Mark and store ``answers`` ({question pk: choice pk}) for every question of the test.
    Raises ``PhaseClosed``, ``AlreadySubmitted`` (the first counts) or ``ValidationError`` when
    a question is unanswered or an answer is not one of its options."""
    test = test_for(event)
    if phase not in Phase.values or not test.is_open(phase):
        raise PhaseClosed(phase)
    questions = questions_of(test)
    if not questions:
        raise PhaseClosed(phase)
    existing = submission_of(registration, phase)
    if existing is not None:
        raise AlreadySubmitted(existing)
    marked: list[tuple[Question, Choice]] = []
    for question in questions:
        choice = next((c for c in question.choices.all() if c.pk == answers.get(question.pk)), None)
        if choice is None:
            raise ValidationError(_("Answer every question."))
        marked.append((question, choice))
    correct = sum(choice.is_correct for _q, choice in marked)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                registration=registration,
                phase=phase,
                score=percent(correct, len(marked)),
                correct=correct,
                total=len(marked),
                source=Submission.Source.ONLINE,
            )
            Answer.objects.bulk_create(
                Answer(submission=submission, question=q, choice=c, correct=c.is_correct)
                for q, c in marked
            )
    except IntegrityError:
        first = submission_of(registration, phase)
        if first is None:  # pragma: no cover - another constraint
            raise
        raise AlreadySubmitted(first) from None
    return submission


def answers_revealed(registration: Registration) -> bool:
    """Whether the participant may see the correct answers and explanations: only once they
    have taken the post-test (online or on paper). Shown after the pre-test, they would teach
    the post-test's answers and inflate the learning gain."""
    return Submission.objects.filter(registration=registration, phase=Phase.POST).exists()


def is_paired(registration: Registration) -> bool:
    """Whether the participant's pre- and post-test form a pair (``pairs``)."""
    by_phase = {s.phase: s for s in registration.submissions.all()}
    return pairs(by_phase.get(Phase.PRE), by_phase.get(Phase.POST))


def pairs(pre: Submission | None, post: Submission | None) -> bool:
    """Both tests taken, and the pre-test not after the post-test. A paper score carries the
    time of its import, not of the test, so with a paper score the order is not known and the
    two are paired (paper tests are handed out by the organiser, phase by phase)."""
    if pre is None or post is None:
        return False
    if Submission.Source.PAPER in (pre.source, post.source):
        return True
    return pre.submitted_at <= post.submitted_at
