"""Handler key enrolment, unlocking, password change and recovery (complaints/keys.py)."""

from __future__ import annotations

import pytest

from integritas.audit.models import Event
from integritas.complaints.models import HandlerKey
from integritas.complaints.services import keys
from integritas.complaints.services.errors import NoAccess
from integritas.complaints.services.handler import grant_access, handler_decrypt
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import submit
from integritas.core.testing import PASSWORD, World
from integritas.lib import crypto

pytestmark = pytest.mark.django_db


def test_enrolment_stores_only_encrypted_private_keys_and_returns_a_recovery_key(
    world: World,
) -> None:
    recovery = keys.enrol(user=world.handler, password=PASSWORD)
    stored = HandlerKey.objects.get(user=world.handler)
    private_key = keys.unlock(user=world.handler, password=PASSWORD)
    assert private_key not in bytes(stored.by_password)
    assert private_key not in bytes(stored.by_recovery)
    assert recovery.replace("-", "").encode() not in bytes(stored.by_recovery)
    assert Event.objects.filter(action="complaints.key_enrolled", object_id=str(world.handler.pk))


def test_a_second_enrolment_is_refused_unless_replacing(world: World) -> None:
    keys.enrol(user=world.handler, password=PASSWORD)
    with pytest.raises(keys.AlreadyEnrolled):
        keys.enrol(user=world.handler, password=PASSWORD)


def test_a_wrong_password_does_not_unlock(world: World) -> None:
    keys.enrol(user=world.handler, password=PASSWORD)
    with pytest.raises(keys.WrongSecret):
        keys.unlock(user=world.handler, password="not the password")


def test_unlocking_without_a_key_says_not_enrolled(world: World) -> None:
    with pytest.raises(keys.NotEnrolled):
        keys.unlock(user=world.inspector, password=PASSWORD)


def test_the_recovery_key_sets_a_new_password_and_is_then_replaced(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik)
    old_recovery = desk.recovery["handler"]
    new_recovery = keys.recover(
        user=desk.handler, recovery_key=old_recovery.lower(), new_password="a new long password"
    )
    private_key = keys.unlock(user=desk.handler, password="a new long password")
    view = handler_decrypt(report=report, handler=desk.handler, private_key=private_key)
    assert view.content["who"] == "An officer at the permit counter"
    with pytest.raises(keys.WrongSecret):
        keys.unlock(user=desk.handler, password=PASSWORD)
    with pytest.raises(keys.WrongSecret):
        keys.unlock_with_recovery(user=desk.handler, recovery_key=old_recovery)
    assert keys.unlock_with_recovery(user=desk.handler, recovery_key=new_recovery) == private_key
    assert Event.objects.filter(action="complaints.key_recovered").count() == 1


def test_a_wrong_or_malformed_recovery_key_does_not_unlock(desk: Desk) -> None:
    with pytest.raises(keys.WrongSecret):
        keys.unlock_with_recovery(user=desk.handler, recovery_key=desk.recovery["custodian"])
    with pytest.raises(keys.WrongSecret):
        keys.unlock_with_recovery(user=desk.handler, recovery_key="ABCD")


def test_changing_the_password_keeps_the_same_key(desk: Desk) -> None:
    before = desk.private_key(desk.handler)
    keys.change_password(user=desk.handler, old_password=PASSWORD, new_password="another one!")
    assert keys.unlock(user=desk.handler, password="another one!") == before
    with pytest.raises(keys.WrongSecret):
        keys.change_password(user=desk.handler, old_password="wrong", new_password="x" * 12)
    assert Event.objects.filter(action="complaints.key_password_changed").count() == 1


def test_a_replaced_key_cannot_open_reports_sealed_to_the_old_one_until_access_is_granted(
    desk: Desk,
) -> None:
    report, _receipt = submit(desk.world.disdik)
    keys.enrol(user=desk.handler, password=PASSWORD, replace=True)
    with pytest.raises(NoAccess):
        handler_decrypt(
            report=report, handler=desk.handler, private_key=desk.private_key(desk.handler)
        )
    grant_access(
        report=report,
        to=desk.handler,
        by=desk.handler_in_dinkes,
        private_key=desk.private_key(desk.handler_in_dinkes),
    )
    view = handler_decrypt(
        report=report, handler=desk.handler, private_key=desk.private_key(desk.handler)
    )
    assert view.content["where"] == "Permit counter, ground floor"
    assert Event.objects.filter(action="complaints.key_replaced").count() == 1


def test_the_cheap_test_cost_is_never_used_in_production(settings: object) -> None:
    assert keys.kdf_params() == crypto.FAST_FOR_TESTS  # the suite's own setting
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    assert keys.kdf_params() == crypto.STRONG
    assert keys.lookup_params() == crypto.LOOKUP
