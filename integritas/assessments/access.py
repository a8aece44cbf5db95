"""Assessment rules for the one permission policy (``core/policy.py``), registered at start-up.

- The Inspectorate (inspector general, inspectors) keeps the frameworks: imports a year's
  workbook, copies last year's into a new year, activates a draft (``change``).
- Leadership and administrators read every framework and export it.
- Units see no framework here (their own pages come with the assessments they answer).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.assessments.models import Framework
from integritas.core import extensions, policy
from integritas.core.models import INSPECTORATE_ROLES, READ_ALL_ROLES

CAPABILITIES: dict[str, frozenset[str]] = {
    "view": READ_ALL_ROLES,
    "export": READ_ALL_ROLES,
    "create": INSPECTORATE_ROLES,
    "change": INSPECTORATE_ROLES,
}


def _frameworks(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if g.has_global(*READ_ALL_ROLES) else qs.none()


def register() -> None:
    extensions.register_policy(Framework, scope=_frameworks, capabilities=CAPABILITIES)


def navigation(user: Any) -> dict[str, str] | None:
    """The "Assessments" menu entry for those who may read frameworks."""
    if policy.allows_model(user, "view", Framework):
        return {
            "url": reverse("assessments-framework-list"),
            "label": _("Assessments"),
            "name": "assessments-",
        }
    return None
