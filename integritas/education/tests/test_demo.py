"""The education demo: a socialization held in the past with about 150 participants, its tests
and certificates; a training with paper scores imported; an upcoming event with a waiting list."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from integritas.audit.models import Event as AuditEvent
from integritas.education import demo
from integritas.education.models import (
    Certificate,
    Event,
    EventTest,
    InvitationLetter,
    Invitee,
    Phase,
    Question,
    Registration,
    Submission,
)
from integritas.education.services import assessment

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo seeded once for the module (it takes a few seconds), rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        connection.close()


def socialization() -> Event:
    return Event.objects.get(title=demo.TITLE)


def test_the_socialization_was_held_in_the_past_for_about_150_people_in_every_group(
    seeded: None,
) -> None:
    event = socialization()
    assert event.ends_at < timezone.now()
    assert event.is_public
    registrations = event.registrations.all()
    by_group = Counter(registrations.values_list("group", flat=True))
    assert by_group == {
        "unit_head": 20,
        "official": 30,
        "staff": 42,
        "forkopimda": 8,
        "legislator": 8,
        "press": 9,
        "community": 11,
        "business": 11,
        "student": 11,
    }
    assert registrations.count() == 150
    checked_in = registrations.filter(checked_in_at__isnull=False)
    assert 0.8 * 150 < checked_in.count() < 150
    assert not checked_in.filter(checked_in_at__gt=event.starts_at).exists()
    assert registrations.filter(walk_in=True).count() == 1


def test_the_socialization_had_a_letter_and_invited_units_and_guests_most_of_whom_registered(
    seeded: None,
) -> None:
    event = socialization()
    letter = InvitationLetter.objects.get(event=event)
    assert letter.number and letter.letter_date < event.starts_at.date()
    invitees = Invitee.objects.filter(event=event)
    assert invitees.filter(unit__isnull=False).count() == demo.UNITS_INVITED
    assert invitees.filter(unit__isnull=True).count() == sum(row[3] for row in demo.OTHERS) == 15
    assert invitees.filter(registration__isnull=True).count() == demo.UNITS_ABSENT


def test_the_pre_and_post_tests_were_taken_by_most_with_some_unpaired_and_a_gain(
    seeded: None,
) -> None:
    event = socialization()
    test = EventTest.objects.get(event=event)
    assert test.certificate_needs_pass and test.pass_mark == 70
    assert not test.pre_open and not test.post_open
    assert Question.objects.filter(theme="gratification").count() == 10
    assert all(q.explanation for q in Question.objects.all())
    assert len(assessment.questions_of(test)) == 10
    out = io.StringIO()
    call_command("event_results", event=event.code, json=True, stdout=out)
    overall = json.loads(out.getvalue())["overall"]
    checked_in = event.registrations.filter(checked_in_at__isnull=False).count()
    assert overall["n_pre"] == checked_in - demo.NO_TEST - demo.POST_ONLY
    assert overall["n_post"] == checked_in - demo.NO_TEST - demo.PRE_ONLY
    assert overall["n_paired"] == checked_in - demo.NO_TEST - demo.PRE_ONLY - demo.POST_ONLY
    assert overall["unpaired_post"] == demo.POST_ONLY
    assert float(overall["mean_post"]) > float(overall["mean_pre"])
    assert 0.3 <= float(overall["class_gain"]) < 0.7
    pre_submissions = Submission.objects.filter(registration__event=event, phase=Phase.PRE)
    assert not pre_submissions.filter(submitted_at__lt=event.starts_at).exists()


def test_certificates_went_only_to_those_who_passed_the_post_test_and_one_is_revoked(
    seeded: None,
) -> None:
    event = socialization()
    certificates = Certificate.objects.filter(registration__event=event)
    passed = set(
        Submission.objects.filter(
            registration__event=event,
            registration__checked_in_at__isnull=False,
            phase=Phase.POST,
            score__gte=70,
        ).values_list("registration_id", flat=True)
    )
    assert passed and set(certificates.values_list("registration_id", flat=True)) == passed
    revoked = certificates.get(revoked_at__isnull=False)
    assert revoked.revoked_reason == demo.REVOKE_REASON
    assert AuditEvent.objects.filter(action="education.certificate_revoked").count() == 1


def test_the_training_has_paper_scores_imported_from_a_file(seeded: None) -> None:
    event = Event.objects.get(title=demo.TRAINING_TITLE)
    assert event.kind == "training" and event.ends_at < timezone.now()
    paper = Submission.objects.filter(registration__event=event)
    assert paper.exists() and not paper.exclude(source=Submission.Source.PAPER).exists()
    came = event.registrations.filter(checked_in_at__isnull=False).count()
    assert paper.filter(phase=Phase.PRE).count() == came - 1
    assert paper.filter(phase=Phase.POST).count() == came - 1
    imported = AuditEvent.objects.get(action="education.test_scores_imported")
    assert imported.changes["file"] == "nilai-tes-bimtek-pbj.csv"


def test_the_upcoming_event_is_open_with_a_waiting_list(seeded: None) -> None:
    event = Event.objects.get(title=demo.UPCOMING_TITLE)
    assert event.accepts_registrations()
    assert event.registrations.filter(status=Registration.Status.CONFIRMED).count() == 12
    assert event.registrations.filter(status=Registration.Status.WAITING).count() == 3


def test_seeding_again_adds_nothing(seeded: None) -> None:
    counts = (
        Event.objects.count(),
        Registration.objects.count(),
        Submission.objects.count(),
        Certificate.objects.count(),
        Question.objects.count(),
        AuditEvent.objects.count(),
    )
    assert counts[0] == 3
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        Event.objects.count(),
        Registration.objects.count(),
        Submission.objects.count(),
        Certificate.objects.count(),
        Question.objects.count(),
        AuditEvent.objects.count(),
    )
