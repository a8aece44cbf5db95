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

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.core import extensions, policy
from integritas.core.extensions import QueueCount
from integritas.core.models import INSPECTORATE_ROLES, READ_ALL_ROLES, SETUP_ROLES, Role
from integritas.indices.models import (
    IndexRun,
    Institution,
    MethodSetting,
    NationalFigure,
    SpiResult,
    WeakPoint,
)
from integritas.indices.services import dashboards, official
from integritas.indices.services.settings import spi_categories_for
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


def _new_weak_points(user: Any) -> list[QueueCount]:
    """Open weak points (neither followed up nor dismissed), per wave, newest wave first, each
    linked to the weak-point list of exactly that wave and status."""
    rows = (
        policy.scope(user, WeakPoint)
        .filter(status=WeakPoint.Status.OPEN)
        .values("wave__code", "wave__title", "wave__opens_on")
        .annotate(n=Count("pk"))
        .order_by("-wave__opens_on", "wave__code")
    )
    base = reverse("indices-weak-points")
    counts = [
        QueueCount(
            label=_("new weak points in %(wave)s") % {"wave": row["wave__title"]},
            n=row["n"],
            url=f"{base}?{urlencode({'wave': row['wave__code'], 'status': WeakPoint.Status.OPEN})}",
            empty="",
        )
        for row in rows
    ]
    return counts or [
        QueueCount(
            label=_("new weak points"),
            n=0,
            url=base,
            empty=_("No new weak point waits for a decision."),
        )
    ]


def _own_spi(user: Any) -> dict[str, Any] | None:
    """The government's latest official SPI result and its category."""
    own = policy.scope(user, Institution).filter(is_own=True).first()
    result = (
        policy.scope(user, SpiResult).filter(institution=own).order_by("-year").first()
        if own
        else None
    )
    if result is None:
        return None
    bands = official.bands_from(spi_categories_for(result.year))
    place = official.standing(Decimal(result.index), bands) if bands else None
    return {"result": result, "standing": place}


def home_panel(request: Any) -> dict[str, Any] | None:
    """Home page panel: for the Inspectorate, the new weak points of each wave waiting for a
    decision (count linked to the list of exactly those); for leadership, the government's
    latest official SPI and its own latest survey index."""
    user = request.user
    g = policy.grants(user)
    panel: dict[str, Any] = {"template": "indices/home_panel.html"}
    if g.has(*INSPECTORATE_ROLES) and policy.scope(user, WeakPoint).exists():
        panel["weak_points"] = _new_weak_points(user)
    if g.has(Role.LEADERSHIP):
        waves = list(dashboards.waves_with_results(user)[:1])
        panel["leadership"] = {
            "spi": _own_spi(user),
            "survey": dashboards.summaries(user, waves)[0] if waves else None,
        }
    return panel if len(panel) > 1 else None
