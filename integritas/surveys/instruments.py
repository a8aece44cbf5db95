"""Instrument services: build questionnaires as drafts, publish them, keep published ones fixed.

A version changes only while it is a draft (``InstrumentVersion.is_editable``): every edit service
locks the version and refuses otherwise, because a published version is what responses were
collected against. Publishing checks the whole version, lists every problem at once, normalises
the order of pages and questions, and assigns the answer slots (see ``models``).

Each operation is atomic and writes one audit event, on the version for edits of its content (so
the version page's history tells how the questionnaire came to be) and on the instrument for
instrument-level changes.

``InstrumentData`` is the plain form of one version's content. The XLSX layout
(``instrument_xlsx``), the shipped JSON files and "new version from this one" all go through it,
so a copy, an export and a re-import give the same questionnaire.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.audit.labels import register_actions, register_field
from integritas.audit.services import changes_between
from integritas.surveys.models import (
    Choice,
    Dimension,
    Instrument,
    InstrumentVersion,
    Question,
    RespondentType,
    Section,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
# Shipped instruments, in the order they are loaded.
SHIPPED_FILES = (
    "skm-permenpanrb-14-2017.json",
    "integrity-self-survey.json",
    "zi-ipak.json",
    "zi-ipkp.json",
)

CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CODE_MAX = 30
# Column names of the bulk response import (one row per response): a question may not take them.
RESERVED_QUESTION_CODES = frozenset(
    {"unit_code", "respondent_type", "submitted_on", "service_code"}
)
# Page names under /surveys/instruments/ that an instrument code would hide.
RESERVED_INSTRUMENT_CODES = frozenset({"new", "import"})
CONDITION_OPS = ("in", "not_in")
YESNO_CODES = ("yes", "no")
# Text a spreadsheet would run as a formula: "=", "+", "@", a tab or carriage return at the start,
# or a minus sign that starts neither a plain number ("-5", "-2,5") nor a dash list item ("- lain").
_FORMULA_LIKE = re.compile(r"[=+@\t\r]|-(?!\s|$|\d+(?:[.,]\d+)?$)")

M = TypeVar("M", bound=models.Model)


# --- Audit labels ------------------------------------------------------------------------------

ACTION_LABELS = {
    "instrument.created": gettext_lazy("Instrument created"),
    "instrument.updated": gettext_lazy("Instrument changed"),
    "instrument.version_created": gettext_lazy("New draft version"),
    "instrument.version_imported": gettext_lazy("Version imported from a file"),
    "instrument.version_published": gettext_lazy("Version published"),
    "instrument.version_retired": gettext_lazy("Version retired"),
    "instrument.version_deleted": gettext_lazy("Draft version deleted"),
    "instrument.dimension_added": gettext_lazy("Dimension added"),
    "instrument.dimension_changed": gettext_lazy("Dimension changed"),
    "instrument.dimension_deleted": gettext_lazy("Dimension deleted"),
    "instrument.section_added": gettext_lazy("Section added"),
    "instrument.section_changed": gettext_lazy("Section changed"),
    "instrument.section_deleted": gettext_lazy("Section deleted"),
    "instrument.question_added": gettext_lazy("Question added"),
    "instrument.question_changed": gettext_lazy("Question changed"),
    "instrument.question_deleted": gettext_lazy("Question deleted"),
    "instrument.choice_added": gettext_lazy("Choice added"),
    "instrument.choice_changed": gettext_lazy("Choice changed"),
    "instrument.choice_deleted": gettext_lazy("Choice deleted"),
    "instrument.item_moved": gettext_lazy("Order changed"),
}
# Keys of the ``changes`` of content events that are not fields of the version itself.
EVENT_FIELDS = {
    "dimension": gettext_lazy("dimension"),
    "section": gettext_lazy("section"),
    "question": gettext_lazy("question"),
    "choice": gettext_lazy("choice"),
    "choices": gettext_lazy("choices"),
    "type": gettext_lazy("type"),
    "text_id": gettext_lazy("question (Indonesian)"),
    "text_en": gettext_lazy("question (English)"),
    "help_id": gettext_lazy("help (Indonesian)"),
    "help_en": gettext_lazy("help (English)"),
    "required": gettext_lazy("required"),
    "respondent_types": gettext_lazy("respondent types"),
    "condition": gettext_lazy("condition"),
    "min_value": gettext_lazy("minimum"),
    "max_value": gettext_lazy("maximum"),
    "title_id": gettext_lazy("title (Indonesian)"),
    "title_en": gettext_lazy("title (English)"),
    "intro_id": gettext_lazy("introduction (Indonesian)"),
    "intro_en": gettext_lazy("introduction (English)"),
    "name_id": gettext_lazy("name (Indonesian)"),
    "name_en": gettext_lazy("name (English)"),
    "group": gettext_lazy("group"),
    "weight": gettext_lazy("weight"),
    "label_id": gettext_lazy("label (Indonesian)"),
    "label_en": gettext_lazy("label (English)"),
    "score": gettext_lazy("score"),
    "position": gettext_lazy("position"),
    "source": gettext_lazy("source"),
    "from_version": gettext_lazy("copied from version"),
    "slots": gettext_lazy("answer slots"),
    "questions": gettext_lazy("questions"),
}


def register_labels() -> None:
    """Names for this module's events in the history tables (idempotent)."""
    register_actions(ACTION_LABELS)
    for name, label in EVENT_FIELDS.items():
        choices = dict(Question.Type.choices) if name == "type" else {}
        register_field(name, label, choices)


# Registered on import as well, so history tables read well even before the app config calls it.
register_labels()


# --- Plain data --------------------------------------------------------------------------------


