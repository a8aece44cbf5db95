"""Adding and correcting the gratification rule sets (the administrators' staff pages).

Each change is atomic and writes its audit event: ``prevention.rule_set_created`` for a new set
(its rules copied from the set before it, to be corrected next), ``prevention.rule_set_updated``
for the set's own fields and ``prevention.rule_updated`` for each changed category rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integritas import audit
from integritas.audit.services import changes_between, snapshot
from integritas.core.models import User
from integritas.prevention.models import AuditAction, ExemptionRule, RuleSet

RULE_SET_FIELDS = [
    "name",
    "regulation",
    "effective_from",
    "upg_report_days",
    "kpk_report_days",
    "upg_forward_days",
    "completeness_days",
    "kpk_decision_days",
    "handover_days",
    "duty_rule",
    "duty_rule_en",
    "note",
]
RULE_FIELDS = ["name", "name_en", "exempt", "cash_allowed", "max_per_gift", "max_per_giver_year"]


def _apply(obj: Any, values: Mapping[str, Any], fields: list[str]) -> dict[str, Any]:
    """Set ``values`` on ``obj``, validate and save it; the changes against the stored row."""
    before = {} if obj.pk is None else snapshot(type(obj).objects.get(pk=obj.pk), fields)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return changes_between(before, snapshot(obj, fields))


@transaction.atomic
def rule_set_save(
    *,
    rule_set: RuleSet,
    values: Mapping[str, Any],
    rules: Sequence[tuple[ExemptionRule, Mapping[str, Any]]] = (),
    by: User | None,
) -> RuleSet:
    """Change a rule set and its category rules; one event for the set, one per changed rule."""
    changes = _apply(rule_set, values, RULE_SET_FIELDS)
    if changes:
        audit.record(AuditAction.RULE_SET_UPDATED, obj=rule_set, changes=changes, actor=by)
    for rule, rule_values in rules:
        if rule.rule_set_id != rule_set.pk:
            raise ValidationError(_("Only the rules of this rule set can be changed here."))
        rule_changes = _apply(rule, rule_values, RULE_FIELDS)
        if rule_changes:
            audit.record(AuditAction.RULE_UPDATED, obj=rule, changes=rule_changes, actor=by)
    return rule_set


@transaction.atomic
def rule_set_create(*, values: Mapping[str, Any], by: User | None) -> RuleSet:
    """A new rule set, its category rules copied from the latest set (to be corrected next)."""
    latest = RuleSet.objects.latest_set()
    rule_set = RuleSet()
    changes = _apply(rule_set, values, RULE_SET_FIELDS)
    for rule in latest.rules.all() if latest else ():
        ExemptionRule.objects.create(
            rule_set=rule_set,
            category=rule.category,
            **{name: getattr(rule, name) for name in RULE_FIELDS},
        )
    audit.record(AuditAction.RULE_SET_CREATED, obj=rule_set, changes=changes, actor=by)
    return rule_set
