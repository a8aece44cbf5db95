"""Create the fictional demo city (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from integritas.audit.context import acting_as
from integritas.core import extensions
from integritas.core.demo import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "Create the fictional city of Karyapura with units, people and roles. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        password = DEMO_PASSWORD if settings.DEMO_MODE else None
        result = seed(password=password)
        self.stdout.write(
            f"demo data: {result.units_created} units, {result.users_created} people and "
            f"{result.roles_created} roles created"
        )
        # Apps above core add their demo data through their demo.py, found by name.
        for _label, seeder in extensions.demo_seeders():
            with acting_as(label="seed_demo"):
                for line in seeder():
                    self.stdout.write(f"demo data: {line}")
        if not settings.DEMO_MODE:
            self.stdout.write(
                "DEMO_MODE is off: new demo accounts have no usable password and none is printed. "
                "Use the password reset page or `manage.py changepassword`."
            )
            return
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        shown = [row for row in result.logins if not row[0].startswith(("kepala.", "operator."))]
        shown += [
            row
            for row in result.logins
            if row[0] in ("kepala.dinkes", "operator.dinkes", "operator.disdik")
        ]
        for username, name, roles in shown:
            self.stdout.write(f"  {username:<18} {name:<34} {roles}")
        self.stdout.write(
            "  (every unit has kepala.<code> and operator.<code>, e.g. kepala.dpupr, operator.kecutr)"
        )
        self.stdout.write(
            "Inspectorate, administrator and complaint roles set up two-factor sign-in at first login."
        )
