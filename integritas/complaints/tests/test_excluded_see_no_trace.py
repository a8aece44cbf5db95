"""Whoever conflict-of-interest routing keeps away from a report finds no trace of it: not on the
home page, in the audit trail or its exports, in the complaint lists and statistics, in
notifications, nor on any other page they can open. The people allowed to read the report still
see its history."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from integritas.audit.labels import action_label
from integritas.complaints.models import Report
from integritas.complaints.services import sla
from integritas.complaints.services.handler import add_note, assign, change_status
from integritas.complaints.tests.conftest import Desk, enrolled
from integritas.complaints.tests.helpers import submit
from integritas.core.models import Notification, Role, RoleAssignment, Unit, User
from integritas.core.testing import client_for, make_user

pytestmark = pytest.mark.django_db
D = dt.date
ACTIONS = ("complaints.status_changed", "complaints.note_added", "complaints.assigned")
# Pages a person's browser opens without asking for anything (no POST, no sign-out, no public
# reporter pages, which no signed-in state reaches).
SKIP = {"core-logout", "core-language", "core-notification-read-all"}


def _patterns(patterns: list[Any]) -> Iterator[URLPattern]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        else:
            yield pattern


def pages_without_arguments() -> list[str]:
    """Every page of the application that takes nothing in its address."""
    urls = []
    for pattern in _patterns(get_resolver().url_patterns):
        if pattern.name in SKIP:
            continue
        try:
            urls.append(reverse(pattern.name))
        except NoReverseMatch:
            continue
    return urls


def text_of(response: HttpResponse) -> str:
    """What a person reads in a response: the page, the CSV, or every part of an XLSX or PDF."""
    body = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content
    )
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    if "pdf" in kind:
        from pypdf import PdfReader

        return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8", "replace")


def walk(client: Client, extra: list[str]) -> Iterator[tuple[str, str]]:
    """Open every page the person can (and every export a page offers); yield (url, text)."""
    for url in [*pages_without_arguments(), *extra]:
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = text_of(response)
        yield url, text
        for fmt in ("csv", "xlsx"):
            if f"export={fmt}" in text or url.startswith(("/audit/", "/pengaduan/")):
                joiner = "&" if "?" in url else "?"
                exported = client.get(f"{url}{joiner}export={fmt}")
                if exported.status_code == 200:
                    yield f"{url} ({fmt})", text_of(exported)


def labels_of_actions() -> set[str]:
    found = set(ACTIONS)
    for language in ("id", "en"):
        with translation.override(language):
            found |= {action_label(a) for a in ACTIONS}
    return found


@pytest.fixture
def inspectorate_report(desk: Desk) -> Report:
    """A report about the Inspectorate, handled by the alternate handler: screened, a note,
    assigned, and overdue so that alerts went out."""
    world = desk.world
    for person in (world.inspector_general, world.inspector):
        person.unit = desk.inspectorate
        person.save(update_fields=["unit"])
    # As in the demo, the alternate group's member heads another office.
    bkpsdm = Unit.objects.create(code="BKPSDM", name="Badan Kepegawaian", type=Unit.Type.OFFICE)
    desk.alternate.unit = bkpsdm
    desk.alternate.save(update_fields=["unit"])
    RoleAssignment.objects.create(user=desk.alternate, role=Role.UNIT_HEAD, unit=bkpsdm)
    report, _receipt = submit(desk.inspectorate, today=D(2026, 3, 17))
    key = desk.private_key(desk.alternate)
    change_status(report=report, name="screen", by=desk.alternate, private_key=key)
    add_note(report=report, by=desk.alternate, private_key=key, text="Ask the reporter for dates")
    assign(report=report, to=desk.alternate, by=desk.alternate)
    assert sla.overdue_alerts(today=D(2026, 3, 30)) == 1
    return report


def inspector_handler(desk: Desk) -> User:
    """An inspector of the Inspectorate who also handles complaints: at the desk, reads the audit
    trail, and is kept away from reports about the Inspectorate."""
    person = make_user("inspector_handler", unit=desk.inspectorate, role=Role.INSPECTOR)
    RoleAssignment.objects.create(user=person, role=Role.COMPLAINT_HANDLER)
    return enrolled(person, desk.recovery)


def test_nobody_excluded_from_a_report_finds_a_trace_of_it_on_any_page(
    desk: Desk, inspectorate_report: Report
) -> None:
    report = inspectorate_report
    identifiers = {str(report.public_id), str(report.public_id)[:8], *labels_of_actions()}
    unit_names = {desk.inspectorate.code, desk.inspectorate.name}
    world = desk.world
    excluded = [
        world.inspector_general,
        world.inspector,
        desk.handler,
        inspector_handler(desk),
    ]
    report_page = reverse("complaints-report", args=[report.public_id])
    walked: dict[str, set[str]] = {}
    for person in excluded:
        client = client_for(person)
        extra = [
            reverse("audit-event-list") + "?object_type=complaints.report",
            reverse("audit-event-list") + "?action=complaints",
            reverse("complaints-statistics") + f"?year={report.received_on.year}",
            reverse("core-unit", args=[desk.inspectorate.code]),
            reverse("core-person", args=[desk.alternate.public_id]),
            reverse("core-person", args=[person.public_id]),
        ]
        opened = []
        for url, text in walk(client, extra):
            opened.append(url)
            for found in identifiers:
                assert found not in text, f"{person}: {found!r} on {url}"
            if url.startswith(("/pengaduan/", "/audit/")):
                if "complaints.report" not in url:  # a page repeats its own address
                    assert "complaints.report" not in text, f"{person}: report events on {url}"
                for found in unit_names:
                    assert found not in text, f"{person}: the unit {found!r} on {url}"
        walked[person.username] = set(opened)
        assert client.get(report_page).status_code == 404
        assert not Notification.objects.filter(user=person).exists()
    # The walk reached the pages and exports where the report used to show.
    audit, statistics = reverse("audit-event-list"), reverse("complaints-statistics")
    reports = reverse("complaints-report-list")
    for name in ("inspector_general", "inspector"):
        assert {"/", audit, f"{audit} (csv)", f"{audit} (xlsx)"} <= walked[name]
        assert {statistics, f"{statistics} (csv)", f"{statistics} (xlsx)"} <= walked[name]
    assert {"/", reports, f"{reports} (csv)", f"{reports} (xlsx)"} <= walked["handler"]
    assert {audit, f"{audit} (csv)", reports} <= walked["inspector_handler"]
    assert all(len(pages) > 20 for pages in walked.values())
    figures = client_for(world.inspector_general).get(reverse("complaints-statistics"))
    assert figures.context["figures"].total == 0


def test_the_alternate_handler_who_may_read_the_trail_sees_the_reports_history(
    desk: Desk, inspectorate_report: Report
) -> None:
    RoleAssignment.objects.create(user=desk.alternate, role=Role.ADMINISTRATOR)
    client = client_for(desk.alternate)
    audit_page = client.get(reverse("audit-event-list"), {"object_type": "complaints.report"})
    assert {e.action for e in audit_page.context["page"].object_list} >= set(ACTIONS)
    export = text_of(client.get(reverse("audit-event-list"), {"export": "csv"}))
    assert str(inspectorate_report.public_id)[:8] in export
    home = client.get(reverse("core-home"))
    assert {e.action for e in home.context["recent_events"]} >= set(ACTIONS)
    assert Notification.objects.filter(user=desk.alternate).exists()


def test_a_handler_who_reads_some_reports_sees_their_events_and_not_the_others(
    desk: Desk, inspectorate_report: Report
) -> None:
    person = inspector_handler(desk)
    other, _receipt = submit(desk.world.disdik)
    change_status(report=other, name="screen", by=person, private_key=desk.private_key(person))
    client = client_for(person)
    events = client.get(reverse("audit-event-list")).context["page"].object_list
    about_reports = {e.object_id for e in events if e.object_type == "complaints.report"}
    assert about_reports == {str(other.pk)}
    home = client.get(reverse("core-home")).context["recent_events"]
    assert {e.object_id for e in home if e.object_type == "complaints.report"} == {str(other.pk)}


def test_an_assigned_handler_who_becomes_excluded_gets_no_overdue_alert(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik, today=D(2026, 3, 17))
    assign(report=report, to=desk.handler, by=desk.handler)
    desk.handler.unit = desk.world.disdik  # moves into the unit concerned
    desk.handler.save(update_fields=["unit"])
    sla.overdue_alerts(today=D(2026, 3, 30))
    assert not Notification.objects.filter(user=desk.handler).exists()
    # the report still reaches someone who may read it
    assert Notification.objects.filter(user=desk.handler_in_dinkes).exists()


def test_statistics_leave_out_reports_routed_away_from_the_inspectorate(
    desk: Desk, settings: Any
) -> None:
    settings.COMPLAINTS_STATS_MIN_GROUP = 2
    for _ in range(2):
        submit(desk.world.disdik)
        submit(desk.inspectorate)
    submit(desk.world.disdik, about_leadership=True)
    response = client_for(desk.world.inspector_general).get(reverse("complaints-statistics"))
    figures = response.context["figures"]
    assert figures.total == 2
    (units,) = [b for b in figures.breakdowns if b.name == "unit"]
    assert [line.key for line in units.lines] == ["DISDIK"]
    assert desk.inspectorate.name not in response.content.decode()


def test_an_alternate_member_without_any_role_reads_the_report_and_gets_its_alerts(
    desk: Desk,
) -> None:
    assert not desk.alternate.role_assignments.exists()
    report, _receipt = submit(desk.inspectorate, today=D(2026, 3, 17))
    client = client_for(desk.alternate)
    listed = client.get(reverse("complaints-report-list")).context["rows"]
    assert [row["report"] for row in listed] == [report]
    assert client.get(reverse("complaints-report", args=[report.public_id])).status_code == 200
    assign(report=report, to=desk.alternate, by=desk.alternate)
    assert sla.overdue_alerts(today=D(2026, 3, 30)) == 1
    assert Notification.objects.filter(user=desk.alternate).exists()
