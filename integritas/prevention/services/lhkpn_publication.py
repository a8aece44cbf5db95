"""LHKPN compliance on the portal: the decision to publish a year (the Inspectorate's, audited;
unpublishing needs a reason and keeps the row, ``LhkpnPublication``) and the figures the public
sees.

The public figures are those of the compliance page (``lhkpn_compliance``): per unit and for the
government, obliged, filed and complete with the filing and complete rates. No official is ever
named. A unit with fewer officials obliged than ``LHKPN_STATS_MIN_GROUP`` (5 by default) is
**withheld** ("< k"): with one or two officials its figures say who did not file. Since the
government's total is shown, further small units are withheld ("≥ k") until subtraction cannot
recover a hidden one (``lib.suppression.suppress``, as the whistleblowing and gratification
statistics do).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.core import policy
from integritas.core.models import INSPECTORATE_ROLES, Unit
from integritas.core.services import publication as decisions
from integritas.lib.suppression import suppress
from integritas.prevention import lhkpn
from integritas.prevention.models import (
    LhkpnAuditAction,
    LhkpnObligation,
    LhkpnPublication,
    LhkpnReportType,
)
from integritas.prevention.services import lhkpn_compliance

#: Who decides what the portal shows of the LHKPN register.
PUBLISHERS: frozenset[str] = INSPECTORATE_ROLES


def min_group() -> int:
    return int(settings.LHKPN_STATS_MIN_GROUP)


@dataclass(frozen=True)
class PublicUnit:
    unit: Unit
    figures: lhkpn.Compliance | None  # None: withheld
    withheld: str = ""  # "< k" or "≥ k"


@dataclass(frozen=True)
class PublicYear:
    year: int
    k: int
    government: lhkpn.Compliance
    units: list[PublicUnit]


def public_figures(year: int, *, k: int | None = None) -> PublicYear:
    """``year``'s compliance as the portal shows it, small units withheld."""
    k = k or min_group()
    figures = lhkpn_compliance.compliance(year)
    obliged = {row.unit.pk: row.figures.obliged for row in figures.units}
    hidden = suppress(obliged, k)
    units = [
        PublicUnit(row.unit, None, f"< {k}" if row.figures.obliged < k else f"≥ {k}")
        if row.unit.pk in hidden
        else PublicUnit(row.unit, row.figures)
        for row in figures.units
    ]
    return PublicYear(year=year, k=k, government=figures.government, units=units)


def public_trend() -> list[tuple[int, lhkpn.Compliance]]:
    """The government's figures for each published year, oldest first."""
    shown = set(published_years())
    return [(year, figures) for year, figures in lhkpn_compliance.trend() if year in shown]


# Publishing ---------------------------------------------------------------------------------


def may_publish(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and policy.grants(user).has_global(
        *PUBLISHERS
    )


def published_years() -> list[int]:
    """The years whose compliance is on the portal now, newest first."""
    return list(LhkpnPublication.objects.live().order_by("-year").values_list("year", flat=True))


def live(year: int) -> LhkpnPublication | None:
    return LhkpnPublication.objects.live().filter(year=year).first()


def _check(user: Any) -> None:
    if not may_publish(user):
        raise PermissionDenied(_("Only the Inspectorate publishes LHKPN compliance."))


@transaction.atomic
def publish(*, year: int, by: Any) -> LhkpnPublication:
    """Put ``year``'s compliance on the portal; refused for a year without officials listed,
    one whose filing has not opened (1 January of the next year) or one already published."""
    _check(by)
    listed = LhkpnObligation.objects.filter(year=year, report_type=LhkpnReportType.PERIODIC)
    if not listed.exists():
        raise ValidationError(_("No official is listed for this year yet."))
    if year >= timezone.localdate().year:
        raise ValidationError(_("The periodic reports of this year cannot be filed yet."))
    return decisions.publish(
        LhkpnPublication,
        key={"year": year},
        by=by,
        event=LhkpnAuditAction.COMPLIANCE_PUBLISHED,
        changes={"year": [None, year]},
        object_label=str(year),
    )


@transaction.atomic
def unpublish(*, year: int, by: Any, reason: str) -> LhkpnPublication:
    """Take ``year``'s compliance off the portal, with the reason the record keeps."""
    _check(by)
    return decisions.unpublish(
        LhkpnPublication,
        key={"year": year},
        by=by,
        reason=reason,
        event=LhkpnAuditAction.COMPLIANCE_UNPUBLISHED,
        changes={"year": [year, None]},
        object_label=str(year),
    )
