"""Complaint tests: files in a temporary media folder, a cheap Argon2id cost (like the fast
password hasher in tests; the production cost is asserted in lib/tests/test_crypto.py), and
enrolled keys for the handler and the custodian of the shared ``world``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from integritas.complaints.services import keys
from integritas.core.models import Role, RoleAssignment, Unit, User
from integritas.core.testing import PASSWORD, World, make_user


@pytest.fixture(autouse=True)
def _complaints_settings(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COMPLAINTS_FAST_KDF_FOR_TESTS = True
    cache.clear()
    return settings.MEDIA_ROOT


@dataclass
class Desk:
    """The people who read reports, each with an enrolled key unlocked with ``PASSWORD``."""

    world: World
    handler: User  # a complaint handler of the Inspectorate
    handler_in_dinkes: User  # a complaint handler who works in DINKES
    custodian: User
    alternate: User  # member of the alternate group (outside the Inspectorate)
    inspectorate: Unit
    recovery: dict[str, str]

    def private_key(self, user: User) -> bytes:
        return keys.unlock(user=user, password=PASSWORD)


def enrolled(user: User, recovery: dict[str, str]) -> User:
    recovery[user.username] = keys.enrol(user=user, password=PASSWORD)
    return user


@pytest.fixture
def desk(world: World) -> Desk:
    from integritas.complaints.models import AlternateHandler

    recovery: dict[str, str] = {}
    inspectorate = Unit.objects.create(
        code="ITDA", name="Inspektorat Daerah", type=Unit.Type.INSPECTORATE
    )
    handler_in_dinkes = make_user("handler_dinkes", unit=world.dinkes, role=Role.COMPLAINT_HANDLER)
    alternate = make_user("alternate_setda")
    AlternateHandler.objects.create(user=alternate, note="SK Sekda 1/2026")
    world.handler.unit = inspectorate
    world.handler.save(update_fields=["unit"])
    RoleAssignment.objects.get_or_create(user=world.custodian, role=Role.IDENTITY_CUSTODIAN)
    return Desk(
        world=world,
        handler=enrolled(world.handler, recovery),
        handler_in_dinkes=enrolled(handler_in_dinkes, recovery),
        custodian=enrolled(world.custodian, recovery),
        alternate=enrolled(alternate, recovery),
        inspectorate=inspectorate,
        recovery=recovery,
    )