@dataclass
class ChoiceData:
    code: str
    label_id: str
    label_en: str = ""
    score: Decimal | None = None


@dataclass
class QuestionData:
    code: str
    type: str
    text_id: str
    text_en: str = ""
    help_id: str = ""
    help_en: str = ""
    required: bool = True
    dimension: str = ""  # a dimension code of the same version, or empty
    respondent_types: list[str] = field(default_factory=list)
    condition: dict[str, Any] | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choices: list[ChoiceData] = field(default_factory=list)


@dataclass
class SectionData:
    code: str
    title_id: str
    title_en: str = ""
    intro_id: str = ""
    intro_en: str = ""
    respondent_types: list[str] = field(default_factory=list)
    questions: list[QuestionData] = field(default_factory=list)


@dataclass
class DimensionData:
    code: str
    name_id: str
    name_en: str = ""
    group: str = ""
    weight: Decimal | None = None


@dataclass
class InstrumentData:
    """One version's content with the instrument's identity, in page and question order."""

    code: str
    kind: str
    title_id: str
    title_en: str = ""
    description_id: str = ""
    description_en: str = ""
    notes: str = ""
    dimensions: list[DimensionData] = field(default_factory=list)
    sections: list[SectionData] = field(default_factory=list)

    def questions(self) -> list[QuestionData]:
        return [q for s in self.sections for q in s.questions]


# --- Small parsers shared by forms and the XLSX layout -----------------------------------------


def code_problem(value: str) -> str | None:
    """Why ``value`` cannot be a dimension, section, question or choice code, or None."""
    if not value:
        return _("The code is required.")
    if len(value) > CODE_MAX:
        return _("A code may be at most %(max)d characters long.") % {"max": CODE_MAX}
    if not CODE_RE.fullmatch(value):
        return _(
            "A code uses letters, digits, dots, dashes and underscores only, and starts with a "
            "letter or digit."
        )
    return None


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet run this text as a formula? Such text is refused everywhere."""
    return bool(_FORMULA_LIKE.match(text))


def formula_problem(text: str) -> str | None:
    if text and is_formula_like(text):
        return _(
            "The text starts like a spreadsheet formula (=, +, - or @). Start it with a letter "
            "or a digit instead."
        )
    return None


def parse_respondent_types(text: str) -> list[str]:
    """ "internal, external" or "internal external" to a list; raises ValueError on unknown types."""
    types = [t for t in re.split(r"[\s,;]+", text.strip().lower()) if t]
    unknown = [t for t in types if t not in RespondentType.values]
    if unknown:
        raise ValueError(
            _("Unknown respondent type %(types)s; use %(choices)s.")
            % {"types": ", ".join(unknown), "choices": ", ".join(RespondentType.values)}
        )
    return list(dict.fromkeys(types))


def parse_condition(text: str) -> dict[str, Any] | None:
    """A show-if rule as typed by a person: ``complained = yes``, ``complained in yes,maybe``,
    ``q3 != a`` or ``q3 not_in a,b``. Empty text means no condition. Raises ValueError."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\S+?)\s*(!=|=)\s*(.+)", text) or re.fullmatch(
        r"(\S+)\s+(in|not_in|not\s+in)\s+(.+)", text, flags=re.IGNORECASE
    )
    if match is None:
        raise ValueError(
            _(
                "Write the condition as “question = answer”, “question in answer1,answer2” or "
                "“question not_in answer1,answer2”."
            )
        )
    question, op, values_text = match.groups()
    op = " ".join(op.lower().split())
    values = [v for v in re.split(r"[\s,;]+", values_text.strip()) if v]
    if not values:
        raise ValueError(_("The condition needs at least one answer code."))
    return {
        "question": question,
        "op": "not_in" if op in ("!=", "not_in", "not in") else "in",
        "values": list(dict.fromkeys(values)),
    }


def format_condition(condition: Mapping[str, Any] | None) -> str:
    """The typed form of a stored condition (the inverse of ``parse_condition``)."""
    if not condition:
        return ""
    values = [str(v) for v in condition.get("values", [])]
    op = condition.get("op", "in")
    if op == "in" and len(values) == 1:
        return f"{condition.get('question', '')} = {values[0]}"
    return f"{condition.get('question', '')} {op} {','.join(values)}"


def parse_decimal(text: str) -> Decimal:
    """A number typed with a dot or an Indonesian decimal comma; raises ValueError."""
    cleaned = text.strip()
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except ArithmeticError as exc:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from exc
    if not value.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": text})
    return value


def format_choices(choices: Iterable[ChoiceData]) -> str:
    """Choices on one line for the audit trail: "1 Tidak sesuai (1) · 2 Kurang sesuai (2)"."""
    parts = []
    for c in choices:
        score = f" ({_decimal_text(c.score)})" if c.score is not None else ""
        parts.append(f"{c.code} {c.label_id}{score}")
    return " · ".join(parts)


def _decimal_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# --- Checks (the publishing rules) -------------------------------------------------------------


