"""A unit's Zona Integritas self-assessment (LKE, DOMAIN.md §4a): answers question by question
with each question's scoring method, evidence (a file or a link), the results component's
perception indices taken from this system's Zona Integritas surveys (or entered with their
source), the scores and the eligibility for the target predicate, the TPI's review, and the
stages::

    self_assessment ─ submit ─→ submitted ─┬─ return (reason) ─→ self_assessment
                                            └─ complete review ─→ reviewed ─ propose ─→ proposed
    proposed ─┬─ award ─→ awarded
              └─ not awarded (note) ─→ not_awarded

The unit's staff answer and submit; the Inspectorate (TPI) reviews, proposes and records the
decision. Whoever works for the unit, or answered one of its questions, cannot review it
(segregation of duties). Every step is written to the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from integritas import audit
from integritas.assessments import scoring
from integritas.assessments.models import (
    AnswerSource,
    Framework,
    FrameworkKind,
    FrameworkStatus,
    LkeAnswer,
    LkeAssessment,
    LkeAuditAction,
    LkeEvidence,
    LkeStage,
    Node,
    ReviewVerdict,
)
from integritas.assessments.services import desk, scores
from integritas.core.models import Unit, User
from integritas.lib import files, uploads

# The results items read from this system's Zona Integritas perception waves, by the last part of
# the item's code (H.IPAK, IPAK): the instrument kind whose waves measure it.
SURVEY_ITEMS = {"IPAK": "zi_anticorruption", "IPKP": "zi_service"}
INDEX_PLACES = Decimal("0.01")  # an index is published, and compared, to two decimals

St = LkeStage
TRANSITIONS: dict[tuple[str, str], str] = {
    (St.SELF_ASSESSMENT, "submit"): St.SUBMITTED,
    (St.SUBMITTED, "return"): St.SELF_ASSESSMENT,
    (St.SUBMITTED, "complete_review"): St.REVIEWED,
    (St.REVIEWED, "propose"): St.PROPOSED,
    (St.PROPOSED, "award"): St.AWARDED,
    (St.PROPOSED, "not_award"): St.NOT_AWARDED,
}
UNIT_ACTIONS = frozenset({"submit"})
STEP_EVENTS = {
    "submit": LkeAuditAction.SUBMITTED,
    "return": LkeAuditAction.RETURNED,
    "complete_review": LkeAuditAction.REVIEWED,
    "propose": LkeAuditAction.PROPOSED,
    "award": LkeAuditAction.DECIDED,
    "not_award": LkeAuditAction.DECIDED,
}


# --- Who may act -------------------------------------------------------------------------------


def is_unit_staff(user: Any, lke: LkeAssessment) -> bool:
    return lke.unit_id in desk.unit_ids_of(user)


def may_answer(user: Any, lke: LkeAssessment) -> bool:
    return lke.stage == St.SELF_ASSESSMENT and is_unit_staff(user, lke)


def may_review(user: Any, lke: LkeAssessment) -> bool:
    """The TPI (the Inspectorate), never someone who works for the unit or answered for it."""
    if not desk.is_inspectorate(user) or is_unit_staff(user, lke):
        return False
    return not lke.answers.filter(answered_by=user).exists()


def may_act(user: Any, lke: LkeAssessment, action: str) -> bool:
    if (lke.stage, action) not in TRANSITIONS:
        return False
    if action in UNIT_ACTIONS:
        return is_unit_staff(user, lke)
    return may_review(user, lke)


# --- Starting, questions -----------------------------------------------------------------------


def questions(framework: Framework) -> list[Node]:
    return desk.requirements(framework)


def survey_kind(node: Node | str) -> str:
    """The perception survey kind that measures the results item ``node``, or ""."""
    code = node if isinstance(node, str) else node.code
    return SURVEY_ITEMS.get(code.rsplit(".", 1)[-1].upper(), "")


@transaction.atomic
def start(
    *, framework: Framework, unit: Unit, target: str, held: str = "", by: User
) -> LkeAssessment:
    """A unit's LKE on an active LKE framework for the target predicate (a threshold set)."""
    if not (desk.is_inspectorate(by) or unit.pk in desk.unit_ids_of(by)):
        raise PermissionDenied
    if framework.kind != FrameworkKind.LKE or framework.status != FrameworkStatus.ACTIVE:
        raise ValidationError(_("Only an active LKE framework can be answered."))
    codes = list(framework.threshold_sets.values_list("code", flat=True))
    if target not in codes:
        raise ValidationError(
            {"target": _("The framework has no threshold set %(code)s.") % {"code": target}}
        )
    if LkeAssessment.objects.filter(framework=framework, unit=unit, target=target).exists():
        raise ValidationError(_("This unit already has an LKE for this year and target."))
    lke = LkeAssessment.objects.create(
        framework=framework, unit=unit, target=target, held=held.upper(), created_by=by
    )
    audit.record(
        LkeAuditAction.CREATED,
        obj=lke,
        actor=by,
        changes={"year": [None, framework.year], "target": [None, target]},
    )
    return lke


