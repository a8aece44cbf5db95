"""The participant's test page on a phone, without JavaScript or an account: the ticket code,
the questions, one submission, then the score and the explanations; a second submission shows
the first; a post-test without a pre-test says it is not paired."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from integritas.core.testing import World
from integritas.education.models import Event, Phase, Question, Submission
from integritas.education.services import assessment, tickets
from integritas.education.tests.test_assessment import participant, right, with_test


def _url(event: Event) -> str:
    return reverse("education-public-test", args=[event.code])


def _answers(questions: list[Question], n: int) -> dict[str, Any]:
    return {f"q{pk}": choice for pk, choice in right(questions, n).items()}


def _post(event: Event, code: str, phase: str, **data: Any) -> Any:
    return Client().post(_url(event), {"ticket": code, "phase": phase, **data})


def test_the_page_is_not_found_until_a_test_is_opened(world: World, event: Event):
    with_test(world, event, 2)
    assert Client().get(_url(event)).status_code == 404
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    response = Client().get(_url(event))
    assert response.status_code == 200
    assert 'name="ticket"' in response.content.decode()
    assert "sessionid" not in response.cookies and "no-store" in response["Cache-Control"]
    assessment.close_phase(event=event, phase=Phase.PRE, by=world.inspector)
    response = Client().get(_url(event))
    assert response.status_code == 200 and 'name="ticket"' not in response.content.decode()


def test_a_participant_takes_the_pre_test_and_sees_the_score_but_not_the_answers(
    world: World, event: Event
):
    questions = with_test(world, event, 4)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    reg = participant(event, 1)
    code = tickets.code_for(reg.ticket).lower().replace("-", " ")
    response = _post(event, code, "pre")
    body = response.content.decode()
    assert response.status_code == 200
    assert reg.name in body and f'name="q{questions[0].pk}"' in body and 'type="radio"' in body
    response = _post(event, code, "pre", step="answers", **_answers(questions, 3))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="score">75<' in body
    # The correct answers and explanations wait for the post-test: shown now, they would teach
    # the post-test's answers and inflate the learning gain.
    assert "Sebab 0." not in body and "Karena 1." not in body
    assert 'class="answers"' not in body and 'id="answers-later"' in body
    assert Submission.objects.get().score == 75


def test_the_answers_and_explanations_are_shown_once_the_post_test_is_taken(
    world: World, event: Event
):
    questions = with_test(world, event, 4)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    code = tickets.code_for(participant(event, 1).ticket)
    _post(event, code, "pre", step="answers", **_answers(questions, 1))
    # Typing the code again during the pre-test still shows only the score.
    again = _post(event, code, "pre").content.decode()
    assert 'id="score">25<' in again and "Sebab 0." not in again
    assessment.close_phase(event=event, phase=Phase.PRE, by=world.inspector)
    assessment.open_phase(event=event, phase=Phase.POST, by=world.inspector)
    body = _post(event, code, "post", step="answers", **_answers(questions, 3)).content.decode()
    assert 'id="score">75<' in body and 'class="answers"' in body
    assert "Sebab 0." in body and "Karena 1." in body and 'id="answers-later"' not in body
    # Both phases open again: the pre-test's result now shows its answers too.
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    pre = _post(event, code, "pre").content.decode()
    assert 'id="score">25<' in pre and "Sebab 0." in pre and 'class="answers"' in pre


def test_a_second_submission_is_refused_and_shows_the_first(world: World, event: Event):
    questions = with_test(world, event, 2)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    code = tickets.code_for(participant(event, 1).ticket)
    _post(event, code, "pre", step="answers", **_answers(questions, 1))
    response = _post(event, code, "pre", step="answers", **_answers(questions, 2))
    assert response.status_code == 409
    assert 'id="score">50<' in response.content.decode()
    assert Submission.objects.get().score == 50
    # Typing the code again later shows the result (not the questions).
    again = _post(event, code, "pre")
    assert again.status_code == 200 and 'id="score">50<' in again.content.decode()


def test_unanswered_questions_are_named_and_the_answers_given_are_kept(world: World, event: Event):
    questions = with_test(world, event, 2)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    code = tickets.code_for(participant(event, 1).ticket)
    answers = _answers(questions, 2)
    answers.pop(f"q{questions[1].pk}")
    response = _post(event, code, "pre", step="answers", **answers)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="question-2"' in body and "question invalid" in body
    assert "checked" in body
    assert not Submission.objects.exists()


def test_a_wrong_or_foreign_ticket_is_refused_on_the_form(world: World, event: Event):
    with_test(world, event, 2)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    response = _post(event, "AAAA-BBBB-CCCC", "pre")
    assert response.status_code == 400 and 'name="ticket"' in response.content.decode()


def test_a_post_test_without_a_pre_test_says_it_is_not_paired(world: World, event: Event):
    questions = with_test(world, event, 2)
    assessment.open_phase(event=event, phase=Phase.POST, by=world.inspector)
    code = tickets.code_for(participant(event, 1).ticket)
    response = _post(event, code, "post", step="answers", **_answers(questions, 2))
    assert response.status_code == 200 and 'id="unpaired"' in response.content.decode()


def test_a_closed_phase_takes_no_answers(world: World, event: Event):
    questions = with_test(world, event, 2)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    assessment.open_phase(event=event, phase=Phase.POST, by=world.inspector)
    code = tickets.code_for(participant(event, 1).ticket)
    assessment.close_phase(event=event, phase=Phase.PRE, by=world.inspector)
    response = _post(event, code, "pre", step="answers", **_answers(questions, 2))
    assert response.status_code == 400  # "pre" is no longer a choice of the form
    assert not Submission.objects.exists()


def test_the_ticket_page_leads_to_an_open_test_with_the_code_filled_in(world: World, event: Event):
    from integritas.education.services import registration as registrations

    with_test(world, event, 2)
    reg = participant(event, 1)
    ticket_url = reverse("education-public-ticket", args=[registrations.link_token(reg)])
    assert 'id="test-open"' not in Client().get(ticket_url).content.decode()
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    body = Client().get(ticket_url).content.decode()
    assert 'id="test-open"' in body and f"?tiket={tickets.code_for(reg.ticket)}" in body
    page = Client().get(f"{_url(event)}?tiket={tickets.code_for(reg.ticket)}").content.decode()
    assert f'value="{tickets.code_for(reg.ticket)}"' in page
