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
from integritas.core.models import INSPECTORATE_ROLES, READ_ALL_ROLES, Role
from integritas.prevention.models import (
    GratificationReport,
    LhkpnObligation,
    LhkpnPosition,
    RuleSet,
)

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


# --- LHKPN ---------------------------------------------------------------------------------------
# The register of officials who must file is read by the Inspectorate, leadership, administrators
# and the UPG (which in many governments administers LHKPN beside gratification); the
# Inspectorate, the UPG and administrators keep it (import the decree and the e-LHKPN statuses,
# record appointments and departures, name the positions that file). A unit head reads their
# units' officials; every official reads their own obligations (the reminders link to them).

LHKPN_READERS: frozenset[str] = READ_ALL_ROLES | UPG_ROLES
LHKPN_KEEPERS: frozenset[str] = INSPECTORATE_ROLES | UPG_ROLES | ADMINISTRATORS


def _obligations(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if g.has_global(*LHKPN_READERS):
        return qs
    own = models.Q(user=user)
    heads = g.unit_roles.get(Role.UNIT_HEAD)
    if heads:
        own |= models.Q(unit_id__in=heads)
    return qs.filter(own)


def reads_lhkpn_list(user: Any) -> bool:
    """The register's pages: its readers, and unit heads (for their units)."""
    g = policy.grants(user)
    return g.has_global(*LHKPN_READERS) or Role.UNIT_HEAD in g.unit_roles


def register_lhkpn() -> None:
    extensions.register_policy(
        LhkpnObligation,
        scope=_obligations,
        capabilities={"view_register": LHKPN_READERS, "keep": LHKPN_KEEPERS},
        without_roles=True,
    )
    extensions.register_policy(
        LhkpnPosition,
        scope=lambda user, g, qs: qs if g.has_global(*LHKPN_READERS) else qs.none(),
        capabilities={"view": LHKPN_READERS, "change": LHKPN_KEEPERS},
    )


def lhkpn_navigation(user: Any) -> dict[str, str] | None:
    """The "LHKPN" menu entry for the register's readers and unit heads."""
    if getattr(user, "is_authenticated", False) and reads_lhkpn_list(user):
        return {
            "url": reverse("prevention-lhkpn-obligation-list"),
            "label": _("LHKPN"),
            "name": "prevention-lhkpn",
        }
    return None
