"""Monitoring pages: the audit follow-up (TLHP) table by unit and category, in the format of the
usual BPK monitoring report, the cross-unit list of action plans with its filters, and the list
of overdue action plans (with the units that have not answered a BPK audit report in time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.core import policy
from integritas.core.models import Unit
from integritas.followup.forms import PlanFilterForm, PlanListFilterForm
from integritas.followup.models import (
    ActionPlan,
    ActionPlanQuerySet,
    PlanDue,
    PlanStage,
    Recommendation,
    bpk_answer_days,
    plan_draft_working_days,
)
from integritas.followup.services import feedback
from integritas.lib.tables import Column, export_format, export_response, paginate

Tlhp = Recommendation.Tlhp
ZERO = Decimal("0")

# Rows come from ``ActionPlan.objects.overdue()``, which annotates ``due``.
OVERDUE_PLAN_COLUMNS: list[Column[Any]] = [
    Column(gettext_lazy("Recommendation"), lambda p: p.recommendation.code),
    Column(gettext_lazy("Title"), lambda p: p.recommendation.title),
    Column(gettext_lazy("Unit code"), lambda p: p.unit.code),
    Column(gettext_lazy("Unit"), lambda p: p.unit.name),
    Column(gettext_lazy("Status"), lambda p: p.get_status_display()),
    Column(gettext_lazy("Due date"), "due"),
    Column(gettext_lazy("Days late"), lambda p: (timezone.localdate() - p.due).days),
]

# Rows come from ``ActionPlanQuerySet.listed()``, which annotates ``due``.
PLAN_COLUMNS: list[Column[Any]] = [
    Column(gettext_lazy("Recommendation"), lambda p: p.recommendation.code),
    Column(gettext_lazy("Title"), lambda p: p.recommendation.title),
    Column(gettext_lazy("Source"), lambda p: p.recommendation.get_source_display()),
    Column(gettext_lazy("Year"), lambda p: p.recommendation.year),
    Column(gettext_lazy("Unit code"), lambda p: p.unit.code),
    Column(gettext_lazy("Unit"), lambda p: p.unit.name),
    Column(gettext_lazy("Status"), lambda p: p.get_status_display()),
    Column(gettext_lazy("Due date"), "due"),
    Column(gettext_lazy("Status changed at"), lambda p: timezone.localtime(p.status_changed_at)),
]


@dataclass
class TlhpRow:
    """One unit's line of the monitoring table (or the total line)."""

    code: str
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Tlhp.values, 0))
    to_recover: Decimal = ZERO
    recovered: Decimal = ZERO
    outstanding: Decimal = ZERO

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, recommendation: Recommendation) -> None:
        self.counts[recommendation.tlhp] += 1
        self.to_recover += recommendation.amount_to_recover
        self.recovered += recommendation.amount_recovered
        self.outstanding += recommendation.amount_outstanding

    def cells(self) -> list[Any]:
        return [
            self.code,
            self.name,
            self.total,
            *(self.counts[c] for c in Tlhp.values),
            self.to_recover,
            self.recovered,
            self.outstanding,
        ]


def tlhp_table(plans: Any) -> tuple[list[TlhpRow], TlhpRow]:
    """Rows per unit from the plans the viewer sees, and a total counting each recommendation
    once (a recommendation to several units appears on each unit's line)."""
    rows: dict[int, TlhpRow] = {}
    seen: dict[int, Recommendation] = {}
    for plan in plans.select_related("unit", "recommendation").order_by("unit__code"):
        row = rows.setdefault(plan.unit_id, TlhpRow(plan.unit.code, plan.unit.name))
        row.add(plan.recommendation)
        seen[plan.recommendation_id] = plan.recommendation
    total = TlhpRow("", _("Total"))
    for recommendation in seen.values():
        total.add(recommendation)
    return list(rows.values()), total


