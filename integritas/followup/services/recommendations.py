"""Recommendations: write them, issue them to their target units (each gets a draft action plan)
and classify their follow-up (TLHP). Each operation is atomic and writes one audit event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas import audit
from integritas.audit.services import snapshot
from integritas.core.models import Unit, User
from integritas.followup.models import ActionPlan, Recommendation
from integritas.followup.services.notifications import announce_issued
from integritas.indices.models import WeakPoint

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
    if creating and recommendation.weak_point_id:
        _link_weak_point(recommendation)
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


def _link_weak_point(recommendation: Recommendation) -> None:
    """Mark the survey weak point as answered by this recommendation (closing the loop).

    Indices cannot import follow-up, so the weak point keeps the recommendation's code.
    """
    updated = WeakPoint.objects.filter(
        pk=recommendation.weak_point_id or 0, recommendation_ref=""
    ).update(recommendation_ref=recommendation.code)
    if not updated:
        raise ValidationError(
            {"weak_point": _("A recommendation was already made for this weak point.")}
        )


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


@transaction.atomic
def recommendation_set_tlhp(
    *,
    recommendation: Recommendation,
    category: str,
    reason: str = "",
    amount_recovered: Decimal | None = None,
    by: User | None,
) -> Recommendation:
    """Classify the follow-up (sesuai, belum sesuai, belum ditindaklanjuti, tidak dapat)."""
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
    audit.record(
        "recommendation.tlhp_set",
        obj=recommendation,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        reason=reason,
    )
    return recommendation
