"""The UPG's workflow for a gratification report, as a transition table (``core/workflow.py``).

::

    submitted ──complete──▶ complete ──forward──▶ forwarded ──decide──▶ decided ──hand_over──▶ closed
        │  ▲                                                             └──close (recipient's)─▶ closed
    return│  │resubmit
        ▼  │
      returned ──lapse──▶ lapsed   (not completed within the rule set's completeness window)

The UPG's officers and its head fire every step but ``resubmit``, which the reporter fires too
(after completing what the UPG asked for). ``lapse`` is fired by the daily run, or by the UPG,
only once the completeness window has passed (the service's guard checks the date).
"""

from __future__ import annotations

from integritas.core.workflow import Table, Transition

SUBMITTED = "submitted"
RETURNED = "returned"
COMPLETE = "complete"
FORWARDED = "forwarded"
DECIDED = "decided"
CLOSED = "closed"
LAPSED = "lapsed"

UPG = "upg"
REPORTER = "reporter"

UPG_ONLY = frozenset({UPG})

REPORT = Table(
    [
        Transition("complete", frozenset({SUBMITTED}), COMPLETE, roles=UPG_ONLY),
        Transition("return", frozenset({SUBMITTED}), RETURNED, roles=UPG_ONLY, needs_reason=True),
        Transition(
            "resubmit",
            frozenset({RETURNED}),
            SUBMITTED,
            roles=frozenset({UPG, REPORTER}),
            event="prevention.report_resubmitted",
        ),
        Transition("lapse", frozenset({RETURNED}), LAPSED, roles=UPG_ONLY),
        Transition("forward", frozenset({COMPLETE}), FORWARDED, roles=UPG_ONLY),
        Transition("decide", frozenset({FORWARDED}), DECIDED, roles=UPG_ONLY),
        Transition(
            "hand_over",
            frozenset({DECIDED}),
            CLOSED,
            roles=UPG_ONLY,
            event="prevention.report_handed_over",
        ),
        Transition("close", frozenset({DECIDED}), CLOSED, roles=UPG_ONLY),
    ],
    event="prevention.report_{target}",
)

#: The states in which the report still waits for someone.
OPEN_STATES = frozenset({SUBMITTED, RETURNED, COMPLETE, FORWARDED, DECIDED})
