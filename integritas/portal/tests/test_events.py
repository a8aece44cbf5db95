"""The portal's education events: published events only, upcoming and held, with materials and
attendance by audience group (small groups withheld, no participant named); certificate serials
typed on the portal lead to their verification page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.core.testing import World
from integritas.education.models import Event, Kind, Material, Phase, Submission, Theme
from integritas.education.services import certificates, checkin, tickets
from integritas.education.services import registration as registrations
from integritas.education.services.events import event_publish
from integritas.education.services.registration import Person
from integritas.education.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def held(
    world: World,
    *,
    title: str = "Sosialisasi gratifikasi 2026",
    attended: dict[str, int] | None = None,
    **values: Any,
) -> Event:
    """A published event that took place last month, with ``attended`` people per group who
    registered and checked in."""
    event = make_event(world, title=title, capacity=None, **values)
    for group, n in (attended or {}).items():
        for i in range(n):
            person = Person(f"Peserta {group} {i}", f"Instansi {i}", group, f"{group}{i}@x.test")
            reg = registrations.register(event=event, person=person)
            checkin.check_in(event=event, code=tickets.code_for(reg.ticket), by=world.inspector)
    starts = timezone.now() - dt.timedelta(days=30)
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    event.refresh_from_db()
    return event


def test_upcoming_and_held_events_are_listed_apart(world: World) -> None:
    coming = make_event(world, title="Bimtek pengendalian gratifikasi")
    past = held(world)
    page = Client().get(reverse("portal-events")).content.decode()
    upcoming, held_part = page.split('id="past-title"')
    assert coming.title in upcoming and past.title not in upcoming
    assert past.title in held_part
    assert reverse("education-public-register", args=[coming.code]) in upcoming


def test_an_unpublished_event_is_on_no_page(world: World) -> None:
    hidden = make_event(world, title="Rapat persiapan internal", public=False)
    client = Client()
    assert hidden.title not in client.get(reverse("portal-events")).content.decode()
    assert hidden.code not in client.get(reverse("portal-sitemap")).content.decode()
    response = client.get(reverse("portal-event", args=[hidden.code]))
    assert response.status_code == 404
    assert hidden.title not in response.content.decode()


def test_publishing_an_event_shows_it_on_the_kept_list_at_once(world: World) -> None:
    client = Client()
    event = make_event(world, title="Kampanye antikorupsi pasar", public=False)
    assert event.title not in client.get(reverse("portal-events")).content.decode()
    event_publish(event=event, by=world.inspector)
    assert event.title in client.get(reverse("portal-events")).content.decode()
    assert reverse("portal-event", args=[event.code]) in client.get("/sitemap.xml").content.decode()


def test_attendance_by_group_withholds_small_groups_and_names_nobody(world: World) -> None:
    event = held(world, attended={"staff": 6, "unit_head": 5, "press": 2})
    page = Client().get(reverse("portal-event", args=[event.code])).content.decode()
    # Press (2) is below 5; the next smallest (unit heads, 5) is withheld too, so the press's
    # figure cannot be worked out from the total.
    assert page.count("&lt; 5") >= 2 or page.count("< 5") >= 2
    assert ">6<" in page and ">13<" in page
    assert ">2<" not in page and ">5<" not in page
    for secret in ["Peserta press 0", "Instansi 1", "press0@x.test"]:
        assert secret not in page


def test_an_event_page_shows_its_materials_and_the_registration_link_while_open(
    world: World,
) -> None:
    event = make_event(world, title="Workshop benturan kepentingan")
    Material.objects.create(event=event, title="Modul benturan", url="https://example.test/m.pdf")
    page = Client().get(reverse("portal-event", args=[event.code])).content.decode()
    assert "Modul benturan" in page and "https://example.test/m.pdf" in page
    assert reverse("education-public-register", args=[event.code]) in page
    past = held(world, title="Sudah lewat")
    page = Client().get(reverse("portal-event", args=[past.code])).content.decode()
    assert reverse("education-public-register", args=[past.code]) not in page


def test_the_list_filters_by_year_theme_and_kind(world: World) -> None:
    a = held(world, title="Sosialisasi WBS", theme=Theme.WHISTLEBLOWING)
    b = held(world, title="Pelatihan gratifikasi", kind=Kind.TRAINING)
    client = Client()
    page = client.get(reverse("portal-events"), {"theme": Theme.WHISTLEBLOWING}).content.decode()
    assert a.title in page and b.title not in page
    page = client.get(reverse("portal-events"), {"kind": Kind.TRAINING}).content.decode()
    assert b.title in page and a.title not in page
    page = client.get(reverse("portal-events"), {"year": "1999"}).content.decode()
    assert a.title in page and b.title in page  # an unknown year filters nothing
    page = client.get(reverse("portal-events"), {"year": str(a.starts_at.year)}).content.decode()
    assert a.title in page


def test_an_unknown_event_is_the_portals_404(world: World) -> None:
    response = Client().get(reverse("portal-event", args=["tidak-ada"]))
    assert response.status_code == 404
    assert "There is no published event" in response.content.decode() or (
        "Tidak ada kegiatan" in response.content.decode()
    )


def test_a_typed_serial_leads_to_its_verification_page(world: World) -> None:
    event = held(world, attended={"staff": 1})
    certificates.issue_for_event(event=event, by=world.inspector)
    serial = event.registrations.get().certificate.serial
    client = Client()
    typed = serial.lower().replace("-", " ")
    response = client.get(reverse("portal-certificate-lookup"), {"serial": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificate-verify", args=[serial])
    garbage = client.get(reverse("portal-certificate-lookup"), {"serial": "../<x>"}, follow=True)
    assert garbage.status_code == 404
    empty = client.get(reverse("portal-certificate-lookup"), {"serial": ""})
    assert empty["Location"] == reverse("portal-events")


def test_the_portal_navigation_leads_to_the_events(world: World) -> None:
    page = Client().get(reverse("portal-home")).content.decode()
    assert f'href="{reverse("portal-events")}"' in page


def scored(event: Event, scores: dict[str, list[tuple[float | None, float | None]]]) -> None:
    """Paper pre- and post-test scores for the event's participants, per group in the order
    they registered (``None``: that test not taken)."""
    for group, pairs in scores.items():
        regs = list(event.registrations.filter(group=group).order_by("pk"))
        for reg, (pre, post) in zip(regs, pairs, strict=True):
            for phase, score in ((Phase.PRE, pre), (Phase.POST, post)):
                if score is not None:
                    Submission.objects.create(
                        registration=reg,
                        phase=phase,
                        score=Decimal(str(score)),
                        source=Submission.Source.PAPER,
                    )


def gain_part(page: str) -> str:
    assert 'id="gain-title"' in page
    return page.split('id="gain-title"', 1)[1].split("</section>", 1)[0]


def test_a_held_events_gain_is_shown_per_group_and_small_groups_are_withheld(
    world: World,
) -> None:
    event = held(world, attended={"staff": 6, "unit_head": 5, "press": 2})
    # Staff: three rise 20 → 60 (g = 0.5), three 60 → 100 (g = 1): class g from the means
    # 40 → 80 is 40/60 = 0.67 (medium), the mean individual g 0.75 (high).
    scored(
        event,
        {
            "staff": [(20, 60)] * 3 + [(60, 100)] * 3,
            "unit_head": [(50, 75)] * 5,
            "press": [(0, 100)] * 2,
        },
    )
    page = Client().get(reverse("portal-event", args=[event.code])).content.decode()
    part = gain_part(page)
    rows = {
        row.split("</td>", 1)[0].split(">")[-1]: row
        for row in part.split("<tr>")[1:]
        if "</td>" in row
    }
    staff = rows["Pegawai"] if "Pegawai" in rows else rows["Staff"]
    cells = [c.split("<")[0] for c in staff.split('class="num">')[1:]]
    assert cells[:3] == ["6", "6", "6"]
    assert cells[3].startswith("0,67") and cells[4].startswith("0,75")
    # Press (2 pairs) is withheld; unit heads (5) too, so the press cannot be worked out from
    # the whole event's figures.
    assert part.count("&lt; 5") == 2
    assert ">0,50" not in part and ">1,00" not in part
    # The whole event: 13 pairs; class g = (1055 − 490) ÷ (1300 − 490) = 0.70 (565/810, just
    # below 0.7: medium); mean individual g = 9 ÷ 13 = 0.69.
    whole = part.split('class="total"', 1)[1]
    cells = [c.split("<")[0] for c in whole.split('class="num">')[1:]]
    assert cells[:3] == ["13", "13", "13"]
    assert cells[3].startswith("0,70") and cells[4].startswith("0,69")
    for secret in ["Peserta press 0", "Peserta staff 1", "Instansi 1"]:
        assert secret not in page


def test_the_gain_is_withheld_altogether_when_fewer_than_k_took_both_tests(world: World) -> None:
    event = held(world, attended={"staff": 4, "press": 1})
    scored(event, {"staff": [(20, 60)] * 3 + [(40, None)], "press": [(0, 100)]})
    part = gain_part(Client().get(reverse("portal-event", args=[event.code])).content.decode())
    assert "0,5" not in part and "1,00" not in part and "<table" not in part
    assert "&lt; 5" in part or "< 5" in part


def test_an_event_without_tests_or_not_yet_held_shows_no_gain(world: World) -> None:
    plain = held(world, attended={"staff": 6})
    page = Client().get(reverse("portal-event", args=[plain.code])).content.decode()
    assert 'id="gain-title"' not in page
    coming = make_event(world, title="Belum berlangsung", capacity=None)
    for i in range(6):
        person = Person(f"Calon {i}", "Dinas", "staff", f"calon{i}@x.test")
        reg = registrations.register(event=coming, person=person)
        Submission.objects.create(
            registration=reg, phase=Phase.PRE, score=Decimal(50), source=Submission.Source.PAPER
        )
    page = Client().get(reverse("portal-event", args=[coming.code])).content.decode()
    assert 'id="gain-title"' not in page
