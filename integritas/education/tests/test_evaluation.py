"""The participants' evaluation: a survey wave of the surveys app for the event (the short
satisfaction instrument shipped with education, or another published one), reached from the
ticket page once the event is over and the participant attended, answered anonymously through
the wave's public link (the same for everyone: nothing ties an answer to a ticket), and
summarised on the results page and in the report with the survey's small-group rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World, client_for
from integritas.education.models import Event, Registration
from integritas.education.services import checkin, evaluation, tickets
from integritas.education.services import registration as registrations
from integritas.education.services import report as report_services
from integritas.education.tests.test_assessment import participant
from integritas.education.tests.test_report import pdf_text, write
from integritas.surveys.models import Response, Wave
from integritas.surveys.services import respond


def _held(event: Event) -> Event:
    """Move the event into the past (it ended an hour ago)."""
    event.starts_at = timezone.now() - dt.timedelta(hours=4)
    event.ends_at = timezone.now() - dt.timedelta(hours=1)
    event.save(update_fields=["starts_at", "ends_at"])
    return event


def _ticket_page(reg: Registration) -> str:
    url = reverse("education-public-ticket", args=[registrations.link_token(reg)])
    return Client().get(url).content.decode()


def _answer(wave: Wave, values: list[int], n: int) -> None:
    """``n`` responses through the survey's own respondent service, each answering the
    evaluation's questions with ``values`` (1–4)."""
    schema = respond.schema_for(wave)
    scored = [q for q in schema.questions.values() if q.slot is not None]
    wave_unit = wave.wave_units.get()
    for _i in range(n):
        entry = respond.entry_for_code(wave_unit.public_code)
        assert entry is not None
        draft, _secret = respond.start(entry=entry, respondent_type="public", language="id")
        answers = {q.code: q.choices[v - 1] for q, v in zip(scored, values, strict=False)}
        respond.save_page(
            draft=draft,
            codes=list(schema.questions),
            values=answers,
            furthest=len(schema.sections) - 1,
            language="id",
        )
        respond.submit(draft=draft)


def test_staff_create_the_evaluation_from_the_shipped_instrument_and_it_is_audited(
    world: World, event: Event
):
    page = client_for(world.inspector).get(reverse("education-evaluation", args=[event.code]))
    assert page.status_code == 200 and 'name="version"' in page.content.decode()
    response = client_for(world.inspector).post(
        reverse("education-evaluation", args=[event.code]), {"version": ""}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    wave = event.evaluation
    assert wave is not None and wave.status == Wave.Status.OPEN
    assert wave.version.instrument.code == "evaluasi-acara"
    assert [wu.unit for wu in wave.wave_units.all()] == [event.organiser]
    assert wave.closes_on == timezone.localdate(event.ends_at) + dt.timedelta(days=14)
    assert AuditEvent.objects.filter(action="education.evaluation_created").exists()
    # A second time changes nothing.
    client_for(world.inspector).post(reverse("education-evaluation", args=[event.code]), {})
    assert Wave.objects.count() == 1


def test_leadership_reads_the_evaluation_but_cannot_create_it(world: World, event: Event):
    url = reverse("education-evaluation", args=[event.code])
    assert client_for(world.leader).get(url).status_code == 200
    assert client_for(world.leader).post(url, {}).status_code == 403
    assert not Wave.objects.exists()


def test_the_ticket_page_offers_the_evaluation_after_the_event_to_those_who_came(
    world: World, event: Event
):
    came, absent = participant(event, 1), participant(event, 2)
    checkin.check_in(event=event, code=tickets.code_for(came.ticket), by=world.inspector)
    wave = evaluation.create(event=event, version=None, by=world.inspector)
    assert 'id="evaluation-open"' not in _ticket_page(came)  # the event is still ahead
    _held(event)
    body = _ticket_page(came)
    link = reverse("surveys-respond-public", args=[wave.wave_units.get().public_code])
    assert 'id="evaluation-open"' in body and link in body
    assert 'id="evaluation-open"' not in _ticket_page(absent)


def test_every_participant_gets_the_same_link_so_no_answer_can_be_tied_to_a_ticket(
    world: World, event: Event
):
    one, two = participant(event, 1), participant(event, 2)
    for reg in (one, two):
        checkin.check_in(event=event, code=tickets.code_for(reg.ticket), by=world.inspector)
    wave = evaluation.create(event=event, version=None, by=world.inspector)
    _held(event)
    link = evaluation.link(event)
    assert link is not None
    assert link in _ticket_page(one) and link in _ticket_page(two)
    _answer(wave, [4, 3, 4, 3, 4, 3, 4], 1)
    stored = Response.objects.get()
    field_names = {f.name for f in Response._meta.get_fields()}
    assert "registration" not in field_names and "ticket" not in field_names
    assert tickets.code_for(one.ticket) not in str(stored.extra or "")


def test_the_summary_is_withheld_below_the_smallest_group_and_shown_from_it(
    world: World, event: Event
):
    wave = evaluation.create(event=event, version=None, by=world.inspector)
    wave.min_group_size = 3
    wave.save(update_fields=["min_group_size"])
    _held(event)
    _answer(wave, [4, 4, 4, 4, 4, 4, 4], 2)
    summary = evaluation.summary(event)
    assert summary is not None and summary.withheld and summary.responses == 2
    assert summary.rows == []
    _answer(wave, [1, 1, 1, 1, 1, 1, 1], 1)
    summary = evaluation.summary(event)
    assert summary is not None and not summary.withheld and summary.responses == 3
    first = summary.rows[0]
    assert first.answered == 3 and str(first.mean) == "3.00"
    assert [c.count for c in first.choices] == [1, 0, 0, 2]


def test_the_results_page_and_the_report_show_the_evaluation_summary(world: World, event: Event):
    wave = evaluation.create(event=event, version=None, by=world.inspector)
    wave.min_group_size = 2
    wave.save(update_fields=["min_group_size"])
    _held(event)
    results = reverse("education-test-results", args=[event.code])
    body = client_for(world.inspector).get(results).content.decode()
    assert 'id="evaluation-withheld"' in body
    _answer(wave, [4] * 7, 1)
    _answer(wave, [3] * 7, 1)
    body = client_for(world.inspector).get(results).content.decode()
    assert 'id="evaluation"' in body and "3,50" in body
    text = pdf_text(report_services.report_pdf(event, write(world, event)))
    assert "Evaluasi peserta" in text and "3,50" in text


@pytest.mark.parametrize("k", [10])
def test_the_report_withholds_a_small_evaluation(world: World, event: Event, k: int):
    wave = evaluation.create(event=event, version=None, by=world.inspector)
    assert wave.min_group_size == k
    _held(event)
    _answer(wave, [4, 3, 4, 3, 4, 3, 4], 2)
    text = pdf_text(report_services.report_pdf(event, write(world, event)))
    assert "kurang dari 10" in text and "3,50" not in text
