"""The one place where apps above core plug into it.

Core never imports the apps built on it (surveys, indices, follow-up, whistleblowing, ...). Each
of them registers what it adds from its ``AppConfig.ready()``, through the functions here:

- ``register_policy``: who sees which rows of a model and who holds which capability;
- ``register_navigation``: a menu entry, shown when the provider returns one for the user;
- ``register_home_panel``: a panel on the home page, shown when the provider returns one; a
  panel that is a work queue lists ``QueueCount``s (drawn by ``core/_queue.html``);
- ``register_password_change_hook``: called before a changed password is saved (apps that keep a
  secret locked with the password re-lock it);
- ``register_audit_actions``: the app's ``AuditAction`` choices, the names the audit pages show;
- ``register_two_factor_rule``: a reason beyond the roles why a person must use two-factor
  sign-in (whistleblowing: holding a key that opens reports, or being an alternate handler);
- ``register_event_scope``: a rule that hides audit events about the app's objects from whoever
  may not see those objects (in the audit trail, its exports, the home page and every history);
- ``register_unit_changes``: which of the app's events carry figures of several units, so that
  history sections show unit-limited viewers only their own units' (``core/history.py``);
- ``register_object_links``: links from a record of a lower app to the registering app's records
  made from it, or to start one (a weak point's recommendation, "create a recommendation");
- ``register_public_home``: the page ``/`` shows to a visitor who is not signed in (the
  transparency portal); without one, ``/`` sends them to the sign-in page;
- ``register_evidence_targets`` / ``register_linked_evidence``: records that count as evidence
  for another app's records, between sibling apps that may not import each other (follow-up
  offers its activities; education links an event to one, which then counts as its evidence);
- ``register_scoreboard_section``: a section of the leadership scoreboard (follow-up's page) from
  an app that follow-up may not import (prevention: LHKPN compliance by unit);
- ``register_data_register``: a register an app keeps, under a stable key, whose current figure
  other apps' records can show (an MCSP indicator whose evidence is the LHKPN compliance);
- demo data: a ``demo.py`` module with ``seed_app()`` in the app is found by
  ``autodiscover_modules("demo")``; nothing to register.

The registries are filled once, while Django loads the apps, and read on every request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from integritas.audit import labels
from integritas.core import history, policy, records

NavigationProvider = Callable[[Any], dict[str, str] | None]
HomePanelProvider = Callable[[HttpRequest], dict[str, Any] | None]
PasswordChangeHook = Callable[..., Any]
ObjectLinksProvider = Callable[[Any, models.Model], list[dict[str, str]]]

_navigation: list[NavigationProvider] = []
_home_panels: list[tuple[int, HomePanelProvider]] = []
_password_change_hooks: list[PasswordChangeHook] = []
_object_links: dict[type[models.Model], list[ObjectLinksProvider]] = {}
_public_home: list[Callable[[HttpRequest], Any]] = []
ScoreboardSection = Callable[[Any], dict[str, Any] | None]
_scoreboard_sections: list[ScoreboardSection] = []


def register_policy(
    model: type[models.Model],
    *,
    scope: policy.ScopeRule,
    capabilities: dict[str, frozenset[str]],
    without_roles: bool = False,
) -> None:
    """Add a model to the permission policy (see ``core.policy.scope`` and ``allows_model``);
    ``without_roles``: the scope rule decides for people without any role too."""
    policy.register(model, scope=scope, capabilities=capabilities, without_roles=without_roles)


def register_navigation(provider: NavigationProvider) -> None:
    """``provider(user)`` returns a menu item ``{"url", "label", "name"}`` or None."""
    if provider not in _navigation:
        _navigation.append(provider)


def navigation_items(user: Any) -> list[dict[str, str]]:
    """The registered menu items this user gets, in registration (INSTALLED_APPS) order."""
    return [item for item in (provider(user) for provider in _navigation) if item is not None]


def register_home_panel(provider: HomePanelProvider, *, order: int = 100) -> None:
    """``provider(request)`` returns a panel ``{"template", ...context}`` or None. Panels show
    by ``order`` (lower first; work queues before figures to read), then in registration order."""
    if all(registered is not provider for _, registered in _home_panels):
        _home_panels.append((order, provider))


def home_panels(request: HttpRequest) -> list[dict[str, Any]]:
    """The registered home panels for this request, by order."""
    providers = [provider for _, provider in sorted(_home_panels, key=lambda item: item[0])]
    return [panel for panel in (provider(request) for provider in providers) if panel]


@dataclass(frozen=True)
class QueueCount:
    """One line of a home page's work queue: how many items wait, what they are, and the list
    that shows exactly those items (the count and the list come from the same query)."""

    label: str
    n: int
    url: str
    empty: str  # what the line says, in words, when nothing waits
    urgent: bool = False  # shown in red when anything waits (overdue, returned)


def register_password_change_hook(hook: PasswordChangeHook) -> None:
    """``hook(user=..., old_password=..., new_password=...)`` runs in the password change's
    transaction, before the new password is saved; raising stops the change."""
    if hook not in _password_change_hooks:
        _password_change_hooks.append(hook)


def password_changing(*, user: Any, old_password: str, new_password: str) -> None:
    """Run every password-change hook for a password about to change."""
    for hook in _password_change_hooks:
        hook(user=user, old_password=old_password, new_password=new_password)


def register_audit_actions(
    actions: type[models.TextChoices],
    *,
    fields: Mapping[str, tuple[Any, Mapping[str, Any]]] | None = None,
    kinds: Mapping[str, Any] | None = None,
    actors: Mapping[str, Any] | None = None,
    names: records.NameResolver | None = None,
) -> None:
    """Name the app's audit actions (a ``TextChoices`` whose values are the recorded action
    strings) and what its events carry, for the audit page and the histories
    (``core/records.py``): ``fields``, the changed names that are not model fields
    (``{name: (label, choices)}``); ``kinds``, the object types that are not models
    (``{"followup.reminders": label}``); ``actors``, the names its commands and tasks act under
    (``{"send_reminders": label}``); ``names``, a resolver ``names(texts) -> {text: name}`` for
    identifiers its events' changes hold (a file's id)."""
    labels.register_actions(dict(actions.choices))
    for name, (label, choices) in (fields or {}).items():
        labels.register_field(name, label, choices)
    labels.register_kinds(kinds or {})
    labels.register_actors(actors or {})
    if names is not None:
        records.register_names(names)


def register_event_scope(rule: policy.EventScope) -> None:
    """``rule(user, events)`` returns ``events`` without those ``user`` may not see; the rules
    apply wherever core lists events (``policy.visible_events``)."""
    policy.register_event_scope(rule)


def register_unit_changes(actions: Mapping[str, history.UnitChanges]) -> None:
    """Say which changes of which audit actions name units or add them up (``{action:
    UnitChanges(...)}``); ``core.history.for_viewer`` cuts them to the viewer's units."""
    history.register(actions)


