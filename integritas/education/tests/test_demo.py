"""The demo's socialization: under way, registrations across groups, some checked in."""

from __future__ import annotations

from django.core.management import call_command

from integritas.audit.models import Event as AuditEvent
from integritas.education.models import Event, Registration


def test_the_demo_seeds_an_event_with_registrations_and_check_ins_once(db: None):
    call_command("seed_demo", verbosity=0)
    event = Event.objects.get()
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == 37
    assert len(set(registrations.values_list("group", flat=True))) == 9
    assert registrations.filter(checked_in_at__isnull=False).count() == 19
    assert registrations.filter(status="waiting").count() == 2
    assert AuditEvent.objects.filter(action="education.checked_in").count() == 18
    assert AuditEvent.objects.filter(action="education.walk_in").count() == 1
    call_command("seed_demo", verbosity=0)
    assert Event.objects.count() == 1
