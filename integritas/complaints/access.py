"""Complaint rules for the one permission policy (``core/policy.py``), registered at start-up.

- A report is in a person's scope only when they hold a copy of one of its keys (conflict-of-
  interest routing decided who gets one) **and** they still sit at the complaints desk (a global
  complaint-handler or identity-custodian role, or membership of the alternate group) **and**
  they are not, or no longer, in the line of the unit concerned or the named official. So an
  excluded handler gets 404 on every page, and has no key to decrypt with either.
- Attachments follow the report, but only for holders of the report-content key (an identity
  custodian who holds only the identity key sees no files).
- Whoever holds a handler key or belongs to the alternate group must use two-factor sign-in,
  whatever their roles (``needs_two_factor``, registered with core's policy).
- Unit staff, leadership and administrators see no report at all. The Inspectorate's leaders
  (inspector general, inspectors) read the statistics, which show counts with small numbers
  suppressed, never a report.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.complaints.models import (
    AlternateHandler,
    Attachment,
    HandlerKey,
    Report,
    ReportKey,
)
from integritas.core import extensions, policy
from integritas.core.models import INSPECTORATE_ROLES, Role, Unit, User

DESK_ROLES = frozenset({Role.COMPLAINT_HANDLER, Role.IDENTITY_CUSTODIAN})


def at_desk(user: Any) -> bool:
    """Handler, identity custodian or alternate handler: may open the complaints pages."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if policy.grants(user).has_global(*DESK_ROLES):
        return True
    return AlternateHandler.objects.filter(user=user).exists()


def needs_two_factor(user: Any) -> bool:
    """Holds a key that opens reports, or belongs to the alternate handler group (and so may be
    given one): such a person signs in with two factors whatever their roles."""
    return (
        HandlerKey.objects.filter(user=user).exists()
        or AlternateHandler.objects.filter(user=user).exists()
    )


def conflicting_unit_ids(user: Any) -> set[int]:
    """Units whose reports ``user`` must never see: every unit in the line (sub-units and units
    above) of the user's own unit and of any unit their unit-limited roles cover."""
    roots = {uid for uid in [user.unit_id] if uid is not None}
    roots |= set(user.role_assignments.exclude(unit=None).values_list("unit_id", flat=True))
    if not roots:
        return set()
    line = set(Unit.objects.subtree_ids(list(roots)))
    for unit in Unit.objects.filter(pk__in=roots):
        line |= {u.pk for u in unit.ancestors()}
    return line


def _reports(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not at_desk(user):
        return qs.none()
    line = conflicting_unit_ids(user)
    return (
        qs.filter(pk__in=ReportKey.objects.filter(holder=user).values("report_id"))
        .exclude(official=user)
        .exclude(unit_id__in=line)
        .exclude(official__unit_id__in=line)
    )


def _attachments(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    reports = _reports(user, g, Report.objects.all()).filter(
        keys__holder=user, keys__purpose=ReportKey.Purpose.REPORT
    )
    return qs.filter(report__in=reports)


def readers(report: Report) -> list[User]:
    """Active people holding the report-content key and still at the desk (the alert fallback
    when nobody is assigned, and the people who may be assigned)."""
    holders = User.objects.filter(
        is_active=True,
        pk__in=ReportKey.objects.filter(
            report=report, purpose=ReportKey.Purpose.REPORT, holder__isnull=False
        ).values("holder_id"),
    ).order_by("name", "pk")
    return [u for u in holders if policy.scope(u, Report).filter(pk=report.pk).exists()]


def register() -> None:
    extensions.register_policy(
        Report, scope=_reports, capabilities={"statistics": INSPECTORATE_ROLES}
    )
    extensions.register_policy(Attachment, scope=_attachments, capabilities={})


def navigation(user: Any) -> dict[str, str] | None:
    """The "Reports" menu entry for the complaints desk, "Report statistics" for the
    Inspectorate's leaders."""
    if at_desk(user):
        return {
            "url": reverse("complaints-report-list"),
            "label": _("Whistleblowing"),
            "name": "complaints-",
        }
    if policy.allows_model(user, "statistics", Report):
        return {
            "url": reverse("complaints-statistics"),
            "label": _("Whistleblowing"),
            "name": "complaints-",
        }
    return None
