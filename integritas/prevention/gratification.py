"""Whether a gift must be refused, reported or needs no report (DOMAIN.md §6), and by when.

Pure Python with no Django imports: the rules come in as plain values (``services/checker.py``
reads them from the database) and the deadlines are counted on the shared working-day calendar
(``core/calendar.py``). The order of the questions:

1. A gift connected to the recipient's office (from a service user, a vendor, an auditee) must
   be refused, whatever its kind and value.
2. A category that is not exempt must be reported.
3. Money is reported when the category's rule does not allow it (gifts from colleagues).
4. A value above the limit per gift is reported.
5. When the rule has a limit per giver per year, the gift at hand *plus* what the same giver
   already gave this calendar year must not exceed it.
6. Otherwise no report is needed.

A gift to report is due at the UPG and at KPK the given number of working days after the day of
receipt (the day of receipt itself does not count).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from integritas.core.calendar import WorkingCalendar


class Action(enum.StrEnum):
    REFUSE = "refuse"
    REPORT = "report"
    NONE = "none"


class Reason(enum.StrEnum):
    """Why the answer is what it is (the page explains it in words)."""

    DUTY = "duty"
    NOT_EXEMPT = "not_exempt"
    CASH = "cash"
    OVER_GIFT = "over_gift"
    OVER_YEAR = "over_year"
    WITHIN = "within"


@dataclass(frozen=True)
class Rule:
    category: str
    name: str
    name_en: str
    exempt: bool
    cash_allowed: bool
    max_per_gift: int | None = None
    max_per_giver_year: int | None = None


@dataclass(frozen=True)
class Rules:
    """One rule set: its regulation, the reporting windows and a rule per category."""

    regulation: str
    upg_report_days: int
    kpk_report_days: int
    duty_rule: str
    duty_rule_en: str
    rules: Mapping[str, Rule]


@dataclass(frozen=True)
class Gift:
    received_on: dt.date
    category: str
    value: int
    cash: bool
    giver_ytd: int = 0
    duty_related: bool = False


@dataclass(frozen=True)
class Answer:
    action: Action
    reason: Reason
    rule: str
    rule_en: str
    regulation: str
    limit: int | None = None
    deadline_upg: dt.date | None = None
    deadline_kpk: dt.date | None = None


class UnknownCategory(LookupError):
    def __init__(self, category: str) -> None:
        super().__init__(f"The rule set has no rule for the category {category!r}.")
        self.category = category


def check(gift: Gift, rules: Rules, calendar: WorkingCalendar) -> Answer:
    """The answer for ``gift`` under ``rules``; deadlines only when the gift is to be reported.

    Raises ``UnknownCategory`` when ``rules`` has no rule for the gift's category, and the
    calendar's ``CalendarDataMissing`` when a deadline falls in a year it has no holidays for.
    """
    if gift.duty_related:
        return Answer(
            Action.REFUSE, Reason.DUTY, rules.duty_rule, rules.duty_rule_en, rules.regulation
        )
    rule = rules.rules.get(gift.category)
    if rule is None:
        raise UnknownCategory(gift.category)
    reason, limit = _report_reason(gift, rule)
    if reason is Reason.WITHIN:
        return Answer(Action.NONE, reason, rule.name, rule.name_en, rules.regulation, limit)
    return Answer(
        Action.REPORT,
        reason,
        rule.name,
        rule.name_en,
        rules.regulation,
        limit,
        deadline_upg=calendar.add_working_days(gift.received_on, rules.upg_report_days),
        deadline_kpk=calendar.add_working_days(gift.received_on, rules.kpk_report_days),
    )


def _report_reason(gift: Gift, rule: Rule) -> tuple[Reason, int | None]:
    if not rule.exempt:
        return Reason.NOT_EXEMPT, None
    if gift.cash and not rule.cash_allowed:
        return Reason.CASH, None
    if rule.max_per_gift is not None and gift.value > rule.max_per_gift:
        return Reason.OVER_GIFT, rule.max_per_gift
    yearly = rule.max_per_giver_year
    if yearly is not None and gift.giver_ytd + gift.value > yearly:
        return Reason.OVER_YEAR, yearly
    return Reason.WITHIN, rule.max_per_gift