def register_object_links(model: type[models.Model], provider: ObjectLinksProvider) -> None:
    """``provider(user, obj)`` returns the links the user gets on the page of ``obj`` (a record
    of ``model``), each ``{"url", "label", "kind"}``: kind ``related`` names a record made from
    ``obj``, kind ``action`` starts one. The provider checks the user's permissions."""
    providers = _object_links.setdefault(model, [])
    if provider not in providers:
        providers.append(provider)


def object_links(user: Any, obj: models.Model, kind: str | None = None) -> list[dict[str, str]]:
    """The registered links for ``obj`` this user gets (of one ``kind`` when given), in
    registration order."""
    links = [link for provider in _object_links.get(type(obj), []) for link in provider(user, obj)]
    return [link for link in links if kind is None or link["kind"] == kind]


def demo_seeders() -> list[tuple[str, Callable[[], list[str]]]]:
    """``(app label, seed_app)`` of every installed app with a ``demo.py`` that defines one, in
    INSTALLED_APPS order; core's own demo is seeded first by the command itself."""
    autodiscover_modules("demo")
    seeders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("integritas.") or config.label == "core":
            continue
        module = getattr(config.module, "demo", None)
        seeder = getattr(module, "seed_app", None)
        if seeder is not None:
            seeders.append((config.label, seeder))
    return seeders


