"""Signing authority starts with the inspector general: the person every report was signed by
by default before the authority was recorded."""

from typing import Any

from django.db import migrations


def grant(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("core", "User")
    User.objects.filter(
        is_active=True,
        role_assignments__role="inspector_general",
        role_assignments__unit__isnull=True,
    ).update(can_sign=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_signing_authority_and_report_numbers")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
