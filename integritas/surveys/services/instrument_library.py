"""The instrument library: versions as plain data, the rules a version must meet, and the ways a
version comes to be and is fixed: imported from plain data (the XLSX layout, the shipped JSON
files), copied, published.

A version changes only while it is a draft (``InstrumentVersion.is_editable``): every edit service
locks the version with ``lock_draft`` and refuses otherwise, because a published version is what
responses were collected against. Publishing checks the whole version, lists every problem at
once, normalises the order of pages and questions, and assigns the answer slots (see ``models``).

``InstrumentData`` is the plain form of one version's content. The workbook
(``services.instrument_workbook`` writes it, ``imports.instruments`` reads it), the shipped JSON
files (``imports.shipped_instruments``) and "new version from this one" all go through it, so a
copy, an export and a re-import give the same questionnaire. The edits of a draft, item by item,
are in ``services.instruments``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas import audit
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
        score = f" ({decimal_text(c.score)})" if c.score is not None else ""
        parts.append(f"{c.code} {c.label_id}{score}")
    return " · ".join(parts)


def decimal_text(value: Decimal | None) -> str:
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


def create_content(version: InstrumentVersion, data: InstrumentData) -> None:
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
            create_choices(question, q.choices)


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


def create_choices(question: Question, choices: Sequence[ChoiceData]) -> None:
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


def next_number(instrument: Instrument) -> int:
    """The number the instrument's next version gets."""
    last = instrument.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def lock_draft(version: InstrumentVersion) -> InstrumentVersion:
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


def apply_values(obj: M, values: Mapping[str, Any], allowed: Iterable[str]) -> M:
    """Set the ``allowed`` attributes of ``obj`` that ``values`` holds; others stay as they are."""
    for name in allowed:
        if name in values:
            setattr(obj, name, values[name])
    return obj


# --- Instruments and versions: identity, import, publication ---------------------------------

INSTRUMENT_FIELDS = ["code", "kind", "title_id", "title_en", "description_id", "description_en"]
INSTRUMENT_EDITABLE = ["title_id", "title_en", "description_id", "description_en"]


def instrument_state(instrument: Instrument) -> dict[str, Any]:
    """What the audit trail compares of an instrument."""
    return {name: getattr(instrument, name) for name in INSTRUMENT_FIELDS}


def check_instrument_code(code: str) -> None:
    """ValidationError for a code that a page name under /surveys/instruments/ would hide."""
    if code in RESERVED_INSTRUMENT_CODES:
        raise ValidationError(
            {"code": _("“%(code)s” is reserved; choose another code.") % {"code": code}}
        )


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
        check_instrument_code(data.code)
        instrument = apply_values(Instrument(), identity, INSTRUMENT_FIELDS)
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
        before = instrument_state(instrument)
        apply_values(instrument, identity, INSTRUMENT_EDITABLE)
        instrument.full_clean()
        instrument.save()
    version = InstrumentVersion(
        instrument=instrument, number=next_number(instrument), notes=data.notes
    )
    version.full_clean(exclude=["instrument"], validate_unique=False, validate_constraints=False)
    version.save()
    create_content(version, data)
    changes = changes_between(before, instrument_state(instrument))
    changes["source"] = [None, source]
    changes["questions"] = [None, len(data.questions())]
    audit.record("instrument.version_imported", obj=version, changes=changes)
    return version, created


@transaction.atomic
def version_publish(*, version: InstrumentVersion) -> InstrumentVersion:
    """Check the whole version and, when nothing is wrong, fix it for ever: pages and questions
    get their final order and every question with an answer slot gets its slot.

    Raises ValidationError with every problem when the version cannot be published."""
    version = lock_draft(version)
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
