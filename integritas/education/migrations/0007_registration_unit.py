"""A registration's work unit, for participants from inside the government."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_inspector_general_may_sign"),
        ("education", "0006_report"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.unit",
                verbose_name="work unit",
            ),
        ),
    ]
