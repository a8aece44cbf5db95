"""Follow-up dashboards: progress per unit and per recommendation source, the leadership
scoreboard and progress over months, computed from the action plans a viewer may see.

Definitions (also explained on the pages):

- A plan's progress is the weighted mean of its activities' progress (``ActionPlan.progress``):
  *claimed* is what the unit reports, *verified* what the Inspectorate accepted when it verified
  each activity. A group's progress (a unit, a source, everything) is the plain mean over its plans, so
  every plan counts the same whatever its number of activities. Cancelled plans are left out of
  progress, timeliness and the scoreboard; they are still counted by status.
- A plan is *finished on time* when it was verified on or before its due date (the due date of its
  last activity). *Timeliness* is the share of plans finished on time among the plans whose due
  date has passed or that are already verified; a unit with no such plan has no timeliness yet.
- The scoreboard ranks units by verified progress (higher first), then timeliness (higher first;
  "no figure yet" after any figure), then overdue plans (fewer first). Units equal on all three
  share a rank (1, 2, 2, 4).
- Progress over months is rebuilt from what is stored, not from estimates: a plan exists from the
  day its recommendation was issued, and its verified progress counts from the day the
  Inspectorate verifies the plan (verification is final and its activities no longer change, so
  the day of its last status change is the day it was verified). A plan was overdue at a month's end when its due date had passed and it was not
  verified by then (due dates can only change while a plan is a draft). Claimed progress is not
  shown over time because units may change it freely.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from integritas.core import policy
from integritas.followup.models import ActionPlan, Recommendation

ZERO = Decimal("0")
HUNDRED = Decimal("100")
Status = ActionPlan.Status


@dataclass(frozen=True)
class PlanFacts:
    """What the dashboards need to know about one plan, computed once."""

    plan: ActionPlan
    due: dt.date | None
    claimed: Decimal
    verified: Decimal
    verified_on: dt.date | None
    issued_on: dt.date | None
    overdue: bool

    @property
    def cancelled(self) -> bool:
        return self.plan.status == Status.CANCELLED

    @property
    def counts_for_timeliness(self) -> bool:
        """Its due date has passed or it is verified (so whether it was on time is known)."""
        return not self.cancelled and (self.verified_on is not None or self.overdue)

    @property
    def on_time(self) -> bool:
        return self.verified_on is not None and (self.due is None or self.verified_on <= self.due)


def facts_for(plans: Iterable[ActionPlan], today: dt.date | None = None) -> list[PlanFacts]:
    """``PlanFacts`` for ``plans`` (prefetch their activities and recommendation first)."""
    today = today or timezone.localdate()
    result = []
    for plan in plans:
        due = plan.due_on
        claimed, verified = plan.progress()
        verified_on = (
            timezone.localdate(plan.status_changed_at) if plan.status == Status.VERIFIED else None
        )
        issued_at = plan.recommendation.issued_at
        result.append(
            PlanFacts(
                plan=plan,
                due=due,
                claimed=claimed,
                verified=verified,
                verified_on=verified_on,
                issued_on=timezone.localdate(issued_at) if issued_at else None,
                overdue=plan.is_overdue(today),
            )
        )
    return result


def visible_plans(user: Any, *, year: int | None = None, source: str = "") -> QuerySet[ActionPlan]:
    """The plans ``user`` may see (policy scope), filtered by recommendation year and source."""
    plans = policy.scope(user, ActionPlan).select_related("unit", "recommendation")
    if year is not None:
        plans = plans.filter(recommendation__year=year)
    if source:
        plans = plans.filter(recommendation__source=source)
    return plans.prefetch_related("activities").order_by("unit__code", "recommendation__code")


@dataclass
class Tally:
    """Figures over a group of plans: one unit, one source, or everything the viewer sees."""

    key: str
    name: str
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Status.values, 0))
    plans: int = 0  # not cancelled
    claimed_sum: Decimal = ZERO
    verified_sum: Decimal = ZERO
    overdue: int = 0
    finished: int = 0
    due_or_done: int = 0
    on_time: int = 0
    rank: int | None = None

    def add(self, facts: PlanFacts) -> None:
        self.by_status[facts.plan.status] += 1
        if facts.cancelled:
            return
        self.plans += 1
        self.claimed_sum += facts.claimed
        self.verified_sum += facts.verified
        self.overdue += facts.overdue
        self.finished += facts.verified_on is not None
        if facts.counts_for_timeliness:
            self.due_or_done += 1
            self.on_time += facts.on_time

    @property
    def total(self) -> int:
        """Every plan, cancelled ones included."""
        return sum(self.by_status.values())

    @property
    def claimed(self) -> Decimal | None:
        return _percent(self.claimed_sum, self.plans)

    @property
    def verified(self) -> Decimal | None:
        return _percent(self.verified_sum, self.plans)

    @property
    def timeliness(self) -> Decimal | None:
        """Share of plans finished on time among those due or done (None when there are none)."""
        return _percent(self.on_time * HUNDRED, self.due_or_done)

    @property
    def status_counts(self) -> list[int]:
        return [self.by_status[value] for value in Status.values]


def _percent(total: Decimal | int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.1"))


def tally(facts: Iterable[PlanFacts], key: str = "", name: str = "") -> Tally:
    result = Tally(key, name)
    for f in facts:
        result.add(f)
    return result


def by_unit(facts: Iterable[PlanFacts]) -> list[Tally]:
    """One tally per unit with plans, in unit-code order."""
    rows: dict[int, Tally] = {}
    for f in facts:
        unit = f.plan.unit
        rows.setdefault(unit.pk, Tally(unit.code, unit.name)).add(f)
    return sorted(rows.values(), key=lambda row: row.key)


def by_source(facts: Iterable[PlanFacts]) -> list[Tally]:
    """One tally per recommendation source that has plans, in the order of the sources."""
    labels = dict(Recommendation.Source.choices)
    rows: dict[str, Tally] = {}
    for f in facts:
        source = f.plan.recommendation.source
        rows.setdefault(source, Tally(source, str(labels.get(source, source)))).add(f)
    order = list(labels)
    return sorted(rows.values(), key=lambda row: order.index(row.key) if row.key in order else 99)


def ranking_key(row: Tally) -> tuple[Decimal, Decimal, int]:
    """Sort key of the scoreboard: verified progress, then timeliness, then overdue plans."""
    no_figure = Decimal("-1")  # after any real timeliness, 0% included
    return (
        -(row.verified if row.verified is not None else ZERO),
        -(row.timeliness if row.timeliness is not None else no_figure),
        row.overdue,
    )


def scoreboard(rows: Sequence[Tally]) -> list[Tally]:
    """Units with at least one plan that is not cancelled, ranked (ties share a rank)."""
    ranked = sorted((r for r in rows if r.plans), key=lambda r: (ranking_key(r), r.key))
    previous: tuple[Decimal, Decimal, int] | None = None
    for position, row in enumerate(ranked, start=1):
        key = ranking_key(row)
        row.rank = position if key != previous else ranked[position - 2].rank
        previous = key
    return ranked


@dataclass(frozen=True)
class Month:
    """The state at the end of one month (today for the current month)."""

    year: int
    month: int
    as_of: dt.date
    plans: int
    verified: int
    overdue: int
    progress_sum: Decimal

    @property
    def share_verified(self) -> Decimal | None:
        return _percent(self.verified * HUNDRED, self.plans)

    @property
    def average_verified_progress(self) -> Decimal | None:
        return _percent(self.progress_sum, self.plans)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def months(
    facts: Sequence[PlanFacts], today: dt.date | None = None, count: int = 12
) -> list[Month]:
    """The last ``count`` months up to this one, oldest first (see the module docstring)."""
    today = today or timezone.localdate()
    active = [f for f in facts if not f.cancelled]
    result = []
    for back in range(count - 1, -1, -1):
        index = today.year * 12 + today.month - 1 - back
        year, month = divmod(index, 12)
        as_of = min(_month_end(year, month + 1), today)
        existing = [f for f in active if f.issued_on is not None and f.issued_on <= as_of]
        done = [f for f in existing if f.verified_on is not None and f.verified_on <= as_of]
        late = [
            f
            for f in existing
            if f.due is not None
            and f.due < as_of
            and (f.verified_on is None or f.verified_on > as_of)
        ]
        result.append(
            Month(
                year=year,
                month=month + 1,
                as_of=as_of,
                plans=len(existing),
                verified=len(done),
                overdue=len(late),
                progress_sum=sum((f.verified for f in done), ZERO),
            )
        )
    return result


def overdue_facts(facts: Iterable[PlanFacts]) -> list[PlanFacts]:
    """Overdue plans, the longest overdue first."""
    return sorted(
        (f for f in facts if f.overdue and f.due is not None),
        key=lambda f: (f.due, f.plan.unit.code),
    )
