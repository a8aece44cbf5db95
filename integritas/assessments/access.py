"""Assessment rules for the one permission policy (``core/policy.py``), registered at start-up.

- The Inspectorate (inspector general, inspectors) keeps the frameworks: imports a year's
  workbook, copies last year's into a new year, activates a draft (``change``).
- Leadership and administrators read every framework and export it.
- Units see no framework here. On the MCSP document desk, unit staff see the years that assign
  them requirements and their own units' documents; the Inspectorate, leadership and
  administrators see everything. Who may upload, review and record KPK's verdict is decided per
  document by ``services/desk.py``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.assessments.models import (
    Assessment,
    Document,
    DocumentVersion,
    Framework,
    LkeAssessment,
    LkeEvidence,
)
from integritas.core import extensions, policy
from integritas.core.models import INSPECTORATE_ROLES, READ_ALL_ROLES, UNIT_ROLES, Role

CAPABILITIES: dict[str, frozenset[str]] = {
    "view": READ_ALL_ROLES,
    "export": READ_ALL_ROLES,
    "create": INSPECTORATE_ROLES,
    "change": INSPECTORATE_ROLES,
}


def _frameworks(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if g.has_global(*READ_ALL_ROLES) else qs.none()


def _assessments(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if g.has_global(*READ_ALL_ROLES):
        return qs
    return qs.filter(assignments__unit_id__in=g.unit_ids()).distinct()


def _by_unit(path: str) -> policy.ScopeRule:
    def rule(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if g.has_global(*READ_ALL_ROLES):
            return qs
        return qs.filter(**{f"{path}__in": g.unit_ids()})

    return rule


DESK_CAPABILITIES: dict[str, frozenset[str]] = {
    "view": READ_ALL_ROLES | UNIT_ROLES,
    "export": READ_ALL_ROLES,
    "create": INSPECTORATE_ROLES,
    "change": INSPECTORATE_ROLES,
    "reopen": frozenset({Role.ADMINISTRATOR}),
}


# A unit's LKE: its staff answer it, the Inspectorate (the TPI) reviews it; leadership and
# administrators read. Who may answer, review and move it along is decided by ``services/lke.py``.
LKE_CAPABILITIES: dict[str, frozenset[str]] = {
    "view": READ_ALL_ROLES | UNIT_ROLES,
    "export": READ_ALL_ROLES | UNIT_ROLES,
    "create": INSPECTORATE_ROLES | UNIT_ROLES,
    "change": INSPECTORATE_ROLES | UNIT_ROLES,
}


def register() -> None:
    extensions.register_policy(Framework, scope=_frameworks, capabilities=CAPABILITIES)
    extensions.register_policy(Assessment, scope=_assessments, capabilities=DESK_CAPABILITIES)
    extensions.register_policy(Document, scope=_by_unit("unit_id"), capabilities=DESK_CAPABILITIES)
    extensions.register_policy(
        DocumentVersion, scope=_by_unit("document__unit_id"), capabilities=DESK_CAPABILITIES
    )
    extensions.register_policy(
        LkeAssessment, scope=_by_unit("unit_id"), capabilities=LKE_CAPABILITIES
    )
    extensions.register_policy(
        LkeEvidence, scope=_by_unit("lke__unit_id"), capabilities=LKE_CAPABILITIES
    )


def navigation(user: Any) -> dict[str, str] | None:
    """The "Assessments" menu entry for those who may read frameworks."""
    if policy.allows_model(user, "view", Framework):
        return {
            "url": reverse("assessments-framework-list"),
            "label": _("Assessments"),
            "name": "assessments-",
        }
    return None


def lke_navigation(user: Any) -> dict[str, str] | None:
    """The "Integrity zone (LKE)" entry for unit staff, who answer their units' LKEs (the
    Inspectorate reaches them from the assessments pages)."""
    if policy.allows_model(user, "view", Framework):
        return None
    if policy.grants(user).has(*UNIT_ROLES):
        return {
            "url": reverse("assessments-lke-list"),
            "label": _("Integrity zone (LKE)"),
            "name": "assessments-lke",
        }
    return None


def desk_navigation(user: Any) -> dict[str, str] | None:
    """The "MCSP documents" entry for unit staff whose units have MCSP requirements (the
    Inspectorate reaches the desk from the assessments pages)."""
    if policy.allows_model(user, "view", Framework):
        return None
    if policy.scope(user, Assessment).exists():
        return {
            "url": reverse("assessments-desk-list"),
            "label": _("MCSP documents"),
            "name": "assessments-desk",
        }
    return None
