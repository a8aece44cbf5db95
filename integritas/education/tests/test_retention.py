"""The retention of participants' personal data (UU 27/2022): ``manage.py education_retention``
blanks the names and contacts of participants and invitees of events that ended more than
``EDUCATION_RETENTION_MONTHS`` ago, keeping the counts, the test scores and the certificates
(whose verification still answers valid or revoked), audited, with a dry run that changes
nothing."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World
from integritas.education.models import Certificate, Event, Phase, Registration, Submission
from integritas.education.services import assessment, certificates, checkin, invitations, tickets
from integritas.education.tests.conftest import make_event
from integritas.education.tests.test_assessment import participant, right, with_test


def _held(world: World, title: str, ended_days_ago: int) -> Event:
    """An event with two participants who came and took both tests, a certificate each (one
    revoked), and an invited guest; then moved to have ended ``ended_days_ago`` days ago."""
    event = make_event(world, title=title, capacity=None)
    questions = with_test(world, event, 2)
    regs = [participant(event, i) for i in (1, 2)]
    for reg in regs:
        checkin.check_in(event=event, code=tickets.code_for(reg.ticket), by=world.inspector)
    for phase, n in ((Phase.PRE, 1), (Phase.POST, 2)):
        assessment.open_phase(event=event, phase=phase, by=world.inspector)
        for reg in regs:
            assessment.submit(
                event=event, phase=phase, registration=reg, answers=right(questions, n)
            )
        assessment.close_phase(event=event, phase=phase, by=world.inspector)
    certificates.issue_for_event(event=event, by=world.inspector)
    first = Certificate.objects.get(registration=regs[0])
    certificates.revoke(certificate=first, reason="Salah nama", by=world.inspector)
    invitations.add_guest(
        event=event,
        guest=invitations.Guest("Tamu Undangan", "Harian Kota", "press", "tamu@example.test"),
        by=world.inspector,
    )
    ends = timezone.now() - dt.timedelta(days=ended_days_ago)
    Event.objects.filter(pk=event.pk).update(starts_at=ends - dt.timedelta(hours=3), ends_at=ends)
    event.refresh_from_db()
    return event


def test_a_dry_run_lists_the_old_events_and_changes_nothing(world: World):
    old = _held(world, "Sosialisasi lama", ended_days_ago=800)
    out = io.StringIO()
    call_command("education_retention", "--dry-run", stdout=out)
    assert old.code in out.getvalue()
    assert Registration.objects.filter(event=old, name="").count() == 0
    assert not AuditEvent.objects.filter(action="education.personal_data_removed").exists()


def test_participants_of_old_events_are_anonymised_keeping_counts_scores_and_certificates(
    world: World,
):
    old = _held(world, "Sosialisasi lama", ended_days_ago=800)  # beyond 24 months
    recent = _held(world, "Sosialisasi baru", ended_days_ago=300)
    scores = sorted(
        Submission.objects.filter(registration__event=old).values_list("score", flat=True)
    )
    out = io.StringIO()
    call_command("education_retention", stdout=out)
    assert old.code in out.getvalue() and recent.code not in out.getvalue()
    people = Registration.objects.filter(event=old)
    assert people.count() == 2 and people.filter(checked_in_at__isnull=False).count() == 2
    assert set(people.values_list("name", "institution", "email", "phone")) == {("", "", "", "")}
    guest = old.invitees.get()
    assert (guest.name, guest.email, guest.institution) == ("", "", "")
    kept = sorted(
        Submission.objects.filter(registration__event=old).values_list("score", flat=True)
    )
    assert kept == scores
    # The recent event is left alone.
    assert not Registration.objects.filter(event=recent, name="").exists()
    old.refresh_from_db()
    assert old.personal_data_removed_at is not None
    # The certificates still verify: valid or revoked, without a name.
    for certificate in Certificate.objects.filter(registration__event=old):
        page = Client().get(reverse("certificate-verify", args=[certificate.serial]))
        body = page.content.decode()
        assert page.status_code == 200 and old.title in body and "Peserta 1" not in body
        assert ("revoked" in body or "dicabut" in body) == (not certificate.is_valid)
    # Audited, with counts and no name.
    event = AuditEvent.objects.get(action="education.personal_data_removed")
    assert "Peserta" not in json.dumps(event.changes) and "Tamu" not in json.dumps(event.changes)
    # A second run finds nothing more to do.
    out = io.StringIO()
    call_command("education_retention", stdout=out)
    assert old.code not in out.getvalue()
    assert AuditEvent.objects.filter(action="education.personal_data_removed").count() == 1


def test_the_retention_period_is_a_setting(world: World, settings):
    settings.EDUCATION_RETENTION_MONTHS = 6
    recent = _held(world, "Sosialisasi baru", ended_days_ago=300)
    call_command("education_retention", stdout=io.StringIO())
    assert set(Registration.objects.filter(event=recent).values_list("name", flat=True)) == {""}
