"""Education rules for the one permission policy (``core/policy.py``), registered at start-up.

- The Inspectorate (inspector general, inspectors) runs events: creates and changes them, checks
  participants in at the door and registers walk-ins (``change``).
- Leadership and administrators read every event and its attendance, and export it.
- Everyone else sees no event in the staff area (participants use the public pages, which know
  no accounts).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.core import extensions, policy
from integritas.core.models import INSPECTORATE_ROLES, READ_ALL_ROLES
from integritas.education.models import Event

CAPABILITIES: dict[str, frozenset[str]] = {
    "view": READ_ALL_ROLES,
    "export": READ_ALL_ROLES,
    "create": INSPECTORATE_ROLES,
    "change": INSPECTORATE_ROLES,
}


def _events(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if g.has_global(*READ_ALL_ROLES) else qs.none()


def register() -> None:
    extensions.register_policy(Event, scope=_events, capabilities=CAPABILITIES)


def navigation(user: Any) -> dict[str, str] | None:
    """The "Education" menu entry for those who may read events."""
    if policy.allows_model(user, "view", Event):
        return {
            "url": reverse("education-event-list"),
            "label": _("Education"),
            "name": "education-",
        }
    return None
