"""The response's wave reference loses its own index: the (wave, unit) index answers every
lookup by wave, and keeping a second index up to date cost a large import about a fifth of its
time.

Only the index is dropped. Django's own ``AlterField`` would rebuild the whole responses table
on SQLite to do that, which at national scale copies millions of rows; a plain ``DROP INDEX``
(found by its columns, since its name is generated) does the same on both databases at once.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "surveys_response"


def _wave_indexes(schema_editor) -> list[str]:
    """The names of the indexes on the wave column alone (not constraints or the primary key)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return [
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["primary_key"]
        and not info["unique"]
        and info["columns"] == ["wave_id"]
    ]


def drop_index(apps, schema_editor) -> None:
    quote = schema_editor.quote_name
    for name in _wave_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX {quote(name)}")


def create_index(apps, schema_editor) -> None:
    if _wave_indexes(schema_editor):
        return
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE INDEX {quote('surveys_response_wave_id')} ON {quote(TABLE)} ({quote('wave_id')})"
    )


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
