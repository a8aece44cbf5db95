"""Index rules for the one permission policy (``core/policy.py``), registered at start-up.

- Stored results and weak points follow the wave (``surveys.access``): the Inspectorate,
  leadership and administrators see every wave; unit staff see the waves their units take part
  in, and only their own units' rows inside them (plus the government-wide figures).
- Method settings: the inspector general and administrators change them; staff read them.
- Official SPI results are published figures: every staff member reads them; the Inspectorate
  and administrators import them.
- Weak points: the Inspectorate requests recommendations or dismisses them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.core import extensions, policy
from integritas.core.models import INSPECTORATE_ROLES, READ_ALL_ROLES, SETUP_ROLES, Role
from integritas.indices.models import (
    IndexRun,
    Institution,
    MethodSetting,
    NationalFigure,
    SpiResult,
    WeakPoint,
)
from integritas.surveys.models import Wave

SETTINGS_MANAGERS: frozenset[str] = SETUP_ROLES
OFFICIAL_MANAGERS: frozenset[str] = INSPECTORATE_ROLES | {Role.ADMINISTRATOR}


def _runs(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs.filter(wave__in=policy.scope(user, Wave))


def _weak_points(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if g.has_global(*READ_ALL_ROLES):
        return qs
    return qs.filter(unit_id__in=g.unit_ids())


def _staff(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if g.roles else qs.none()


def register() -> None:
    extensions.register_policy(IndexRun, scope=_runs, capabilities={"export": READ_ALL_ROLES})
    extensions.register_policy(
        MethodSetting,
        scope=_staff,
        capabilities={"create": SETTINGS_MANAGERS, "change": SETTINGS_MANAGERS},
    )
    official = {"create": OFFICIAL_MANAGERS, "change": OFFICIAL_MANAGERS}
    extensions.register_policy(
        Institution, scope=_staff, capabilities={**official, "import": OFFICIAL_MANAGERS}
    )
    extensions.register_policy(
        SpiResult, scope=_staff, capabilities={**official, "import": OFFICIAL_MANAGERS}
    )
    extensions.register_policy(NationalFigure, scope=_staff, capabilities=official)
    extensions.register_policy(
        WeakPoint, scope=_weak_points, capabilities={"change": INSPECTORATE_ROLES}
    )


def navigation(user: Any) -> dict[str, str] | None:
    """The "Indices" menu entry, for every staff member who can see a wave or an SPI result."""
    if policy.scope(user, Institution).exists() or policy.scope(user, Wave).exists():
        return {"url": reverse("indices-home"), "label": _("Indices"), "name": "indices-"}
    return None
