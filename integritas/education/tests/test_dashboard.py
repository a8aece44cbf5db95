"""The education dashboard for the Inspectorate and leadership: events per year, theme and
kind, people reached (checked in) by audience group and by work unit, the average learning gain
over events with paired tests, and the units whose staff were never reached."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from integritas.core.models import Unit
from integritas.core.testing import World, client_for
from integritas.education.models import (
    Event,
    Invitee,
    Kind,
    Phase,
    Registration,
    Submission,
    Theme,
)
from integritas.education.services import checkin, dashboard, tickets
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person
from integritas.education.tests.conftest import make_event

pytestmark = pytest.mark.django_db

URL = "/edukasi/dasbor/"


def held(
    world: World,
    *,
    on: dt.date,
    people: list[tuple[str, Unit | None]] = (),  # type: ignore[assignment]
    theme: str = Theme.GRATIFICATION,
    kind: str = Kind.SOCIALIZATION,
    absent: int = 0,
    title: str = "Sosialisasi",
) -> Event:
    """An event held on ``on`` where ``people`` (group, unit) checked in and ``absent`` more
    registered without coming."""
    event = make_event(world, title=title, capacity=None, theme=theme, kind=kind)
    n = 0
    for group, unit in people:
        n += 1
        person = Person(f"Peserta {n}", "Instansi", group, f"p{n}-{event.pk}@x.test", unit=unit)
        reg = registrations.register(event=event, person=person)
        checkin.check_in(event=event, code=tickets.code_for(reg.ticket), by=world.inspector)
    for i in range(absent):
        person = Person(f"Absen {i}", "Instansi", "press", f"a{i}-{event.pk}@x.test")
        registrations.register(event=event, person=person)
    starts = dt.datetime(on.year, on.month, on.day, 9, tzinfo=dt.UTC)
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    event.refresh_from_db()
    return event


def score(event: Event, pairs: list[tuple[float, float]]) -> None:
    regs = list(event.registrations.filter(checked_in_at__isnull=False).order_by("pk"))
    for reg, (pre, post) in zip(regs, pairs, strict=False):
        for phase, value in ((Phase.PRE, pre), (Phase.POST, post)):
            Submission.objects.create(
                registration=reg,
                phase=phase,
                score=Decimal(str(value)),
                source=Submission.Source.PAPER,
            )


def test_events_are_counted_per_year_theme_and_kind(world: World) -> None:
    held(world, on=dt.date(2025, 3, 1))
    held(world, on=dt.date(2025, 6, 1), kind=Kind.TRAINING)
    held(world, on=dt.date(2025, 7, 1), kind=Kind.TRAINING)
    held(world, on=dt.date(2024, 5, 1), theme=Theme.WHISTLEBLOWING)
    board = dashboard.dashboard(year=None)
    assert board.years == [2025, 2024]
    rows = {(r.year, r.theme): r for r in board.events}
    grat = rows[(2025, Theme.GRATIFICATION)]
    assert grat.counts == [1, 2, 0, 0] and grat.total == 3  # socialization, training, …
    assert rows[(2024, Theme.WHISTLEBLOWING)].total == 1
    only = dashboard.dashboard(year=2024)
    assert [(r.year, r.theme) for r in only.events] == [(2024, Theme.WHISTLEBLOWING)]


def test_people_reached_are_those_checked_in_by_group_and_year(world: World) -> None:
    held(world, on=dt.date(2025, 3, 1), people=[("staff", None)] * 3 + [("press", None)], absent=4)
    held(world, on=dt.date(2024, 3, 1), people=[("unit_head", world.dinkes)])
    board = dashboard.dashboard(year=None)
    by_year = {r.year: r for r in board.reach}
    groups = [g for g, _ in board.groups]
    assert by_year[2025].counts[groups.index("staff")] == 3
    assert by_year[2025].counts[groups.index("press")] == 1  # the 4 absent are not reached
    assert by_year[2025].total == 4 and by_year[2024].total == 1
    assert [r.year for r in dashboard.dashboard(year=2024).reach] == [2024]


def test_the_average_gain_is_over_events_with_paired_tests(world: World) -> None:
    a = held(world, on=dt.date(2025, 3, 1), people=[("staff", None)] * 2)
    b = held(world, on=dt.date(2025, 4, 1), people=[("staff", None)] * 2)
    held(world, on=dt.date(2025, 5, 1), people=[("staff", None)] * 2)  # no test
    # a: 20 → 60 (g 0.5) and 60 → 100 (g 1): class g 40 → 80 = 0.667, individual 0.75.
    score(a, [(20, 60), (60, 100)])
    # b: 50 → 75 twice: class g 0.5, individual 0.5.
    score(b, [(50, 75), (50, 75)])
    gain = dashboard.dashboard(year=2025).gain
    assert [e.code for e in gain.events] == [b.code, a.code]  # latest first
    assert gain.n_events == 2 and gain.n_paired == 4
    # Mean of the events' class gains: (0.667 + 0.5) ÷ 2; mean individual g over every pair:
    # (0.5 + 1 + 0.5 + 0.5) ÷ 4.
    assert gain.mean_class_gain == pytest.approx((2 / 3 + 0.5) / 2)
    assert gain.mean_individual_gain == pytest.approx(0.625)
    assert dashboard.dashboard(year=2024).gain.n_events == 0


def test_units_are_reached_through_the_registrations_unit_or_the_units_invitation(
    world: World,
) -> None:
    event = held(
        world,
        on=dt.date(2025, 3, 1),
        people=[("staff", world.dinkes), ("staff", world.dinkes), ("press", None)],
    )
    # The head of DISDIK registered through the unit's invitation link: no unit typed.
    reg = Registration.objects.create(
        event=event,
        ticket="TESTDISDIK01",
        name="Kepala Disdik",
        group="unit_head",
        email="kd@x.test",
        checked_in_at=event.starts_at,
    )
    Invitee.objects.create(
        event=event, unit=world.disdik, name="Kepala Disdik", group="unit_head", registration=reg
    )
    held(world, on=dt.date(2024, 3, 1), people=[("staff", world.puskesmas)])
    board = dashboard.dashboard(year=2025)
    reached = {r.unit.code: r for r in board.units}
    assert reached["DINKES"].people == 2 and reached["DINKES"].events == 1
    assert reached["DISDIK"].people == 1
    never = [u.code for u in board.never]
    assert "DINKES.PKM" in never and "DINKES" not in never and "DISDIK" not in never
    assert "DINKES.PKM" not in [u.code for u in dashboard.dashboard(year=2024).never]


def test_leadership_reads_the_dashboard_and_others_may_not(world: World) -> None:
    held(world, on=dt.date(2025, 3, 1), people=[("staff", world.dinkes)], title="Sosialisasi A")
    page = client_for(world.leader).get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Gratifikasi" in body and "DINKES" in body
    assert "Dinas Pendidikan" in body  # never reached
    assert client_for(world.officer_a).get(URL).status_code == 403
    assert client_for(world.inspector).get(URL, {"year": "2025"}).status_code == 200
    assert client_for(None).get(URL).status_code == 302


def test_each_table_downloads_as_xlsx(world: World) -> None:
    a = held(world, on=dt.date(2025, 3, 1), people=[("staff", world.dinkes)] * 2)
    score(a, [(20, 60), (60, 100)])
    client = client_for(world.leader, language="en")
    for table, expected in [
        ("events", "Gratification"),
        ("reach", "Staff"),
        ("gain", a.code),
        ("units", "DINKES"),
        ("never", "DISDIK"),
    ]:
        response = client.get(URL, {"year": "2025", "export": table})
        assert response.status_code == 200, table
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
        assert expected in cells, (table, cells)
    assert client.get(URL, {"export": "nonsense"}).status_code == 404


def test_an_empty_year_says_so(world: World) -> None:
    body = client_for(world.leader, language="en").get(URL).content.decode()
    assert "No education event" in body
    assert client_for(world.leader).get(URL, {"year": "1999"}).status_code == 200


def test_the_event_list_links_to_the_dashboard(world: World) -> None:
    body = client_for(world.leader).get(reverse("education-event-list")).content.decode()
    assert f'href="{URL}"' in body


def _form(event: Event, **values: Any) -> dict[str, Any]:
    return {
        "name": "Budi",
        "institution": "Dinas Kesehatan",
        "group": "staff",
        "email": "budi@x.test",
        "phone": "",
        "consent": "on",
        **values,
    }


def test_an_internal_participant_may_give_their_unit_when_registering(world: World) -> None:
    event = make_event(world, capacity=None)
    client = client_for(None)
    url = reverse("education-public-register", args=[event.code])
    assert 'name="unit"' in client.get(url).content.decode()
    client.post(url, _form(event, unit=world.dinkes.pk))
    assert Registration.objects.get(email="budi@x.test").unit == world.dinkes
    # An external group keeps no unit, even when one is sent.
    client.post(url, _form(event, group="press", email="pers@x.test", unit=world.dinkes.pk))
    assert Registration.objects.get(email="pers@x.test").unit is None


def test_a_walk_in_takes_the_unit_too(world: World) -> None:
    event = make_event(world, capacity=None)
    client = client_for(world.inspector)
    data = {f"w-{k}": v for k, v in _form(event, unit=world.disdik.pk).items()}
    client.post(reverse("education-walk-in", args=[event.code]), data)
    assert Registration.objects.get(email="budi@x.test").unit == world.disdik
