"""Closing the loop: an assessment's weakness becomes a follow-up recommendation in one step.

``raise_recommendation`` is the one way in, for every kind of assessment: it writes a draft
recommendation in follow-up (``followup.services.recommendations.recommendation_save``; the
Inspectorate reviews and issues it there), remembers where it came from (``RaisedRecommendation``)
and writes an audit event. The MCSP desk raises one for a **weak area** (its projected score
below the framework's top colour band: what is missing, and who owns it) or a **requirement whose
document KPK rejected** (KPK's note); a unit's LKE raises one for a **failing eligibility
condition** (``raise_for_condition``: source Zona Integritas, one action for the unit, the
condition's Indonesian label as its key). ``evidence_for`` gives back, for a requirement, the recommendations
raised from it or its area, their plans, and the evidence of the plans that were verified.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from integritas import audit
from integritas.assessments import scoring
from integritas.assessments.models import (
    Assessment,
    Document,
    DocumentStatus,
    Framework,
    FrameworkKind,
    LkeAssessment,
    Node,
    RaisedRecommendation,
    ScoreAuditAction,
)
from integritas.assessments.services import desk, desk_progress
from integritas.assessments.services import lke as lke_service
from integritas.core.models import Unit, User
from integritas.followup.models import ActionPlan, Evidence, Recommendation
from integritas.followup.services.recommendations import recommendation_save
from integritas.lib.formatting import format_number

WEAK_WITHOUT_BANDS = Decimal(75)  # below this an area is weak when the framework has no bands


@transaction.atomic
def raise_recommendation(
    *,
    framework: Framework,
    title: str,
    finding: str,
    units: Iterable[Unit],
    by: User,
    assessment: Assessment | None = None,
    node: Node | None = None,
    document: Document | None = None,
    lke: LkeAssessment | None = None,
    condition: str = "",
    source: str | None = None,
    priority: str = Recommendation.Priority.MEDIUM,
) -> Recommendation:
    """A draft recommendation for ``units`` raised from an assessment (see the module). One
    recommendation at a time per origin: while one raised from the same place is not closed,
    another is refused."""
    if not desk.is_inspectorate(by):
        raise PermissionDenied
    origin = RaisedRecommendation.objects.filter(
        framework=framework, assessment=assessment, lke=lke, node=node, condition=condition
    ).exclude(recommendation__status=Recommendation.Status.CLOSED)
    if document is not None:
        origin = origin.filter(document=document)
    existing = origin.select_related("recommendation").first()
    if existing is not None:
        raise ValidationError(
            _("A recommendation was already raised from here: %(code)s.")
            % {"code": existing.recommendation.code}
        )
    if source is None:
        source = (
            Recommendation.Source.MCP
            if framework.kind == FrameworkKind.MCSP
            else Recommendation.Source.OTHER
        )
    recommendation = recommendation_save(
        recommendation=Recommendation(),
        values={
            "source": source,
            "title": title[:300],
            "finding": finding,
            "reference_number": framework.title[:100],
            "year": framework.year,
            "priority": priority,
        },
        units=units,
        by=by,
    )
    RaisedRecommendation.objects.create(
        framework=framework,
        assessment=assessment,
        node=node,
        document=document,
        lke=lke,
        condition=condition,
        recommendation=recommendation,
    )
    audit.record(
        ScoreAuditAction.RECOMMENDATION_RAISED,
        obj=lke or assessment or framework,
        actor=by,
        changes={
            "recommendation": [None, recommendation.code],
            **({"requirement": [None, node.code]} if node is not None else {}),
            **({"condition": [None, condition]} if condition else {}),
        },
    )
    return recommendation


# --- The MCSP desk ---------------------------------------------------------------------------------


def weak_below(framework: Framework) -> Decimal:
    """An area scoring below this (the lower bound of the framework's top band) is weak."""
    bounds = [band.lower for band in framework.bands.all()]
    return max(bounds) if bounds else WEAK_WITHOUT_BANDS


def weak_areas(assessment: Assessment) -> list[dict[str, Any]]:
    """The areas whose projected score is below the top band, from the score board."""
    limit = weak_below(assessment.framework)
    return [
        row for row in desk_progress.score_board(assessment)["areas"] if row["projected"][0] < limit
    ]


def raise_for_area(*, assessment: Assessment, area: Node, by: User) -> Recommendation:
    """A recommendation for a weak area, to the units that still owe its documents."""
    rows = {row["node"].pk: row for row in weak_areas(assessment)}
    if area.framework_id != assessment.framework_id or area.pk not in rows:
        raise ValidationError(_("Only a weak area of this desk can become a recommendation."))
    row = rows[area.pk]
    lines = [
        line
        for line in desk_progress.lines(assessment)
        if line.area is not None and line.area.pk == area.pk
    ]
    missing = [line for line in lines if line.missing]
    units = Unit.objects.filter(pk__in={line.unit_id for line in missing or lines})
    if not units.exists():
        raise ValidationError(_("No unit is assigned to this area's requirements."))
    year = assessment.framework.year
    with translation.override("id"):  # a recommendation is an official text, in Indonesian
        title, finding = _area_texts(area, row, missing, year)
    return raise_recommendation(
        framework=assessment.framework,
        assessment=assessment,
        node=area,
        title=title,
        finding=finding,
        units=units,
        by=by,
    )


def _area_texts(
    area: Node, row: dict[str, Any], missing: list[desk_progress.Line], year: int
) -> tuple[str, str]:
    finding = _(
        "MCSP %(year)d, area %(area)s: projected score %(projected)s, verified score %(verified)s."
    ) % {
        "year": year,
        "area": f"{area.code} {area.name_id}",
        "projected": format_number(row["projected"][0], 2),
        "verified": format_number(row["verified"][0], 2),
    }
    if missing:
        finding += "\n" + _("Documents still missing:") + "\n"
        finding += "\n".join(
            f"- {line.node.code} {line.node.name_id} ({line.unit_code}): {line.missing}"
            for line in missing
        )
    return _("Strengthen MCSP area %(area)s") % {"area": f"{area.code} {area.name_id}"}, finding


def raise_for_document(*, document: Document, by: User) -> Recommendation:
    """A recommendation for a requirement whose document KPK rejected, to the document's unit."""
    if document.status != DocumentStatus.REJECTED:
        raise ValidationError(_("Only a document KPK rejected can become a recommendation."))
    node = document.node
    requirement = f"{node.code} {node.name_id}"
    with translation.override("id"):  # a recommendation is an official text, in Indonesian
        finding = _("KPK rejected %(document)s for %(requirement)s: %(note)s") % {
            "document": f"{document.code} {document.title}",
            "requirement": requirement,
            "note": document.kpk_note,
        }
        title = _("Meet MCSP requirement %(requirement)s") % {"requirement": requirement}
    return raise_recommendation(
        framework=document.assessment.framework,
        assessment=document.assessment,
        node=node,
        document=document,
        title=title,
        finding=finding,
        units=[document.unit],
        by=by,
    )


@dataclass
class Raised:
    """A recommendation raised from a requirement (or its area), its plans, and the evidence of
    its verified plans."""

    recommendation: Recommendation
    plans: list[ActionPlan]
    evidence: list[Evidence] = field(default_factory=list)


def evidence_for(assessment: Assessment, node: Node) -> list[Raised]:
    """What the recommendations raised from ``node`` or its area produced."""
    area = desk_progress.area_of(node, {n.pk: n for n in assessment.framework.nodes.all()})
    raised = (
        RaisedRecommendation.objects.filter(assessment=assessment)
        .filter(Q(node=node) | Q(node=area))
        .select_related("recommendation")
    )
    result = []
    for origin in raised:
        recommendation = origin.recommendation
        plans = list(recommendation.plans.select_related("unit").order_by("unit__code"))
        verified = [p for p in plans if p.status == ActionPlan.Status.VERIFIED]
        evidence = list(
            Evidence.objects.filter(activity__plan__in=verified)
            .select_related("activity")
            .prefetch_related("files")
            .order_by("activity__plan__unit__code", "title")
        )
        result.append(Raised(recommendation, plans, evidence))
    return result


# --- The LKE -----------------------------------------------------------------------------------


@dataclass
class FailingCondition:
    """A condition of an LKE's target that its scores fail (``failure``, in the reader's
    language), its key (``key``: the Indonesian label; ``node``: the area of an "each area"
    condition) and the open recommendation raised from it, if any."""

    failure: scoring.Failure
    key: str
    node: str
    raised: RaisedRecommendation | None = None


def _current_failures(lke: LkeAssessment) -> list[scoring.Failure]:
    """The reviewed scores' failures once the TPI has reviewed something, else the unit's."""
    reviewed = lke.answers.exclude(verdict="").exists()
    return lke_service.eligibility(lke, reviewed=reviewed)


def failing_conditions(lke: LkeAssessment) -> list[FailingCondition]:
    """The conditions that can become a recommendation (a predicate not held cannot)."""
    shown = _current_failures(lke)
    with translation.override("id"):
        keys = _current_failures(lke)
    open_ = {
        (r.condition, r.node.code if r.node else ""): r
        for r in RaisedRecommendation.objects.filter(lke=lke)
        .exclude(recommendation__status=Recommendation.Status.CLOSED)
        .select_related("recommendation", "node")
    }
    return [
        FailingCondition(failure, key.label, key.node, open_.get((key.label, key.node)))
        for failure, key in zip(shown, keys, strict=True)
        if not failure.predicate
    ]


def raise_for_condition(
    *, lke: LkeAssessment, condition: str, node: str, by: User
) -> Recommendation:
    """A draft recommendation for the LKE's unit to meet the failing condition ``condition``
    (its Indonesian label; ``node`` the area of an "each area" condition)."""
    if not desk.is_inspectorate(by):
        raise PermissionDenied
    with translation.override("id"):  # a recommendation is an official text, in Indonesian
        failure = next(
            (
                f
                for f in _current_failures(lke)
                if not f.predicate and f.label == condition and f.node == (node or "")
            ),
            None,
        )
        if failure is None:
            raise ValidationError(
                _("This condition is met, or is not one of the LKE's conditions.")
            )
        framework = lke.framework
        area = framework.nodes.filter(code=failure.node).first() if failure.node else None
        label = f"{failure.label} — {area.code} {area.name_id}" if area else failure.label
        values = {
            "year": framework.year,
            "unit": lke.unit.name,
            "target": lke.target,
            "condition": label,
            "minimum": format_number(failure.minimum, 2) if failure.minimum is not None else "—",
            "actual": format_number(failure.actual, 2)
            if failure.actual is not None
            else _("not measured"),
            "gap": format_number(failure.gap, 2) if failure.gap is not None else "—",
        }
        title = _("Meet the %(target)s condition %(condition)s") % values
        finding = (
            _(
                "Integrity zone self-assessment (LKE) %(year)d of %(unit)s, target %(target)s: the "
                "condition %(condition)s is not met. Minimum %(minimum)s, achieved %(actual)s, "
                "gap %(gap)s."
            )
            % values
        )
    return raise_recommendation(
        framework=framework,
        lke=lke,
        node=area,
        condition=condition,
        title=title,
        finding=finding,
        units=[lke.unit],
        by=by,
        source=Recommendation.Source.ZONA_INTEGRITAS,
    )


@dataclass
class RaisedFromLke:
    """A recommendation raised from an LKE, the condition it came from and its unit's plan."""

    recommendation: Recommendation
    condition: str
    plans: list[ActionPlan]


def raised_for_lke(lke: LkeAssessment) -> list[RaisedFromLke]:
    """Every recommendation raised from the LKE's conditions, with its plans (their status and
    the progress the Inspectorate verified: ``plan.progress``)."""
    result = []
    for origin in RaisedRecommendation.objects.filter(lke=lke).select_related(
        "recommendation", "node"
    ):
        recommendation = origin.recommendation
        plans = list(recommendation.plans.select_related("unit").order_by("unit__code"))
        condition = f"{origin.condition} — {origin.node.code}" if origin.node else origin.condition
        result.append(RaisedFromLke(recommendation, condition, plans))
    return result
