"""What the gratification register tells the Inspectorate to follow up: a unit whose employees
reported gifts late (after the window to report to KPK: possibly state property) at least
``GRATIFICATION_LATE_REPORTS_SIGNAL`` times in the twelve months up to today. Registered with
``core.extensions.register_recommendation_signals``; follow-up lists these signals beside its
recommendations and prefills a new recommendation (source: prevention register) from one.

Confidential reports are not counted: a signal names a unit, and the unit of a confidential
reporter is the UPG's alone. Signals are read by those who read the register.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.core import policy
from integritas.core.extensions import RecommendationSignal
from integritas.core.models import Unit
from integritas.prevention.models import GratificationReport

SOURCE = "prevention"  # follow-up's Recommendation.Source for the prevention register
KEY_PREFIX = "gratification-late"


def threshold() -> int:
    return int(settings.GRATIFICATION_LATE_REPORTS_SIGNAL)


def late_reports_by_unit(today: dt.date) -> dict[Unit, list[GratificationReport]]:
    """The late, non-confidential reports of the last twelve months, by the reporter's unit,
    for the units with at least ``threshold()`` of them."""
    since = today - dt.timedelta(days=365)
    found: dict[Unit, list[GratificationReport]] = defaultdict(list)
    reports = (
        GratificationReport.objects.filter(
            late=True, confidential=False, reporter_unit__isnull=False, reported_on__gt=since
        )
        .select_related("reporter_unit")
        .order_by("reported_on", "tracking_number")
    )
    for report in reports:
        assert report.reporter_unit is not None  # noqa: S101 - filtered above
        found[report.reporter_unit].append(report)
    return {unit: items for unit, items in found.items() if len(items) >= threshold()}


def late_gratification_signals(user: Any) -> list[RecommendationSignal]:
    """The signals ``user`` may read (the register's readers), one per unit."""
    if not policy.allows_model(user, "view_register", GratificationReport):
        return []
    today = timezone.localdate()
    signals = []
    for unit, reports in sorted(late_reports_by_unit(today).items(), key=lambda i: i[0].code):
        numbers = ", ".join(r.tracking_number for r in reports)
        signals.append(
            RecommendationSignal(
                key=f"{KEY_PREFIX}-{unit.code}-{today.year}",
                source=SOURCE,
                title=_("Report gratification on time in %(unit)s") % {"unit": unit.name},
                description=_(
                    "In the twelve months up to %(today)s, %(n)d gratification reports from "
                    "%(unit)s reached the UPG after the window to report to KPK, so the gifts may "
                    "become state property: %(numbers)s. Make sure the unit's employees know the "
                    "rules and the deadlines, and report on time."
                )
                % {
                    "today": today.isoformat(),
                    "n": len(reports),
                    "unit": unit.name,
                    "numbers": numbers,
                },
                unit_id=unit.pk,
                year=today.year,
            )
        )
    return signals
