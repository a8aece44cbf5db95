"""The key page: enrolling, unlocking for the session, locking, idle expiry, recovery.

The unlocked private key lives between requests as a ciphertext in the server-side session and a
wrapping key in a cookie; neither half alone opens it, and nothing is in the clear at rest."""

from __future__ import annotations

import base64
from typing import Any

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from integritas.audit.models import Event
from integritas.complaints.models import HandlerKey
from integritas.complaints.services import keys
from integritas.complaints.tests.conftest import Desk
from integritas.core.testing import PASSWORD, World, client_for

pytestmark = pytest.mark.django_db
KEY = reverse("complaints-key")


def unlock(client: Client, password: str = PASSWORD) -> Any:
    return client.post(reverse("complaints-key-unlock"), {"password": password})


def stored_session(client: Client) -> dict[str, Any]:
    return Session.objects.get(session_key=client.session.session_key).get_decoded()


def test_a_handler_enrols_sees_the_recovery_key_once_and_is_unlocked(world: World) -> None:
    client = client_for(world.handler)
    response = client.post(reverse("complaints-key-enrol"), {"password": PASSWORD})
    assert response.status_code == 200
    recovery = response.context["recovery_key"]
    assert recovery in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert HandlerKey.objects.filter(user=world.handler).exists()
    assert Event.objects.filter(action="complaints.key_enrolled").count() == 1
    # The recovery key opens the stored key, and is not on the key page any more.
    assert keys.unlock_with_recovery(user=world.handler, recovery_key=recovery)
    page = client.get(KEY)
    assert recovery not in page.content.decode()
    assert page.context["is_unlocked"]


def test_enrolling_needs_the_sign_in_password(world: World) -> None:
    response = client_for(world.handler).post(
        reverse("complaints-key-enrol"), {"password": "not my password"}
    )
    assert response.status_code == 400
    assert not HandlerKey.objects.filter(user=world.handler).exists()


