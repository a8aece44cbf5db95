"""Publishing assessment results on the portal is a decision of the Inspectorate, like the portal's
other publishing decisions: it publishes an MCSP year's scores or a unit's LKE result, and takes
it down again only with a reason. Each step is one ``ResultPublication`` row change and one audit
event, in one transaction.

What the public sees is only figures, built here (``mcsp_figures``, ``lke_figures``): for an MCSP
year the verified score (what KPK accepted) in total and per area with its colour band, and KPK's
published score; for an LKE the scores after the TPI's review per component and in total, the
stage (the predicate proposed, awarded or not) and its eligibility for the target with every
failing condition's gap. Never an answer, a note, a document or an evidence file. An LKE can be
published once the TPI has completed its review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integritas.assessments import scoring
from integritas.assessments.models import (
    Assessment,
    LkeAssessment,
    LkeStage,
    ResultPublication,
    ScoreAuditAction,
    ScoreSnapshot,
    SnapshotKind,
)
from integritas.assessments.services import desk, desk_progress, scores
from integritas.assessments.services import lke as lke_service
from integritas.core.services import publication as decisions

Result = Assessment | LkeAssessment
PUBLISHABLE_STAGES = (LkeStage.REVIEWED, LkeStage.PROPOSED, LkeStage.AWARDED, LkeStage.NOT_AWARDED)


def _field(obj: Result) -> str:
    return "lke" if isinstance(obj, LkeAssessment) else "assessment"


def live(obj: Result) -> ResultPublication | None:
    """The publication that has ``obj`` on the portal now, or None."""
    return ResultPublication.objects.live().filter(**{_field(obj): obj}).first()


def history(obj: Result) -> list[ResultPublication]:
    return list(ResultPublication.objects.filter(**{_field(obj): obj}).select_related())


def may_publish(user: Any) -> bool:
    return desk.is_inspectorate(user)


def why_not_publishable(obj: Result) -> str | None:
    if isinstance(obj, LkeAssessment) and obj.stage not in PUBLISHABLE_STAGES:
        return _("An LKE is published once the TPI has completed its review.")
    return None


def _check(user: Any) -> None:
    if not may_publish(user):
        raise PermissionDenied(_("Only the Inspectorate publishes on the portal."))


@transaction.atomic
def publish(*, obj: Result, by: Any) -> ResultPublication:
    """Put ``obj``'s figures on the portal; refused for someone outside the Inspectorate, for an
    LKE not reviewed yet and for a result already published."""
    _check(by)
    reason = why_not_publishable(obj)
    if reason:
        raise ValidationError(reason)
    return decisions.publish(
        ResultPublication,
        key={_field(obj): obj},
        lock=type(obj).objects.filter(pk=obj.pk),
        by=by,
        event=ScoreAuditAction.RESULT_PUBLISHED,
        subject=obj,
        changes={"on_portal": ["unpublished", "published"]},
    )


@transaction.atomic
def unpublish(*, obj: Result, by: Any, reason: str) -> ResultPublication:
    """Take ``obj``'s figures off the portal, with the reason the record keeps."""
    _check(by)
    return decisions.unpublish(
        ResultPublication,
        key={_field(obj): obj},
        by=by,
        reason=reason,
        event=ScoreAuditAction.RESULT_UNPUBLISHED,
        subject=obj,
        changes={"on_portal": ["published", "unpublished"]},
    )


def portal_context(user: Any, obj: Result) -> dict[str, Any]:
    """What the staff page shows about ``obj`` on the portal, and whether ``user`` decides it."""
    field = _field(obj)
    return {
        "live": live(obj),
        "history": history(obj),
        "may_publish": may_publish(user),
        "why_not": why_not_publishable(obj),
        "url": f"assessments-{'lke' if field == 'lke' else 'desk'}-portal",
        "public_id": obj.public_id,
    }


# --- The public figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    weight: Decimal
    score: Decimal  # on 0–100
    band: str  # the colour, or ""
    points: Decimal | None = None


@dataclass(frozen=True)
class McspFigures:
    assessment: Assessment
    year: int
    title: str
    is_example: bool
    verified: Decimal
    band: str
    areas: list[Figure]
    kpk_score: Decimal | None
    kpk_on: dt.date | None
    kpk_source: str


def mcsp_figures(assessment: Assessment) -> McspFigures:
    """An MCSP year's verified score, total and per area, and KPK's latest published score."""
    framework = assessment.framework
    board = desk_progress.score_board(assessment)
    kpk = (
        ScoreSnapshot.objects.filter(assessment=assessment, kind=SnapshotKind.KPK)
        .order_by("-taken_on", "-pk")
        .first()
    )
    return McspFigures(
        assessment=assessment,
        year=framework.year,
        title=framework.title,
        is_example=framework.is_example,
        verified=board["verified"][0],
        band=board["verified"][1],
        areas=[
            Figure(row["node"].code, row["node"].name, row["node"].weight, *row["verified"])
            for row in board["areas"]
        ],
        kpk_score=kpk.verified if kpk else None,
        kpk_on=kpk.taken_on if kpk else None,
        kpk_source=kpk.source if kpk else "",
    )


@dataclass(frozen=True)
class LkeFigures:
    lke: LkeAssessment
    year: int
    unit_code: str
    unit_name: str
    target: str
    stage: str
    stage_label: str
    total: Decimal
    components: list[Figure]
    failures: list[scoring.Failure]

    @property
    def eligible(self) -> bool:
        return not self.failures


def lke_figures(lke: LkeAssessment) -> LkeFigures:
    """A unit's LKE after the TPI's review: total, components, stage and eligibility."""
    framework = lke.framework
    tree = lke_service.score(lke, reviewed=True)
    summary = scores.summary(framework=framework, scores=tree)
    top = [n for n in framework.nodes.all() if n.parent_id is None]
    return LkeFigures(
        lke=lke,
        year=framework.year,
        unit_code=lke.unit.code,
        unit_name=lke.unit.name,
        target=lke.target,
        stage=lke.stage,
        stage_label=str(lke.get_stage_display()),
        total=tree.total,
        components=[
            Figure(
                n.code,
                n.name,
                n.weight,
                score=summary["nodes"][n.code][0],
                band=summary["nodes"][n.code][1],
                points=tree.points[n.code],
            )
            for n in top
        ],
        failures=lke_service.eligibility(lke, tree),
    )


def published_mcsp() -> list[McspFigures]:
    """Every MCSP year on the portal now, newest first."""
    live_ids = ResultPublication.objects.live().filter(assessment__isnull=False)
    found = Assessment.objects.filter(pk__in=live_ids.values("assessment")).select_related(
        "framework"
    )
    return [mcsp_figures(a) for a in found.order_by("-framework__year", "-pk")]


def published_lkes(unit_code: str | None = None) -> list[LkeFigures]:
    """Every LKE result on the portal now (of one unit when ``unit_code``), newest first."""
    live_ids = ResultPublication.objects.live().filter(lke__isnull=False)
    found = LkeAssessment.objects.filter(
        pk__in=live_ids.values("lke"), stage__in=PUBLISHABLE_STAGES
    ).select_related("framework", "unit")
    if unit_code is not None:
        found = found.filter(unit__code=unit_code)
    ordered = found.order_by("-framework__year", "unit__code", "target")
    return [lke_figures(lke) for lke in ordered]
