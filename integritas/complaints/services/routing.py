"""Conflict-of-interest routing: who gets a copy of a report's key, and who must not.

A handler who gets no copy cannot decrypt the report, whatever a page allows (docs/security.md,
"Whistleblowing encryption").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from integritas.complaints.access import SENSITIVE_ROLES
from integritas.complaints.models import AlternateHandler, HandlerKey
from integritas.core.models import Role, RoleAssignment, Unit, User


@dataclass(frozen=True)
class Routing:
    """Who receives a copy of a report's key, and who must not."""

    handlers: list[HandlerKey]
    custodians: list[HandlerKey]
    excluded_user_ids: frozenset[int]
    sensitive: bool  # about the Inspectorate or the leadership: the alternate group only
    alternate: bool  # sent to the alternate group (sensitive, or every handler excluded)
    # Identity custodians not excluded: when nobody may handle the report, it waits for them to
    # route it (a ``routing`` key copy) rather than being refused.
    routers: list[HandlerKey] = field(default_factory=list)


def _line(unit: Unit) -> set[int]:
    """The unit, its sub-units and the units above it: everyone in its line of command."""
    return Unit.objects.subtree_ids([unit.pk]) | {u.pk for u in unit.ancestors()}


def _is_inspectorate(unit: Unit) -> bool:
    return any(u.type == Unit.Type.INSPECTORATE for u in [*unit.ancestors(), unit])


def _enrolled(users: models.QuerySet[Any]) -> list[HandlerKey]:
    return list(
        HandlerKey.objects.filter(user__in=users, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )


def route(
    *, unit: Unit | None, official: User | None = None, about_leadership: bool = False
) -> Routing:
    """Decide who may read a report about ``unit`` and/or ``official``.

    - Excluded: the official, and everyone whose unit, or any of whose unit-limited roles, lies
      in the line of the unit concerned (or of the official's unit).
    - A report about the Inspectorate or the leadership (flag, an Inspectorate unit, or an
      official holding such a role) goes only to the alternate handler group.
    - Otherwise to the complaint handlers; when every one of them is excluded, to the alternate
      group rather than to nobody.
    - When nobody at all remains, ``routers`` names the identity custodians not excluded: the
      report waits for one of them to route it to someone who may handle it.
    """
    units = [u for u in (unit, official.unit if official else None) if u is not None]
    line: set[int] = set()
    for u in units:
        line |= _line(u)
    excluded = set(
        User.objects.filter(
            models.Q(unit_id__in=line) | models.Q(role_assignments__unit_id__in=line)
        ).values_list("pk", flat=True)
    )
    if official is not None:
        excluded.add(official.pk)
    sensitive = about_leadership or any(_is_inspectorate(u) for u in units)
    if official is not None:
        sensitive = (
            sensitive
            or RoleAssignment.objects.filter(user=official, role__in=SENSITIVE_ROLES).exists()
        )

    def holders_of(role: str) -> models.QuerySet[Any]:
        return User.objects.filter(role_assignments__role=role, role_assignments__unit=None)

    alternate_users = User.objects.filter(
        pk__in=AlternateHandler.objects.values("user_id")
    ).exclude(pk__in=excluded)
    alternate = _enrolled(alternate_users)
    custodians = _enrolled(holders_of(Role.IDENTITY_CUSTODIAN).exclude(pk__in=excluded))
    if sensitive:
        return Routing(
            alternate,
            alternate,
            frozenset(excluded),
            sensitive=True,
            alternate=True,
            routers=custodians,
        )
    handlers = _enrolled(holders_of(Role.COMPLAINT_HANDLER).exclude(pk__in=excluded))
    use_alternate = not handlers
    return Routing(
        handlers or alternate,
        custodians or alternate,
        frozenset(excluded),
        sensitive=False,
        alternate=use_alternate,
        routers=custodians,
    )
