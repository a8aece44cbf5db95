"""Password reset by email and password change: both end in an audit event."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from integritas.audit.models import Event
from integritas.core.tests.conftest import PASSWORD, World, client_for

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new passphrase 42"


def test_a_reset_link_is_emailed_and_sets_a_new_password(world: World) -> None:
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": world.officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.officer_a.email]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert (
        Client()
        .post("/accounts/login/", {"username": "officer_a", "password": NEW_PASSWORD})
        .status_code
        == 302
    )
    assert Event.objects.filter(action="auth.password_reset", actor=world.officer_a).exists()
    # The link works once.
    assert not client.get(link.group(1), follow=True).context["validlink"]


def test_an_unknown_address_gets_the_same_answer_and_no_email(world: World) -> None:
    response = Client().post("/accounts/password/reset/", {"email": "stranger@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_weak_new_password_is_refused(world: World) -> None:
    client = client_for(world.officer_a)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(PASSWORD)


def test_changing_the_password_is_recorded(world: World) -> None:
    client = client_for(world.officer_a)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(NEW_PASSWORD)
    assert Event.objects.filter(action="auth.password_changed", actor=world.officer_a).exists()
