"""The published anchors of the audit chain and, on PostgreSQL, a trigger refusing UPDATE and
DELETE on them (as on the events)."""

from django.db import migrations, models

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION audit_anchor_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit anchors are append-only: % refused on audit_anchor', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_anchor_append_only
    BEFORE UPDATE OR DELETE ON audit_anchor
    FOR EACH ROW EXECUTE FUNCTION audit_anchor_append_only();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS audit_anchor_append_only ON audit_anchor;
DROP FUNCTION IF EXISTS audit_anchor_append_only();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_chain_head_and_append_only_trigger'),
    ]

    operations = [
        migrations.CreateModel(
            name='Anchor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='date')),
                ('seq', models.BigIntegerField(verbose_name='sequence')),
                ('hash', models.CharField(max_length=64, verbose_name='hash')),
                ('published_at', models.DateTimeField(verbose_name='published at')),
            ],
            options={
                'verbose_name': 'audit anchor',
                'verbose_name_plural': 'audit anchors',
                'ordering': ['-date'],
            },
        ),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