# --- Answers and evidence ----------------------------------------------------------------------


def _question(lke: LkeAssessment, code: str) -> Node:
    node = next((n for n in questions(lke.framework) if n.code == code), None)
    if node is None:
        raise ValidationError(_("This is not an item of the framework."))
    return node


def check_answer(node: Node, value: Any) -> str:
    """The answer as stored (a choice's code in capitals, a number with a point); a
    ValidationError ("answer") names what is wrong with one outside the question's options."""
    text = str(value if value is not None else "").strip()
    if not text:
        raise ValidationError({"answer": _("Give an answer.")})
    try:
        scoring.score_item(node.spec(), text)
    except scoring.ScoringError as exc:
        raise ValidationError({"answer": scores.message(exc)}) from exc
    if node.method == scoring.CHOICE:
        return text.upper()
    if node.method == scoring.YES_NO:
        return "yes" if scoring.share(node.spec(), text) else "no"
    if node.method in (scoring.PERCENT, scoring.SCALE):
        return str(Decimal(text.replace(",", ".")).normalize())
    return text


@transaction.atomic
def answer(
    *,
    lke: LkeAssessment,
    code: str,
    value: Any,
    note: str = "",
    source_detail: str = "",
    by: User,
) -> LkeAnswer:
    """Store the unit's answer to one question; nothing is stored when it is refused. An index
    of the results component entered by hand was measured elsewhere: its source is required."""
    if not may_answer(by, lke):
        raise PermissionDenied
    node = _question(lke, code)
    stored = check_answer(node, value)
    source = AnswerSource.UNIT
    if survey_kind(node):
        source = AnswerSource.ELSEWHERE
        if not source_detail.strip():
            raise ValidationError(
                {
                    "source_detail": _(
                        "Say where this index was measured (the survey, who ran it, when)."
                    )
                }
            )
    row = LkeAnswer.objects.filter(lke=lke, node=node).first()
    before = row.answer if row else None
    if row is None:
        row = LkeAnswer(lke=lke, node=node)
    row.answer, row.note, row.answered_by = stored, note.strip(), by
    row.source, row.source_detail = source, source_detail.strip()[:300]
    row.save()
    audit.record(
        LkeAuditAction.ANSWERED,
        obj=lke,
        actor=by,
        changes={"question": [None, node.code], "answer": [before, stored]},
    )
    return row


def check_evidence_file(upload: BinaryIO, name: str) -> files.Sniffed:
    """The desk's checks (size, real type, name), then the whole file (``lib.uploads``)."""
    sniffed = desk.check_upload(upload, name)
    try:
        uploads.check_structure(upload, sniffed)
    except ValueError as exc:  # damaged, locked with a password, or too large unpacked
        raise ValidationError(
            {
                "file": _(
                    "This file is damaged or is not really a %(kind)s file: it cannot be opened. "
                    "Choose the right file, or save it again and upload that."
                )
                % {"kind": sniffed.kind.upper()}
            }
        ) from exc
    return sniffed


@transaction.atomic
def add_evidence(
    *,
    lke: LkeAssessment,
    code: str,
    title: str,
    by: User,
    link: str = "",
    upload: BinaryIO | None = None,
    name: str = "",
) -> LkeEvidence:
    """Evidence for one question: a file or a link (one of the two)."""
    if not may_answer(by, lke):
        raise PermissionDenied
    node = _question(lke, code)
    if not title.strip():
        raise ValidationError({"title": _("This field is required.")})
    if (upload is None) == (not link):
        raise ValidationError(_("Give either a file or a link."))
    evidence = LkeEvidence(lke=lke, node=node, title=title.strip()[:300], added_by=by)
    if upload is not None:
        sniffed = check_evidence_file(upload, name)
        evidence.original_name = name[:255]
        evidence.content_type = sniffed.content_type
        evidence.size = files.size_of(upload)
        evidence.sha256 = files.sha256_of(upload)
        evidence.file.save(f"e.{sniffed.extension}", File(upload), save=False)
    else:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError as exc:
            raise ValidationError({"link": exc.messages}) from exc
        evidence.link = link
    evidence.save()
    audit.record(
        LkeAuditAction.EVIDENCE_ADDED,
        obj=lke,
        actor=by,
        changes={"question": [None, node.code], "evidence": [None, evidence.title]},
    )
    return evidence


