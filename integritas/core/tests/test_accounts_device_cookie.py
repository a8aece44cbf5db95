"""Device cookies: a browser where someone signed in before carries a signed cookie naming that
account (by a keyed hash, never the name). When guesses spread over many networks lock the
username, the owner's own browser still gets in with the right password, with or without two
factors; wrong passwords from that browser are limited on their own and do not lengthen the lock
for everyone else. Anyone without such a cookie meets the lock as before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client

from integritas.audit.models import Event
from integritas.core.models import LoginFailure
from integritas.core.services.accounts import throttle_key
from integritas.core.tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db
COOKIE = "integritas_device"
START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


def login(client: Client, username: str, password: str, **extra: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


def lock(username: str, count: int) -> None:
    """Wrong passwords for ``username`` from ``count`` different networks and browsers."""
    for n in range(count):
        attacker = Client(REMOTE_ADDR=f"198.18.{n}.1")
        assert login(attacker, username, "nope").status_code == 400


def own_browser(username: str) -> Client:
    """A browser where ``username`` signed in and out again."""
    browser = Client(REMOTE_ADDR="192.0.2.10")
    assert login(browser, username, PASSWORD).status_code == 302
    browser.post("/accounts/logout/")
    return browser


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_LOCKOUT_MINUTES = 15


def test_a_sign_in_leaves_a_cookie_that_does_not_name_the_account(world: World) -> None:
    browser = Client()
    response = login(browser, "officer_a", PASSWORD)
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == django_settings.LOGIN_DEVICE_COOKIE_DAYS * 86400
    assert "officer_a" not in cookie.value.lower()


def test_the_owner_gets_past_a_lock_from_the_browser_they_signed_in_with(world: World) -> None:
    browser = own_browser("officer_a")
    lock("officer_a", 3)
    assert login(Client(), "officer_a", PASSWORD).status_code == 429  # any other browser
    response = login(browser, "officer_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert browser.get("/units/").status_code == 200
    assert Event.objects.filter(action="auth.login", actor=world.officer_a).count() == 2


def test_the_cookie_of_another_account_does_not_help(world: World) -> None:
    browser = own_browser("officer_b")
    lock("officer_a", 3)
    assert login(browser, "officer_a", PASSWORD).status_code == 429


def test_one_browser_remembers_several_accounts(world: World) -> None:
    browser = own_browser("officer_a")
    login(browser, "officer_b", PASSWORD)
    browser.post("/accounts/logout/")
    lock("officer_a", 3)
    lock("officer_b", 3)
    assert login(browser, "officer_a", PASSWORD).status_code == 302
    browser.post("/accounts/logout/")
    assert login(browser, "officer_b", PASSWORD).status_code == 302


def test_a_forged_or_altered_cookie_is_ignored(world: World) -> None:
    browser = own_browser("officer_a")
    lock("officer_a", 3)
    value = browser.cookies[COOKIE].value
    for forged in (value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1], "x:y:z", ""):
        browser.cookies[COOKIE] = forged
        assert login(browser, "officer_a", PASSWORD).status_code == 429


def test_the_cookie_expires(world: World) -> None:
    with time_machine.travel(START, tick=False):
        browser = own_browser("officer_a")
    later = START + dt.timedelta(days=django_settings.LOGIN_DEVICE_COOKIE_DAYS + 1)
    with time_machine.travel(later, tick=False):
        lock("officer_a", 3)
        assert login(browser, "officer_a", PASSWORD).status_code == 429


def test_wrong_passwords_from_the_browser_are_limited_on_their_own(world: World) -> None:
    """Someone at the owner's computer gets the same number of tries as anyone; those tries do
    not count against the name, so they neither lock it nor lengthen its lock."""
    browser = own_browser("officer_a")
    lock("officer_a", 3)
    kept = LoginFailure.objects.filter(username=throttle_key("officer_a")).count()
    answers = [login(browser, "officer_a", "nope").status_code for _ in range(4)]
    assert answers == [400, 400, 400, 429]
    assert login(browser, "officer_a", PASSWORD).status_code == 429  # the device is used up
    assert LoginFailure.objects.filter(username=throttle_key("officer_a")).count() == kept
    assert Event.objects.filter(action="auth.login_failed", object_label="officer_a").count() == 6


def test_with_two_factors_the_browser_still_asks_for_the_code(world: World) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from integritas.core.services import accounts

    device = TOTPDevice.objects.create(
        user=world.inspector, name=accounts.TOTP_DEVICE_NAME, confirmed=True
    )
    browser = Client(REMOTE_ADDR="192.0.2.10")
    assert login(browser, "inspector", PASSWORD).status_code == 302
    browser.post("/accounts/logout/")
    lock("inspector", 3)
    response = login(browser, "inspector", PASSWORD)
    assert response.status_code == 302
    assert browser.get("/units/").status_code != 200  # signed in, second step still to pass
    assert login(Client(), "inspector", PASSWORD).status_code == 429
    code = f"{totp(device.bin_key):06d}"
    assert login(Client(), "inspector", PASSWORD, token=code).status_code == 302