def question_problems(
    question: QuestionData,
    *,
    earlier: Mapping[str, QuestionData],
    dimensions: Iterable[str] | None = None,
) -> list[str]:
    """Everything wrong with one question, given the questions before it (keyed by code) and the
    version's dimension codes. Each message names the question."""
    q = question
    problems: list[str] = []

    def add(message: str, **values: Any) -> None:
        problems.append(
            _("%(question)s: %(problem)s") % {"question": q.code, "problem": message % values}
        )

    if q.type not in Question.Type.values:
        add(_("the type “%(type)s” is unknown."), type=q.type)
        return problems
    n = len(q.choices)
    codes = [c.code for c in q.choices]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        add(_("the choice code %(codes)s appears more than once."), codes=", ".join(repeated))
    for c in q.choices:
        problem = code_problem(c.code)
        if problem:
            add(_("choice “%(code)s”: %(problem)s"), code=c.code, problem=problem)
        if not c.label_id.strip():
            add(_("choice %(code)s needs a label in Indonesian."), code=c.code)
    scored = any(c.score is not None for c in q.choices)
    if q.type in Question.CHOICE_TYPES:
        points = Question.LIKERT_POINTS.get(q.type)  # type: ignore[call-overload]
        if points is not None and n != points:
            add(
                _(
                    "a %(points)d-point Likert question needs exactly %(points)d choices; it has %(n)d."
                ),
                points=points,
                n=n,
            )
        elif q.type == Question.Type.YESNO and sorted(codes) != sorted(YESNO_CODES):
            add(_("a yes/no question has exactly the two choice codes yes and no."))
        elif n < 2:
            add(_("a choice question needs at least two choices; it has %(n)d."), n=n)
        if scored and not q.dimension:
            add(_("the question is scored, so it needs a dimension."))
    elif q.type == Question.Type.MULTIPLE:
        if n < 1:
            add(_("a multiple-choice question needs at least one choice."))
        if n > Question.MAX_MULTIPLE_CHOICES:
            add(
                _("a multiple-choice question may have at most %(max)d choices; it has %(n)d."),
                max=Question.MAX_MULTIPLE_CHOICES,
                n=n,
            )
        if scored:
            add(_("the choices of a multiple-choice question cannot carry scores."))
    elif n:
        add(_("only choice questions have choices; remove them or change the type."))
    if q.type == Question.Type.NUMBER:
        if q.min_value is not None and q.max_value is not None and q.min_value > q.max_value:
            add(_("the minimum is larger than the maximum."))
    elif q.min_value is not None or q.max_value is not None:
        add(_("only number questions take a minimum and a maximum."))
    if q.dimension and dimensions is not None and q.dimension not in set(dimensions):
        add(_("there is no dimension %(code)s in this version."), code=q.dimension)
    unknown = sorted(set(q.respondent_types) - set(RespondentType.values))
    if unknown:
        add(_("unknown respondent type %(types)s."), types=", ".join(unknown))
    if q.condition:
        problems += _condition_problems(q, earlier)
    return problems


def _condition_problems(q: QuestionData, earlier: Mapping[str, QuestionData]) -> list[str]:
    condition = q.condition or {}
    source_code = str(condition.get("question", ""))
    op = condition.get("op")
    values = condition.get("values")

    def problem(message: str, **values: Any) -> list[str]:
        return [
            _("%(question)s: %(problem)s")
            % {
                "question": q.code,
                "problem": _("the condition: %(problem)s") % {"problem": message % values},
            }
        ]

    if op not in CONDITION_OPS:
        return problem(_("the operator must be “in” or “not_in”."))
    if not isinstance(values, list) or not values:
        return problem(_("it needs at least one answer code."))
    if source_code == q.code:
        return problem(_("a question cannot depend on its own answer."))
    source = earlier.get(source_code)
    if source is None:
        return problem(
            _("it must refer to an earlier question of this version; %(code)s is not one."),
            code=source_code,
        )
    if source.type not in Question.SLOT_TYPES:
        return problem(
            _("it must refer to a choice question; %(code)s is a question of another type."),
            code=source_code,
        )
    known = {c.code for c in source.choices}
    unknown = [str(v) for v in values if str(v) not in known]
    if unknown:
        return problem(
            _("%(code)s has no answer %(values)s; its answers are %(choices)s."),
            code=source_code,
            values=", ".join(unknown),
            choices=", ".join(c.code for c in source.choices),
        )
    return []


def data_problems(data: InstrumentData) -> list[str]:
    """Every reason why this content cannot be published, in questionnaire order."""
    problems: list[str] = []
    if not any(section.questions for section in data.sections):
        problems.append(_("The version needs at least one section with at least one question."))
    dimension_codes = [d.code for d in data.dimensions]
    for code in sorted({c for c in dimension_codes if dimension_codes.count(c) > 1}):
        problems.append(_("The dimension code %(code)s appears more than once.") % {"code": code})
    for d in data.dimensions:
        if d.group and d.group not in RespondentType.values:
            problems.append(
                _("Dimension %(code)s: the group “%(group)s” is not a respondent type.")
                % {"code": d.code, "group": d.group}
            )
    section_codes = [s.code for s in data.sections]
    for code in sorted({c for c in section_codes if section_codes.count(c) > 1}):
        problems.append(_("The section code %(code)s appears more than once.") % {"code": code})
    seen_lower: dict[str, str] = {}
    earlier: dict[str, QuestionData] = {}
    for section in data.sections:
        if not section.questions:
            problems.append(_("Section %(code)s has no questions.") % {"code": section.code})
        unknown = sorted(set(section.respondent_types) - set(RespondentType.values))
        if unknown:
            problems.append(
                _("Section %(code)s: unknown respondent type %(types)s.")
                % {"code": section.code, "types": ", ".join(unknown)}
            )
        for q in section.questions:
            key = q.code.lower()
            if key in seen_lower:
                problems.append(
                    _(
                        "The question code %(code)s appears more than once (codes are compared without regard to case)."
                    )
                    % {"code": q.code}
                )
            if key in RESERVED_QUESTION_CODES:
                problems.append(
                    _(
                        "%(code)s is a column name of the response import and cannot be a question code."
                    )
                    % {"code": q.code}
                )
            problems += question_problems(q, earlier=earlier, dimensions=dimension_codes)
            seen_lower.setdefault(key, q.code)
            earlier.setdefault(q.code, q)
    return problems


