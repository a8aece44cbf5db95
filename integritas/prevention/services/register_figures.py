"""The prevention registers as other apps read them: registered with
``core.extensions.register_data_register`` so that an MCSP indicator whose evidence is one of them
can point at it by key and show its current figure for the assessment's year.

- ``lhkpn-compliance``: the periodic LHKPN reports due in the assessment's year (the positions of
  the year before, due 31 March), with both rates of DOMAIN.md §7, labelled; read by the LHKPN
  register's readers (the government-wide figures, ``access.LHKPN_READERS``).
- ``gratification-register``: the gratification reports made to the UPG in the year, the late
  ones (possibly state property), those forwarded to KPK and how many of them reached KPK within
  the rule set's window counted from the date of receipt; read by the UPG's register's readers
  (``access.REGISTER_READERS``). Counts only, never a report or a reporter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from integritas.core import extensions, policy
from integritas.core.calendar import CalendarDataMissing
from integritas.core.services.calendar import calendar_for
from integritas.lib.formatting import format_date, format_percent
from integritas.prevention import lhkpn
from integritas.prevention.models import GratificationReport, LhkpnObligation
from integritas.prevention.services import lhkpn_compliance

LHKPN_KEY = "lhkpn-compliance"
GRATIFICATION_KEY = "gratification-register"


def _language() -> str:
    return get_language() or "id"


def lhkpn_figure(year: int) -> str | None:
    """The periodic reports due in ``year`` (positions held on 31 December of ``year`` − 1):
    complete and filing rates over the officials obliged; None when nobody is listed."""
    reported = year - 1
    figures = lhkpn_compliance.compliance(reported, units=[]).government
    if not figures.obliged:
        return None
    lang = _language()
    return _(
        "Periodic LHKPN %(year)d (due %(due)s): complete rate %(complete_rate)s (%(complete)d of "
        "%(obliged)d obliged), filing rate %(filing_rate)s (%(filed)d of %(obliged)d)."
    ) % {
        "year": reported,
        "due": format_date(lhkpn.periodic_due(reported), lang),
        "complete_rate": format_percent(figures.complete_rate or 0, 2, lang),
        "complete": figures.complete,
        "obliged": figures.obliged,
        "filing_rate": format_percent(figures.filing_rate or 0, 2, lang),
        "filed": figures.filed,
    }


def _within_deadline(report: GratificationReport, calendar: Any) -> bool:
    """Whether the report reached KPK within its rule set's window from the date of receipt."""
    assert report.forwarded_on is not None  # noqa: S101 - only forwarded reports are asked
    try:
        due = calendar.add_working_days(report.received_on, report.rule_set.kpk_report_days)
    except CalendarDataMissing:
        return False
    return bool(report.forwarded_on <= due)


def gratification_figure(year: int) -> str | None:
    """The reports made to the UPG in ``year``: how many, how many late, forwarded to KPK, and
    forwarded within the deadline; None when there is none."""
    reports = list(
        GratificationReport.objects.filter(
            reported_on__gte=dt.date(year, 1, 1), reported_on__lte=dt.date(year, 12, 31)
        ).select_related("rule_set")
    )
    if not reports:
        return None
    calendar = calendar_for()
    forwarded = [r for r in reports if r.forwarded_on is not None]
    on_time = sum(1 for r in forwarded if _within_deadline(r, calendar))
    late = sum(1 for r in reports if r.late)
    return _(
        "Gratification reports %(year)d: %(count)d reported to the UPG (%(late)d late: possibly "
        "state property), %(forwarded)d forwarded to KPK, %(on_time)d of them within the deadline."
    ) % {
        "year": year,
        "count": len(reports),
        "late": late,
        "forwarded": len(forwarded),
        "on_time": on_time,
    }


def reads_lhkpn(user: Any) -> bool:
    return policy.allows_model(user, "view_register", LhkpnObligation)


def reads_gratification(user: Any) -> bool:
    return policy.allows_model(user, "view_register", GratificationReport)


def register() -> None:
    """Register both registers with core (from ``PreventionConfig.ready``)."""
    extensions.register_data_register(
        LHKPN_KEY,
        title=gettext_lazy("LHKPN compliance"),
        url=reverse_lazy("prevention-lhkpn-compliance"),
        figure=lhkpn_figure,
        may_view=reads_lhkpn,
    )
    extensions.register_data_register(
        GRATIFICATION_KEY,
        title=gettext_lazy("Gratification register"),
        url=reverse_lazy("prevention-report-list"),
        figure=gratification_figure,
        may_view=reads_gratification,
    )
