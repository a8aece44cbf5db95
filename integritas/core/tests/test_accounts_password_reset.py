"""Password reset by email and password change: both end in an audit event."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from integritas.audit.models import Event
from integritas.core.tests.conftest import PASSWORD, World, client_for

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new passphrase 42"
RESET = "/accounts/password/reset/"


def run_queued_tasks() -> int:
    """Do what the background worker does: run every queued task once; return how many ran."""
    rows = list(DBTaskResult.objects.filter(status="READY").order_by("enqueued_at", "id"))
    for row in rows:
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    DBTaskResult.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def test_a_reset_link_is_emailed_and_sets_a_new_password(world: World) -> None:
    client = Client()
    response = client.post(RESET, {"email": world.officer_a.email})
    assert response.status_code == 302
    run_queued_tasks()
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
    response = Client().post(RESET, {"email": "stranger@example.test"})
    assert response.status_code == 302
    run_queued_tasks()
    assert mail.outbox == []


def test_the_reset_mail_is_built_and_sent_by_the_worker_not_in_the_request(world: World) -> None:
    """A registered and an unknown address take the same path in the request: each queues one
    task and gets the same answer; only the worker looks the address up and sends the mail."""
    known = Client().post(RESET, {"email": world.officer_a.email})
    unknown = Client().post(RESET, {"email": "stranger@example.test"})
    assert mail.outbox == []  # nothing was sent inside either request
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert known.content == unknown.content
    queued = DBTaskResult.objects.filter(status="READY")
    assert queued.count() == 2
    assert len({row.task_path for row in queued}) == 1
    assert run_queued_tasks() == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.officer_a.email]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_the_reset_mail_is_in_the_language_of_the_request(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["integritas_language"] = "en"
    client.post(RESET, {"email": world.officer_a.email})
    run_queued_tasks()
    assert "Someone asked to reset the password" in mail.outbox[0].body


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
