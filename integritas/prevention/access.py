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
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.audit.models import Event
from integritas.core import extensions, policy
from integritas.core.models import READ_ALL_ROLES, Role
from integritas.prevention.models import GratificationReport, RuleSet

UPG_ROLES: frozenset[str] = frozenset({Role.UPG_OFFICER, Role.UPG_HEAD})
# Who reads the UPG's register: the UPG, and the Inspectorate, leadership and administrators
# (without the identity of a confidential reporter). Everyone signed in reads their own reports.
REGISTER_READERS: frozenset[str] = UPG_ROLES | READ_ALL_ROLES

ADMINISTRATORS: frozenset[str] = frozenset({Role.ADMINISTRATOR})

CAPABILITIES: dict[str, frozenset[str]] = {
    "view": READ_ALL_ROLES,
    "create": ADMINISTRATORS,
    "change": ADMINISTRATORS,
}


def _rule_sets(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if g.has_global(*READ_ALL_ROLES) else qs.none()


def _reports(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if g.has_global(*REGISTER_READERS):
        return qs
    return qs.filter(reporter=user)


def confidential_events_hidden(user: Any, events: models.QuerySet[Event]) -> models.QuerySet[Event]:
    """``events`` without those about a confidential report, except for the UPG and the
    reporter: the actor of its filing (and of its completion) is the reporter."""
    if policy.grants(user).has_global(*UPG_ROLES):
        return events
    hidden = GratificationReport.objects.filter(confidential=True)
    if getattr(user, "pk", None) is not None:
        hidden = hidden.exclude(reporter_id=user.pk)
    ids = hidden.annotate(event_object_id=Cast("pk", models.CharField())).values("event_object_id")
    return events.exclude(object_type=GratificationReport._meta.label_lower, object_id__in=ids)


def register() -> None:
    extensions.register_policy(RuleSet, scope=_rule_sets, capabilities=CAPABILITIES)
    extensions.register_policy(
        GratificationReport,
        scope=_reports,
        capabilities={"view_register": REGISTER_READERS, "process": UPG_ROLES},
        without_roles=True,
    )
    extensions.register_event_scope(confidential_events_hidden)


def navigation(user: Any) -> dict[str, str] | None:
    """The "Gratification" menu entry for those who may read the rule sets."""
    if policy.allows_model(user, "view_register", GratificationReport):
        return {
            "url": reverse("prevention-report-list"),
            "label": _("Gratification"),
            "name": "prevention-",
        }
    if policy.allows_model(user, "view", RuleSet):
        return {
            "url": reverse("prevention-rule-set-list"),
            "label": _("Gratification"),
            "name": "prevention-",
        }
    if getattr(user, "is_authenticated", False):
        return {
            "url": reverse("prevention-my-reports"),
            "label": _("Gratification"),
            "name": "prevention-",
        }
    return None
