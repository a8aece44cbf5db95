"""Two-factor sign-in: required for Inspectorate and admin roles, enrolment, codes, recovery."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from time_machine import TimeMachineFixture

from integritas.audit.models import Event
from integritas.core.models import User
from integritas.core.services import accounts
from integritas.core.tests.conftest import PASSWORD, World
from integritas.core.tests.test_accounts_password_reset import run_queued_tasks

pytestmark = pytest.mark.django_db
SETUP = "/accounts/two-factor/setup/"
RECOVERY = "/accounts/two-factor/recovery-codes/"


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=accounts.TOTP_DEVICE_NAME, confirmed=True)


@pytest.mark.parametrize(
    "persona", ["inspector_general", "inspector", "admin", "handler", "custodian"]
)
def test_roles_that_need_it_are_sent_to_enrolment(world: World, persona: str) -> None:
    client = signed_in(persona)
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/setup/"


@pytest.mark.parametrize("persona", ["officer_a", "head_a", "leader"])
def test_unit_and_leadership_roles_may_sign_in_with_a_password_only(
    world: World, persona: str
) -> None:
    assert signed_in(persona).get("/units/").status_code == 200


def test_the_requirement_can_be_switched_off(world: World, settings) -> None:  # noqa: ANN001
    settings.REQUIRE_2FA = False
    assert signed_in("inspector").get("/units/").status_code == 200


def test_enrolment_confirms_the_device_and_shows_ten_recovery_codes(
    world: World, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(dt.datetime.now(tz=dt.UTC), tick=True)
    client = signed_in("inspector")
    started = client.post(SETUP, {"action": "start"})
    assert started.status_code == 302 and started["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode())
    assert secret is not None
    device = TOTPDevice.objects.get(user=world.inspector, confirmed=False)
    key = base64.b32decode(
        secret.group(1).replace(" ", "") + "=" * (-len(secret.group(1).replace(" ", "")) % 8)
    )
    assert key == device.bin_key

    wrong = client.post(
        "/accounts/two-factor/setup/",
        {"token": "000000" if code_for(device) != "000000" else "111111"},
    )
    assert wrong.status_code == 400
    time_machine.shift(dt.timedelta(seconds=5))  # wait out django-otp's back-off
    done = client.post("/accounts/two-factor/setup/", {"token": code_for(device)})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert accounts.recovery_codes_left(world.inspector) == 10
    assert client.get("/units/").status_code == 200
    assert Event.objects.filter(
        action="auth.2fa_enrolled", object_id=str(world.inspector.pk)
    ).exists()


def test_an_enrolled_user_must_enter_a_code_after_the_password(
    world: World, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(dt.datetime.now(tz=dt.UTC), tick=True)
    device = enrolled(world.inspector)
    client = signed_in("inspector")
    assert client.get("/units/")["Location"] == "/accounts/two-factor/"
    assert client.post("/accounts/two-factor/", {"token": "12345"}).status_code == 400
    time_machine.shift(dt.timedelta(seconds=5))  # wait out django-otp's back-off
    response = client.post("/accounts/two-factor/", {"token": code_for(device), "next": "/units/"})
    assert response.status_code == 302 and response["Location"] == "/units/"
    assert client.get("/units/").status_code == 200


def test_an_enrolled_user_cannot_skip_verification_by_re_enrolling(world: World) -> None:
    enrolled(world.inspector)
    client = signed_in("inspector")
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/accounts/two-factor/"


def test_even_a_unit_officer_who_enrolled_must_verify(world: World) -> None:
    enrolled(world.officer_a)
    assert signed_in("officer_a").get("/units/")["Location"] == "/accounts/two-factor/"


def test_a_recovery_code_works_once(world: World) -> None:
    enrolled(world.inspector)
    codes = accounts.issue_recovery_codes(world.inspector)
    first = signed_in("inspector")
    assert first.post("/accounts/two-factor/", {"token": codes[0].upper()}).status_code == 302
    assert Event.objects.filter(action="auth.recovery_code_used").count() == 1
    assert accounts.recovery_codes_left(world.inspector) == 9
    second = signed_in("inspector")
    assert second.post("/accounts/two-factor/", {"token": codes[0]}).status_code == 400


def test_regenerating_recovery_codes_invalidates_the_old_ones(world: World) -> None:
    device = enrolled(world.inspector)
    old = accounts.issue_recovery_codes(world.inspector)
    client = signed_in("inspector")
    client.post("/accounts/two-factor/", {"token": code_for(device)})
    response = client.post(RECOVERY, {"password": PASSWORD, "token": old[0]})
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert Event.objects.filter(action="auth.recovery_codes_regenerated").exists()
    other = signed_in("inspector")
    assert other.post("/accounts/two-factor/", {"token": old[1]}).status_code == 400


def test_repeated_wrong_codes_are_throttled(world: World) -> None:
    device = enrolled(world.inspector)
    client = signed_in("inspector")
    for _ in range(3):
        client.post("/accounts/two-factor/", {"token": "000001"})
    # django-otp's throttling now refuses even the right code for a while, and says so.
    response = client.post("/accounts/two-factor/", {"token": code_for(device)})
    assert response.status_code == 400
    assert response.context["form"].errors["token"] != [
        "That code is not correct or has already been used."
    ]


def verified(user: User, device: TOTPDevice) -> Client:
    """Signed in with the password and the current code."""
    client = signed_in(user.get_username())
    assert client.post("/accounts/two-factor/", {"token": code_for(device)}).status_code == 302
    return client


def test_opening_the_setup_page_changes_nothing(world: World) -> None:
    client = signed_in("inspector")
    page = client.get(SETUP)
    assert page.status_code == 200
    assert not TOTPDevice.objects.filter(user=world.inspector).exists()
    assert 'name="action" value="start"' in page.content.decode()
    assert "totp-secret" not in page.content.decode()
    assert client.get(SETUP).status_code == 200
    assert not TOTPDevice.objects.filter(user=world.inspector).exists()
    # Setting up starts with a POST; each start makes a fresh key.
    client.post(SETUP, {"action": "start"})
    first = TOTPDevice.objects.get(user=world.inspector, confirmed=False)
    assert "totp-secret" in client.get(SETUP).content.decode()
    client.post(SETUP, {"action": "start"})
    second = TOTPDevice.objects.get(user=world.inspector, confirmed=False)
    assert second.key != first.key


def test_a_pending_authenticator_can_only_be_confirmed_in_the_session_that_started_it(
    world: World,
) -> None:
    starter = signed_in("inspector")
    starter.post(SETUP, {"action": "start"})
    device = TOTPDevice.objects.get(user=world.inspector, confirmed=False)
    other = signed_in("inspector")
    assert "totp-secret" not in other.get(SETUP).content.decode()
    response = other.post(SETUP, {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == SETUP
    device.refresh_from_db()
    assert not device.confirmed


def test_replacing_the_authenticator_needs_the_password_and_a_current_code(
    world: World, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(dt.datetime.now(tz=dt.UTC), tick=True)
    old = enrolled(world.inspector)
    client = verified(world.inspector, old)
    page = client.get(SETUP)
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    assert TOTPDevice.objects.filter(user=world.inspector).count() == 1
    for data in (
        {"action": "start"},
        {"action": "start", "password": PASSWORD},
        {"action": "start", "password": "wrong password", "token": code_for(old)},
        {"action": "start", "password": PASSWORD, "token": "000000"},
    ):
        time_machine.shift(dt.timedelta(seconds=70))  # a fresh time step, past any back-off
        refused = client.post(SETUP, data)
        assert refused.status_code == 400, data
        assert TOTPDevice.objects.filter(user=world.inspector).count() == 1, data
    time_machine.shift(dt.timedelta(seconds=70))
    started = client.post(SETUP, {"action": "start", "password": PASSWORD, "token": code_for(old)})
    assert started.status_code == 302
    new = TOTPDevice.objects.get(user=world.inspector, confirmed=False)
    done = client.post(SETUP, {"token": code_for(new)})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert list(TOTPDevice.objects.filter(user=world.inspector)) == [new]
    assert Event.objects.filter(action="auth.2fa_replaced", object_id=str(world.inspector.pk))
    # The owner is told by email, sent by the background worker.
    assert mail.outbox == []
    run_queued_tasks()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.inspector.email]


def test_an_unused_recovery_code_can_stand_in_for_the_current_code(world: World) -> None:
    old = enrolled(world.inspector)
    codes = accounts.issue_recovery_codes(world.inspector)
    client = verified(world.inspector, old)
    started = client.post(SETUP, {"action": "start", "password": PASSWORD, "token": codes[3]})
    assert started.status_code == 302
    assert TOTPDevice.objects.filter(user=world.inspector, confirmed=False).exists()
    assert not StaticToken.objects.filter(token=codes[3]).exists()  # used up


def test_regenerating_recovery_codes_needs_the_password_and_a_current_code(
    world: World, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(dt.datetime.now(tz=dt.UTC), tick=True)
    device = enrolled(world.inspector)
    old = accounts.issue_recovery_codes(world.inspector)
    client = verified(world.inspector, device)
    page = client.get(RECOVERY)
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    for data in ({}, {"password": PASSWORD}, {"password": "wrong", "token": old[0]}):
        refused = client.post(RECOVERY, data)
        assert refused.status_code == 400, data
        assert "codes" not in refused.context
    assert accounts.recovery_codes_left(world.inspector) == 10
    assert StaticToken.objects.filter(token=old[0]).exists()
    time_machine.shift(dt.timedelta(seconds=70))
    response = client.post(RECOVERY, {"password": PASSWORD, "token": code_for(device)})
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    assert not StaticToken.objects.filter(token__in=old).exists()
    run_queued_tasks()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.inspector.email]


def test_wrong_passwords_when_changing_the_second_factor_are_throttled(
    world: World, settings: Any
) -> None:
    settings.LOGIN_MAX_FAILURES = 2
    device = enrolled(world.inspector)
    codes = accounts.issue_recovery_codes(world.inspector)
    client = verified(world.inspector, device)
    for _ in range(2):
        assert client.post(RECOVERY, {"password": "wrong", "token": codes[0]}).status_code == 400
    locked = client.post(RECOVERY, {"password": PASSWORD, "token": codes[0]})
    assert locked.status_code == 429
    assert accounts.recovery_codes_left(world.inspector) == 10
