"""The action-plan state machine, in one table (ARCHITECTURE: state machines are explicit).

```
draft ──submit──► submitted ──approve──► approved ──start──► in_progress ──submit_evidence──►
  ▲                   │                                          ▲               │
  └──return_plan──────┘                                          └───return──────┤
                                                                                 ▼
                                                            verified ◄──verify── evidence_submitted
cancel (with a reason): from any state that is not verified or cancelled ──► cancelled
```

Each activity has a small table of its own (``ACTIVITY_TRANSITIONS``), fired while the plan is
being carried out, so that the Inspectorate verifies activities one by one::

    open ──done──► done ──verify──► verified (locked: no more progress, evidence or versions)
      ▲              │
      └───return─────┘  (with a reason)

The unit marks an activity done once it has evidence (this submits that activity's evidence);
the plan's ``verify`` step asks for a confirmation and a reason while any activity is not
verified (``services.plans``), so unfinished work is never closed silently.

Who may fire a transition is a set of *actors*, derived per plan from the user's roles
(``access.actors_for``): the unit's head, the unit's officers, the Inspectorate. Returning and
cancelling need a reason. Segregation of duties (whoever uploaded or submitted the evidence may not
verify it) is checked by the service, which knows the people involved.

The table is plain data for ``core.workflow``: checked and tested without the database.
"""

from __future__ import annotations

from enum import StrEnum

from integritas.core.workflow import Table, Transition


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


class ActivityStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    VERIFIED = "verified"


FINAL = frozenset({Status.VERIFIED, Status.CANCELLED})
UNIT = frozenset({Actor.UNIT_HEAD, Actor.UNIT_OFFICER})
INSPECTORATE = frozenset({Actor.INSPECTORATE})


TRANSITIONS: Table[Transition] = Table(
    [
        Transition(
            "submit", frozenset({Status.DRAFT}), Status.SUBMITTED, frozenset({Actor.UNIT_HEAD})
        ),
        Transition(
            "return_plan",
            frozenset({Status.SUBMITTED}),
            Status.DRAFT,
            INSPECTORATE,
            needs_reason=True,
        ),
        Transition("approve", frozenset({Status.SUBMITTED}), Status.APPROVED, INSPECTORATE),
        Transition("start", frozenset({Status.APPROVED}), Status.IN_PROGRESS, UNIT),
        Transition(
            "submit_evidence", frozenset({Status.IN_PROGRESS}), Status.EVIDENCE_SUBMITTED, UNIT
        ),
        Transition(
            "return",
            frozenset({Status.EVIDENCE_SUBMITTED}),
            Status.IN_PROGRESS,
            INSPECTORATE,
            needs_reason=True,
        ),
        Transition("verify", frozenset({Status.EVIDENCE_SUBMITTED}), Status.VERIFIED, INSPECTORATE),
        Transition(
            "cancel",
            frozenset(Status) - FINAL,
            Status.CANCELLED,
            INSPECTORATE,
            needs_reason=True,
        ),
    ],
    event="plan.{name}",
)


ACTIVITY_TRANSITIONS: Table[Transition] = Table(
    [
        Transition("done", frozenset({ActivityStatus.OPEN}), ActivityStatus.DONE, UNIT),
        Transition(
            "return",
            frozenset({ActivityStatus.DONE}),
            ActivityStatus.OPEN,
            INSPECTORATE,
            needs_reason=True,
        ),
        Transition(
            "verify", frozenset({ActivityStatus.DONE}), ActivityStatus.VERIFIED, INSPECTORATE
        ),
    ],
    event="activity.{name}",
)


class RecommendationStatus(StrEnum):
    """``Recommendation.Status``: written by hand, as a recommendation is written and issued;
    closed and reopened through ``RECOMMENDATION_TRANSITIONS``."""

    DRAFT = "draft"
    ISSUED = "issued"
    CLOSED = "closed"


class RecommendationActor(StrEnum):
    """Who may close or reopen a recommendation (``access.recommendation_actors``, from the
    policy's ``close`` and ``reopen`` capabilities)."""

    INSPECTORATE = "inspectorate"
    INSPECTOR_GENERAL = "inspector_general"


# Closing needs the follow-up category confirmed as sesuai (every plan verified or cancelled, at
# least one verified, nothing left to recover) or as tidak dapat ditindaklanjuti with a reason,
# and no plan still open: the service's guard checks it. Reopening (a recommendation closed by
# mistake) is the inspector general's, with a reason.
RECOMMENDATION_TRANSITIONS: Table[Transition] = Table(
    [
        Transition(
            "close",
            frozenset({RecommendationStatus.ISSUED}),
            RecommendationStatus.CLOSED,
            frozenset({RecommendationActor.INSPECTORATE}),
            event="recommendation.closed",
        ),
        Transition(
            "reopen",
            frozenset({RecommendationStatus.CLOSED}),
            RecommendationStatus.ISSUED,
            frozenset({RecommendationActor.INSPECTOR_GENERAL}),
            needs_reason=True,
            event="recommendation.reopened",
        ),
    ],
    event="recommendation.{name}",
)
