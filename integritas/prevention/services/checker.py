"""The "do I need to report?" checker on the database side: the rule set in force on the date of
receipt and the shared working-day calendar, handed to the pure ``prevention/gratification.py``.

Both the public page and the API call ``answer``; a gift it cannot judge raises ``CheckError``
naming the input at fault, which the page shows on the field and the API as a 400.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.core.calendar import CalendarDataMissing
from integritas.core.services.calendar import calendar_for
from integritas.prevention import gratification
from integritas.prevention.gratification import Answer, Gift, Rule, Rules
from integritas.prevention.models import RuleSet

#: Values above this (a thousand trillion Rupiah) are not believable gifts.
MAX_VALUE = 10**15


class CheckError(ValueError):
    """The gift cannot be judged; ``parameter`` names the input at fault."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def rules_for(rule_set: RuleSet) -> Rules:
    """A rule set as the pure checker takes it."""
    return Rules(
        regulation=rule_set.regulation,
        upg_report_days=rule_set.upg_report_days,
        kpk_report_days=rule_set.kpk_report_days,
        duty_rule=rule_set.duty_rule,
        duty_rule_en=rule_set.duty_rule_en,
        rules={
            rule.category: Rule(
                category=rule.category,
                name=rule.name,
                name_en=rule.name_en,
                exempt=rule.exempt,
                cash_allowed=rule.cash_allowed,
                max_per_gift=rule.max_per_gift,
                max_per_giver_year=rule.max_per_giver_year,
            )
            for rule in rule_set.rules.all()
        },
    )


def answer(gift: Gift, *, today: dt.date | None = None) -> Answer:
    """Whether ``gift`` must be refused, reported or needs no report, under the rule set in force
    on its date of receipt, with the deadlines on the shared calendar."""
    today = today or timezone.localdate()
    if gift.received_on > today:
        raise CheckError("received_on", _("The date of receipt cannot be in the future."))
    for name, value in (("value", gift.value), ("giver_ytd", gift.giver_ytd)):
        if value < 0:
            raise CheckError(name, _("Give an amount of zero or more."))
        if value > MAX_VALUE:
            raise CheckError(name, _("This amount is not believable; check the number."))
    rule_set = RuleSet.objects.in_force_on(gift.received_on)
    if rule_set is None:
        raise CheckError("received_on", _("No gratification rules are recorded for this date."))
    try:
        return gratification.check(gift, rules_for(rule_set), calendar_for())
    except gratification.UnknownCategory as exc:
        raise CheckError(
            "category",
            _("The rules of %(regulation)s say nothing about this kind of gift.")
            % {"regulation": rule_set.regulation},
        ) from exc
    except CalendarDataMissing as exc:
        raise CheckError(
            "received_on",
            _(
                "The deadlines reach into %(year)s, whose holidays are not entered yet: ask the "
                "administrator to enter them."
            )
            % {"year": exc.year},
        ) from exc