# --- Results from the perception surveys -------------------------------------------------------


@dataclass(frozen=True)
class SurveyIndex:
    value: Decimal  # on the 1–4 scale, to two decimals
    wave_code: str
    wave_title: str
    respondents: int


def survey_index(unit: Unit, year: int, kind: str) -> SurveyIndex | None:
    """The unit's overall index in the latest wave of ``year`` (its fiscal year, else the year it
    opens) of a Zona Integritas instrument of ``kind`` with a stored, shown (not suppressed)
    result for the unit; None when there is none."""
    # Imported here: the indices models are needed only for this look-up.
    from integritas.indices.models import IndexResult, IndexRun
    from integritas.indices.services.settings import wave_year
    from integritas.surveys.models import Wave

    waves = Wave.objects.filter(version__instrument__kind=kind).order_by("-closes_on", "-pk")
    for wave in waves.select_related("fiscal_year"):
        if wave_year(wave) != year:
            continue
        run = IndexRun.objects.filter(wave=wave).order_by("-computed_at").first()
        if run is None:
            continue
        cell = IndexResult.objects.filter(
            run=run, node=unit.code, dimension="ALL", respondent_type="all", suppressed=False
        ).first()
        if cell is None or cell.score is None:
            continue
        value = Decimal(str(cell.score)).quantize(INDEX_PLACES, rounding=ROUND_HALF_UP)
        return SurveyIndex(value, wave.code, wave.title, cell.n)
    return None


@transaction.atomic
def take_survey_results(*, lke: LkeAssessment, by: User) -> dict[str, SurveyIndex | None]:
    """Answer the results items measured by this system's perception waves of the LKE's year
    ({item code: the index taken, or None when no wave measured it})."""
    if not may_answer(by, lke):
        raise PermissionDenied
    taken: dict[str, SurveyIndex | None] = {}
    for node in questions(lke.framework):
        kind = survey_kind(node)
        if not kind:
            continue
        index = survey_index(lke.unit, lke.framework.year, kind)
        taken[node.code] = index
        if index is None:
            continue
        stored = check_answer(node, index.value)
        LkeAnswer.objects.update_or_create(
            lke=lke,
            node=node,
            defaults={
                "answer": stored,
                "source": AnswerSource.SURVEY,
                "source_detail": f"{index.wave_code} — {index.wave_title} (n = {index.respondents})"[
                    :300
                ],
                "answered_by": by,
            },
        )
    audit.record(
        LkeAuditAction.SURVEY_RESULTS,
        obj=lke,
        actor=by,
        changes={code: [None, str(i.value) if i else None] for code, i in taken.items()},
    )
    return taken


# --- Scores and eligibility --------------------------------------------------------------------


def answers_of(lke: LkeAssessment, *, reviewed: bool = False) -> dict[str, str]:
    """{question code: answer}: the unit's, or (``reviewed``) the TPI's reviewed answers."""
    rows = lke.answers.select_related("node")
    return {a.node.code: (a.final_answer if reviewed else a.answer) for a in rows}


def score(lke: LkeAssessment, *, reviewed: bool = False) -> scoring.TreeScores:
    return scores.score(framework=lke.framework, answers=answers_of(lke, reviewed=reviewed))


def eligibility(
    lke: LkeAssessment, tree: scoring.TreeScores | None = None, *, reviewed: bool = False
) -> list[scoring.Failure]:
    """Every condition of the target's threshold set that the scores fail, with its gap."""
    tree = tree or score(lke, reviewed=reviewed)
    return scores.eligibility(
        framework=lke.framework, set_code=lke.target, scores=tree, held=lke.held_codes()
    )


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int
    with_evidence: int
    reviewed: int

    @property
    def percent(self) -> int:
        return round(self.answered * 100 / self.total) if self.total else 0


