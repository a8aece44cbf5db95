"""The state-machine helper: the table's checks on plain data, then ``apply`` on a record (a fiscal
year moved through a small table written here), with its audit event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.core.models import FiscalYear
from integritas.core.testing import make_user
from integritas.core.workflow import Table, Transition, TransitionError, allowed, apply

PLANNING, OPEN, CLOSED = (
    FiscalYear.Status.PLANNING,
    FiscalYear.Status.OPEN,
    FiscalYear.Status.CLOSED,
)

TABLE: Table[Transition] = Table(
    [
        Transition("open", frozenset({PLANNING}), OPEN, roles=frozenset({"admin"})),
        Transition(
            "close",
            frozenset({OPEN}),
            CLOSED,
            roles=frozenset({"admin", "inspector"}),
            needs_reason=True,
        ),
        Transition("reopen", frozenset({CLOSED}), OPEN, event="year.reopened"),
    ],
    event="year.{name}",
)


# -- the table, without the database -------------------------------------------------------------


def test_an_allowed_step_returns_its_transition() -> None:
    transition = TABLE.check("open", status=PLANNING, roles={"admin"})
    assert (transition.name, transition.target) == ("open", OPEN)


def test_a_step_from_the_wrong_state_is_refused() -> None:
    with pytest.raises(TransitionError) as error:
        TABLE.check("open", status=CLOSED, roles={"admin"})
    assert error.value.code == "state"


def test_a_step_for_the_wrong_role_is_refused() -> None:
    with pytest.raises(TransitionError) as error:
        TABLE.check("open", status=PLANNING, roles={"inspector"})
    assert error.value.code == "role"
    with pytest.raises(TransitionError):
        TABLE.check("open", status=PLANNING, roles=set())


def test_any_one_of_the_roles_is_enough() -> None:
    assert TABLE.check("close", status=OPEN, roles={"inspector", "viewer"}, reason="x")


def test_without_roles_the_table_leaves_the_role_question_to_the_caller() -> None:
    assert TABLE.check("open", status=PLANNING).target == OPEN


def test_a_step_without_roles_in_the_table_is_open_to_everyone() -> None:
    assert TABLE.check("reopen", status=CLOSED, roles=set()).target == OPEN


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_step_that_needs_a_reason_is_refused_without_one(reason: str) -> None:
    with pytest.raises(TransitionError) as error:
        TABLE.check("close", status=OPEN, roles={"admin"}, reason=reason)
    assert error.value.code == "reason"


def test_an_unknown_step_is_refused() -> None:
    with pytest.raises(TransitionError) as error:
        TABLE.check("archive", status=OPEN)
    assert error.value.code == "unknown"


def test_available_lists_the_steps_the_roles_may_take_in_table_order() -> None:
    assert [t.name for t in TABLE.available(status=PLANNING, roles={"admin"})] == ["open"]
    assert TABLE.available(status=PLANNING, roles={"inspector"}) == []
    assert [t.name for t in TABLE.available(status=OPEN, roles={"inspector"})] == ["close"]


def test_allowed_reads_the_records_state() -> None:
    year = FiscalYear(status=OPEN)
    assert [t.name for t in allowed(year, table=TABLE, roles={"admin"})] == ["close"]


def test_leading_to_finds_the_step_by_its_target() -> None:
    reopen = TABLE.leading_to(OPEN, status=CLOSED)
    assert reopen is not None and reopen.name == "reopen"
    assert TABLE.leading_to(CLOSED, status=PLANNING) is None


def test_the_event_comes_from_the_table_unless_the_step_names_its_own() -> None:
    assert TABLE.event_for(TABLE["open"]) == "year.open"
    assert TABLE.event_for(TABLE["reopen"]) == "year.reopened"


def test_the_table_is_a_mapping_by_name() -> None:
    assert list(TABLE) == ["open", "close", "reopen"]
    assert "close" in TABLE and "archive" not in TABLE


def test_two_steps_with_one_name_are_refused() -> None:
    step = Transition("open", frozenset({PLANNING}), OPEN)
    with pytest.raises(ValueError, match="Two transitions"):
        Table([step, step], event="x")


# -- apply, on a record ------------------------------------------------------------------------


@pytest.fixture
def year(db: None) -> FiscalYear:
    return FiscalYear.objects.create(
        year=2031, starts_on=dt.date(2031, 1, 1), ends_on=dt.date(2031, 12, 31)
    )


def test_apply_sets_the_status_saves_and_writes_one_audit_event(year: FiscalYear) -> None:
    transition = apply(year, "open", table=TABLE, roles={"admin"})
    assert transition.name == "open"
    year.refresh_from_db()
    assert year.status == OPEN
    event = Event.objects.get()
    assert event.action == "year.open"
    assert event.object_id == str(year.pk)
    assert event.changes == {"status": [PLANNING, OPEN]}


def test_apply_records_the_reason_and_extra_changes_and_saves_the_effects(
    year: FiscalYear,
) -> None:
    FiscalYear.objects.filter(pk=year.pk).update(status=OPEN)
    year.refresh_from_db()

    def effects(transition: Transition) -> list[str]:
        year.ends_on = dt.date(2031, 12, 30)
        return ["ends_on"]

    apply(
        year,
        "close",
        table=TABLE,
        roles={"inspector"},
        reason="  Budget closed  ",
        effects=effects,
        changes={"ends_on": ["2031-12-31", "2031-12-30"]},
    )
    year.refresh_from_db()
    assert (year.status, year.ends_on) == (CLOSED, dt.date(2031, 12, 30))
    event = Event.objects.get()
    assert event.reason == "Budget closed"
    assert event.changes == {
        "status": [OPEN, CLOSED],
        "ends_on": ["2031-12-31", "2031-12-30"],
    }


def test_a_private_reason_is_checked_but_kept_out_of_the_event(year: FiscalYear) -> None:
    FiscalYear.objects.filter(pk=year.pk).update(status=OPEN)
    year.refresh_from_db()
    apply(year, "close", table=TABLE, reason="secret", private_reason=True)
    assert Event.objects.get().reason == ""


def test_apply_refuses_an_illegal_step_and_changes_nothing(year: FiscalYear) -> None:
    with pytest.raises(TransitionError) as wrong_state:
        apply(year, "close", table=TABLE, roles={"admin"}, reason="x")
    with pytest.raises(TransitionError) as wrong_role:
        apply(year, "open", table=TABLE, roles={"inspector"})
    assert (wrong_state.value.code, wrong_role.value.code) == ("state", "role")
    year.refresh_from_db()
    assert year.status == PLANNING
    assert not Event.objects.exists()


def test_a_guard_refuses_before_anything_changes(year: FiscalYear) -> None:
    seen: list[str] = []

    def guard(transition: Transition) -> None:
        seen.append(transition.name)
        raise ValidationError("Not before the budget is approved.")

    with pytest.raises(ValidationError, match="budget"):
        apply(year, "open", table=TABLE, roles={"admin"}, guard=guard)
    assert seen == ["open"]
    assert year.status == PLANNING
    year.refresh_from_db()
    assert year.status == PLANNING
    assert not Event.objects.exists()


def test_a_guard_that_lets_it_through_sees_the_transition(year: FiscalYear) -> None:
    seen: list[str] = []
    apply(year, "open", table=TABLE, guard=lambda t: seen.append(t.target))
    assert seen == [OPEN]
    assert Event.objects.get().action == "year.open"


def test_the_event_can_be_filed_under_another_object(year: FiscalYear) -> None:
    other = FiscalYear.objects.create(
        year=2032, starts_on=dt.date(2032, 1, 1), ends_on=dt.date(2032, 12, 31)
    )
    apply(year, "open", table=TABLE, about=other)
    year.refresh_from_db()
    assert year.status == OPEN
    assert Event.objects.get().object_id == str(other.pk)


def test_the_actor_given_is_the_events_actor(year: FiscalYear) -> None:
    person = make_user("pejabat")
    apply(year, "open", table=TABLE, actor=person)
    assert Event.objects.get().actor == person
