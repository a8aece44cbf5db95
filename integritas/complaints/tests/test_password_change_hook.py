"""Changing the sign-in password re-locks a handler's report key under the new password, in the
same transaction (core calls the hook; it imports nothing of complaints)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integritas.complaints.services import keys
from integritas.complaints.tests.conftest import Desk
from integritas.core.testing import PASSWORD, client_for

pytestmark = pytest.mark.django_db
NEW = "a much longer new passphrase 2026"


def test_changing_the_password_relocks_the_key_under_the_new_one(desk: Desk) -> None:
    handler = desk.handler
    before = keys.unlock(user=handler, password=PASSWORD)
    response = client_for(handler).post(
        reverse("core-password-change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    handler.refresh_from_db()
    assert handler.check_password(NEW)
    assert keys.unlock(user=handler, password=NEW) == before
    with pytest.raises(keys.WrongSecret):
        keys.unlock(user=handler, password=PASSWORD)


def test_a_refused_password_change_leaves_the_key_as_it_was(desk: Desk) -> None:
    handler = desk.handler
    response = client_for(handler).post(
        reverse("core-password-change"),
        {"old_password": "not the password", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200  # the form shows its error
    assert keys.unlock(user=handler, password=PASSWORD)
