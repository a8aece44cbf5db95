"""Submissions arriving at the same moment (PostgreSQL, several connections): the same
participant submitting the same test from two phones is stored once, the others are refused
with the first one, and paper scores imported at the same moment do not add a second result."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from integritas.core.testing import World
from integritas.education.models import Phase, Submission
from integritas.education.services import assessment
from integritas.education.tests.conftest import make_event
from integritas.education.tests.test_assessment import participant, right, with_test
from integritas.education.tests.test_registration_concurrency import _at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]


def test_the_same_test_submitted_at_once_from_several_phones_is_stored_once(
    world: World, monkeypatch: pytest.MonkeyPatch
):
    event = make_event(world, capacity=None)
    questions = with_test(world, event, 3)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    reg = participant(event, 1)
    attempts = [right(questions, n) for n in (0, 1, 2, 3)]
    # Every phone looks for an earlier submission before any of them writes: the unique
    # constraint alone must keep the second one out.
    checked = threading.Barrier(len(attempts))
    real = assessment.submission_of
    seen = threading.local()

    def racing(registration, phase):  # type: ignore[no-untyped-def]
        found = real(registration, phase)
        if not getattr(seen, "once", False):
            seen.once = True
            checked.wait()
        return found

    monkeypatch.setattr(assessment, "submission_of", racing)
    errors = _at_once(
        [
            lambda a=a: (
                assessment.submit(event=event, phase=Phase.PRE, registration=reg, answers=a)
                and None
            )
            for a in attempts
        ]
    )
    assert len(errors) == 3
    assert all(isinstance(e, assessment.AlreadySubmitted) for e in errors)
    stored = Submission.objects.get()
    assert {e.submission.pk for e in errors} == {stored.pk}  # type: ignore[attr-defined]
    assert stored.answers.count() == 3
