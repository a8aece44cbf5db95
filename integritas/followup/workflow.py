"""The action-plan state machine, in one table (ARCHITECTURE: state machines are explicit).

```
draft ──submit──► submitted ──approve──► approved ──start──► in_progress ──submit_evidence──►
  ▲                   │                                          ▲               │
  └──return_plan──────┘                                          └───return──────┤
                                                                                 ▼
                                                            verified ◄──verify── evidence_submitted
cancel (with a reason): from any state that is not verified or cancelled ──► cancelled
```

Who may fire a transition is a set of *actors*, derived per plan from the user's roles
(``actors_for``): the unit's head, the unit's officers, the Inspectorate. Returning and cancelling
need a reason. Segregation of duties (whoever uploaded or submitted the evidence may not verify
it) is checked by the service, which knows the people involved.

Pure: no Django imports, so the table is tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    EVIDENCE_SUBMITTED = "evidence_submitted"
    VERIFIED = "verified"
    CANCELLED = "cancelled"


class Actor(StrEnum):
    UNIT_HEAD = "unit_head"
    UNIT_OFFICER = "unit_officer"
    INSPECTORATE = "inspectorate"


FINAL = frozenset({Status.VERIFIED, Status.CANCELLED})
UNIT = frozenset({Actor.UNIT_HEAD, Actor.UNIT_OFFICER})


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[Status]
    target: Status
    actors: frozenset[Actor]
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit", frozenset({Status.DRAFT}), Status.SUBMITTED, frozenset({Actor.UNIT_HEAD})
        ),
        Transition(
            "return_plan",
            frozenset({Status.SUBMITTED}),
            Status.DRAFT,
            frozenset({Actor.INSPECTORATE}),
            needs_reason=True,
        ),
        Transition(
            "approve",
            frozenset({Status.SUBMITTED}),
            Status.APPROVED,
            frozenset({Actor.INSPECTORATE}),
        ),
        Transition("start", frozenset({Status.APPROVED}), Status.IN_PROGRESS, UNIT),
        Transition(
            "submit_evidence", frozenset({Status.IN_PROGRESS}), Status.EVIDENCE_SUBMITTED, UNIT
        ),
        Transition(
            "return",
            frozenset({Status.EVIDENCE_SUBMITTED}),
            Status.IN_PROGRESS,
            frozenset({Actor.INSPECTORATE}),
            needs_reason=True,
        ),
        Transition(
            "verify",
            frozenset({Status.EVIDENCE_SUBMITTED}),
            Status.VERIFIED,
            frozenset({Actor.INSPECTORATE}),
        ),
        Transition(
            "cancel",
            frozenset(Status) - FINAL,
            Status.CANCELLED,
            frozenset({Actor.INSPECTORATE}),
            needs_reason=True,
        ),
    )
}


class TransitionError(ValueError):
    """The transition is not allowed; ``code`` says why (for a translated message)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check(name: str, *, status: str, actors: frozenset[Actor], reason: str = "") -> Transition:
    """The transition ``name`` if ``actors`` may fire it from ``status``; raises otherwise."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError("unknown", f"There is no transition {name!r}.")
    if Status(status) not in transition.sources:
        raise TransitionError("state", f"{name!r} is not allowed from {status!r}.")
    if not actors & transition.actors:
        raise TransitionError("actor", f"{name!r} needs one of {sorted(transition.actors)}.")
    if transition.needs_reason and not reason.strip():
        raise TransitionError("reason", f"{name!r} needs a reason.")
    return transition


def available(*, status: str, actors: frozenset[Actor]) -> list[Transition]:
    """The transitions ``actors`` may fire from ``status``, in table order (for buttons)."""
    return [t for t in TRANSITIONS.values() if Status(status) in t.sources and actors & t.actors]
