"""Education demo data for Karyapura: the Inspectorate's socialization on gratification and the
follow-up of the SPI results, under way now, with a few dozen registrations across audience
groups (internal and external), some checked in at the door, one walk-in and a short waiting list.

Registrations go through the real services (tickets, the waiting list, audited check-ins); no
email is sent. Idempotent: nothing is added when the event exists.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from integritas.core.models import Unit, User
from integritas.education.models import AudienceGroup, Event, Kind, Registration, Theme
from integritas.education.services import checkin, events, tickets
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person

TITLE = "Sosialisasi Pengendalian Gratifikasi dan Tindak Lanjut Hasil SPI"
FIRST = ["Agus", "Sri", "Budi", "Dewi", "Rudi", "Wulan", "Hendra", "Rina", "Yusuf", "Maya"]
LAST = ["Santoso", "Lestari", "Pratama", "Wibowo", "Handayani", "Saputra", "Kurniawan"]
# (group, institution, how many register, how many of them are checked in)
PEOPLE = [
    (AudienceGroup.UNIT_HEAD, "Pemerintah Kota Karyapura", 8, 6),
    (AudienceGroup.OFFICIAL, "Pemerintah Kota Karyapura", 6, 4),
    (AudienceGroup.STAFF, "Pemerintah Kota Karyapura", 6, 3),
    (AudienceGroup.FORKOPIMDA, "Kodim 0999 Karyapura", 2, 1),
    (AudienceGroup.LEGISLATOR, "DPRD Kota Karyapura", 3, 1),
    (AudienceGroup.PRESS, "Warta Karyapura", 4, 2),
    (AudienceGroup.COMMUNITY, "Forum Warga Peduli Integritas", 3, 1),
    (AudienceGroup.BUSINESS, "Kadin Kota Karyapura", 4, 0),
]
CAPACITY = 34


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    if Event.objects.filter(title=TITLE).exists():
        return []
    organiser = Unit.objects.filter(type=Unit.Type.INSPECTORATE).order_by("code").first()
    staff = User.objects.filter(username="irban1").first()
    if organiser is None or staff is None:
        return []
    now = timezone.now().replace(second=0, microsecond=0)
    event = events.event_save(
        event=Event(),
        values={
            "kind": Kind.SOCIALIZATION,
            "title": TITLE,
            "theme": Theme.GRATIFICATION,
            "description": (
                "Tindak lanjut surat KPK tentang hasil Survei Penilaian Integritas: "
                "pengendalian gratifikasi, benturan kepentingan dan saluran pengaduan."
            ),
            "starts_at": now - dt.timedelta(minutes=30),
            "ends_at": now + dt.timedelta(hours=3),
            "venue": "Aula Kantor Wali Kota Karyapura",
            "online_url": "",
            "organiser": organiser,
            "audience": list(AudienceGroup.values),
            "capacity": CAPACITY,
            "speakers": "Direktorat Gratifikasi dan Pelayanan Publik KPK\nInspektur Kota Karyapura",
            "registration_open": True,
        },
        by=staff,
    )
    events.material_add(
        event=event,
        title="Buku Saku Memahami Gratifikasi (KPK)",
        url="https://www.kpk.go.id/id/publikasi-data/buku/buku-saku-memahami-gratifikasi",
        by=staff,
    )
    n = 0
    to_check_in: list[Registration] = []
    with transaction.atomic():
        for group, institution, count, present in PEOPLE:
            for i in range(count):
                name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 3) % len(LAST)]}"
                person = Person(name, institution, group, email=f"peserta{n + 1}@contoh.test")
                status = (
                    Registration.Status.CONFIRMED if n < CAPACITY else Registration.Status.WAITING
                )
                registration = registrations.create(event=event, person=person, status=status)
                if i < present:
                    to_check_in.append(registration)
                n += 1
    for registration in to_check_in:
        checkin.check_in(event=event, code=tickets.code_for(registration.ticket), by=staff)
    checkin.walk_in(
        event=event,
        person=Person(
            "Laras Anggraini", "Universitas Karyapura", AudienceGroup.STUDENT, phone="081200001111"
        ),
        by=staff,
    )
    waiting = event.registrations.filter(status=Registration.Status.WAITING).count()
    return [
        f"education: {event.code} with {n + 1} registrations "
        f"({len(to_check_in) + 1} checked in, {waiting} waiting)"
    ]
