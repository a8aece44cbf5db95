"""Recommendations: write them, issue them to their target units (each gets a draft action plan),
classify their follow-up (TLHP), close them and reopen one closed by mistake. Each operation is
atomic and writes one audit event.

A recommendation's progress and the TLHP category its plans suggest are read from its plans
(``recommendation_progress``); the stored category changes only when the inspector confirms it.
The Inspectorate closes a recommendation once the confirmed category is *sesuai* (no plan open,
one verified at least, nothing left to recover) or *tidak dapat ditindaklanjuti* with its reason
(no plan open); ``close_blockers`` says what still stands in the way. A closed recommendation's
category no longer changes; the inspector general may reopen it, with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from integritas import audit
from integritas.audit.services import snapshot
from integritas.core import workflow
from integritas.core.models import Unit, User
from integritas.followup.access import recommendation_actors
from integritas.followup.models import ActionPlan, Recommendation
from integritas.followup.services.notifications import (
    announce_closed,
    announce_issued,
    announce_reopened,
)
from integritas.followup.workflow import FINAL, RECOMMENDATION_TRANSITIONS
from integritas.indices.services import weak_points
from integritas.lib.formatting import format_rupiah

RECOMMENDATION_FIELDS = [
    "source",
    "title",
    "description",
    "reference_number",
    "reference_date",
    "report_received_on",
    "finding",
    "amount_to_recover",
    "year",
    "priority",
]


def _next_code(year: int) -> str:
    """REK-2026-001, -002, … numbered per year."""
    prefix = f"REK-{year}-"
    codes = Recommendation.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def recommendation_save(
    *,
    recommendation: Recommendation,
    values: Mapping[str, Any],
    units: Iterable[Unit],
    by: User | None,
) -> Recommendation:
    """Create or change a recommendation; its target units can change until it is issued."""
    creating = recommendation.pk is None
    if not creating and recommendation.status != Recommendation.Status.DRAFT:
        raise ValidationError(_("An issued recommendation can no longer be changed."))
    units = list(units)
    if not units:
        raise ValidationError({"units": _("Choose at least one target unit.")})
    before = {} if creating else snapshot(recommendation, RECOMMENDATION_FIELDS)
    for name, value in values.items():
        setattr(recommendation, name, value)
    if creating:
        recommendation.code = _next_code(recommendation.year)
        recommendation.created_by = by
    recommendation.full_clean(exclude=["units"])
    recommendation.save()
    recommendation.units.set(units)
    after = snapshot(recommendation, RECOMMENDATION_FIELDS)
    after["units"] = sorted(u.code for u in units)
    if creating and recommendation.weak_point is not None:
        weak_points.link_recommendation(
            weak_point=recommendation.weak_point, ref=recommendation.code, by=by
        )
        after["weak_point"] = str(recommendation.weak_point)
    audit.record(
        "recommendation.created" if creating else "recommendation.updated",
        obj=recommendation,
        changes={
            name: [before.get(name), value]
            for name, value in after.items()
            if before.get(name) != value
        },
    )
    return recommendation


# The step a survey weak point takes when its recommendation reaches a status.
WEAK_POINT_STEPS = {
    Recommendation.Status.ISSUED: "address",
    Recommendation.Status.CLOSED: "resolve",
}


def weak_point_follow(*, recommendation: Recommendation) -> None:
    """Bring the recommendation's survey weak point to the state its status calls for (addressed
    once issued, resolved once closed); called whenever a recommendation is saved."""
    step = WEAK_POINT_STEPS.get(Recommendation.Status(recommendation.status))
    if recommendation.weak_point_id and step:
        weak_points.follow_recommendation(weak_point_id=recommendation.weak_point_id, step=step)


@transaction.atomic
def recommendation_issue(*, recommendation: Recommendation, by: User | None) -> list[ActionPlan]:
    """Send the recommendation to its units: each target unit gets a draft action plan."""
    if recommendation.status != Recommendation.Status.DRAFT:
        raise ValidationError(_("This recommendation has already been issued."))
    units = list(recommendation.units.order_by("code"))
    if not units:
        raise ValidationError(_("Choose at least one target unit before issuing."))
    plans = [ActionPlan.objects.create(recommendation=recommendation, unit=unit) for unit in units]
    recommendation.status = Recommendation.Status.ISSUED
    recommendation.issued_at = timezone.now()
    recommendation.save(update_fields=["status", "issued_at"])
    audit.record(
        "recommendation.issued",
        obj=recommendation,
        changes={"status": ["draft", "issued"], "units": [None, [u.code for u in units]]},
    )
    announce_issued(recommendation=recommendation, by=by)  # after the commit
    return plans


ZERO = Decimal("0.0")
HUNDRED = Decimal("100")
# A plan has started once work began or progress was claimed.
STARTED = frozenset(
    {
        ActionPlan.Status.IN_PROGRESS,
        ActionPlan.Status.EVIDENCE_SUBMITTED,
        ActionPlan.Status.VERIFIED,
    }
)


@dataclass(frozen=True)
class RecommendationProgress:
    """Where a recommendation stands, over its plans that are not cancelled: ``verified`` of
    ``total`` plans verified; ``claimed`` and ``verified_progress``, the plain mean of the plans'
    weighted progress (each plan counts the same, as on the dashboards); ``suggested``, the TLHP
    category its plans suggest (None without plans)."""

    total: int
    verified: int
    claimed: Decimal
    verified_progress: Decimal
    suggested: str | None


def recommendation_progress(plans: Iterable[ActionPlan]) -> RecommendationProgress:
    """The progress of the recommendation whose plans (or the viewer's share of them) are
    ``plans``; prefetch their activities when reading many.

    The suggested category: *sesuai* when every plan is verified with 100 % verified progress;
    *belum ditindaklanjuti* when no plan has started (none in progress or beyond, nothing
    claimed); otherwise *belum sesuai*. *Tidak dapat ditindaklanjuti* is never suggested: only
    the inspector chooses it, with a reason.
    """
    active = [p for p in plans if p.status != ActionPlan.Status.CANCELLED]
    if not active:
        return RecommendationProgress(0, 0, ZERO, ZERO, None)
    figures = [p.progress() for p in active]
    verified = sum(p.status == ActionPlan.Status.VERIFIED for p in active)
    if verified == len(active) and all(v == HUNDRED for _claimed, v in figures):
        suggested = Recommendation.Tlhp.SESUAI
    elif not any(p.status in STARTED for p in active) and not any(c for c, _v in figures):
        suggested = Recommendation.Tlhp.BELUM_DITINDAKLANJUTI
    else:
        suggested = Recommendation.Tlhp.BELUM_SESUAI
    count = Decimal(len(active))
    return RecommendationProgress(
        total=len(active),
        verified=verified,
        claimed=(sum((c for c, _v in figures), ZERO) / count).quantize(Decimal("0.1")),
        verified_progress=(sum((v for _c, v in figures), ZERO) / count).quantize(Decimal("0.1")),
        suggested=str(suggested),
    )


@transaction.atomic
def recommendation_set_tlhp(
    *,
    recommendation: Recommendation,
    category: str,
    reason: str = "",
    amount_recovered: Decimal | None = None,
    suggested: str | None = None,
    by: User | None,
) -> Recommendation:
    """Classify the follow-up (sesuai, belum sesuai, belum ditindaklanjuti, tidak dapat).

    ``suggested``, the category the plans suggested when the inspector decided, is kept in the
    audit event beside the category chosen."""
    if recommendation.status == Recommendation.Status.CLOSED:
        raise ValidationError(
            _(
                "The recommendation is closed: its follow-up category no longer changes. "
                "The inspector general may reopen it."
            )
        )
    if category not in Recommendation.Tlhp.values:
        raise ValidationError({"tlhp": _("Choose one of the four follow-up categories.")})
    if category == Recommendation.Tlhp.TIDAK_DAPAT and not reason.strip():
        raise ValidationError(
            {"tlhp_reason": _("Say why the recommendation cannot be followed up.")}
        )
    if amount_recovered is not None and amount_recovered < 0:
        raise ValidationError({"amount_recovered": _("The amount cannot be negative.")})
    before = snapshot(recommendation, ["tlhp", "tlhp_reason", "amount_recovered"])
    recommendation.tlhp = category
    recommendation.tlhp_reason = (
        reason.strip() if category == Recommendation.Tlhp.TIDAK_DAPAT else ""
    )
    if amount_recovered is not None:
        recommendation.amount_recovered = amount_recovered
    recommendation.save(update_fields=["tlhp", "tlhp_reason", "amount_recovered"])
    after = snapshot(recommendation, ["tlhp", "tlhp_reason", "amount_recovered"])
    changes: dict[str, Any] = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if suggested:
        changes["suggested"] = [None, suggested]
    audit.record(
        "recommendation.tlhp_set",
        obj=recommendation,
        changes=changes,
        reason=reason,
    )
    return recommendation


# --- Closing and reopening -----------------------------------------------------------------------

CLOSING_CATEGORIES = frozenset({Recommendation.Tlhp.SESUAI, Recommendation.Tlhp.TIDAK_DAPAT})
CLOSE_MESSAGES = {
    ("close", "state", Recommendation.Status.DRAFT): gettext_lazy(
        "A draft recommendation cannot be closed: issue it first."
    ),
    ("close", "state", Recommendation.Status.CLOSED): gettext_lazy(
        "This recommendation is already closed."
    ),
    ("close", "role", None): gettext_lazy("Only the Inspectorate closes a recommendation."),
    ("reopen", "state", None): gettext_lazy("This recommendation is not closed."),
    ("reopen", "role", None): gettext_lazy(
        "Only the inspector general reopens a closed recommendation."
    ),
    ("reopen", "reason", None): gettext_lazy("Say why the recommendation is reopened."),
}


def close_blockers(recommendation: Recommendation) -> list[str]:
    """What keeps the recommendation from being closed now, in words (empty: it may be closed).
    Who asks is not considered: the policy and the service decide that."""
    if recommendation.status != Recommendation.Status.ISSUED:
        message = CLOSE_MESSAGES[("close", "state", Recommendation.Status(recommendation.status))]
        return [str(message)]
    blockers = []
    plans = list(recommendation.plans.select_related("unit").order_by("unit__code"))
    still_open = [p.unit.code for p in plans if p.status not in FINAL]
    category = recommendation.tlhp
    if category not in CLOSING_CATEGORIES:
        blockers.append(
            _(
                "Confirm the follow-up category first: a recommendation is closed as “%(done)s” "
                "or as “%(impossible)s”; it is now “%(category)s”."
            )
            % {
                "done": Recommendation.Tlhp.SESUAI.label,
                "impossible": Recommendation.Tlhp.TIDAK_DAPAT.label,
                "category": recommendation.get_tlhp_display(),
            }
        )
    if still_open:
        blockers.append(
            _(
                "The action plans of %(units)s are still open: they must be verified or "
                "cancelled first."
            )
            % {"units": ", ".join(still_open)}
        )
    if category == Recommendation.Tlhp.TIDAK_DAPAT and not recommendation.tlhp_reason.strip():
        blockers.append(
            _("Write the reason why the recommendation cannot be followed up in its category.")
        )
    if category == Recommendation.Tlhp.SESUAI:
        if not any(p.status == ActionPlan.Status.VERIFIED for p in plans):
            blockers.append(
                _(
                    "No action plan was verified: a recommendation is done as recommended only "
                    "once the Inspectorate has verified its plans."
                )
            )
        if recommendation.amount_outstanding > 0:
            amount = format_rupiah(recommendation.amount_outstanding, (get_language() or "id")[:2])
            blockers.append(
                _(
                    "%(amount)s is still to be recovered: record the amount recovered in the "
                    "follow-up category first."
                )
                % {"amount": amount}
            )
    return blockers


def _step(
    recommendation: Recommendation,
    name: str,
    *,
    by: User,
    reason: str = "",
    guard: Any = None,
    effects: Any = None,
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Fire ``name`` through ``RECOMMENDATION_TRANSITIONS`` as ``by`` (the event's actor, also
    outside a request), with a translated refusal."""
    try:
        workflow.apply(
            recommendation,
            name,
            table=RECOMMENDATION_TRANSITIONS,
            roles=recommendation_actors(by),
            reason=reason,
            guard=guard,
            effects=effects,
            changes=changes,
            actor=by,
        )
    except workflow.TransitionError as error:
        status = Recommendation.Status(recommendation.status)
        message = CLOSE_MESSAGES.get((name, error.code, status)) or CLOSE_MESSAGES.get(
            (name, error.code, None)
        )
        raise ValidationError(str(message or error), code=error.code) from error


@transaction.atomic
def recommendation_close(
    *, recommendation: Recommendation, by: User, note: str = ""
) -> Recommendation:
    """Close the recommendation as ``by`` (the Inspectorate), with an optional ``note``; one
    audit event that keeps the confirmed category (and its reason). Its survey weak point is
    resolved (``signals``) and the target units are told once it commits. Raises
    ValidationError, changing nothing, when ``close_blockers`` names anything, when ``by`` may
    not close, or when it is a draft or closed already."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)

    def guard(transition: workflow.Transition) -> None:
        blockers = close_blockers(recommendation)
        if blockers:
            raise ValidationError(blockers, code="blocked")

    def effects(transition: workflow.Transition) -> list[str]:
        recommendation.closed_at = timezone.now()
        recommendation.closed_by = by
        recommendation.closing_note = note.strip()
        return ["closed_at", "closed_by", "closing_note"]

    changes: dict[str, Any] = {"tlhp": [None, recommendation.tlhp]}
    if recommendation.tlhp == Recommendation.Tlhp.TIDAK_DAPAT:
        changes["tlhp_reason"] = [None, recommendation.tlhp_reason]
    _step(
        recommendation,
        "close",
        by=by,
        reason=note,
        guard=guard,
        effects=effects,
        changes=changes,
    )
    announce_closed(recommendation=recommendation, by=by)  # after the commit
    return recommendation


@transaction.atomic
def recommendation_reopen(
    *, recommendation: Recommendation, by: User, reason: str
) -> Recommendation:
    """Reopen a recommendation closed by mistake, as ``by`` (the inspector general) with a
    ``reason``: issued again, its category open to correction, its survey weak point addressed
    again; the units and the Inspectorate are told once it commits. One audit event."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)

    def effects(transition: workflow.Transition) -> list[str]:
        recommendation.closed_at = None
        recommendation.closed_by = None
        recommendation.closing_note = ""
        return ["closed_at", "closed_by", "closing_note"]

    _step(
        recommendation,
        "reopen",
        by=by,
        reason=reason,
        effects=effects,
    )
    if recommendation.weak_point_id:
        weak_points.follow_recommendation(weak_point_id=recommendation.weak_point_id, step="reopen")
    announce_reopened(recommendation=recommendation, by=by, reason=reason.strip())
    return recommendation
