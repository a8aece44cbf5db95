"""Stored results are recomputed in full by the next scheduled refresh.

Two rules of the engine changed: the integrity index's correction is subtracted from the
government's composite only (it was subtracted from every unit's and respondent group's), and
complementary suppression hides the aggregate above a small group (the parent, then the
government total) rather than a unit that has enough respondents of its own. An incremental
update would rewrite only the units whose responses changed, so every wave with stored results
is marked for a full computation.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def mark_for_full_recompute(apps: Any, schema_editor: Any) -> None:
    IndexRun = apps.get_model("indices", "IndexRun")
    WaveIndexState = apps.get_model("indices", "WaveIndexState")
    for wave_id in IndexRun.objects.values_list("wave_id", flat=True).distinct().order_by():
        state, _created = WaveIndexState.objects.get_or_create(wave_id=wave_id)
        state.full_needed = True
        state.generation += 1
        if state.status != "computing":
            state.status = "stale"
        state.save(update_fields=["full_needed", "generation", "status"])


class Migration(migrations.Migration):
    dependencies = [("indices", "0007_weak_point_follows_recommendation")]

    operations = [migrations.RunPython(mark_for_full_recompute, migrations.RunPython.noop)]
