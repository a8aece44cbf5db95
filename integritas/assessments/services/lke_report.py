"""A unit's LKE result: a letterhead PDF (scores per component and area, self-assessed and after
the TPI's review, and the eligibility for the target with every failing condition's gap) and an
XLSX workbook (the same, plus every question's answer, review and evidence)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from integritas.assessments.models import LkeAssessment
from integritas.assessments.services import lke as lke_service
from integritas.core.models import Government
from integritas.lib import pdf
from integritas.lib.spreadsheets import Sheet, write_workbook


def filename(lke: LkeAssessment) -> str:
    return f"lke-{lke.framework.year}-{lke.unit.code}-{lke.target}".lower().replace(".", "-")


def _rows(lke: LkeAssessment, summary: Any) -> list[dict[str, Any]]:
    answers = {a.node_id: a for a in lke.answers.all()}
    evidence: dict[int, int] = {}
    for node_id in lke.evidence.values_list("node_id", flat=True):
        evidence[node_id] = evidence.get(node_id, 0) + 1
    nodes = list(lke.framework.nodes.all())
    parents = {n.parent_id for n in nodes}
    depth: dict[int, int] = {}
    rows = []
    for node in nodes:
        depth[node.pk] = depth[node.parent_id] + 1 if node.parent_id else 0
        rows.append(
            {
                "node": node,
                "depth": depth[node.pk],
                "leaf": node.pk not in parents,
                "own": summary["own"].points.get(node.code, Decimal(0)),
                "reviewed": summary["reviewed"].points.get(node.code, Decimal(0)),
                "answer": answers.get(node.pk),
                "evidence": evidence.get(node.pk, 0),
            }
        )
    return rows


def context(lke: LkeAssessment) -> dict[str, Any]:
    summary = lke_service.summary(lke)
    return {
        "lke": lke,
        "framework": lke.framework,
        "summary": summary,
        "progress": lke_service.progress(lke),
        "rows": _rows(lke, summary),
    }


def html(lke: LkeAssessment) -> str:
    with translation.override(pdf.DEFAULT_LANGUAGE):  # labels computed here print in Indonesian
        values = context(lke)
    return pdf.render_html("assessments/lke_report.html", values, government=Government.current())


def pdf_bytes(lke: LkeAssessment) -> bytes:
    return pdf.html_to_pdf(html(lke))


def xlsx(lke: LkeAssessment) -> bytes:
    """Sheets ``summary`` (scores and eligibility) and ``questions`` (answers and review)."""
    values = context(lke)
    summary = values["summary"]
    head: list[list[Any]] = [
        [_("Unit"), f"{lke.unit.code} {lke.unit.name}"],
        [_("Year"), lke.framework.year],
        [_("Target predicate"), lke.target],
        [_("Stage"), lke.get_stage_display()],
        [_("Framework"), f"{lke.framework.title} v{lke.framework.version}"],
        [],
        [_("Code"), _("Component"), _("Weight"), _("Self-assessed"), _("After TPI review")],
    ]
    for r in values["rows"]:
        if not r["leaf"]:
            head.append([r["node"].code, r["node"].name, r["node"].weight, r["own"], r["reviewed"]])
    head.append(
        [
            "",
            _("Total"),
            lke.framework.total_weight,
            summary["own"].total,
            summary["reviewed"].total,
        ]
    )
    head.append([])
    head.append([_("Eligibility"), _("Condition"), _("Minimum"), _("Achieved"), _("Gap")])
    for when, failures in (
        (_("Self-assessed"), summary["own_failures"]),
        (_("After TPI review"), summary["reviewed_failures"]),
    ):
        if not failures:
            head.append([when, _("Every condition is met.")])
        for f in failures:
            label = f.predicate and _("Predicate %(p)s already held") % {"p": f.predicate}
            head.append(
                [
                    when,
                    label or (f"{f.label} — {f.node}" if f.node else f.label),
                    f.minimum,
                    f.actual,
                    f.gap,
                ]
            )
    questions: list[list[Any]] = [
        [
            _("Code"),
            _("Question"),
            _("Weight"),
            _("Answer"),
            _("Source"),
            _("Explanation"),
            _("Review"),
            _("Reviewed answer"),
            _("Reviewer's note"),
            _("Evidence"),
            _("Self-assessed"),
            _("After TPI review"),
        ]
    ]
    for r in values["rows"]:
        if not r["leaf"]:
            continue
        a = r["answer"]
        questions.append(
            [
                r["node"].code,
                r["node"].name,
                r["node"].weight,
                a.answer if a else "",
                (a.source_detail or a.get_source_display()) if a else "",
                a.note if a else "",
                a.get_verdict_display() if a and a.verdict else "",
                a.final_answer if a and a.verdict else "",
                a.review_note if a else "",
                r["evidence"],
                r["own"],
                r["reviewed"],
            ]
        )
    return write_workbook([Sheet("summary", head, header=False), Sheet("questions", questions)])
