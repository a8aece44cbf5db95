"""Survey rules for the one permission policy (``core/policy.py``), registered at start-up.

- Instruments: the Inspectorate builds them; every staff role may read them.
- Waves: the Inspectorate runs them; leadership and administrators read all; unit staff read the
  waves their units take part in (to follow their own progress).
- Services: administrators and the Inspectorate maintain them; unit staff read their own.
- Import batches and the exports prepared in the background: the Inspectorate only (an export's
  page and file are also fetched through the wave's "export" capability).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.core import extensions, policy
from integritas.core.models import INSPECTORATE_ROLES, READ_ALL_ROLES, Role, Unit
from integritas.surveys.models import (
    ImportBatch,
    Instrument,
    InstrumentVersion,
    ResponseExport,
    Service,
    Wave,
)
from integritas.surveys.services import waves


def _instruments(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if g.roles else qs.none()


def _waves(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if g.has_global(*READ_ALL_ROLES):
        return qs
    return qs.filter(wave_units__unit_id__in=g.unit_ids()).distinct()


def _services(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if g.has_global(*READ_ALL_ROLES):
        return qs
    return qs.filter(unit_id__in=g.unit_ids())


def _batches(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if g.has_global(*INSPECTORATE_ROLES) else qs.none()


def register() -> None:
    manage: dict[str, frozenset[str]] = {"create": INSPECTORATE_ROLES, "change": INSPECTORATE_ROLES}
    extensions.register_policy(Instrument, scope=_instruments, capabilities=manage)
    extensions.register_policy(InstrumentVersion, scope=_instruments, capabilities=manage)
    extensions.register_policy(
        Wave,
        scope=_waves,
        capabilities={
            **manage,
            "import": INSPECTORATE_ROLES,
            "export": INSPECTORATE_ROLES,
            "invite": INSPECTORATE_ROLES,
        },
    )
    extensions.register_policy(
        Service,
        scope=_services,
        capabilities={
            "create": INSPECTORATE_ROLES | {Role.ADMINISTRATOR},
            "change": INSPECTORATE_ROLES | {Role.ADMINISTRATOR},
        },
    )
    extensions.register_policy(ImportBatch, scope=_batches, capabilities={})
    extensions.register_policy(ResponseExport, scope=_batches, capabilities={})


def navigation(user: Any) -> dict[str, str] | None:
    """The "Surveys" menu entry, for anyone who can see at least one wave or build instruments."""
    if policy.allows_model(user, "create", Wave) or policy.scope(user, Wave).exists():
        return {"url": reverse("surveys-wave-list"), "label": _("Surveys"), "name": "surveys-"}
    return None


def home_panel(request: Any) -> dict[str, Any] | None:
    """Open survey waves on the home page, with progress for the units the viewer can see."""
    user = request.user
    open_waves = list(
        policy.scope(user, Wave).filter(status=Wave.Status.OPEN).order_by("closes_on")[:5]
    )
    if not open_waves:
        return None
    visible = list(policy.scope(user, Unit).values_list("pk", flat=True))
    rows = []
    for wave in open_waves:
        progress = waves.progress(wave, units=visible)
        rows.append(
            {
                "wave": wave,
                "responses": sum(p.responses for p in progress),
                "target": sum(p.wave_unit.target or 0 for p in progress),
                "units": len(progress),
            }
        )
    return {"template": "surveys/waves/home_panel.html", "rows": rows}
