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
  suppressed, never a report, and leave out every report routing kept away from the
  Inspectorate or from the reader (``statistics_reports``); leadership reads government-wide
  counts on its home page, with the same reports left out (``leadership_reports``).
- Audit events about a report (or a file, note or message of one) are shown only to people who
  may see the report (``events_in_sight``), wherever core lists events.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.audit.models import Event
from integritas.complaints.models import (
    AlternateHandler,
    Attachment,
    HandlerKey,
    Message,
    Note,
    Report,
    ReportKey,
)
from integritas.core import extensions, policy
from integritas.core.models import INSPECTORATE_ROLES, Role, Unit, User

DESK_ROLES = frozenset({Role.COMPLAINT_HANDLER, Role.IDENTITY_CUSTODIAN})
# Roles whose holders, when named in a report, make it a report about the leadership or the
# Inspectorate, which must not handle it (``services/routing.py``).
SENSITIVE_ROLES = INSPECTORATE_ROLES | {Role.LEADERSHIP}


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


def two_factor_people() -> models.QuerySet[Any]:
    """The ids of everyone ``needs_two_factor`` names: key holders and the alternate group."""
    return User.objects.filter(
        models.Q(pk__in=HandlerKey.objects.values("user_id"))
        | models.Q(pk__in=AlternateHandler.objects.values("user_id"))
    ).values("pk")


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


def _as_event_ids(qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The primary keys of ``qs`` as an event's ``object_id`` holds them (text)."""
    return qs.annotate(event_object_id=Cast("pk", models.CharField())).values("event_object_id")


def events_in_sight(user: Any, events: models.QuerySet[Event]) -> models.QuerySet[Event]:
    """``events`` without those about a report ``user`` may not see, or about a file, note or
    message of one. An event about reports that names none the user may see (a purged report,
    which nobody can be shown to be allowed to see any more; the daily run of overdue alerts,
    which concerns many) is hidden too: it stays in the chain for ``audit_verify``."""
    visible = policy.scope(user, Report)
    hidden = models.Q(object_type=Report._meta.label_lower) & ~models.Q(
        object_id__in=_as_event_ids(visible)
    )
    for part in (Attachment, Note, Message):
        hidden |= models.Q(object_type=part._meta.label_lower) & ~models.Q(
            object_id__in=_as_event_ids(part.objects.filter(report__in=visible))
        )
    return events.exclude(hidden)


def _inspectorate_unit_ids() -> set[int]:
    roots = list(Unit.objects.filter(type=Unit.Type.INSPECTORATE).values_list("pk", flat=True))
    return set(Unit.objects.subtree_ids(roots)) if roots else set()


def statistics_reports(user: Any) -> models.QuerySet[Report]:
    """The reports counted in the statistics ``user`` reads (the Inspectorate's leaders):
    ``countable_reports``."""
    if not policy.allows_model(user, "statistics", Report):
        return Report.objects.none()
    return countable_reports(user)


def leadership_reports(user: Any) -> models.QuerySet[Report]:
    """The reports counted on leadership's home page (counts only, never a report or a unit):
    ``countable_reports``, so that a report about the leadership is never among them."""
    if not policy.grants(user).has(Role.LEADERSHIP):
        return Report.objects.none()
    return countable_reports(user)


def countable_reports(user: Any) -> models.QuerySet[Report]:
    """The reports that may be counted for ``user``, who reads figures but no report.

    Left out, so that neither a count nor a unit's name gives them away: every report that
    conflict-of-interest routing sent away from the Inspectorate (to the alternate group: about
    the Inspectorate or the leadership, or with every handler excluded; checked again against
    today's units and roles), and every report about a unit in the reader's own line or naming
    the reader.
    """
    inspectorate = _inspectorate_unit_ids()
    line = conflicting_unit_ids(user)
    sensitive_officials = User.objects.filter(
        models.Q(role_assignments__role__in=SENSITIVE_ROLES) | models.Q(unit_id__in=inspectorate)
    )
    return (
        Report.objects.exclude(routed_to_alternate=True)
        .exclude(about_leadership=True)
        .exclude(unit_id__in=inspectorate | line)
        .exclude(official__in=sensitive_officials)
        .exclude(official__unit_id__in=line)
        .exclude(official=user)
    )


def public_reports() -> models.QuerySet[Report]:
    """The reports counted in the statistics anyone may read on the transparency portal: those
    counted for every reader (``countable_reports`` of someone in no unit's line), so a report
    routing kept away from the Inspectorate, or about the leadership, the Inspectorate or one of
    its people, is never among them."""
    inspectorate = _inspectorate_unit_ids()
    sensitive_officials = User.objects.filter(
        models.Q(role_assignments__role__in=SENSITIVE_ROLES) | models.Q(unit_id__in=inspectorate)
    )
    return (
        Report.objects.exclude(routed_to_alternate=True)
        .exclude(about_leadership=True)
        .exclude(unit_id__in=inspectorate)
        .exclude(official__in=sensitive_officials)
    )


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
    # A member of the alternate group may hold no role at all: the rules decide for them too.
    extensions.register_policy(
        Report,
        scope=_reports,
        capabilities={"statistics": INSPECTORATE_ROLES},
        without_roles=True,
    )
    extensions.register_policy(Attachment, scope=_attachments, capabilities={}, without_roles=True)
    extensions.register_event_scope(events_in_sight)


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
