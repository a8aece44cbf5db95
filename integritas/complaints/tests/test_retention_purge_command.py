"""``manage.py purge_reports``: closed reports past their retention date go for good, with one
event each that holds no content; ``--dry-run`` deletes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from integritas.audit.models import Event
from integritas.complaints.models import Report, Status
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import FIELDS, submit

pytestmark = pytest.mark.django_db(transaction=True)  # files are removed after the commit


def closed(report: Report, retain_until: dt.date, status: str = Status.CLOSED) -> Report:
    Report.objects.filter(pk=report.pk).update(
        status=status, closed_on=dt.date(2026, 1, 5), retain_until=retain_until
    )
    report.refresh_from_db()
    return report


def test_a_dry_run_lists_and_keeps_everything(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    closed(report, dt.date(2027, 1, 9))
    out = StringIO()
    call_command("purge_reports", "--dry-run", "--date", "2027-01-10", stdout=out)
    assert "would purge 1 report(s)" in out.getvalue()
    assert Report.objects.filter(pk=report.pk).exists()
    assert not Event.objects.filter(action="complaints.report_purged").exists()


def test_it_purges_only_reports_past_their_date(desk: Desk) -> None:
    due, _r1 = submit(desk.world.disdik)
    rejected, _r2 = submit(desk.world.disdik)
    kept, _r3 = submit(desk.world.disdik)
    still_open, _r4 = submit(desk.world.disdik)
    closed(due, dt.date(2027, 1, 9))
    closed(rejected, dt.date(2027, 1, 1), status=Status.REJECTED)
    closed(kept, dt.date(2027, 1, 10))
    Report.objects.filter(pk=still_open.pk).update(retain_until=dt.date(2020, 1, 1))
    out = StringIO()
    call_command("purge_reports", "--date", "2027-01-10", stdout=out)
    assert "purged 2 report(s)" in out.getvalue()
    assert set(Report.objects.all()) == {kept, still_open}
    events = Event.objects.filter(action="complaints.report_purged")
    assert events.count() == 2
    for event in events:
        assert event.actor_label == "purge_reports"
        assert FIELDS["what"] not in str(event.changes)


def test_a_bad_date_is_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_reports", "--date", "tomorrow")
