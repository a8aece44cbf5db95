"""An assessment's scores as plain data (the JSON ``manage.py assessment_score`` prints).

``framework_report`` turns a framework's named scores (``{"projected": TreeScores, …}``) into
the documented shape: each score's total and each top node's score on 0–100 with its colour
band, and, when scores for eligibility are given, every threshold set of the framework with its
failing conditions (``services.scores.eligibility``). ``mcsp_report`` does it for an MCSP desk
(projected and verified; an MCSP framework has no threshold sets, so ``eligibility`` is null).
``lke_report`` does it for a unit's LKE (self-assessed and reviewed scores, every component,
area and sub-component in ``nodes``, and the eligibility for the LKE's target from each).
Kinds of assessment plug in through ``LOOKUPS``: a function from the identifier given on the
command line to its report, or None when it is not one of theirs. A bare number is an MCSP desk's;
an LKE is named by its public id or as ``LKE-<number>``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from integritas.assessments import scoring
from integritas.assessments.models import (
    PROJECTED_STATUSES,
    Assessment,
    DocumentStatus,
    Framework,
    LkeAssessment,
)
from integritas.assessments.services import desk_progress, scores
from integritas.assessments.services import lke as lke_service

CENT = Decimal("0.01")


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def _banded(pair: tuple[Decimal, str]) -> dict[str, Any]:
    value, colour = pair
    return {"score": _number(value), "band": colour or None}


def framework_report(
    *,
    framework: Framework,
    named: Mapping[str, scoring.TreeScores],
    eligibility_from: scoring.TreeScores | None = None,
    held: Iterable[str] = (),
) -> dict[str, Any]:
    """The report of ``named`` scores of ``framework`` (see the module's docstring)."""
    summaries = {name: scores.summary(framework=framework, scores=s) for name, s in named.items()}
    top = [n for n in framework.nodes.all() if n.parent_id is None]
    report: dict[str, Any] = {
        "framework": {
            "id": str(framework.public_id),
            "kind": framework.kind,
            "year": framework.year,
            "version": framework.version,
            "title": framework.title,
            "is_example": framework.is_example,
        },
        **{name: _banded(summary["total"]) for name, summary in summaries.items()},
        "areas": [
            {
                "code": node.code,
                "name_id": node.name_id,
                "name_en": node.name_en,
                "weight": _number(node.weight),
                **{
                    name: _banded(summary["nodes"][node.code])
                    for name, summary in summaries.items()
                },
            }
            for node in top
        ],
        "eligibility": None,
    }
    if eligibility_from is not None:
        held = list(held)
        report["eligibility"] = [
            _eligibility(framework, threshold_set.code, threshold_set.name, eligibility_from, held)
            for threshold_set in framework.threshold_sets.all()
        ]
    return report


def _eligibility(
    framework: Framework, code: str, name: str, tree: scoring.TreeScores, held: list[str]
) -> dict[str, Any]:
    failures = scores.eligibility(framework=framework, set_code=code, scores=tree, held=held)
    return {
        "set": code,
        "name": name,
        "eligible": not failures,
        "failures": [
            {
                "label": f.label,
                "node": f.node or None,
                "predicate": f.predicate or None,
                "minimum": _number(f.minimum),
                "actual": _number(f.actual),
                "gap": _number(f.gap),
            }
            for f in failures
        ],
    }


def mcsp_report(assessment: Assessment) -> dict[str, Any]:
    """The MCSP desk's projected and verified scores, per area and in total, with their bands."""
    framework = assessment.framework
    named = {
        "projected": scores.score(
            framework=framework,
            answers=desk_progress.answers(assessment, tuple(PROJECTED_STATUSES)),
        ),
        "verified": scores.score(
            framework=framework,
            answers=desk_progress.answers(assessment, (DocumentStatus.ACCEPTED,)),
        ),
    }
    return {
        "assessment": str(assessment.public_id),
        "kind": framework.kind,
        "year": framework.year,
        **framework_report(framework=framework, named=named),
    }


def _mcsp(identifier: str) -> dict[str, Any] | None:
    try:
        found = (
            Assessment.objects.filter(public_id=uuid.UUID(identifier)).first()
            if not identifier.isdigit()
            else Assessment.objects.filter(pk=int(identifier)).first()
        )
    except ValueError:
        return None
    return mcsp_report(found) if found is not None else None


def _node_scores(tree: scoring.TreeScores, code: str) -> dict[str, str | None]:
    return {"points": _number(tree.points.get(code)), "score": _number(scoring.percent(tree, code))}


def lke_report(lke: LkeAssessment) -> dict[str, Any]:
    """A unit's LKE: self-assessed and reviewed scores (the reviewed answers; the unit's where the
    TPI has not reviewed one), per component, area and sub-component and in total, and the
    eligibility for its target from each (every failing condition with its gap)."""
    framework = lke.framework
    named = {
        "self_assessed": lke_service.score(lke),
        "reviewed": lke_service.score(lke, reviewed=True),
    }
    report = framework_report(framework=framework, named=named)
    held = lke.held_codes()
    report["nodes"] = [
        {
            "code": node.code,
            "kind": node.kind,
            "parent": node.parent.code if node.parent is not None else None,
            "name_id": node.name_id,
            "name_en": node.name_en,
            "weight": _number(node.weight),
            **{name: _node_scores(tree, node.code) for name, tree in named.items()},
        }
        for node in framework.nodes.select_related("parent")
        if not node.method  # the nodes above the questions
    ]
    report["eligibility"] = [
        {
            "scores": name,
            **_eligibility(framework, lke.target, _set_name(framework, lke.target), tree, held),
        }
        for name, tree in named.items()
    ]
    return {
        "assessment": str(lke.public_id),
        "kind": framework.kind,
        "year": framework.year,
        "unit": {"code": lke.unit.code, "name": lke.unit.name},
        "target": lke.target,
        "held": held,
        "stage": lke.stage,
        "has_review": lke.answers.exclude(verdict="").exists(),
        **report,
    }


def _set_name(framework: Framework, code: str) -> str:
    found = framework.threshold_sets.filter(code=code).first()
    return found.name if found is not None else code


def _lke(identifier: str) -> dict[str, Any] | None:
    prefix, _dash, number = identifier.partition("-")
    if prefix.upper() == "LKE" and number.isdigit():
        found = LkeAssessment.objects.filter(pk=int(number)).first()
    else:
        try:
            found = LkeAssessment.objects.filter(public_id=uuid.UUID(identifier)).first()
        except ValueError:
            return None
    return lke_report(found) if found is not None else None


# Each finds the assessment an identifier names (its number or public id) and reports it.
LOOKUPS: list[Callable[[str], dict[str, Any] | None]] = [_mcsp, _lke]


def report_for(identifier: str) -> dict[str, Any] | None:
    """The report of the assessment ``identifier`` names, or None when there is none."""
    for lookup in LOOKUPS:
        found = lookup(identifier.strip())
        if found is not None:
            return found
    return None
