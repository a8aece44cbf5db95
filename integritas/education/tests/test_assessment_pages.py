"""The Inspectorate's pages for tests: the question bank (create, change, delete), the event's
test (pick questions, pass rule, open and close), the paper score import and the results page
with its XLSX export."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from integritas.core.testing import World, client_for
from integritas.education.models import Event, EventTest, Phase, Question, Submission
from integritas.education.services import assessment, tickets
from integritas.education.tests.test_assessment import bank, participant, right, with_test


def test_the_inspectorate_writes_a_single_choice_question(world: World):
    client = client_for(world.inspector)
    response = client.post(
        reverse("education-question-create"),
        {
            "theme": "gratification",
            "kind": "single",
            "text": "Batas waktu melapor gratifikasi?",
            "explanation": "30 hari kerja.",
            "option_1": "7 hari",
            "option_2": "",
            "option_3": "30 hari kerja",
            "correct": "3",
        },
    )
    assert response.status_code == 302
    q = Question.objects.get()
    assert [(c.text, c.is_correct) for c in q.choices.all()] == [
        ("7 hari", False),
        ("30 hari kerja", True),
    ]
    page = client.get(reverse("education-question-list"))
    assert "Batas waktu" in page.content.decode()


def test_a_true_false_question_needs_its_answer(world: World):
    client = client_for(world.inspector)
    data = {"theme": "gratification", "kind": "true_false", "text": "Parsel boleh?"}
    assert client.post(reverse("education-question-create"), data).status_code == 400
    data["truth"] = "false"
    assert client.post(reverse("education-question-create"), data).status_code == 302
    assert [c.is_correct for c in Question.objects.get().choices.all()] == [False, True]


def test_an_answered_question_keeps_its_options_but_a_fresh_one_can_be_deleted(
    world: World, event: Event
):
    questions = with_test(world, event, 2)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    assessment.submit(
        event=event,
        phase=Phase.PRE,
        registration=participant(event, 1),
        answers=right(questions, 1),
    )
    client = client_for(world.inspector)
    used = questions[0]
    form = {
        "theme": "gratification",
        "kind": "single",
        "text": "Baru",
        "option_1": "X",
        "option_2": "Y",
        "correct": "1",
    }
    assert (
        client.post(reverse("education-question-edit", args=[used.public_id]), form).status_code
        == 400
    )
    assert (
        client.post(reverse("education-question-delete", args=[used.public_id])).status_code == 302
    )
    assert Question.objects.filter(pk=used.pk).exists()
    fresh = bank(world, 1)[0]
    client.post(reverse("education-question-delete", args=[fresh.public_id]))
    assert not Question.objects.filter(pk=fresh.pk).exists()


def test_the_event_test_is_assembled_and_opened_on_its_page(world: World, event: Event):
    questions = bank(world, 3)
    client = client_for(world.inspector)
    url = reverse("education-test", args=[event.code])
    page = client.get(url)
    assert (
        page.status_code == 200
        and reverse("education-public-test", args=[event.code]) in page.content.decode()
    )
    response = client.post(
        url,
        {
            "questions": [questions[2].pk, questions[0].pk],
            "certificate_needs_pass": "on",
            "pass_mark": "80",
        },
    )
    assert response.status_code == 302
    test = EventTest.objects.get(event=event)
    assert [q.pk for q in assessment.questions_of(test)] == [questions[0].pk, questions[2].pk]
    assert test.certificate_needs_pass and test.pass_mark == 80
    assert client.post(url, {"pass_mark": "101"}).status_code == 400
    client.post(reverse("education-test-phase", args=[event.code, "pre", "buka"]))
    test.refresh_from_db()
    assert test.pre_open and not test.post_open
    client.post(reverse("education-test-phase", args=[event.code, "pre", "tutup"]))
    test.refresh_from_db()
    assert not test.pre_open and test.pre_closed_at is not None


def test_a_test_without_questions_cannot_be_opened(world: World, event: Event):
    client = client_for(world.inspector)
    client.post(reverse("education-test-phase", args=[event.code, "pre", "buka"]))
    assert not EventTest.objects.filter(event=event, pre_opened_at__isnull=False).exists()


def test_leadership_reads_the_test_and_results_but_cannot_change_them(world: World, event: Event):
    client = client_for(world.leader)
    assert client.get(reverse("education-test", args=[event.code])).status_code == 200
    assert client.get(reverse("education-test-results", args=[event.code])).status_code == 200
    assert (
        client.post(reverse("education-test", args=[event.code]), {"pass_mark": "50"}).status_code
        == 403
    )
    assert not EventTest.objects.exists()


def test_the_import_page_stores_a_good_file_and_lists_every_bad_row(world: World, event: Event):
    reg = participant(event, 1)
    code = tickets.code_for(reg.ticket)
    client = client_for(world.inspector)
    url = reverse("education-test-import", args=[event.code])
    bad = SimpleUploadedFile(
        "nilai.csv", f"ticket;phase;score\n{code};pre;120\nXXXX;post;50\n".encode()
    )
    response = client.post(url, {"file": bad})
    body = response.content.decode()
    assert response.status_code == 400 and "120" in body and "XXXX" in body
    assert not Submission.objects.exists()
    good = SimpleUploadedFile("nilai.csv", f"ticket;phase;score\n{code};pre;60\n".encode())
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert Submission.objects.get().source == "paper"


def test_the_results_page_shows_the_gain_and_exports_it(world: World, event: Event):
    questions = with_test(world, event, 2)
    reg = participant(event, 1)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    assessment.submit(event=event, phase=Phase.PRE, registration=reg, answers=right(questions, 1))
    assessment.open_phase(event=event, phase=Phase.POST, by=world.inspector)
    assessment.submit(event=event, phase=Phase.POST, registration=reg, answers=right(questions, 2))
    client = client_for(world.inspector, language="en")
    url = reverse("education-test-results", args=[event.code])
    body = client.get(url).content.decode()
    assert "Class gain" in body and "1.00" in body and 'id="questions"' in body
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Learning gain", "Questions", "Participants"]
    summary = list(book["Learning gain"].values)
    assert summary[1][1:4] == (1, 1, 1)


def test_the_results_page_of_an_event_without_results_says_so(world: World, event: Event):
    body = (
        client_for(world.inspector, language="en")
        .get(reverse("education-test-results", args=[event.code]))
        .content.decode()
    )
    assert "No test result yet" in body