def _filtered_plans(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    f = PlanFilterForm(request.GET).filters
    plans = policy.scope(request.user, ActionPlan).exclude(status=ActionPlan.Status.CANCELLED)
    if f["year"] is not None:
        plans = plans.filter(recommendation__year=f["year"])
    if f["source"]:
        plans = plans.filter(recommendation__source=f["source"])
    return plans, f


@login_required
def monitoring(request: HttpRequest) -> HttpResponseBase:
    plans, f = _filtered_plans(request)
    rows, total = tlhp_table(plans)
    fmt = export_format(request)
    if fmt:
        policy.require(request.user, "export", ActionPlan)
        return export_response(
            fmt=fmt,
            stem="tindak-lanjut",
            headers=[
                _("Unit code"),
                _("Unit"),
                _("Number of recommendations"),
                *(str(label) for label in Tlhp.labels),
                _("Amount to recover (Rp)"),
                _("Amount recovered (Rp)"),
                _("Amount outstanding (Rp)"),
            ],
            rows=[*(r.cells() for r in rows), total.cells()],
        )
    years = (
        policy.scope(request.user, Recommendation)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    context = {
        "rows": rows,
        "total": total,
        "categories": Tlhp.choices,
        "category_values": Tlhp.values,
        "f": f,
        "query": request.GET.urlencode(),
        "years": list(years),
        "sources": Recommendation.Source.choices,
        "can_export": policy.allows_model(request.user, "export", ActionPlan),
    }
    return render(request, "followup/monitoring.html", context)


@login_required
def plan_list(request: HttpRequest) -> HttpResponseBase:
    """Every action plan the viewer may see, across units, filtered by the query string."""
    form = PlanListFilterForm(request.GET)
    f = form.filters
    # The policy types its scope as a plain QuerySet; the manager makes it an ActionPlanQuerySet.
    visible = cast(ActionPlanQuerySet, policy.scope(request.user, ActionPlan))
    items = visible.listed(
        q=f["q"],
        status=f["status"],
        unit=f["unit"],
        source=f["source"],
        year=f["year"],
        due=f["due"],
    ).select_related("unit", "recommendation")
    fmt = export_format(request)
    if fmt:
        policy.require(request.user, "export", ActionPlan)
        return export_response(fmt=fmt, stem="action-plans", columns=PLAN_COLUMNS, objects=items)
    page, query = paginate(request, items)
    shown = [p.pk for p in page.object_list]
    returned = set(visible.returned().filter(pk__in=shown).values_list("pk", flat=True))
    tallies = feedback.tallies(shown)
    today = timezone.localdate()
    rows = [
        {
            "plan": p,
            "returned": p.pk in returned,
            "overdue": p.is_open and p.due is not None and p.due < today,
            "feedback": tallies.get(p.pk),
        }
        for p in page.object_list
    ]
    years = (
        policy.scope(request.user, Recommendation)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    context = {
        "page": page,
        "query": query,
        "rows": rows,
        "f": f,
        "filtered": any(v not in ("", None) for v in f.values()),
        "statuses": [*PlanStage.choices, *ActionPlan.Status.choices],
        "sources": Recommendation.Source.choices,
        "dues": PlanDue.choices,
        "years": list(years),
        "units": policy.scope(request.user, Unit).filter(is_active=True).order_by("code"),
        "can_export": policy.allows_model(request.user, "export", ActionPlan),
    }
    return render(request, "followup/plan_list.html", context)


@login_required
def overdue_list(request: HttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    items = (
        # The policy types its scope as a plain QuerySet; the manager makes it an ActionPlanQuerySet.
        cast(ActionPlanQuerySet, policy.scope(request.user, ActionPlan))
        .overdue(today)
        .select_related("unit", "recommendation")
        .order_by("due", "unit__code")
    )
    fmt = export_format(request)
    if fmt:
        policy.require(request.user, "export", ActionPlan)
        return export_response(
            fmt=fmt,
            stem="overdue-plans",
            columns=OVERDUE_PLAN_COLUMNS,
            objects=items,
        )
    page, query = paginate(request, items)
    rows = [{"plan": p, "late": (today - p.due).days} for p in page.object_list]
    answers = (
        cast(ActionPlanQuerySet, policy.scope(request.user, ActionPlan))
        .answer_overdue(today)
        .select_related("unit", "recommendation")
        .order_by("recommendation__report_received_on", "unit__code")
    )
    answer_rows = []
    for plan in answers:
        due = plan.recommendation.answer_due_on
        assert due is not None  # answer_overdue() keeps only BPK plans with a received date
        answer_rows.append({"plan": plan, "due": due, "late": (today - due).days})
    drafts = (
        cast(ActionPlanQuerySet, policy.scope(request.user, ActionPlan))
        .draft_late(today)
        .select_related("unit", "recommendation")
        .order_by("recommendation__issued_at", "unit__code")
    )
    draft_rows = []
    for plan in drafts:
        due = plan.draft_due_on
        assert due is not None  # draft_late() keeps only plans with a drafting deadline
        draft_rows.append({"plan": plan, "due": due, "late": (today - due).days})
    context = {
        "page": page,
        "query": query,
        "rows": rows,
        "draft_rows": draft_rows,
        "draft_days": plan_draft_working_days(),
        "answer_rows": answer_rows,
        "answer_days": bpk_answer_days(),
        "can_export": policy.allows_model(request.user, "export", ActionPlan),
    }
    return render(request, "followup/overdue_list.html", context)
