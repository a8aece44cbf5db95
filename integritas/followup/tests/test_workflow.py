"""The action-plan state machine table: every allowed edge, and everything else refused."""

from __future__ import annotations

import pytest

from integritas.core.workflow import TransitionError
from integritas.followup.workflow import TRANSITIONS, Actor, Status

check = TRANSITIONS.check
available = TRANSITIONS.available

HEAD = frozenset({Actor.UNIT_HEAD})
OFFICER = frozenset({Actor.UNIT_OFFICER})
INSPECTORATE = frozenset({Actor.INSPECTORATE})

# (transition, from, to, who may fire it): the whole diagram of workflow.py, written out.
EDGES = {
    ("submit", Status.DRAFT, Status.SUBMITTED, HEAD),
    ("return_plan", Status.SUBMITTED, Status.DRAFT, INSPECTORATE),
    ("approve", Status.SUBMITTED, Status.APPROVED, INSPECTORATE),
    ("start", Status.APPROVED, Status.IN_PROGRESS, HEAD | OFFICER),
    ("submit_evidence", Status.IN_PROGRESS, Status.EVIDENCE_SUBMITTED, HEAD | OFFICER),
    ("return", Status.EVIDENCE_SUBMITTED, Status.IN_PROGRESS, INSPECTORATE),
    ("verify", Status.EVIDENCE_SUBMITTED, Status.VERIFIED, INSPECTORATE),
    *(
        ("cancel", source, Status.CANCELLED, INSPECTORATE)
        for source in Status
        if source not in (Status.VERIFIED, Status.CANCELLED)
    ),
}


def test_the_table_is_exactly_the_documented_diagram() -> None:
    table = {
        (t.name, source, t.target, t.roles) for t in TRANSITIONS.values() for source in t.sources
    }
    assert table == EDGES


@pytest.mark.parametrize(("name", "source", "target", "actors"), sorted(EDGES))
def test_each_edge_is_allowed_for_its_actors(
    name: str, source: Status, target: Status, actors: frozenset[Actor]
) -> None:
    for actor in actors:
        transition = check(name, status=source, roles=frozenset({actor}), reason="alasan")
        assert transition.target == target


@pytest.mark.parametrize(("name", "source", "target", "actors"), sorted(EDGES))
def test_each_edge_is_refused_to_every_other_actor(
    name: str, source: Status, target: Status, actors: frozenset[Actor]
) -> None:
    for actor in set(Actor) - actors:
        with pytest.raises(TransitionError) as error:
            check(name, status=source, roles=frozenset({actor}), reason="alasan")
        assert error.value.code == "role"


def test_every_transition_is_refused_from_every_other_state() -> None:
    everyone = frozenset(Actor)
    for name, transition in TRANSITIONS.items():
        for status in set(Status) - transition.sources:
            with pytest.raises(TransitionError) as error:
                check(name, status=status, roles=everyone, reason="alasan")
            assert error.value.code == "state"


def test_final_states_have_no_way_out() -> None:
    for status in (Status.VERIFIED, Status.CANCELLED):
        assert available(status=status, roles=frozenset(Actor)) == []


@pytest.mark.parametrize("name", ["return_plan", "return", "cancel"])
def test_returning_and_cancelling_need_a_reason(name: str) -> None:
    source = next(iter(TRANSITIONS[name].sources))
    for reason in ("", "   "):
        with pytest.raises(TransitionError) as error:
            check(name, status=source, roles=INSPECTORATE, reason=reason)
        assert error.value.code == "reason"


def test_an_unknown_transition_is_refused() -> None:
    with pytest.raises(TransitionError) as error:
        check("publish", status=Status.DRAFT, roles=INSPECTORATE)
    assert error.value.code == "unknown"


def test_available_lists_the_buttons_a_unit_officer_sees_while_working() -> None:
    names = [t.name for t in available(status=Status.IN_PROGRESS, roles=OFFICER)]
    assert names == ["submit_evidence"]


def test_available_lists_the_inspectorate_choices_on_submitted_evidence() -> None:
    names = [t.name for t in available(status=Status.EVIDENCE_SUBMITTED, roles=INSPECTORATE)]
    assert names == ["return", "verify", "cancel"]


def test_only_the_unit_head_submits_a_plan() -> None:
    with pytest.raises(TransitionError):
        check("submit", status=Status.DRAFT, roles=OFFICER)
    assert check("submit", status=Status.DRAFT, roles=HEAD).target == Status.SUBMITTED
