"""Assessment demo data for Karyapura: the shipped LKE framework of the year (with its WBK and
WBBM thresholds) and the example MCSP indicator set, labelled as an example, both active; and two
units' Zona Integritas self-assessments (``seed_lke``). Idempotent: a framework or an LKE already
there is not made again."""

from __future__ import annotations

from typing import Any

from integritas.assessments import imports, scoring
from integritas.assessments.models import Framework, FrameworkKind, LkeAssessment
from integritas.core.models import Unit, User


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    lines = []
    for name in (imports.SHIPPED_LKE, imports.SHIPPED_MCSP_EXAMPLE):
        framework, loaded = imports.load_shipped(name=name)
        if loaded:
            lines.append(f"Assessment framework: {framework} ({framework.nodes.count()} nodes)")
    lines += seed_lke()
    return lines


# Two units bidding for WBK: the one-stop licensing office meets every condition and has been
# reviewed by the TPI; the hospital's anti-corruption perception (IPAK 3.52) is below the 3.60
# minimum, its only failing condition. The indices were measured outside this system.
LKE_DEMO = (
    {
        "unit": "DPMPTSP",
        "operator": "operator.dpmptsp",
        "head": "kepala.dpmptsp",
        "lower": ("MP.RF.3", "TT.RF.3", "SDM.PM.2", "PP.RF.1"),  # answered B, the rest A
        "percent": "96",
        "results": {"H.IPAK": "3.71", "H.IPKP": "3.55", "H.KIN": "92"},
        "reviewed": True,
    },
    {
        "unit": "RSUD",
        "operator": "operator.rsud",
        "head": "kepala.rsud",
        "lower": ("MP.PM.3", "TT.PM.2", "SDM.RF.2", "AKN.RF.2", "PW.PM.4", "PP.PM.4"),
        "percent": "88",
        "results": {"H.IPAK": "3.52", "H.IPKP": "3.41", "H.KIN": "86"},
        "reviewed": False,
    },
)
SOURCE = "Survei persepsi Zona Integritas 2026 oleh tim survei independen (data demo)"


def _answers(framework: Framework, spec: dict[str, Any]) -> dict[str, str]:
    from integritas.assessments.services import lke

    best = {scoring.CHOICE: "A", scoring.YES_NO: "yes", scoring.PERCENT: spec["percent"]}
    answers = {}
    for node in lke.questions(framework):
        if node.code in spec["results"]:
            answers[node.code] = spec["results"][node.code]
        elif node.code in spec["lower"]:
            answers[node.code] = "B"
        else:
            answers[node.code] = best.get(node.method, "")
    return answers


def seed_lke() -> list[str]:
    """Two units' LKE on the year's active LKE framework: DPMPTSP eligible for WBK and reviewed by
    the TPI, RSUD submitted and failing on the IPAK minimum. Skipped when the framework, the
    units or their staff are missing."""
    from integritas.assessments.services import lke

    framework = Framework.objects.active().filter(kind=FrameworkKind.LKE).order_by("-year").first()
    reviewer = User.objects.filter(username="irban1").first()
    if framework is None or reviewer is None:
        return []
    lines = []
    for spec in LKE_DEMO:
        unit = Unit.objects.filter(code=spec["unit"]).first()
        operator = User.objects.filter(username=spec["operator"]).first()
        head = User.objects.filter(username=spec["head"]).first()
        if unit is None or operator is None or head is None:
            continue
        if LkeAssessment.objects.filter(framework=framework, unit=unit, target="WBK").exists():
            continue
        item = lke.start(framework=framework, unit=unit, target="WBK", by=head)
        for code, value in _answers(framework, spec).items():
            detail = SOURCE if lke.survey_kind(code) else ""
            lke.answer(lke=item, code=code, value=value, source_detail=detail, by=operator)
        lke.add_evidence(
            lke=item,
            code=lke.questions(framework)[0].code,
            title="SK Tim Kerja Pembangunan Zona Integritas",
            link="https://karyapura.example/zi/sk-tim",
            by=operator,
        )
        lke.step(lke=item, action="submit", by=head)
        if spec["reviewed"]:
            for code in lke.answers_of(item):
                lke.review_question(lke=item, code=code, verdict="accepted", by=reviewer)
            lke.step(lke=item, action="complete_review", by=reviewer)
        failures = lke.eligibility(item)
        verdict = "eligible" if not failures else f"{len(failures)} condition(s) not met"
        lines.append(f"LKE {framework.year} {unit.code} WBK: {item.get_stage_display()}, {verdict}")
    return lines
