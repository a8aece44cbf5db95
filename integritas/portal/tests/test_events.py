"""The portal's education events: published events only, upcoming and held, with materials and
attendance by audience group (small groups withheld, no participant named); certificate serials
typed on the portal lead to their verification page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.core.testing import World
from integritas.education.models import Event, Kind, Material, Theme
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