def progress(lke: LkeAssessment) -> Progress:
    total = len(questions(lke.framework))
    answers = list(lke.answers.all())
    evidenced = set(lke.evidence.values_list("node_id", flat=True))
    return Progress(
        answered=len(answers),
        total=total,
        with_evidence=len(evidenced),
        reviewed=sum(1 for a in answers if a.verdict),
    )


# --- The TPI's review and the stages -----------------------------------------------------------


@transaction.atomic
def review_question(
    *,
    lke: LkeAssessment,
    code: str,
    verdict: str,
    by: User,
    note: str = "",
    adjusted: Any = "",
) -> LkeAnswer:
    """Accept an answer, accept it with a note, or adjust it (with the reviewed answer and a
    note saying why)."""
    if not may_review(by, lke):
        raise PermissionDenied
    if lke.stage != St.SUBMITTED:
        raise ValidationError(_("Questions are reviewed while the LKE is with the TPI."))
    node = _question(lke, code)
    row = LkeAnswer.objects.filter(lke=lke, node=node).first()
    if row is None:
        raise ValidationError(_("The unit has not answered this question."))
    if verdict not in ReviewVerdict.values:
        raise ValidationError({"verdict": _("Choose accept, note or adjust.")})
    if verdict in (ReviewVerdict.NOTED, ReviewVerdict.ADJUSTED) and not note.strip():
        raise ValidationError({"note": _("Write the note for the unit.")})
    row.reviewed_answer = check_answer(node, adjusted) if verdict == ReviewVerdict.ADJUSTED else ""
    row.verdict, row.review_note, row.reviewed_by = verdict, note.strip(), by
    row.save(update_fields=["verdict", "reviewed_answer", "review_note", "reviewed_by"])
    audit.record(
        LkeAuditAction.QUESTION_REVIEWED,
        obj=lke,
        actor=by,
        changes={
            "question": [None, node.code],
            "verdict": [None, verdict],
            "answer": [row.answer, row.final_answer],
        },
    )
    return row


@transaction.atomic
def step(
    *,
    lke: LkeAssessment,
    action: str,
    by: User,
    reason: str = "",
    on: dt.date | None = None,
) -> LkeAssessment:
    """Move the LKE one stage along ``TRANSITIONS``, if ``by`` may."""
    target = TRANSITIONS.get((lke.stage, action))
    if target is None:
        raise ValidationError(
            _("This cannot be done to an LKE at the stage “%(stage)s”.")
            % {"stage": lke.get_stage_display()}
        )
    if not may_act(by, lke, action):
        raise PermissionDenied
    before = lke.stage
    if action == "submit":
        missing = progress(lke)
        if missing.answered < missing.total:
            raise ValidationError(
                _("%(n)s questions are not answered yet.") % {"n": missing.total - missing.answered}
            )
        lke.return_reason = ""
    elif action == "return":
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for returning it.")})
        lke.return_reason = reason.strip()
    elif action == "complete_review":
        open_ = lke.answers.filter(verdict="").count()
        if open_:
            raise ValidationError(_("%(n)s answers are not reviewed yet.") % {"n": open_})
    elif action == "propose":
        failures = eligibility(lke, reviewed=True)
        if failures:
            raise ValidationError(
                _("After review the unit does not meet %(n)s condition(s) of %(target)s.")
                % {"n": len(failures), "target": lke.target}
            )
        if on is None:
            raise ValidationError({"on": _("Give the date.")})
        lke.proposed_on = on
    else:  # award, not_award
        if on is None:
            raise ValidationError({"on": _("Give the date.")})
        if action == "not_award" and not reason.strip():
            raise ValidationError({"reason": _("Give the reason.")})
        lke.decided_on, lke.decision_note = on, reason.strip()
    lke.stage = target
    lke.save()
    audit.record(
        STEP_EVENTS[action],
        obj=lke,
        actor=by,
        changes={"stage": [before, target], **({"on": [None, on.isoformat()]} if on else {})},
        reason=reason.strip(),
    )
    return lke


def summary(lke: LkeAssessment) -> Mapping[str, Any]:
    """Self-assessed and reviewed scores and their eligibility, for pages and reports."""
    own = score(lke)
    checked = score(lke, reviewed=True)
    return {
        "own": own,
        "reviewed": checked,
        "own_failures": eligibility(lke, own),
        "reviewed_failures": eligibility(lke, checked),
        "has_review": lke.answers.exclude(verdict="").exists(),
    }
