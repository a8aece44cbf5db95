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
