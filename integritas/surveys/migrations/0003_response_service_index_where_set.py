"""The response's service reference is indexed only where it is set: most waves have no
services (the SPI), and keeping an entry for every response without one cost a large import
about an eighth of its time. Lookups by service (``service_id = …`` or ``IN (…)``) imply a
service is set, so both databases still answer them from the partial index.

As in 0002, the old index is dropped by a plain ``DROP INDEX`` (found by its column, since its
name is generated) instead of Django's ``AlterField``, which rebuilds the whole table on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models

from integritas.lib.migrations import create_single_column_index, drop_single_column_indexes

TABLE = "surveys_response"
PARTIAL = "surveys_response_service"  # the index this migration adds


def drop_index(apps, schema_editor) -> None:
    drop_single_column_indexes(schema_editor, TABLE, "service_id", keep=PARTIAL)


def create_index(apps, schema_editor) -> None:
    create_single_column_index(
        schema_editor, TABLE, "service_id", "surveys_response_service_id", keep=PARTIAL
    )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_response_wave_without_own_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="response",
                    name="service",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="surveys.service",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_index, create_index)],
        ),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                condition=models.Q(("service__isnull", False)),
                fields=["service"],
                name=PARTIAL,
            ),
        ),
    ]
