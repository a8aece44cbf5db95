"""Survey weak points whose recommendation was already issued or closed take the state that now
follows it: addressed (issued) or resolved (closed). Later changes go through
``services.recommendations.weak_point_follow`` and write their audit events; this one-time
catch-up writes none, as it records no decision.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# Recommendation status → weak point status, as of this migration.
FOLLOWS = {"issued": "addressed", "closed": "resolved"}


def forwards(apps: Any, schema_editor: Any) -> None:
    Recommendation = apps.get_model("followup", "Recommendation")
    WeakPoint = apps.get_model("indices", "WeakPoint")
    for recommendation, weak_point in FOLLOWS.items():
        ids = Recommendation.objects.filter(
            status=recommendation, weak_point__isnull=False
        ).values("weak_point_id")
        WeakPoint.objects.filter(pk__in=ids, status__in=["open", "requested", "addressed"]).exclude(
            status=weak_point
        ).update(status=weak_point)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0004_plan_returns"),
        ("indices", "0007_weak_point_follows_recommendation"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
