"""Scoring a stored framework: ``scoring`` (pure) applied to a framework in the database, with
its problems said in the reader's language.

``score`` checks every answer and reports each bad one (by item code) before adding anything up;
``summary`` gives the total and each node on 0–100 with its colour band; ``eligibility`` lists
the failing conditions of one of the framework's threshold sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from integritas.assessments import scoring
from integritas.assessments.models import Framework


def _messages() -> dict[str, str]:
    return {
        "not_a_number": _("“%(value)s” is not a number."),
        "not_yes_no": _("“%(value)s” is not yes or no."),
        "not_a_choice": _("“%(value)s” is not one of the choices %(options)s."),
        "outside_percent": _("%(value)s is outside 0–100."),
        "outside_scale": _("%(value)s is outside 0–4."),
        "documents_missing": _("The number of required documents is missing."),
        "not_documents": _("%(value)s is not a number of documents."),
        "unknown_method": _("Unknown scoring method “%(value)s”."),
        "weight_missing": _("The weight is missing."),
        "not_an_item": _("This is not an item of the framework."),
    }


def message(error: scoring.ScoringError) -> str:
    """The error in the reader's language."""
    template = _messages().get(error.problem)
    if template is None:
        return str(error)
    return template % {"value": error.value, "options": error.options}


def score(*, framework: Framework, answers: Mapping[str, Any]) -> scoring.TreeScores:
    """The framework's scores for ``answers`` ({item code: answer}; unanswered items score 0).
    Raises ``ValidationError`` keyed by item code with every bad answer."""
    specs = framework.specs()
    leaves = {s.code: s for s in specs}
    parents = {s.parent for s in specs}
    errors: dict[str, list[str]] = {}
    for code, answer in answers.items():
        node = leaves.get(code)
        if node is None or code in parents:
            errors[code] = [_("This is not an item of the framework.")]
            continue
        if answer in (None, ""):
            continue
        try:
            scoring.score_item(node, answer)
        except scoring.ScoringError as exc:
            errors[code] = [message(exc)]
    if errors:
        raise ValidationError(errors)
    return scoring.score_tree(specs, answers)


def summary(*, framework: Framework, scores: scoring.TreeScores) -> dict[str, Any]:
    """``total`` and each node (``nodes``, by code) as (score on 0–100, colour or "")."""
    bands = [band.spec() for band in framework.bands.all()]

    def banded(value: Decimal) -> tuple[Decimal, str]:
        band = scoring.band_for(value, bands)
        return value, band.colour if band else ""

    return {
        "total": banded(scoring.percent(scores)),
        "nodes": {code: banded(scoring.percent(scores, code)) for code in scores.points},
    }


def eligibility(
    *,
    framework: Framework,
    set_code: str,
    scores: scoring.TreeScores,
    held: Iterable[str] = (),
) -> list[scoring.Failure]:
    """Every condition of the framework's threshold set ``set_code`` that ``scores`` fail, with
    its gap (empty: eligible). ``held`` are the predicates the unit already holds."""
    threshold_set = framework.threshold_sets.filter(code=set_code).first()
    if threshold_set is None:
        raise ValidationError(
            _("The framework has no threshold set %(code)s.") % {"code": set_code}
        )
    return scoring.eligibility(
        scores, threshold_set.specs(), requires=threshold_set.requires, held=held
    )
