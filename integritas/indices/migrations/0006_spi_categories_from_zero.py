"""Stored integrity settings whose lowest category starts above 0 start it at 0.

A score takes the highest band whose lower bound it reaches; the lowest band starts at 0, so
that every score has a category. The official 2022 table was once written with Sangat Rentan
starting at 42.01 (only the lowest score observed), and settings made from it kept that bound.
A setting stores only what differs from the defaults of its year, so categories that are then
the official ones of its year are dropped: each later year gets its own official bands.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


# The official tables as of this migration (engine.integrity.SPI_CATEGORIES), by first year.
OFFICIAL = {
    2022: [
        ["Sangat Rentan", 0.0, 67.9],
        ["Rentan", 68.0, 73.6],
        ["Waspada", 73.7, 77.4],
        ["Terjaga", 77.5, 100.0],
    ],
    2024: [["Rentan", 0.0, 72.9], ["Waspada", 73.0, 77.9], ["Terjaga", 78.0, 100.0]],
}


def lowest_from_zero(apps: Any, schema_editor: Any) -> None:
    MethodSetting = apps.get_model("indices", "MethodSetting")
    for setting in MethodSetting.objects.filter(method="integrity"):
        bands = (setting.config or {}).get("categories")
        if not bands:
            continue
        ordered = [[label, float(low), float(high)] for label, low, high in bands]
        ordered.sort(key=lambda band: band[1])
        if ordered[0][1] > 0:
            ordered[0][1] = 0.0
        config = {**setting.config, "categories": ordered}
        if ordered == OFFICIAL[2022 if setting.year < 2024 else 2024]:
            del config["categories"]
        if config != setting.config:
            setting.config = config
            setting.save(update_fields=["config"])


class Migration(migrations.Migration):
    dependencies = [("indices", "0005_results_leaves_fill_state")]

    operations = [migrations.RunPython(lowest_from_zero, migrations.RunPython.noop)]
