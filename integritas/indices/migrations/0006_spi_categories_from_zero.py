"""Stored integrity settings whose lowest category starts above 0 start it at 0.

A score takes the highest band whose lower bound it reaches; the lowest band starts at 0, so
that every score has a category. The official 2022 table was once written with Sangat Rentan
starting at 42.01 (only the lowest score observed), and settings made from it kept that bound.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def lowest_from_zero(apps: Any, schema_editor: Any) -> None:
    MethodSetting = apps.get_model("indices", "MethodSetting")
    for setting in MethodSetting.objects.filter(method="integrity"):
        bands = (setting.config or {}).get("categories")
        if not bands:
            continue
        ordered = sorted(bands, key=lambda band: band[1])
        if ordered[0][1] > 0:
            ordered[0] = [ordered[0][0], 0.0, ordered[0][2]]
            setting.config = {**setting.config, "categories": ordered}
            setting.save(update_fields=["config"])


class Migration(migrations.Migration):
    dependencies = [("indices", "0005_results_leaves_fill_state")]

    operations = [migrations.RunPython(lowest_from_zero, migrations.RunPython.noop)]
