"""The participant's pre- or post-test under /acara/<code>/tes/: reached from a QR or a link in
the room, on a phone without JavaScript and without an account (a public page of
``core.public``). The participant types their ticket code, answers every question and submits;
the page then shows the score, and once the participant has taken the post-test the correct
answers and the explanations (after the pre-test they would teach the post-test's answers). A
second submission of the same test is refused and the first one shown again.

The page exists once the Inspectorate has opened a phase of the event's test (before that it
answers the same 404 as an unknown code, so it reveals no internal event); while no phase is
open it says the test is closed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from integritas.core import public
from integritas.core.public import public_page
from integritas.education.forms import TestTicketForm
from integritas.education.models import Event, EventTest, Phase, Question, Registration, Submission
from integritas.education.services import assessment
from integritas.education.views.public import BASE

TEMPLATE = "education/public/test.html"


def _test(code: str) -> EventTest:
    test = (
        EventTest.objects.select_related("event")
        .filter(event__code=code)
        .exclude(pre_opened_at__isnull=True, post_opened_at__isnull=True)
        .first()
    )
    if test is None:
        raise Http404
    return test


def _answers(request: HttpRequest, questions: list[Question]) -> dict[int, int]:
    chosen = {}
    for question in questions:
        value = request.POST.get(f"q{question.pk}", "")
        if value.isdigit():
            chosen[question.pk] = int(value)
    return chosen


def _items(
    questions: list[Question], chosen: dict[int, int], *, checked: bool = False
) -> list[dict[str, Any]]:
    """The questions with their options, the ones already chosen marked (after an error)."""
    return [
        {
            "question": q,
            "number": number,
            "choices": [(c, chosen.get(q.pk) == c.pk) for c in q.choices.all()],
            "missing": checked and q.pk not in chosen,
        }
        for number, q in enumerate(questions, start=1)
    ]


def _result(submission: Submission) -> dict[str, Any]:
    """What the result page shows: the score, each answer with the right one and the
    explanation (only once the participant has taken the post-test), and for a post-test whether
    it pairs with a pre-test."""
    registration = submission.registration
    revealed = assessment.answers_revealed(registration)
    rows = (
        [
            {
                "question": answer.question,
                "chosen": answer.choice,
                "right": next((c for c in answer.question.choices.all() if c.is_correct), None),
                "correct": answer.correct,
            }
            for answer in submission.answers.select_related("question", "choice").prefetch_related(
                "question__choices"
            )
        ]
        if revealed
        else []
    )
    context: dict[str, Any] = {"submission": submission, "rows": rows, "revealed": revealed}
    if submission.phase == Phase.POST:
        pre = assessment.submission_of(registration, Phase.PRE)
        context["pre"] = pre
        context["paired"] = assessment.pairs(pre, submission)
    return context


def _render(
    request: HttpRequest, event: Event, step: str, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"event": event, "step": step, "public_base": BASE, **extra}
    return public.render(request, TEMPLATE, context, status=status)


@public_page("GET", "POST", base=BASE)
def take_test(request: HttpRequest, code: str) -> HttpResponse:
    test = _test(code)
    event = test.event
    phases = [phase for phase in Phase.values if test.is_open(phase)]
    if not phases:
        return _render(request, event, "closed")
    if request.method == "GET":
        form = TestTicketForm(initial={"ticket": request.GET.get("tiket", "")}, phases=phases)
        return _render(request, event, "ticket", form=form)
    form = TestTicketForm(request.POST, phases=phases)
    if not form.is_valid():
        return _render(request, event, "ticket", status=400, form=form)
    try:
        registration: Registration = assessment.find_participant(
            event=event, code=form.cleaned_data["ticket"]
        )
    except assessment.TicketRefused as exc:
        form.add_error("ticket", exc.message)
        return _render(request, event, "ticket", status=400, form=form)
    phase = form.cleaned_data["phase"]
    answering = request.POST.get("step") == "answers"
    existing = assessment.submission_of(registration, phase)
    if existing is not None:
        return _render(
            request,
            event,
            "result",
            status=409 if answering else 200,
            already=True,
            **_result(existing),
        )
    questions = assessment.questions_of(test)
    context = {
        "registration": registration,
        "phase": phase,
        "phase_label": Phase(phase).label,
        "ticket": form.cleaned_data["ticket"],
        "items": _items(questions, {}),
    }
    if not answering:
        return _render(request, event, "questions", **context)
    answers = _answers(request, questions)
    try:
        submission = assessment.submit(
            event=event, phase=phase, registration=registration, answers=answers
        )
    except ValidationError as exc:
        return _render(
            request,
            event,
            "questions",
            status=400,
            error=" ".join(exc.messages),
            **{**context, "items": _items(questions, answers, checked=True)},
        )
    except assessment.AlreadySubmitted as exc:
        return _render(
            request, event, "result", status=409, already=True, **_result(exc.submission)
        )
    except assessment.PhaseClosed:
        return public.notice(
            request,
            status=409,
            title=_("The test is closed"),
            message=_("The organiser closed this test before your answers arrived."),
            base=BASE,
        )
    return _render(request, event, "result", **_result(submission))
