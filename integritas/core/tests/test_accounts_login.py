"""Sign-in: success, failures, lockout after repeated failures, safe redirects, audit events."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from integritas.audit.models import Event
from integritas.core.models import LoginFailure
from integritas.core.services.accounts import throttle_key
from integritas.core.tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, password: str, **extra: str):  # noqa: ANN201
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


def test_a_unit_officer_signs_in_and_lands_home(world: World) -> None:
    client = Client()
    response = login(client, "officer_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    event = Event.objects.get(action="auth.login")
    assert event.actor == world.officer_a


def test_a_wrong_password_is_refused_and_recorded(world: World) -> None:
    response = login(Client(), "officer_a", "wrong password")
    assert response.status_code == 400
    assert LoginFailure.objects.filter(username=throttle_key("officer_a")).count() == 1
    assert Event.objects.filter(action="auth.login_failed", object_label="officer_a").exists()


def test_the_account_locks_after_five_failures_even_with_the_right_password(
    world: World, settings
) -> None:  # noqa: ANN001
    settings.LOGIN_MAX_FAILURES = 5
    settings.LOGIN_LOCKOUT_MINUTES = 15
    start = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            login(Client(), "Officer_A", "nope")
        response = login(Client(), "officer_a", PASSWORD)
        assert response.status_code == 429
        assert "15" in response.content.decode()
    assert Event.objects.filter(action="auth.locked").count() == 1
    # After the lockout window the right password works again and clears the counter.
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        response = login(Client(), "officer_a", PASSWORD)
        assert response.status_code == 302
    assert not LoginFailure.objects.filter(username=throttle_key("officer_a")).exists()


def test_failures_on_one_account_do_not_lock_another(world: World, settings) -> None:  # noqa: ANN001
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(3):
        login(Client(), "officer_a", "nope")
    assert login(Client(), "officer_b", PASSWORD).status_code == 302


def test_it_follows_a_local_next_but_not_an_external_one(world: World) -> None:
    assert login(Client(), "officer_a", PASSWORD, next="/units/")["Location"] == "/units/"
    assert login(Client(), "officer_b", PASSWORD, next="https://evil.example/")["Location"] == "/"


def test_an_empty_form_is_a_clear_error(world: World) -> None:
    response = Client().post("/accounts/login/", {})
    assert response.status_code == 400
    assert not LoginFailure.objects.exists()


def test_a_deactivated_account_cannot_sign_in(world: World) -> None:
    world.officer_a.is_active = False
    world.officer_a.save()
    assert login(Client(), "officer_a", PASSWORD).status_code == 400


def test_sign_out_is_a_post_and_is_recorded(world: World) -> None:
    client = Client()
    login(client, "officer_a", PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/profile/").status_code == 302  # signed out: sent to sign in
    assert Event.objects.filter(action="auth.logout", actor=world.officer_a).exists()


def test_sessions_expire_after_the_idle_timeout(world: World, settings) -> None:  # noqa: ANN001
    client = Client()
    start = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        login(client, "officer_a", PASSWORD)
        assert client.get("/").status_code == 200
    with time_machine.travel(
        start + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1), tick=False
    ):
        assert client.get("/").status_code == 200  # activity renews the session
    with time_machine.travel(
        start + dt.timedelta(minutes=2 * settings.SESSION_IDLE_MINUTES + 1), tick=False
    ):
        assert client.get("/accounts/profile/").status_code == 302


def test_attempts_in_flight_count_before_the_password_is_checked(world: World, settings) -> None:  # noqa: ANN001
    """Concurrent wrong passwords cannot each pass the limit: an attempt is counted when it
    starts, so of 24 attempts under way at once only the first five get a password check."""
    from integritas.core.services import accounts

    settings.LOGIN_MAX_FAILURES = 5
    allowed = [accounts.start_attempt("officer_a") == 0 for _ in range(24)]
    assert allowed.count(True) == 5 and allowed[:5] == [True] * 5


def test_a_locked_unknown_name_answers_like_a_locked_account(world: World, settings) -> None:  # noqa: ANN001
    settings.LOGIN_MAX_FAILURES = 2
    for name in ("officer_a", "nobody-here"):
        for _ in range(2):
            assert login(Client(), name, "nope").status_code == 400
    known, unknown = login(Client(), "officer_a", "nope"), login(Client(), "nobody-here", "nope")
    assert known.status_code == unknown.status_code == 429

    def page(response: Any, name: str) -> str:
        text = response.content.decode().replace(name, "NAME")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert page(known, "officer_a") == page(unknown, "nobody-here")


def test_a_password_typed_as_the_username_is_not_kept(world: World) -> None:
    login(Client(), "Sup3r-Secret-Passw0rd", "whatever")
    stored = [
        *LoginFailure.objects.values_list("username", flat=True),
        *Event.objects.values_list("object_label", flat=True),
        *(str(changes) for changes in Event.objects.values_list("changes", flat=True)),
    ]
    assert stored and not any("sup3r" in value.lower() for value in stored)
    assert Event.objects.filter(action="auth.login_failed").exists()


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_one_source_cannot_lock_an_account(world: World, settings) -> None:  # noqa: ANN001
    """Wrong passwords from one address are refused, unchecked, once the address has used up its
    failures, before they can lock the name; the owner elsewhere still gets in."""
    settings.LOGIN_MAX_FAILURES = 5
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3
    answers = [login(from_address("203.0.113.7"), "head_a", "nope").status_code for _ in range(10)]
    assert answers == [400] * 3 + [429] * 7
    assert LoginFailure.objects.filter(username=throttle_key("head_a")).count() == 3
    # The attacker's address is refused even with the right password (it is not checked) ...
    assert login(from_address("203.0.113.7"), "head_a", PASSWORD).status_code == 429
    # ... while the owner, from their own network, signs in as usual.
    assert login(from_address("198.51.100.20"), "head_a", PASSWORD).status_code == 302


def test_the_address_limit_counts_a_network_not_one_address(world: World, settings) -> None:  # noqa: ANN001
    settings.LOGIN_ADDRESS_MAX_FAILURES = 2
    for host in ("1", "2"):
        assert login(from_address(f"2001:db8:1:2::{host}"), "nobody", "nope").status_code == 400
    assert login(from_address("2001:db8:1:2::3"), "officer_a", "nope").status_code == 429


def test_successful_sign_ins_do_not_use_up_the_address_limit(world: World, settings) -> None:  # noqa: ANN001
    """An office behind one address signs in all morning without being held up."""
    settings.LOGIN_ADDRESS_MAX_FAILURES = 2
    for _ in range(5):
        assert login(from_address("192.0.2.5"), "officer_a", PASSWORD).status_code == 302
    assert login(from_address("192.0.2.5"), "officer_b", "nope").status_code == 400


def test_the_address_limit_ends_with_its_window(world: World, settings) -> None:  # noqa: ANN001
    settings.LOGIN_ADDRESS_MAX_FAILURES = 1
    settings.LOGIN_ADDRESS_WINDOW_MINUTES = 10
    start = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        login(from_address("203.0.113.9"), "officer_a", "nope")
        refused = login(from_address("203.0.113.9"), "officer_a", PASSWORD)
        assert refused.status_code == 429 and "10" in refused.content.decode()
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        assert login(from_address("203.0.113.9"), "officer_a", PASSWORD).status_code == 302


def _lock_by_many_sources(username: str, count: int) -> None:
    for n in range(count):
        assert login(from_address(f"198.18.0.{n + 1}"), username, "nope").status_code == 400


def test_the_right_password_and_a_valid_code_pass_a_username_lock(world: World, settings) -> None:  # noqa: ANN001
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from integritas.core.services import accounts

    settings.LOGIN_MAX_FAILURES = 3
    device = TOTPDevice.objects.create(
        user=world.inspector, name=accounts.TOTP_DEVICE_NAME, confirmed=True
    )
    code = f"{totp(device.bin_key):06d}"
    _lock_by_many_sources("inspector", 3)
    owner = from_address("192.0.2.44")
    locked = login(owner, "inspector", PASSWORD)
    assert locked.status_code == 429
    assert 'name="token"' in locked.content.decode()  # the page asks for the code
    assert login(owner, "inspector", "nope", token=code).status_code == 429
    response = login(owner, "inspector", PASSWORD, token=code)
    assert response.status_code == 302 and response["Location"] == "/"
    assert owner.get("/units/").status_code == 200  # both steps passed at once
    assert Event.objects.filter(action="auth.login", actor=world.inspector).exists()


def test_a_recovery_code_also_passes_a_username_lock(world: World, settings) -> None:  # noqa: ANN001
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from integritas.core.services import accounts

    settings.LOGIN_MAX_FAILURES = 2
    TOTPDevice.objects.create(user=world.inspector, name=accounts.TOTP_DEVICE_NAME, confirmed=True)
    codes = accounts.issue_recovery_codes(world.inspector)
    _lock_by_many_sources("inspector", 2)
    assert login(Client(), "inspector", PASSWORD, token=codes[0]).status_code == 302
    assert accounts.recovery_codes_left(world.inspector) == 9


def test_a_locked_answer_does_not_tell_whether_the_password_was_right(
    world: World, settings
) -> None:  # noqa: ANN001
    """Without a valid second factor a locked name answers the same to the right password, a
    wrong one, and a wrong one with a code; an account without two-factor stays locked."""
    settings.LOGIN_MAX_FAILURES = 2
    _lock_by_many_sources("officer_a", 2)

    def page(response: Any) -> str:
        text = response.content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    answers = [
        login(Client(), "officer_a", PASSWORD),
        login(Client(), "officer_a", "nope"),
        login(Client(), "officer_a", PASSWORD, token="123456"),
    ]
    assert {a.status_code for a in answers} == {429}
    assert page(answers[0]) == page(answers[1])
    assert login(Client(), "officer_a", PASSWORD, token="123456").status_code == 429
