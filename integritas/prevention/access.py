"""Prevention rules for the one permission policy (``core/policy.py``), registered at start-up.

- The gratification rule sets are read by the Inspectorate, leadership and administrators
  (``view``); only administrators add or correct them (``create``, ``change``), as they keep
  the other reference data (the calendar, the units).
- Everyone else sees no rule set in the staff area; the public checker at /gratifikasi/cek/
  applies the rules for anyone.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.core import extensions, policy
from integritas.core.models import READ_ALL_ROLES, Role
from integritas.prevention.models import RuleSet

ADMINISTRATORS: frozenset[str] = frozenset({Role.ADMINISTRATOR})

CAPABILITIES: dict[str, frozenset[str]] = {
    "view": READ_ALL_ROLES,
    "create": ADMINISTRATORS,
    "change": ADMINISTRATORS,
}


def _rule_sets(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if g.has_global(*READ_ALL_ROLES) else qs.none()


def register() -> None:
    extensions.register_policy(RuleSet, scope=_rule_sets, capabilities=CAPABILITIES)


def navigation(user: Any) -> dict[str, str] | None:
    """The "Gratification" menu entry for those who may read the rule sets."""
    if policy.allows_model(user, "view", RuleSet):
        return {
            "url": reverse("prevention-rule-set-list"),
            "label": _("Gratification"),
            "name": "prevention-",
        }
    return None