def register_two_factor_rule(
    rule: policy.TwoFactorRule, people: Callable[[], models.QuerySet[Any]] | None = None
) -> None:
    """``rule(user)`` returns True when the user must use two-factor sign-in whatever their roles
    (``policy.requires_two_factor``; the middleware then sends them to set it up or pass it);
    ``people()`` returns the ids of everyone the rule names, for lists such as the
    administrator's "not yet set up" (``policy.two_factor_people``)."""
    policy.register_two_factor_rule(rule, people)


def register_public_home(view: Callable[[HttpRequest], Any]) -> None:
    """``view(request)`` answers ``/`` for visitors who are not signed in (one app registers it;
    a second registration replaces the first)."""
    _public_home[:] = [view]


def public_home() -> Callable[[HttpRequest], Any] | None:
    """The registered page for ``/`` when nobody is signed in, or None."""
    return _public_home[0] if _public_home else None


# --- evidence held by one app for another app's activities -------------------------------------


@dataclass(frozen=True)
class LinkedEvidence:
    """Evidence another app holds for a follow-up activity (an education event linked to it):
    what it is, its date, and the page that shows it ("" when the viewer has none to open)."""

    source: str
    title: str
    date: Any
    url: str = ""


EvidenceTargetChoices = Callable[[Any], list[tuple[str, str]]]
EvidenceTargetLabel = Callable[[str], str | None]
LinkedEvidenceProvider = Callable[[str], list[LinkedEvidence]]

_evidence_targets: list[tuple[EvidenceTargetChoices, EvidenceTargetLabel]] = []
_linked_evidence: list[LinkedEvidenceProvider] = []


def register_evidence_targets(choices: EvidenceTargetChoices, label: EvidenceTargetLabel) -> None:
    """The records other apps' records may count as evidence for (follow-up: the open activities
    of running plans). ``choices(user)`` returns ``[(id, label)]`` the user may link to;
    ``label(id)`` names one, or None when it no longer exists."""
    _evidence_targets[:] = [(choices, label)]


def evidence_target_choices(user: Any) -> list[tuple[str, str]]:
    return [choice for choices, _label in _evidence_targets for choice in choices(user)]


def evidence_target_label(target: str) -> str | None:
    for _choices, label in _evidence_targets:
        if (found := label(target)) is not None:
            return found
    return None


def register_linked_evidence(provider: LinkedEvidenceProvider) -> None:
    """``provider(id)`` returns the evidence an app holds for the evidence target ``id``
    (education: the events linked to a follow-up activity), which then counts as its evidence."""
    if provider not in _linked_evidence:
        _linked_evidence.append(provider)


def linked_evidence(target: str) -> list[LinkedEvidence]:
    """The evidence every registered app holds for ``target``."""
    return [item for provider in _linked_evidence for item in provider(target)]


def register_scoreboard_section(provider: ScoreboardSection) -> None:
    """``provider(user)`` returns a section of the leadership scoreboard for ``user`` (a dict with
    the ``template`` that draws it and what that template reads), or None."""
    _scoreboard_sections.append(provider)


def scoreboard_sections(user: Any) -> list[dict[str, Any]]:
    return [section for provider in _scoreboard_sections if (section := provider(user))]


# --- findings of other apps' registers that may become recommendations -------------------------


@dataclass(frozen=True)
class RecommendationSignal:
    """A finding an app's register raises for the Inspectorate (prevention: a unit with
    repeated late gratification reports) that may become a follow-up recommendation: ``key``
    names it across requests, ``source`` is the recommendation's source code, the rest prefills
    the new recommendation's form (``unit_id``: the unit it is about, or None). Follow-up keeps
    ``key`` as the recommendation's reference number, so a signal acted upon is listed no more.
    """

    key: str
    source: str
    title: str
    description: str
    unit_id: int | None
    year: int


