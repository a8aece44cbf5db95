"""Certificates when the event's test says so: only participants who checked in and whose
post-test reaches the pass mark; without that rule, everyone who checked in."""

from __future__ import annotations

from integritas.core.testing import World
from integritas.education.models import Certificate, Event, Phase
from integritas.education.services import assessment, certificates, checkin, tickets
from integritas.education.tests.test_assessment import participant, right, with_test


def test_with_a_pass_mark_only_checked_in_participants_who_passed_get_a_certificate(
    world: World, event: Event
):
    event.capacity = None
    event.save()
    questions = with_test(world, event, 4)
    assessment.test_update(
        event=event,
        questions=questions,
        certificate_needs_pass=True,
        pass_mark=75,
        by=world.inspector,
    )
    passed, failed, absent, untested = (participant(event, i) for i in range(4))
    for reg in (passed, failed, untested):
        checkin.check_in(event=event, code=tickets.code_for(reg.ticket), by=world.inspector)
    assessment.open_phase(event=event, phase=Phase.POST, by=world.inspector)
    assessment.submit(
        event=event, phase=Phase.POST, registration=passed, answers=right(questions, 3)
    )
    assessment.submit(
        event=event, phase=Phase.POST, registration=failed, answers=right(questions, 2)
    )
    assessment.submit(
        event=event, phase=Phase.POST, registration=absent, answers=right(questions, 4)
    )
    assert certificates.issue_for_event(event=event, by=world.inspector) == 1
    assert list(Certificate.objects.values_list("registration", flat=True)) == [passed.pk]


def test_without_the_rule_everyone_checked_in_gets_one_whatever_the_score(
    world: World, event: Event
):
    questions = with_test(world, event, 2)
    reg = participant(event, 1)
    checkin.check_in(event=event, code=tickets.code_for(reg.ticket), by=world.inspector)
    assessment.open_phase(event=event, phase=Phase.POST, by=world.inspector)
    assessment.submit(event=event, phase=Phase.POST, registration=reg, answers=right(questions, 0))
    assert certificates.issue_for_event(event=event, by=world.inspector) == 1
