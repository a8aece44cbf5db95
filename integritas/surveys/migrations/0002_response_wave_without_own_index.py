"""The response's wave reference loses its own index: the (wave, unit) index answers every
lookup by wave, and keeping a second index up to date cost a large import about a fifth of its
time.

Only the index is dropped. Django's own ``AlterField`` would rebuild the whole responses table
on SQLite to do that, which at national scale copies millions of rows; a plain ``DROP INDEX``
(found by its column, since its name is generated: ``integritas.lib.migrations``) does the same on both databases at once.
"""

import django.db.models.deletion
from django.db import migrations, models

from integritas.lib.migrations import create_single_column_index, drop_single_column_indexes

TABLE = "surveys_response"


def drop_index(apps, schema_editor) -> None:
    drop_single_column_indexes(schema_editor, TABLE, "wave_id")


def create_index(apps, schema_editor) -> None:
    create_single_column_index(schema_editor, TABLE, "wave_id", "surveys_response_wave_id")


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="response",
                    name="wave",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="responses",
                        to="surveys.wave",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_index, create_index)],
        ),
    ]
