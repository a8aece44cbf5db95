"""The response's service reference is indexed only where it is set: most waves have no
services (the SPI), and keeping an entry for every response without one cost a large import
about an eighth of its time. Lookups by service (``service_id = …`` or ``IN (…)``) imply a
service is set, so both databases still answer them from the partial index.

As in 0002, the old index is dropped by a plain ``DROP INDEX`` (found by its column, since its
name is generated) instead of Django's ``AlterField``, which rebuilds the whole table on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "surveys_response"


def _service_indexes(schema_editor) -> list[str]:
    """The names of the full indexes on the service column alone."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return [
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["primary_key"]
        and not info["unique"]
        and info["columns"] == ["service_id"]
        and name != "surveys_response_service"
    ]


def drop_index(apps, schema_editor) -> None:
    quote = schema_editor.quote_name
    for name in _service_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX {quote(name)}")


def create_index(apps, schema_editor) -> None:
    if _service_indexes(schema_editor):
        return
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE INDEX {quote('surveys_response_service_id')} "
        f"ON {quote(TABLE)} ({quote('service_id')})"
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
                name="surveys_response_service",
            ),
        ),
    ]
