"""Events get ``published_at``: no registration page is public until the Inspectorate publishes it.

Existing events whose registration is open keep their page public (their link may already be on
printed invitations); closed ones become not public (their page took no registrations anyway;
tickets and cancel links keep working either way)."""

from django.db import migrations, models
from django.db.models import F


def keep_open_events_public(apps, schema_editor):
    Event = apps.get_model("education", "Event")
    Event.objects.filter(registration_open=True).update(published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="published_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="public since"
            ),
        ),
        migrations.RunPython(keep_open_events_public, migrations.RunPython.noop),
    ]
