"""The assessment results on the portal: the MCSP years and the units' integrity zone (LKE)
results the Inspectorate published (``assessments.services.publication``), figures only — no
answers, notes, documents or evidence files. Nothing unpublished is read."""

from __future__ import annotations

from integritas.assessments.services import publication
from integritas.assessments.services.publication import LkeFigures, McspFigures


def mcsp_years() -> list[McspFigures]:
    """Every published MCSP year's verified scores and KPK's published score, newest first."""
    return publication.published_mcsp()


def lke_results(unit_code: str | None = None) -> list[LkeFigures]:
    """Every published LKE result (one unit's when ``unit_code``), newest first."""
    return publication.published_lkes(unit_code)


def anything_published() -> bool:
    return bool(mcsp_years() or lke_results())
