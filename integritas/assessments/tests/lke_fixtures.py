"""LKE test helpers: the shipped LKE framework, a unit's LKE, answers for every question, and a
Zona Integritas perception wave with a stored index for a unit."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from integritas.assessments import imports, scoring
from integritas.assessments.models import Framework, LkeAssessment
from integritas.assessments.services import lke as lke_service
from integritas.core.models import Unit, User
from integritas.core.testing import World
from integritas.indices.models import IndexResult, IndexRun
from integritas.surveys.models import Wave
from integritas.surveys.testing import SMALL_SPEC, build_version, build_wave

# A one-page PDF whose structure parses (``lib.uploads.check_structure``).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"


def evidence_pdf(name: str = "bukti.pdf") -> io.BytesIO:
    upload = io.BytesIO(PDF)
    upload.name = name
    return upload


def shipped_lke() -> Framework:
    framework, _loaded = imports.load_shipped(name=imports.SHIPPED_LKE)
    return framework


def start(
    world: World, *, target: str = "WBK", unit: Unit | None = None, held: str = ""
) -> LkeAssessment:
    return lke_service.start(
        framework=shipped_lke(),
        unit=unit or world.dinkes,
        target=target,
        held=held,
        by=world.inspector,
    )


def full_answers(framework: Framework, **overrides: Any) -> dict[str, Any]:
    """The best answer to every question but the survey items; ``overrides`` by code (dots
    written as underscores)."""
    best = {scoring.CHOICE: "A", scoring.YES_NO: "yes", scoring.PERCENT: "100", scoring.SCALE: "4"}
    answers: dict[str, Any] = {}
    for node in lke_service.questions(framework):
        if not lke_service.survey_kind(node):
            answers[node.code] = best[node.method]
    for key, value in overrides.items():
        answers[key.replace("_", ".")] = value
    return answers


def answer_all(lke: LkeAssessment, by: User, answers: dict[str, Any]) -> None:
    for code, value in answers.items():
        source = "Survei BPS 2026" if lke_service.survey_kind(code) else ""
        lke_service.answer(lke=lke, code=code, value=value, source_detail=source, by=by)


def zi_wave(
    world: World,
    kind: str,
    score: float | None,
    *,
    unit: Unit | None = None,
    year: int = 2026,
    n: int = 120,
    suppressed: bool = False,
    code: str = "",
) -> Wave:
    code = code or f"{kind}-{year}"
    version = build_version({**SMALL_SPEC, "code": f"instr-{kind}", "kind": kind})
    wave = build_wave(
        version,
        [unit or world.dinkes],
        code=code,
        title=f"Survei ZI {year}",
        opens_on=dt.date(year, 3, 1),
        closes_on=dt.date(year, 4, 30),
        status=Wave.Status.CLOSED,
    )
    run = IndexRun.objects.create(wave=wave, method="zi_perception")
    IndexResult.objects.create(
        run=run,
        node=(unit or world.dinkes).code,
        dimension="ALL",
        respondent_type="all",
        score=None if suppressed else score,
        n=n,
        suppressed=suppressed,
    )
    return wave