def version_problems(version: InstrumentVersion) -> list[str]:
    return data_problems(version_data(version))


# --- Reading a version as plain data ----------------------------------------------------------


def version_data(version: InstrumentVersion) -> InstrumentData:
    """The version's content in page and question order (a handful of queries)."""
    instrument = version.instrument
    questions = (
        version.questions.select_related("dimension")
        .prefetch_related("choices")
        .order_by("order", "code")
    )
    by_section: dict[int, list[QuestionData]] = {}
    for q in questions:
        by_section.setdefault(q.section_id, []).append(
            QuestionData(
                code=q.code,
                type=q.type,
                text_id=q.text_id,
                text_en=q.text_en,
                help_id=q.help_id,
                help_en=q.help_en,
                required=q.required,
                dimension=q.dimension.code if q.dimension else "",
                respondent_types=list(q.respondent_types or []),
                condition=dict(q.condition) if q.condition else None,
                min_value=q.min_value,
                max_value=q.max_value,
                choices=[
                    ChoiceData(c.code, c.label_id, c.label_en, c.score)
                    for c in sorted(q.choices.all(), key=lambda c: (c.order, c.code))
                ],
            )
        )
    return InstrumentData(
        code=instrument.code,
        kind=instrument.kind,
        title_id=instrument.title_id,
        title_en=instrument.title_en,
        description_id=instrument.description_id,
        description_en=instrument.description_en,
        notes=version.notes,
        dimensions=[
            DimensionData(d.code, d.name_id, d.name_en, d.group, d.weight)
            for d in version.dimensions.order_by("order", "code")
        ],
        sections=[
            SectionData(
                code=s.code,
                title_id=s.title_id,
                title_en=s.title_en,
                intro_id=s.intro_id,
                intro_en=s.intro_en,
                respondent_types=list(s.respondent_types or []),
                questions=by_section.get(s.pk, []),
            )
            for s in version.sections.order_by("order", "code")
        ],
    )


# --- Writing content -----------------------------------------------------------------------------


def _create_content(version: InstrumentVersion, data: InstrumentData) -> None:
    dimensions: dict[str, Dimension] = {}
    for order, d in enumerate(data.dimensions):
        dimension = Dimension(
            version=version,
            code=d.code,
            name_id=d.name_id,
            name_en=d.name_en,
            group=d.group,
            weight=d.weight,
            order=order,
        )
        _clean(dimension, exclude=["version"])
        dimension.save()
        dimensions[d.code] = dimension
    for s_order, s in enumerate(data.sections):
        section = Section(
            version=version,
            code=s.code,
            order=s_order,
            title_id=s.title_id,
            title_en=s.title_en,
            intro_id=s.intro_id,
            intro_en=s.intro_en,
            respondent_types=list(s.respondent_types),
        )
        _clean(section, exclude=["version"])
        section.save()
        for q_order, q in enumerate(s.questions):
            question = Question(
                version=version,
                section=section,
                order=q_order,
                **_question_fields(q, dimensions),
            )
            _clean(question, exclude=["version", "section", "dimension"])
            question.save()
            _create_choices(question, q.choices)


def _question_fields(q: QuestionData, dimensions: Mapping[str, Dimension]) -> dict[str, Any]:
    return {
        "code": q.code,
        "type": q.type,
        "text_id": q.text_id,
        "text_en": q.text_en,
        "help_id": q.help_id,
        "help_en": q.help_en,
        "required": q.required,
        "dimension": dimensions.get(q.dimension) if q.dimension else None,
        "respondent_types": list(q.respondent_types),
        "condition": dict(q.condition) if q.condition else None,
        "min_value": q.min_value,
        "max_value": q.max_value,
    }


def _create_choices(question: Question, choices: Sequence[ChoiceData]) -> None:
    rows = []
    for order, c in enumerate(choices):
        choice = Choice(
            question=question,
            code=c.code,
            order=order,
            label_id=c.label_id,
            label_en=c.label_en,
            score=c.score,
        )
        _clean(choice, exclude=["question"])
        rows.append(choice)
    Choice.objects.bulk_create(rows)