def test_unlocking_keeps_only_ciphertext_in_the_session_and_the_other_half_in_a_cookie(
    desk: Desk,
) -> None:
    client = client_for(desk.handler)
    response = unlock(client)
    assert response.status_code == 302
    cookie = response.cookies[keys.COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    private_key = desk.private_key(desk.handler)
    stored = stored_session(client)[keys.SESSION_FIELD]
    assert private_key not in base64.b64decode(stored["key"])
    assert base64.b64encode(private_key).decode() not in str(stored)
    assert client.get(KEY).context["is_unlocked"]


def test_the_session_half_alone_opens_nothing(desk: Desk) -> None:
    client = client_for(desk.handler)
    unlock(client)
    client.cookies.pop(keys.COOKIE_NAME)
    assert not client.get(KEY).context["is_unlocked"]


def test_an_altered_cookie_opens_nothing(desk: Desk) -> None:
    client = client_for(desk.handler)
    unlock(client)
    forged = base64.urlsafe_b64encode(b"\0" * 32).decode()
    client.cookies[keys.COOKIE_NAME] = forged
    assert not client.get(KEY).context["is_unlocked"]


def test_a_wrong_password_does_not_unlock_and_says_what_to_do(desk: Desk) -> None:
    desk.handler.language = "en"
    desk.handler.save(update_fields=["language"])
    client = client_for(desk.handler)
    response = unlock(client, "wrong password")
    assert response.status_code == 400
    assert "recovery key" in str(response.context["password_form"].errors)
    assert keys.SESSION_FIELD not in client.session


def test_the_key_locks_itself_after_the_idle_time_even_while_signed_in(
    desk: Desk, settings: Any
) -> None:
    settings.COMPLAINTS_KEY_IDLE_MINUTES = 10  # shorter than the sign-in session's 30
    client = client_for(desk.handler)
    with time_machine.travel("2026-05-04 09:00 +0700", tick=False):
        unlock(client)
    with time_machine.travel("2026-05-04 09:09 +0700", tick=False):
        assert client.get(KEY).context["is_unlocked"]  # each use restarts the idle time
    with time_machine.travel("2026-05-04 09:18 +0700", tick=False):
        assert client.get(KEY).context["is_unlocked"]
    with time_machine.travel("2026-05-04 09:29 +0700", tick=False):
        assert not client.get(KEY).context["is_unlocked"]
        assert keys.SESSION_FIELD not in stored_session(client)


def test_lock_now_forgets_the_key(desk: Desk) -> None:
    client = client_for(desk.handler)
    unlock(client)
    response = client.post(reverse("complaints-key-lock"))
    assert response.status_code == 302
    assert response.cookies[keys.COOKIE_NAME].value == ""
    assert keys.SESSION_FIELD not in stored_session(client)
    assert not client.get(KEY).context["is_unlocked"]


def test_another_session_of_the_same_handler_stays_locked(desk: Desk) -> None:
    unlock(client_for(desk.handler))
    assert not client_for(desk.handler).get(KEY).context["is_unlocked"]


def test_the_recovery_key_relocks_the_key_under_the_current_password(desk: Desk) -> None:
    user = desk.handler
    user.set_password("a brand new password 42")
    user.save()
    client = client_for(user)
    assert unlock(client, "a brand new password 42").status_code == 400
    response = client.post(
        reverse("complaints-key-recover"),
        {"recovery_key": desk.recovery[user.username], "password": "a brand new password 42"},
    )
    assert response.status_code == 200
    fresh = response.context["recovery_key"]
    assert fresh != desk.recovery[user.username]
    assert keys.unlock(user=user, password="a brand new password 42")
    assert client.get(KEY).context["is_unlocked"]
    assert Event.objects.filter(action="complaints.key_recovered").count() == 1


def test_a_wrong_recovery_key_is_refused(desk: Desk) -> None:
    response = client_for(desk.handler).post(
        reverse("complaints-key-recover"),
        {"recovery_key": "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", "password": PASSWORD},
    )
    assert response.status_code == 400
    assert not Event.objects.filter(action="complaints.key_recovered").exists()


def test_unit_staff_cannot_open_the_key_page(world: World) -> None:
    assert client_for(world.officer_a).get(KEY).status_code == 403
    response = client_for(world.officer_a).post(
        reverse("complaints-key-enrol"), {"password": PASSWORD}
    )
    assert response.status_code == 403
    assert not HandlerKey.objects.exists()


def test_the_password_change_hook_relocks_the_key(desk: Desk) -> None:
    user = desk.handler
    assert keys.on_password_change(user=user, old_password=PASSWORD, new_password="n3w pass word")
    assert keys.unlock(user=user, password="n3w pass word")
    # A stale old password (the key was locked under another one) changes nothing.
    assert not keys.on_password_change(user=user, old_password="stale", new_password="x y z w")
    assert keys.unlock(user=user, password="n3w pass word")
    assert not keys.on_password_change(
        user=desk.world.officer_a, old_password=PASSWORD, new_password="whatever 123"
    )


def test_wrong_key_passwords_lock_the_key_page_like_sign_in(desk: Desk, settings: Any) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    client = client_for(desk.handler)
    for _ in range(3):
        assert unlock(client, "not my password").status_code == 400
    refused = unlock(client)  # the right password, while locked
    assert refused.status_code == 429
    assert keys.unlocked(refused.wsgi_request) is None
    assert Event.objects.filter(action="complaints.key_locked", actor=desk.handler).count() == 1
    assert Event.objects.filter(action="complaints.key_unlock_failed").count() == 3


def test_the_right_key_password_clears_the_count(desk: Desk, settings: Any) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    client = client_for(desk.handler)
    for _ in range(2):
        unlock(client, "not my password")
    assert unlock(client).status_code == 302
    for _ in range(2):
        unlock(client, "not my password")
    assert unlock(client).status_code == 302
