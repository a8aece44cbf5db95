"""The one permission policy: may this user do this to this object?

Views and API endpoints fetch objects through ``get_for_user`` (404 when the object is outside the
user's scope, 403 when it is inside but the user may only read it) and build lists from ``scope``.
Model-level capabilities (create, import, view the audit trail) go through ``require``.

The rules are tables, so a reader can check them against the role matrix in docs/security.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from integritas.audit.models import Event
from integritas.core.models import (
    INSPECTORATE_ROLES,
    READ_ALL_ROLES,
    SETUP_ROLES,
    CalendarSettings,
    FiscalYear,
    Government,
    Holiday,
    HolidayYear,
    Role,
    RoleAssignment,
    Unit,
    User,
)

Need = Literal["view", "change", "create", "delete", "import", "export", "invite", "manage_roles"]
M = TypeVar("M", bound=models.Model)

# Roles whose holders see every unit (as long as the role is not limited to one unit).
SEE_ALL_UNITS = READ_ALL_ROLES | {Role.COMPLAINT_HANDLER, Role.IDENTITY_CUSTODIAN}
SEE_ALL_PEOPLE = READ_ALL_ROLES
# Model-level capabilities beyond viewing: which global roles hold them.
CAPABILITIES: dict[type[models.Model], dict[str, frozenset[str]]] = {
    Government: {"change": frozenset({Role.ADMINISTRATOR})},
    FiscalYear: {
        "create": SETUP_ROLES,
        "change": SETUP_ROLES,
    },
    Unit: {
        "create": SETUP_ROLES,
        "change": SETUP_ROLES,
        "import": SETUP_ROLES,
    },
    User: {
        "create": frozenset({Role.ADMINISTRATOR}),
        "change": frozenset({Role.ADMINISTRATOR}),
        "manage_roles": frozenset({Role.ADMINISTRATOR}),
    },
    Event: {"view": INSPECTORATE_ROLES | {Role.ADMINISTRATOR}},
    # The working-day calendar: everyone signed in reads it (deadlines depend on it).
    Holiday: {
        "create": frozenset({Role.ADMINISTRATOR}),
        "change": frozenset({Role.ADMINISTRATOR}),
        "delete": frozenset({Role.ADMINISTRATOR}),
        "import": frozenset({Role.ADMINISTRATOR}),
    },
    HolidayYear: {
        "create": frozenset({Role.ADMINISTRATOR}),
        "change": frozenset({Role.ADMINISTRATOR}),
    },
    CalendarSettings: {"change": frozenset({Role.ADMINISTRATOR})},
}
# Models every signed-in person may read, whatever their roles.
READ_BY_EVERYONE_SIGNED_IN: frozenset[type[models.Model]] = frozenset(
    {Holiday, HolidayYear, CalendarSettings}
)


ScopeRule = Callable[[Any, "Grants", models.QuerySet[Any]], models.QuerySet[Any]]
# Rules for models of apps above core (surveys, follow-up, ...), registered from their
# AppConfig.ready() through ``register`` so that core never imports them.
SCOPE_RULES: dict[type[models.Model], ScopeRule] = {}
# Models whose rule is asked even for people who hold no role (membership of the whistleblowing
# alternate handler group is not a role).
RULES_WITHOUT_ROLES: set[type[models.Model]] = set()
EventScope = Callable[[Any, models.QuerySet[Event]], models.QuerySet[Event]]
# Rules that hide audit events about an app's objects from whoever may not see those objects
# (whistleblowing: events about a report are shown only to people who may read the report).
EVENT_SCOPES: list[EventScope] = []


def register(
    model: type[models.Model],
    *,
    scope: ScopeRule,
    capabilities: dict[str, frozenset[str]],
    without_roles: bool = False,
) -> None:
    """Add an app's model to the policy: who sees which rows, and who holds which capability.
    ``without_roles``: the scope rule also decides for signed-in people who hold no role."""
    SCOPE_RULES[model] = scope
    CAPABILITIES[model] = capabilities
    if without_roles:
        RULES_WITHOUT_ROLES.add(model)


def register_event_scope(rule: EventScope) -> None:
    """Add a rule ``rule(user, events) -> events`` that removes the events ``user`` may not see."""
    if rule not in EVENT_SCOPES:
        EVENT_SCOPES.append(rule)


def visible_events(user: Any, events: models.QuerySet[Event]) -> models.QuerySet[Event]:
    """``events`` without those an app's rule hides from ``user``. Every list of events goes
    through it: the audit trail (``scope(user, Event)``), the home page and each history."""
    for rule in EVENT_SCOPES:
        events = rule(user, events)
    return events


def history(user: Any, obj: models.Model) -> models.QuerySet[Event]:
    """The events about ``obj`` that ``user`` may see, newest first (a page's history section)."""
    return visible_events(user, Event.objects.for_object(obj)).select_related("actor")


@dataclass(frozen=True)
class Grants:
    """What one user holds: global roles, and unit-limited roles with the unit subtrees they cover."""

    global_roles: frozenset[str]
    unit_roles: dict[str, frozenset[int]]

    def has(self, *roles: str) -> bool:
        return any(role in self.global_roles or role in self.unit_roles for role in roles)

    def has_global(self, *roles: str) -> bool:
        return any(role in self.global_roles for role in roles)

    def unit_ids(self) -> frozenset[int]:
        ids: set[int] = set()
        for covered in self.unit_roles.values():
            ids |= covered
        return frozenset(ids)

    @property
    def roles(self) -> frozenset[str]:
        return self.global_roles | frozenset(self.unit_roles)


NO_GRANTS = Grants(frozenset(), {})


def grants(user: Any) -> Grants:
    """The user's roles, computed once per user object (that is, once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_GRANTS
    cached = getattr(user, "_integritas_grants", None)
    if cached is not None:
        return cached
    global_roles: set[str] = set()
    roots: dict[str, set[int]] = {}
    for role, unit_id in RoleAssignment.objects.filter(user=user).values_list("role", "unit_id"):
        if unit_id is None:
            global_roles.add(role)
        else:
            roots.setdefault(role, set()).add(unit_id)
    unit_roles = {role: frozenset(Unit.objects.subtree_ids(ids)) for role, ids in roots.items()}
    result = Grants(frozenset(global_roles), unit_roles)
    user._integritas_grants = result
    return result


def forget(user: Any) -> None:
    """Drop the cached grants (and what follows from them) after the user's roles change."""
    for cached in ("_integritas_grants", "_integritas_two_factor"):
        if hasattr(user, cached):
            delattr(user, cached)


TwoFactorRule = Callable[[Any], bool]
# Reasons beyond the roles why a person must use two-factor sign-in (holding a key that opens
# whistleblowing reports, ...), registered by apps above core through ``register_two_factor_rule``.
TWO_FACTOR_RULES: list[TwoFactorRule] = []


# For each rule, the people it names, as a queryset of user ids (to list them without asking the
# rule person by person, e.g. the administrator's "missing two-factor" list).
TWO_FACTOR_PEOPLE: list[Callable[[], models.QuerySet[Any]]] = []


def register_two_factor_rule(
    rule: TwoFactorRule, people: Callable[[], models.QuerySet[Any]] | None = None
) -> None:
    """Add ``rule(user) -> bool``: True when the user must use two-factor sign-in; ``people()``
    returns the ids of every user the rule names (``values("user_id")`` or ``values("pk")``)."""
    if rule not in TWO_FACTOR_RULES:
        TWO_FACTOR_RULES.append(rule)
        if people is not None:
            TWO_FACTOR_PEOPLE.append(people)


def two_factor_people() -> models.QuerySet[Any]:
    """Every active user who must use two-factor sign-in: the holders of ``TWO_FACTOR_ROLES``
    and the people the registered rules name."""
    wanted = models.Q(
        pk__in=RoleAssignment.objects.filter(role__in=settings.TWO_FACTOR_ROLES).values("user_id")
    )
    for people in TWO_FACTOR_PEOPLE:
        wanted |= models.Q(pk__in=people())
    return User.objects.filter(is_active=True).filter(wanted)


def requires_two_factor(user: Any) -> bool:
    """Must this user use two-factor sign-in (while ``REQUIRE_2FA`` is on)? Yes for the roles in
    ``TWO_FACTOR_ROLES`` and for anyone a registered rule names, whatever their roles. Worked out
    once per user object (that is, once per request), like the grants."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_integritas_two_factor", None)
    if cached is not None:
        return bool(cached)
    result = grants(user).has(*settings.TWO_FACTOR_ROLES) or any(
        rule(user) for rule in TWO_FACTOR_RULES
    )
    user._integritas_two_factor = result
    return result


def scope(user: Any, model: type[M], need: Need = "view") -> models.QuerySet[M]:
    """Every object of ``model`` that ``user`` may see (``need='view'``) or otherwise act on."""
    g = grants(user)
    qs: models.QuerySet[Any] = model._default_manager.all()
    if model in READ_BY_EVERYONE_SIGNED_IN and need == "view":
        return qs if g is not NO_GRANTS else qs.none()
    if g is not NO_GRANTS and not g.roles and need == "view" and model in RULES_WITHOUT_ROLES:
        return SCOPE_RULES[model](user, g, qs)
    if g is NO_GRANTS or not g.roles:
        if model is User and getattr(user, "is_authenticated", False) and need == "view":
            return qs.filter(pk=user.pk)
        return qs.none()
    if need != "view":
        return qs if allows_model(user, need, model) else qs.none()
    if model is Unit:
        if g.has_global(*SEE_ALL_UNITS):
            return qs
        return qs.filter(pk__in=g.unit_ids())
    if model is User:
        if g.has_global(*SEE_ALL_PEOPLE):
            return qs
        return qs.filter(models.Q(unit_id__in=g.unit_ids()) | models.Q(pk=user.pk))
    if model is RoleAssignment:
        if g.has_global(*SEE_ALL_PEOPLE):
            return qs
        return qs.filter(models.Q(user__unit_id__in=g.unit_ids()) | models.Q(user=user))
    if model in (Government, FiscalYear):
        return qs
    if model is Event:
        if not allows_model(user, "view", Event):
            return qs.none()
        events: models.QuerySet[Any] = visible_events(user, qs)
        return events
    rule = SCOPE_RULES.get(model)
    if rule is not None:
        return rule(user, g, qs)
    raise LookupError(f"the policy has no rule for {model.__name__}")


def allows_model(user: Any, need: str, model: type[models.Model]) -> bool:
    """May ``user`` do ``need`` on ``model`` in general (create, import, view the audit trail)?"""
    holders = CAPABILITIES.get(model, {}).get(need)
    if holders is None:
        return False
    return grants(user).has_global(*holders)


def allows(user: Any, need: str, obj: models.Model) -> bool:
    """May ``user`` do ``need`` to this object? Viewing needs the object to be in scope."""
    model = type(obj)
    if not scope(user, model, "view").filter(pk=obj.pk).exists():
        # Everyone may view and change their own account's preferences through account pages,
        # which do not go through this function.
        return False
    if need == "view":
        return True
    return allows_model(user, need, model)


def get_for_user(user: Any, model: type[M], *, need: Need = "view", **lookup: Any) -> M:
    """Fetch one object for ``user``: 404 outside their scope, 403 when they may only read it."""
    try:
        obj = scope(user, model, "view").get(**lookup)
    except (model.DoesNotExist, ValueError, model.MultipleObjectsReturned) as exc:  # type: ignore[attr-defined]
        raise Http404 from exc
    if need != "view" and not allows_model(user, need, model):
        raise PermissionDenied
    return obj


def require(user: Any, need: Need, model: type[models.Model]) -> None:
    """Raise 403 unless ``user`` holds the model-level capability ``need``."""
    if not allows_model(user, need, model):
        raise PermissionDenied