def _clean(obj: models.Model, *, exclude: list[str]) -> None:
    """Model validation without the unique checks the database makes anyway (and which would
    cost a query per row)."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _next_number(instrument: Instrument) -> int:
    last = instrument.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _lock_draft(version: InstrumentVersion) -> InstrumentVersion:
    """The version, locked for the rest of the transaction; ValidationError unless it is a draft."""
    locked = (
        InstrumentVersion.objects.select_for_update()
        .select_related("instrument")
        .get(pk=version.pk)
    )
    if not locked.is_editable:
        raise ValidationError(
            _(
                "Version %(number)d of %(code)s is %(status)s and can no longer change. Make a new "
                "version from it and edit that."
            )
            % {
                "number": locked.number,
                "code": locked.instrument.code,
                "status": locked.get_status_display().lower(),
            },
            code="not_editable",
        )
    return locked


def _check_code(value: str, field_name: str = "code") -> None:
    problem = code_problem(value)
    if problem:
        raise ValidationError({field_name: problem})


def _check_texts(values: Mapping[str, Any], names: Iterable[str]) -> None:
    errors = {}
    for name in names:
        problem = formula_problem(str(values.get(name) or ""))
        if problem:
            errors[name] = problem
    if errors:
        raise ValidationError(errors)


def _apply(obj: M, values: Mapping[str, Any], allowed: Iterable[str]) -> M:
    for name in allowed:
        if name in values:
            setattr(obj, name, values[name])
    return obj


# --- Instruments and versions ----------------------------------------------------------------

INSTRUMENT_FIELDS = ["code", "kind", "title_id", "title_en", "description_id", "description_en"]
INSTRUMENT_EDITABLE = ["title_id", "title_en", "description_id", "description_en"]


def _instrument_state(instrument: Instrument) -> dict[str, Any]:
    return {name: getattr(instrument, name) for name in INSTRUMENT_FIELDS}


def _check_instrument_code(code: str) -> None:
    if code in RESERVED_INSTRUMENT_CODES:
        raise ValidationError(
            {"code": _("“%(code)s” is reserved; choose another code.") % {"code": code}}
        )


@transaction.atomic
def instrument_create(*, values: Mapping[str, Any]) -> Instrument:
    """A new instrument with an empty draft version 1 to build on."""
    _check_instrument_code(str(values.get("code", "")))
    _check_texts(values, INSTRUMENT_FIELDS)
    instrument = _apply(Instrument(), values, INSTRUMENT_FIELDS)
    instrument.full_clean()
    instrument.save()
    InstrumentVersion.objects.create(instrument=instrument, number=1)
    audit.record(
        "instrument.created",
        obj=instrument,
        changes=changes_between({}, _instrument_state(instrument)),
    )
    return instrument


@transaction.atomic
def instrument_update(*, instrument: Instrument, values: Mapping[str, Any]) -> Instrument:
    """Change the titles and descriptions. The code and kind stay: waves and indices rely on them."""
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    _check_texts(values, INSTRUMENT_EDITABLE)
    before = _instrument_state(instrument)
    _apply(instrument, values, INSTRUMENT_EDITABLE)
    instrument.full_clean()
    instrument.save()
    changes = changes_between(before, _instrument_state(instrument))
    if changes:
        audit.record("instrument.updated", obj=instrument, changes=changes)
    return instrument


@transaction.atomic
def version_new_draft(
    *, instrument: Instrument, source: InstrumentVersion | None = None
) -> InstrumentVersion:
    """The next version number as a draft copy of ``source`` (by default the latest version)."""
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if source is None:
        source = instrument.versions.order_by("-number").first()
    elif source.instrument_id != instrument.pk:
        raise ValueError("the source version belongs to another instrument")
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        number=_next_number(instrument),
        notes=source.notes if source else "",
    )
    if source is not None:
        _create_content(version, version_data(source))
    audit.record(
        "instrument.version_created",
        obj=version,
        changes={"from_version": [None, source.number if source else None]},
    )
    return version


@transaction.atomic
def version_import(*, data: InstrumentData, source: str) -> tuple[InstrumentVersion, bool]:
    """Create a new draft version from plain data: of the instrument with that code, or of a new
    instrument. Returns the version and whether the instrument was created. All or nothing."""
    instrument = Instrument.objects.select_for_update().filter(code=data.code).first()
    created = instrument is None
    identity = {
        "code": data.code,
        "kind": data.kind,
        "title_id": data.title_id,
        "title_en": data.title_en,
        "description_id": data.description_id,
        "description_en": data.description_en,
    }
    if instrument is None:
        _check_instrument_code(data.code)
        instrument = _apply(Instrument(), identity, INSTRUMENT_FIELDS)
        instrument.full_clean()
        instrument.save()
        before: dict[str, Any] = {}
    else:
        if instrument.kind != data.kind:
            raise ValidationError(
                {
                    "kind": _(
                        "The instrument %(code)s is a “%(kind)s” instrument; the file says “%(other)s”. "
                        "Use a new instrument code for a different kind of survey."
                    )
                    % {
                        "code": instrument.code,
                        "kind": instrument.get_kind_display(),
                        "other": data.kind,
                    }
                }
            )
        before = _instrument_state(instrument)
        _apply(instrument, identity, INSTRUMENT_EDITABLE)
        instrument.full_clean()
        instrument.save()
    version = InstrumentVersion(
        instrument=instrument, number=_next_number(instrument), notes=data.notes
    )
    version.full_clean(exclude=["instrument"], validate_unique=False, validate_constraints=False)
    version.save()
    _create_content(version, data)
    changes = changes_between(before, _instrument_state(instrument))
    changes["source"] = [None, source]
    changes["questions"] = [None, len(data.questions())]
    audit.record("instrument.version_imported", obj=version, changes=changes)
    return version, created


@transaction.atomic
def version_publish(*, version: InstrumentVersion) -> InstrumentVersion:
    """Check the whole version and, when nothing is wrong, fix it for ever: pages and questions
    get their final order and every question with an answer slot gets its slot.

    Raises ValidationError with every problem when the version cannot be published."""
    version = _lock_draft(version)
    problems = version_problems(version)
    if problems:
        raise ValidationError(problems, code="not_publishable")
    sections = list(version.sections.order_by("order", "code"))
    for order, section in enumerate(sections):
        section.order = order
    Section.objects.bulk_update(sections, ["order"])
    position = {s.pk: s.order for s in sections}
    questions = sorted(
        version.questions.all(), key=lambda q: (position[q.section_id], q.order, q.code)
    )
    slot = 0
    previous_section = None
    order = 0
    for q in questions:
        if q.section_id != previous_section:
            previous_section, order = q.section_id, 0
        q.order = order
        order += 1
        if q.type in Question.SLOT_TYPES:
            q.slot = slot
            slot += 1
        else:
            q.slot = None
    # Clear first: assigning in place could meet a stale slot of another question on the way.
    version.questions.update(slot=None)
    Question.objects.bulk_update(questions, ["order", "slot"])
    version.status = InstrumentVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    audit.record(
        "instrument.version_published",
        obj=version,
        changes={"status": ["draft", "published"], "slots": [None, slot]},
    )
    return version


@transaction.atomic
def version_retire(*, version: InstrumentVersion) -> InstrumentVersion:
    """No new waves should use a retired version; waves that did keep their data."""
    version = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != InstrumentVersion.Status.PUBLISHED:
        raise ValidationError(_("Only a published version can be retired."), code="not_published")
    version.status = InstrumentVersion.Status.RETIRED
    version.save(update_fields=["status"])
    audit.record(
        "instrument.version_retired", obj=version, changes={"status": ["published", "retired"]}
    )
    return version


@transaction.atomic
def version_delete(*, version: InstrumentVersion) -> None:
    """Throw away a draft (for example an import that went wrong). Published versions stay."""
    version = _lock_draft(version)
    instrument = version.instrument
    number = version.number
    # Questions first: they hold protected references to the version's dimensions.
    version.questions.all().delete()
    version.delete()
    audit.record("instrument.version_deleted", obj=instrument, changes={"version": [number, None]})


# --- Dimensions ----------------------------------------------------------------------------------

DIMENSION_FIELDS = ["code", "name_id", "name_en", "group", "weight"]


def _dimension_state(d: Dimension) -> dict[str, Any]:
    return {
        "code": d.code,
        "name_id": d.name_id,
        "name_en": d.name_en,
        "group": d.group,
        "weight": d.weight,
    }


def _added(kind: str, state: Mapping[str, Any]) -> dict[str, list[Any]]:
    rest = {k: v for k, v in state.items() if k != "code"}
    return {kind: [None, state["code"]], **changes_between({}, rest)}


def _changed(
    kind: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, list[Any]]:
    rest = changes_between(
        {k: v for k, v in before.items() if k != "code"},
        {k: v for k, v in after.items() if k != "code"},
    )
    return (
        {kind: [before["code"], after["code"]], **rest}
        if rest or before["code"] != after["code"]
        else {}
    )


@transaction.atomic
def dimension_add(*, version: InstrumentVersion, values: Mapping[str, Any]) -> Dimension:
    version = _lock_draft(version)
    _check_code(str(values.get("code", "")))
    _check_texts(values, ["name_id", "name_en"])
    last = version.dimensions.aggregate(m=models.Max("order"))["m"]
    dimension = _apply(
        Dimension(version=version, order=0 if last is None else last + 1), values, DIMENSION_FIELDS
    )
    dimension.full_clean()
    dimension.save()
    audit.record(
        "instrument.dimension_added",
        obj=version,
        changes=_added("dimension", _dimension_state(dimension)),
    )
    return dimension


@transaction.atomic
def dimension_update(*, dimension: Dimension, values: Mapping[str, Any]) -> Dimension:
    version = _lock_draft(dimension.version)
    dimension = Dimension.objects.get(pk=dimension.pk)
    _check_code(str(values.get("code", dimension.code)))
    _check_texts(values, ["name_id", "name_en"])
    before = _dimension_state(dimension)
    _apply(dimension, values, DIMENSION_FIELDS)
    dimension.full_clean()
    dimension.save()
    changes = _changed("dimension", before, _dimension_state(dimension))
    if changes:
        audit.record("instrument.dimension_changed", obj=version, changes=changes)
    return dimension


@transaction.atomic
def dimension_delete(*, dimension: Dimension) -> None:
    version = _lock_draft(dimension.version)
    users = list(dimension.questions.order_by("code").values_list("code", flat=True))
    if users:
        raise ValidationError(
            _(
                "Dimension %(code)s is used by %(questions)s; give those questions another dimension first."
            )
            % {"code": dimension.code, "questions": ", ".join(users)}
        )
    code = dimension.code
    dimension.delete()
    _renumber(version.dimensions.all())
    audit.record("instrument.dimension_deleted", obj=version, changes={"dimension": [code, None]})


# --- Sections ------------------------------------------------------------------------------------

SECTION_FIELDS = ["code", "title_id", "title_en", "intro_id", "intro_en", "respondent_types"]


def _section_state(s: Section) -> dict[str, Any]:
    return {
        "code": s.code,
        "title_id": s.title_id,
        "title_en": s.title_en,
        "intro_id": s.intro_id,
        "intro_en": s.intro_en,
        "respondent_types": " ".join(s.respondent_types or []),
    }


def _check_types(values: Mapping[str, Any]) -> None:
    unknown = set(values.get("respondent_types") or []) - set(RespondentType.values)
    if unknown:
        raise ValidationError(
            {
                "respondent_types": _("Unknown respondent type: %(t)s")
                % {"t": ", ".join(sorted(unknown))}
            }
        )


@transaction.atomic
def section_add(*, version: InstrumentVersion, values: Mapping[str, Any]) -> Section:
    version = _lock_draft(version)
    _check_code(str(values.get("code", "")))
    _check_texts(values, ["title_id", "title_en", "intro_id", "intro_en"])
    _check_types(values)
    last = version.sections.aggregate(m=models.Max("order"))["m"]
    section = _apply(
        Section(version=version, order=0 if last is None else last + 1), values, SECTION_FIELDS
    )
    section.full_clean()
    section.save()
    audit.record(
        "instrument.section_added", obj=version, changes=_added("section", _section_state(section))
    )
    return section


@transaction.atomic
def section_update(*, section: Section, values: Mapping[str, Any]) -> Section:
    version = _lock_draft(section.version)
    section = Section.objects.get(pk=section.pk)
    _check_code(str(values.get("code", section.code)))
    _check_texts(values, ["title_id", "title_en", "intro_id", "intro_en"])
    _check_types(values)
    before = _section_state(section)
    _apply(section, values, SECTION_FIELDS)
    section.full_clean()
    section.save()
    changes = _changed("section", before, _section_state(section))
    if changes:
        audit.record("instrument.section_changed", obj=version, changes=changes)
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    """Delete a page with its questions, unless a question elsewhere depends on one of them."""
    version = _lock_draft(section.version)
    inside = set(section.questions.values_list("code", flat=True))
    dependants = _dependants(version, inside, exclude_section=section)
    if dependants:
        raise ValidationError(
            _(
                "The conditions of %(questions)s refer to questions in this section; change them first."
            )
            % {"questions": ", ".join(dependants)}
        )
    code = section.code
    section.questions.all().delete()
    section.delete()
    _renumber(version.sections.all())
    audit.record(
        "instrument.section_deleted",
        obj=version,
        changes={"section": [code, None], "questions": [", ".join(sorted(inside)) or None, None]},
    )


# --- Questions -----------------------------------------------------------------------------------

QUESTION_FIELDS = [
    "code",
    "type",
    "text_id",
    "text_en",
    "help_id",
    "help_en",
    "required",
    "dimension",
    "respondent_types",
    "condition",
    "min_value",
    "max_value",
]
QUESTION_TEXTS = ["text_id", "text_en", "help_id", "help_en"]


def _question_state(q: Question) -> dict[str, Any]:
    return {
        "code": q.code,
        "section": q.section.code,
        "type": q.type,
        "text_id": q.text_id,
        "text_en": q.text_en,
        "help_id": q.help_id,
        "help_en": q.help_en,
        "required": q.required,
        "dimension": q.dimension.code if q.dimension else None,
        "respondent_types": " ".join(q.respondent_types or []),
        "condition": format_condition(q.condition),
        "min_value": q.min_value,
        "max_value": q.max_value,
        "choices": format_choices(
            ChoiceData(c.code, c.label_id, c.label_en, c.score)
            for c in q.choices.order_by("order", "code")
        ),
    }


def _dependants(
    version: InstrumentVersion, codes: Iterable[str], *, exclude_section: Section | None = None
) -> list[str]:
    """Codes of questions whose condition refers to one of ``codes``."""
    wanted = set(codes)
    questions = version.questions.exclude(condition__isnull=True)
    if exclude_section is not None:
        questions = questions.exclude(section=exclude_section)
    return sorted(
        q.code for q in questions if q.condition and q.condition.get("question") in wanted
    )


def _check_question(
    version: InstrumentVersion, values: Mapping[str, Any], current: Question | None
) -> None:
    code = str(values.get("code", current.code if current else ""))
    _check_code(code)
    _check_texts(values, QUESTION_TEXTS)
    _check_types(values)
    if code.lower() in RESERVED_QUESTION_CODES:
        raise ValidationError(
            {
                "code": _("%(code)s is a column name of the response import; choose another code.")
                % {"code": code}
            }
        )
    clash = version.questions.filter(code__iexact=code)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise ValidationError(
            {
                "code": _(
                    "This version already has a question %(code)s (codes are compared without regard to case)."
                )
                % {"code": code}
            }
        )
    dimension = values.get("dimension")
    if dimension is not None and dimension.version_id != version.pk:
        raise ValidationError({"dimension": _("The dimension belongs to another version.")})


@transaction.atomic
def question_add(
    *, section: Section, values: Mapping[str, Any], choices: Sequence[ChoiceData] = ()
) -> Question:
    """A question at the end of ``section``, with its choices in the given order."""
    version = _lock_draft(section.version)
    _check_question(version, values, None)
    last = section.questions.aggregate(m=models.Max("order"))["m"]
    question = _apply(
        Question(version=version, section=section, order=0 if last is None else last + 1),
        values,
        QUESTION_FIELDS,
    )
    question.full_clean(validate_constraints=False)
    question.save()
    _create_choices(question, choices)
    audit.record(
        "instrument.question_added",
        obj=version,
        changes=_added("question", _question_state(question)),
    )
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    values: Mapping[str, Any],
    choices: Sequence[ChoiceData] | None = None,
    section: Section | None = None,
) -> Question:
    """Change a question; ``choices`` (when given) replace its choices; ``section`` moves it to the
    end of another page. A new code is carried into the conditions that refer to the old one."""
    version = _lock_draft(question.version)
    question = Question.objects.select_related("section", "dimension").get(pk=question.pk)
    _check_question(version, values, question)
    before = _question_state(question)
    old_code = question.code
    _apply(question, values, QUESTION_FIELDS)
    if section is not None and section.pk != question.section_id:
        if section.version_id != version.pk:
            raise ValidationError({"section": _("The section belongs to another version.")})
        last = section.questions.aggregate(m=models.Max("order"))["m"]
        question.section, question.order = section, 0 if last is None else last + 1
    question.full_clean(validate_constraints=False)
    question.save()
    if choices is not None:
        question.choices.all().delete()
        _create_choices(question, choices)
    if question.code != old_code:
        for dependant in version.questions.exclude(condition__isnull=True):
            if dependant.condition and dependant.condition.get("question") == old_code:
                dependant.condition = {**dependant.condition, "question": question.code}
                dependant.save(update_fields=["condition"])
    changes = _changed("question", before, _question_state(question))
    if changes:
        audit.record("instrument.question_changed", obj=version, changes=changes)
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    version = _lock_draft(question.version)
    dependants = _dependants(version, [question.code])
    if dependants:
        raise ValidationError(
            _("The conditions of %(questions)s refer to %(code)s; change them first.")
            % {"questions": ", ".join(dependants), "code": question.code}
        )
    section = question.section
    code = question.code
    question.delete()
    _renumber(section.questions.all())
    audit.record("instrument.question_deleted", obj=version, changes={"question": [code, None]})


# --- Choices -------------------------------------------------------------------------------------

CHOICE_FIELDS = ["code", "label_id", "label_en", "score"]


def _choice_state(c: Choice) -> dict[str, Any]:
    return {"code": c.code, "label_id": c.label_id, "label_en": c.label_en, "score": c.score}


def _choice_changes(question: Question, changes: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    return {"question": [question.code, question.code], **changes}


@transaction.atomic
def choice_add(*, question: Question, values: Mapping[str, Any]) -> Choice:
    version = _lock_draft(question.version)
    _check_code(str(values.get("code", "")))
    _check_texts(values, ["label_id", "label_en"])
    last = question.choices.aggregate(m=models.Max("order"))["m"]
    choice = _apply(
        Choice(question=question, order=0 if last is None else last + 1), values, CHOICE_FIELDS
    )
    choice.full_clean()
    choice.save()
    audit.record(
        "instrument.choice_added",
        obj=version,
        changes=_choice_changes(question, _added("choice", _choice_state(choice))),
    )
    return choice


@transaction.atomic
def choice_update(*, choice: Choice, values: Mapping[str, Any]) -> Choice:
    version = _lock_draft(choice.question.version)
    choice = Choice.objects.select_related("question").get(pk=choice.pk)
    _check_code(str(values.get("code", choice.code)))
    _check_texts(values, ["label_id", "label_en"])
    before = _choice_state(choice)
    old_code = choice.code
    _apply(choice, values, CHOICE_FIELDS)
    choice.full_clean()
    choice.save()
    if choice.code != old_code:
        # Keep the conditions that test this answer pointing at it.
        for dependant in version.questions.exclude(condition__isnull=True):
            condition = dependant.condition or {}
            if condition.get("question") == choice.question.code and old_code in condition.get(
                "values", []
            ):
                values_now = [choice.code if v == old_code else v for v in condition["values"]]
                dependant.condition = {**condition, "values": values_now}
                dependant.save(update_fields=["condition"])
    changes = _changed("choice", before, _choice_state(choice))
    if changes:
        audit.record(
            "instrument.choice_changed",
            obj=version,
            changes=_choice_changes(choice.question, changes),
        )
    return choice


@transaction.atomic
def choice_delete(*, choice: Choice) -> None:
    version = _lock_draft(choice.question.version)
    question = choice.question
    code = choice.code
    choice.delete()
    _renumber(question.choices.all())
    audit.record(
        "instrument.choice_deleted",
        obj=version,
        changes=_choice_changes(question, {"choice": [code, None]}),
    )


# --- Order ---------------------------------------------------------------------------------------


def _renumber(siblings: models.QuerySet[Any]) -> list[Any]:
    items = list(siblings.order_by("order", "code"))
    changed = []
    for position, item in enumerate(items):
        if item.order != position:
            item.order = position
            changed.append(item)
    if changed:
        type(items[0]).objects.bulk_update(changed, ["order"])
    return items


@transaction.atomic
def item_move(*, item: Dimension | Section | Question | Choice, direction: str) -> bool:
    """Swap a dimension, section, question or choice with its neighbour ("up" or "down").
    Returns False (and records nothing) when it is already first or last."""
    if direction not in ("up", "down"):
        raise ValueError(f"unknown direction {direction!r}")
    siblings: models.QuerySet[Any]
    if isinstance(item, Choice):
        version = _lock_draft(item.question.version)
        siblings, kind = item.question.choices.all(), "choice"
    elif isinstance(item, Question):
        version = _lock_draft(item.version)
        siblings, kind = Question.objects.filter(section_id=item.section_id), "question"
    elif isinstance(item, Section):
        version = _lock_draft(item.version)
        siblings, kind = version.sections.all(), "section"
    else:
        version = _lock_draft(item.version)
        siblings, kind = version.dimensions.all(), "dimension"
    items = _renumber(siblings)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return False
    mine, theirs = items[index], items[target]
    mine.order, theirs.order = target, index
    type(mine).objects.bulk_update([mine, theirs], ["order"])
    changes: dict[str, list[Any]] = {
        kind: [mine.code, mine.code],
        "position": [index + 1, target + 1],
    }
    if isinstance(item, Choice):
        changes = _choice_changes(item.question, changes)
    audit.record("instrument.item_moved", obj=version, changes=changes)
    return True


# --- Shipped instruments -------------------------------------------------------------------------


def shipped_data() -> list[InstrumentData]:
    """The instruments that come with Integritas, read from ``data/*.json`` (their layout mirrors
    the XLSX sheets; see docs/instrument-xlsx.md). Raises ValueError if a file is broken."""
    from integritas.surveys.imports.instruments import parse_sheets, sheets_from_json

    result = []
    for name in SHIPPED_FILES:
        raw = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
        data, errors = parse_sheets(sheets_from_json(raw))
        if data is None or errors:
            details = "; ".join(f"{e.sheet} row {e.row} {e.column}: {e.message}" for e in errors)
            raise ValueError(f"{name} is not a valid instrument: {details}")
        result.append(data)
    return result


def load_shipped(*, codes: Iterable[str] | None = None) -> list[InstrumentVersion]:
    """Load the shipped instruments as published version 1. Instruments whose code already exists
    are left alone, so running it again changes nothing. Returns the versions it published."""
    wanted = set(codes) if codes is not None else None
    loaded = []
    for data in shipped_data():
        if wanted is not None and data.code not in wanted:
            continue
        with transaction.atomic():
            if Instrument.objects.filter(code=data.code).exists():
                continue
            version, _created = version_import(data=data, source="shipped")
            loaded.append(version_publish(version=version))
    return loaded
