"""Create the first administrator of a fresh installation."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from integritas.audit.context import acting_as
from integritas.core.models import Role, User
from integritas.core.services.people import role_grant, user_create


class Command(BaseCommand):
    help = "Create an account with the administrator role (asks for the password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="full name, as shown in the audit trail")
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"an account named {options['username']!r} already exists")
        if options["password_stdin"]:
            password = self.stdin.readline().rstrip("\n") if hasattr(self, "stdin") else input()
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the passwords differ")
        candidate = User(username=options["username"], name=options["name"], email=options["email"])
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with acting_as(label="create_admin"):
            try:
                user = user_create(
                    values={
                        "username": options["username"],
                        "name": options["name"],
                        "email": options["email"],
                    },
                    password=password,
                )
            except ValidationError as exc:
                raise CommandError(
                    "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                ) from exc
            role_grant(user=user, role=Role.ADMINISTRATOR, unit=None, by=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"administrator {user.username} created; set up two-factor sign-in at the first login"
            )
        )