RecommendationSignalProvider = Callable[[Any], list[RecommendationSignal]]

_recommendation_signals: list[RecommendationSignalProvider] = []


def register_recommendation_signals(provider: RecommendationSignalProvider) -> None:
    """``provider(user)`` returns the signals ``user`` may read now; follow-up lists them beside
    its recommendations and prefills a new recommendation from one. One registration per kind of
    signal (late gratification reports, low LHKPN compliance, ...)."""
    if provider not in _recommendation_signals:
        _recommendation_signals.append(provider)


def recommendation_signals(user: Any) -> list[RecommendationSignal]:
    """Every registered app's signals that ``user`` may read."""
    return [signal for provider in _recommendation_signals for signal in provider(user)]


def recommendation_signal(user: Any, key: str) -> RecommendationSignal | None:
    """The signal named ``key`` if ``user`` may read it."""
    return next((s for s in recommendation_signals(user) if s.key == key), None)


# --- registers whose figures other apps' records point at ---------------------------------------

REGISTER_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass(frozen=True)
class DataRegister:
    """A register an app keeps whose figures other apps' records can point at (an MCSP indicator
    whose evidence is the LHKPN compliance). ``key`` names it in data (a framework workbook's
    ``register`` column) and never changes; ``title`` (lazy) and ``url`` (its staff page) show it;
    ``figure(year)`` gives its current figure for an assessment of ``year`` as a sentence, or None
    when it has none; ``may_view(user)`` says who may read it (its figures and its page)."""

    key: str
    title: Any
    url: Any
    figure: Callable[[int], str | None]
    may_view: Callable[[Any], bool]


@dataclass(frozen=True)
class RegisterReading:
    """A register as one reader sees it for one year: ``url`` and ``figure`` are empty for a
    reader who may not read it; ``figure`` is None too when the register has no data."""

    key: str
    title: str
    year: int
    url: str
    figure: str | None
    readable: bool


_data_registers: dict[str, DataRegister] = {}


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def register_data_register(
    key: str,
    *,
    title: Any,
    url: Any,
    figure: Callable[[int], str | None],
    may_view: Callable[[Any], bool] | None = None,
) -> None:
    """Register a register under ``key`` (lower-case letters, digits and dashes). Without
    ``may_view`` anyone signed in may read it. A second register under a key already taken is
    refused (``ValueError``); registering the same figure function again changes nothing."""
    if not REGISTER_KEY.match(key):
        raise ValueError(f"A register key is lower-case letters, digits and dashes: {key!r}")
    existing = _data_registers.get(key)
    if existing is not None and existing.figure is not figure:
        raise ValueError(f"A register is already registered under the key {key!r}")
    _data_registers[key] = DataRegister(key, title, url, figure, may_view or _signed_in)


def data_register_keys() -> list[str]:
    """The keys of every registered register, sorted."""
    return sorted(_data_registers)


def data_register(key: str) -> DataRegister | None:
    return _data_registers.get(key)


def validate_data_register_key(value: str) -> None:
    """A model field's validator: empty, or the key of a registered register."""
    if value and value not in _data_registers:
        raise ValidationError(
            _("There is no register “%(key)s”. The registers are: %(keys)s.")
            % {"key": value, "keys": ", ".join(data_register_keys()) or "—"},
            code="unknown_register",
        )


def read_data_register(user: Any, key: str, year: int) -> RegisterReading | None:
    """The register named ``key`` as ``user`` sees it for ``year`` (its figure and its page only
    for those who may read it), or None when no register has that key."""
    entry = _data_registers.get(key)
    if entry is None:
        return None
    readable = bool(entry.may_view(user))
    return RegisterReading(
        key=key,
        title=str(entry.title),
        year=year,
        url=str(entry.url) if readable else "",
        figure=entry.figure(year) if readable else None,
        readable=readable,
    )
