"""The handling of a report as a state machine, in one table (ARCHITECTURE: state machines are
explicit; DOMAIN.md §5).

```
received ──screen──► screening ──accept (kind of handling)──► accepted ──investigate──► investigation
    │                    │                                       │   │                      │  │
    └──────reject────────┴──► rejected                           │   └──forward──► forwarded◄┘  │
                         (reason, told to the reporter)          │                   │          │
                                                                 └──close (outcome)──┴──► closed ◄┘
```

Who may fire a transition is not a role question here: it is anyone who holds a copy of the
report's key (conflict-of-interest routing decided that), checked by the service. Each transition
says what it needs: a reason or outcome (sent to the reporter as a message, encrypted), the kind of
handling (which starts the SLA tier clock), or where the report went and its reference there.

The table is plain data for ``core.workflow`` (checked and tested without the database); the
status values are those of ``models.Status`` (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from integritas.core import workflow
from integritas.core.workflow import Table, TransitionError


class Status(StrEnum):
    RECEIVED = "received"
    SCREENING = "screening"
    REJECTED = "rejected"
    ACCEPTED = "accepted"
    INVESTIGATION = "investigation"
    FORWARDED = "forwarded"
    CLOSED = "closed"


FINAL = frozenset({Status.REJECTED, Status.CLOSED})


@dataclass(frozen=True)
class Transition(workflow.Transition):
    """A handling step; ``needs_reason`` is a reason (reject) or an outcome (close), told to the
    reporter."""

    needs_tier: bool = False
    needs_forward: bool = False  # where to, and the reference there


TRANSITIONS: Table[Transition] = Table(
    [
        Transition("screen", frozenset({Status.RECEIVED}), Status.SCREENING),
        Transition(
            "reject",
            frozenset({Status.RECEIVED, Status.SCREENING}),
            Status.REJECTED,
            needs_reason=True,
        ),
        Transition("accept", frozenset({Status.SCREENING}), Status.ACCEPTED, needs_tier=True),
        Transition("investigate", frozenset({Status.ACCEPTED}), Status.INVESTIGATION),
        Transition(
            "forward",
            frozenset({Status.ACCEPTED, Status.INVESTIGATION}),
            Status.FORWARDED,
            needs_forward=True,
        ),
        Transition(
            "close",
            frozenset({Status.ACCEPTED, Status.INVESTIGATION, Status.FORWARDED}),
            Status.CLOSED,
            needs_reason=True,
        ),
    ],
    event="complaints.status_changed",
)


def check(
    name: str,
    *,
    status: str,
    reason: str = "",
    tier: str = "",
    forwarded_to: str = "",
    reference: str = "",
) -> Transition:
    """The transition ``name`` if it may fire from ``status`` with what was given; raises
    ``TransitionError`` otherwise (the caller validates the values of tier and destination)."""
    transition = TRANSITIONS.check(name, status=status, reason=reason)
    if transition.needs_tier and not tier:
        raise TransitionError("tier", f"{name!r} needs the kind of handling.")
    if transition.needs_forward and not (forwarded_to and reference.strip()):
        raise TransitionError("forward", f"{name!r} needs a destination and its reference.")
    return transition


def available(status: str) -> list[Transition]:
    """The transitions possible from ``status``, in table order (for buttons)."""
    return TRANSITIONS.available(status=status)
