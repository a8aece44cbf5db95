"""LHKPN compliance and reminders.

``compliance(year)`` gives both figures of DOMAIN.md §7 (``lhkpn.Compliance``: the filing rate,
filed ÷ obliged, and the complete rate, verified or published complete ÷ obliged) for each unit
and for the government, over the **periodic** obligations of the year (the special reports on
taking and leaving office have their own due dates and are listed, not rated). ``trend`` gives
the government's figures year by year.

``run_reminders(today)`` tells each official who has not filed (nothing in e-LHKPN, or a draft)
and has an account, from the day the window opens (1 January for the periodic report, the day of
the appointment or departure for a special one): once when it opens, once a month before the due
date, once a week before it and once when it has passed. From ``ESCALATE_DAYS`` before the due
date the heads of the units with officials who have not filed are told how many, once a stage.
Every message has its own key, so running the command twice a day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integritas import audit
from integritas.core.models import Role, RoleAssignment, Unit, User
from integritas.core.services.notifications import language_of, notify
from integritas.lib.formatting import format_date
from integritas.prevention import lhkpn
from integritas.prevention.models import (
    LhkpnAuditAction,
    LhkpnObligation,
    LhkpnReportType,
)
from integritas.prevention.services.lhkpn_obligations import OBLIGATION_TYPE

REMIND_DAYS_BEFORE = (30, 7)  # a reminder a month and a week before the due date
ESCALATE_DAYS = 14  # the unit heads are told from two weeks before the due date


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    figures: lhkpn.Compliance


@dataclass(frozen=True)
class YearCompliance:
    year: int
    government: lhkpn.Compliance
    units: list[UnitFigures]

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "definitions": {
                "filing_rate": "filed (statuses 1-7) / obliged, %",
                "complete_rate": "verified or published complete (statuses 3-4) / obliged, %",
            },
            "government": self.government.as_dict(),
            "units": [
                {"code": row.unit.code, "name": row.unit.name, **row.figures.as_dict()}
                for row in self.units
            ],
        }


def periodic(year: int) -> Q:
    return Q(year=year, report_type=LhkpnReportType.PERIODIC)


def compliance(year: int, units: list[int] | None = None) -> YearCompliance:
    """The figures of ``year`` for each unit with obligations (``units``: only those) and for
    the government (always every unit)."""
    rows = LhkpnObligation.objects.filter(periodic(year)).values_list("unit_id", "status")
    by_unit: dict[int, list[int | None]] = defaultdict(list)
    everyone: list[int | None] = []
    for unit_id, status in rows:
        by_unit[unit_id].append(status)
        everyone.append(status)
    wanted = set(by_unit) if units is None else set(by_unit) & set(units)
    return YearCompliance(
        year=year,
        government=lhkpn.tally(everyone),
        units=[
            UnitFigures(unit=unit, figures=lhkpn.tally(by_unit[unit.pk]))
            for unit in Unit.objects.filter(pk__in=wanted).order_by("code")
        ],
    )


def years() -> list[int]:
    """The years with periodic obligations, latest first."""
    return list(
        LhkpnObligation.objects.filter(report_type=LhkpnReportType.PERIODIC)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def ranked(figures: YearCompliance) -> list[UnitFigures]:
    """The units best first: complete rate, then filing rate, then fewer not filed."""
    return sorted(
        figures.units,
        key=lambda row: (
            -(row.figures.complete_rate or 0),
            -(row.figures.filing_rate or 0),
            row.figures.not_filed,
            row.unit.code,
        ),
    )


def trend(unit: Unit | None = None) -> list[tuple[int, lhkpn.Compliance]]:
    """The figures year by year, oldest first: the government's, or one unit's."""
    result = []
    for year in sorted(years()):
        qs = LhkpnObligation.objects.filter(periodic(year))
        if unit is not None:
            qs = qs.filter(unit=unit)
        statuses = list(qs.values_list("status", flat=True))
        if statuses:
            result.append((year, lhkpn.tally(statuses)))
    return result


# --- Reminders and escalation ------------------------------------------------------------------


def window_opens(obligation: LhkpnObligation) -> dt.date:
    if obligation.report_type == LhkpnReportType.PERIODIC:
        return dt.date(obligation.due_on.year, 1, 1)
    return obligation.event_date or obligation.due_on


def reminder_stage(obligation: LhkpnObligation, today: dt.date) -> str | None:
    """Which reminder is due today: ``open``, ``d30``, ``d7`` or ``overdue``; None before the
    window opens."""
    if today < window_opens(obligation):
        return None
    if today > obligation.due_on:
        return "overdue"
    days_left = (obligation.due_on - today).days
    for days in sorted(REMIND_DAYS_BEFORE):
        if days_left <= days:
            return f"d{days}"
    return "open"


def unit_heads(unit: Unit) -> list[User]:
    """The unit's head and the people holding the unit-head role for it."""
    ids = set(
        RoleAssignment.objects.filter(role=Role.UNIT_HEAD, unit=unit).values_list(
            "user_id", flat=True
        )
    )
    if unit.head_id:
        ids.add(unit.head_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@dataclass
class ReminderRun:
    reminded: int = 0
    escalated: int = 0


def run_reminders(*, today: dt.date) -> ReminderRun:
    run = ReminderRun()
    pending = (
        LhkpnObligation.objects.not_filed()
        .filter(due_on__gte=today - dt.timedelta(days=31))
        .select_related("unit", "user")
        .order_by("pk")
    )
    late_by_unit: dict[tuple[int, dt.date], list[LhkpnObligation]] = defaultdict(list)
    for obligation in pending:
        stage = reminder_stage(obligation, today)
        if stage is None:
            continue
        if (obligation.due_on - today).days <= ESCALATE_DAYS:
            late_by_unit[(obligation.unit_id, obligation.due_on)].append(obligation)
        person = obligation.user
        if person is None or not person.is_active:
            continue
        language = language_of(person)
        with translation.override(language):
            created = notify(
                user=person,
                title=_("File your LHKPN by %(due)s")
                % {"due": format_date(obligation.due_on, language)},
                body=_("%(type)s %(year)s: e-LHKPN shows no filed report for you yet.")
                % {"type": obligation.get_report_type_display(), "year": obligation.year},
                url=reverse("prevention-lhkpn-obligation", args=[obligation.pk]),
                key=f"lhkpn-remind-{obligation.pk}-{stage}",
            )
        run.reminded += created is not None
    for (unit_id, due), obligations in late_by_unit.items():
        unit = obligations[0].unit
        stage = "overdue" if today > due else "soon"
        for head in unit_heads(unit):
            language = language_of(head)
            with translation.override(language):
                created = notify(
                    user=head,
                    title=ngettext(
                        "%(count)d official of %(unit)s has not filed their LHKPN",
                        "%(count)d officials of %(unit)s have not filed their LHKPN",
                        len(obligations),
                    )
                    % {"count": len(obligations), "unit": unit.name},
                    body=_("Due on %(due)s.") % {"due": format_date(due, language)},
                    url=reverse("prevention-lhkpn-obligation-list") + f"?unit={unit_id}&filed=no",
                    key=f"lhkpn-escalate-{unit_id}-{due.isoformat()}-{stage}",
                )
            run.escalated += created is not None
    if run.reminded or run.escalated:
        audit.record(
            LhkpnAuditAction.REMINDED,
            object_type=OBLIGATION_TYPE,
            changes={"reminders": [None, run.reminded], "escalations": [None, run.escalated]},
        )
    return run
