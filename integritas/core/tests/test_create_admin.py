"""create_admin: the first administrator of a fresh installation."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from integritas.audit.models import Event
from integritas.core.models import Role, User

pytestmark = pytest.mark.django_db
ARGS = [
    "--username",
    "admin",
    "--name",
    "Admin Kota",
    "--email",
    "admin@kota.go.id",
    "--password-stdin",
]


def run(password: str) -> str:
    out = io.StringIO()
    command_stdin = io.StringIO(password + "\n")
    from integritas.core.management.commands.create_admin import Command

    command = Command(stdout=out)
    command.stdin = command_stdin  # type: ignore[attr-defined]
    call_command(command, *ARGS)
    return out.getvalue()


def test_it_creates_an_administrator_and_records_it() -> None:
    assert "administrator admin created" in run("a long enough passphrase")
    user = User.objects.get(username="admin")
    assert user.check_password("a long enough passphrase")
    assert user.role_assignments.get().role == Role.ADMINISTRATOR
    assert Event.objects.filter(action="role.granted", actor_label="create_admin").exists()


def test_it_refuses_a_weak_password_and_creates_nothing() -> None:
    with pytest.raises(CommandError, match="too short|terlalu pendek"):
        run("short")
    assert not User.objects.exists()


def test_it_refuses_an_existing_username() -> None:
    run("a long enough passphrase")
    with pytest.raises(CommandError, match="already exists"):
        run("another long passphrase")
