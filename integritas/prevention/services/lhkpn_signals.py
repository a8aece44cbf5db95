"""What the LHKPN register tells the Inspectorate to follow up: a unit whose **complete rate**
(verified or published complete ÷ obliged) for the last closed year is below
``LHKPN_LOW_COMPLIANCE_SIGNAL["complete_rate_below"]`` percent, with at least
``LHKPN_LOW_COMPLIANCE_SIGNAL["min_obliged"]`` officials obliged, so that a small unit is not
flagged because of one person. The last closed year is the latest whose periodic reports were
due (31 March of the next year) before today.

Registered with ``core.extensions.register_recommendation_signals`` beside the late
gratification reports (``signals.py``); follow-up lists these signals and prefills a new
recommendation (source: prevention register) from one. Read by those who read the whole register.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from integritas.core import policy
from integritas.core.extensions import RecommendationSignal
from integritas.lib.formatting import format_number
from integritas.prevention import lhkpn
from integritas.prevention.models import LhkpnObligation
from integritas.prevention.services import lhkpn_compliance
from integritas.prevention.services.signals import SOURCE

KEY_PREFIX = "lhkpn-low"


def rule() -> tuple[Decimal, int]:
    """The complete rate below which a unit is signalled, and the fewest officials obliged."""
    values = settings.LHKPN_LOW_COMPLIANCE_SIGNAL
    return Decimal(str(values["complete_rate_below"])), int(values["min_obliged"])


def closed_year(today: dt.date) -> int:
    """The latest year whose periodic reports were due before ``today``."""
    year = today.year - 1
    while lhkpn.periodic_due(year) >= today:
        year -= 1
    return year


def low_units(year: int) -> list[lhkpn_compliance.UnitFigures]:
    """The units of ``year`` under the rule, by code."""
    below, min_obliged = rule()
    return [
        row
        for row in lhkpn_compliance.compliance(year).units
        if row.figures.obliged >= min_obliged
        and row.figures.complete_rate is not None
        and row.figures.complete_rate < below
    ]


def low_compliance_signals(user: Any) -> list[RecommendationSignal]:
    """The signals ``user`` may read (those who read the whole register), one per unit."""
    if not policy.allows_model(user, "view_register", LhkpnObligation):
        return []
    today = timezone.localdate()
    year = closed_year(today)
    below, _min = rule()
    language = "en" if (get_language() or "id").startswith("en") else "id"
    places = 0 if below == below.to_integral_value() else 2
    signals = []
    for row in low_units(year):
        figures = row.figures
        assert figures.complete_rate is not None  # noqa: S101 - filtered in low_units
        signals.append(
            RecommendationSignal(
                key=f"{KEY_PREFIX}-{row.unit.code}-{year}",
                source=SOURCE,
                title=_("Raise LHKPN compliance in %(unit)s") % {"unit": row.unit.name},
                description=_(
                    "Of the %(obliged)d officials of %(unit)s who had to file their periodic "
                    "LHKPN for %(year)d, %(complete)d reports are verified or published complete "
                    "(complete rate %(rate)s%%, below %(below)s%%) and %(filed)d were filed "
                    "(filing rate %(filing)s%%). Make sure the unit's officials file on time and "
                    "complete what e-LHKPN asks them to fix."
                )
                % {
                    "obliged": figures.obliged,
                    "unit": row.unit.name,
                    "year": year,
                    "complete": figures.complete,
                    "rate": format_number(figures.complete_rate, 2, language),
                    "below": format_number(below, places, language),
                    "filed": figures.filed,
                    "filing": format_number(figures.filing_rate or 0, 2, language),
                },
                unit_id=row.unit.pk,
                year=today.year,
            )
        )
    return signals
