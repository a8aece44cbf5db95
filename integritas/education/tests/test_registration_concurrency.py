"""Registrations arriving at the same moment (PostgreSQL, several connections): the capacity is
never passed, and the same person is registered once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from integritas.core.testing import World
from integritas.education.models import Registration
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person
from integritas.education.tests.conftest import make_event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]


def _at_once(jobs: list[Callable[[], None]]) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_simultaneous_registrations_never_pass_the_capacity(world: World):
    event = make_event(world, capacity=3)
    jobs = [
        (
            lambda i=i: (
                registrations.register(
                    event=event, person=Person(f"P{i}", "", "staff", email=f"p{i}@example.test")
                )
                and None
            )
        )
        for i in range(8)
    ]
    assert _at_once(jobs) == []
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["confirmed"] * 3 + ["waiting"] * 5


def test_the_same_person_registering_twice_at_once_is_stored_once(world: World):
    event = make_event(world, capacity=None)
    person = Person("Siti", "", "press", email="siti@example.test")
    errors = _at_once([lambda: registrations.register(event=event, person=person) and None] * 4)
    assert len(errors) == 3
    assert all(isinstance(e, registrations.DuplicateRegistration) for e in errors)
    assert Registration.objects.count() == 1
