"""State machines, one small helper for all of them (ARCHITECTURE: state machines are explicit).

A model's workflow is a ``Table`` of ``Transition`` rows: the step's name, the states it may
start from, the state it leads to, who may fire it and whether it needs a reason::

    PLAN = Table(
        [
            Transition("submit", frozenset({"draft"}), "submitted", roles=frozenset({"head"})),
            Transition("return", frozenset({"submitted"}), "draft", needs_reason=True),
        ],
        event="plan.{name}",
    )

The table answers two questions without touching the database: ``check`` (may these roles fire
this step from this state? ``TransitionError`` says why not) and ``available`` (the steps they
may fire, for buttons). ``apply`` fires a step on a record: it checks the table, then the caller's
guard (rules that need the database or the people involved), sets the status, lets the caller set
the fields the step fills in, saves, and writes one audit event.

"Roles" are whatever the caller derives from the user for this record (the unit's head, the
Inspectorate, ...); a transition whose ``roles`` is None leaves that question to the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models

from integritas import audit


class TransitionError(ValueError):
    """The step is not allowed. ``code`` says why, so the caller can show a translated message:
    ``unknown`` (no such step), ``state`` (not from the current state), ``role`` (not for these
    roles) or ``reason`` (a reason is needed); callers' own checks may add codes of their own."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Transition:
    """One step: ``name`` leads from any of ``sources`` to ``target``.

    ``roles``: who may fire it (at least one of them must be held); None means the table does not
    ask. ``needs_reason``: a non-blank reason must be given. ``event``: the audit action written
    when it fires, when it differs from the table's.
    """

    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str] | None = None
    needs_reason: bool = False
    event: str = ""

    def allows(self, roles: Collection[str] | None) -> bool:
        """Whether ``roles`` may fire this step (None: the caller has decided already)."""
        return self.roles is None or roles is None or bool(self.roles & set(roles))


T = TypeVar("T", bound=Transition)


class Table(Mapping[str, T], Generic[T]):
    """A model's transitions by name, in the order written (the order buttons appear in).

    ``event`` is the audit action of a fired step; ``{name}`` and ``{target}`` are filled in.
    """

    def __init__(self, transitions: Iterable[T], *, event: str) -> None:
        self._transitions: dict[str, T] = {}
        for transition in transitions:
            if transition.name in self._transitions:
                raise ValueError(f"Two transitions are named {transition.name!r}.")
            self._transitions[transition.name] = transition
        self.event = event

    def __getitem__(self, name: str) -> T:
        return self._transitions[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._transitions)

    def __len__(self) -> int:
        return len(self._transitions)

    def check(
        self, name: str, *, status: str, roles: Collection[str] | None = None, reason: str = ""
    ) -> T:
        """The transition ``name`` if ``roles`` may fire it from ``status``; raises
        ``TransitionError`` otherwise. ``roles`` None skips the role check."""
        transition = self._transitions.get(name)
        if transition is None:
            raise TransitionError("unknown", f"There is no transition {name!r}.")
        if status not in transition.sources:
            raise TransitionError("state", f"{name!r} is not allowed from {status!r}.")
        if not transition.allows(roles):
            raise TransitionError(
                "role", f"{name!r} needs one of {sorted(transition.roles or ())}."
            )
        if transition.needs_reason and not reason.strip():
            raise TransitionError("reason", f"{name!r} needs a reason.")
        return transition

    def available(self, *, status: str, roles: Collection[str] | None = None) -> list[T]:
        """The transitions ``roles`` may fire from ``status``, in table order."""
        return [t for t in self._transitions.values() if status in t.sources and t.allows(roles)]

    def leading_to(self, target: str, *, status: str) -> T | None:
        """The transition from ``status`` to ``target``, for callers that name the new state."""
        return next(
            (t for t in self._transitions.values() if status in t.sources and t.target == target),
            None,
        )

    def event_for(self, transition: Transition) -> str:
        """The audit action written when ``transition`` fires."""
        return transition.event or self.event.format(name=transition.name, target=transition.target)


def allowed(
    obj: models.Model, *, table: Table[T], roles: Collection[str] | None, field: str = "status"
) -> list[T]:
    """The steps ``roles`` may fire on ``obj`` now (for the buttons on its page)."""
    return table.available(status=getattr(obj, field), roles=roles)


def apply(
    obj: models.Model,
    name: str,
    *,
    table: Table[T],
    roles: Collection[str] | None = None,
    reason: str = "",
    guard: Callable[[T], None] | None = None,
    effects: Callable[[T], Iterable[str]] | None = None,
    changes: Mapping[str, Any] | None = None,
    private_reason: bool = False,
    actor: Any = None,
    about: models.Model | None = None,
    field: str = "status",
) -> T:
    """Fire step ``name`` on ``obj`` and write one audit event; returns the transition.

    In order: the table is checked (``TransitionError`` when the step is unknown, not allowed from
    the current state, not for ``roles``, or lacks its reason); ``guard`` may refuse by raising
    (typically a ``ValidationError``); the status is set; ``effects`` sets what the step fills in
    and returns the names of those fields; the record is saved (those fields only); the audit event
    holds the status change plus ``changes``, and the stripped reason unless ``private_reason``
    (a reason that must not enter the trail, such as a message to a whistleblower). ``actor`` is
    the event's actor when given (otherwise the request's user); ``about`` the object the event is
    filed under when it is not ``obj`` (a record whose history lives on its parent's page).
    Call it inside a transaction, on a row locked with ``select_for_update`` when two people may
    act at once.
    """
    old = getattr(obj, field)
    transition = table.check(name, status=old, roles=roles, reason=reason)
    if guard is not None:
        guard(transition)
    setattr(obj, field, transition.target)
    fields = [field, *(effects(transition) if effects is not None else ())]
    obj.save(update_fields=list(dict.fromkeys(fields)))
    extra: dict[str, Any] = {} if actor is None else {"actor": actor}
    audit.record(
        table.event_for(transition),
        obj=obj if about is None else about,
        changes={field: [old, transition.target], **(changes or {})},
        reason="" if private_reason else reason.strip(),
        **extra,
    )
    return transition
