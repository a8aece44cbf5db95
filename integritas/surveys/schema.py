"""A published instrument version, compiled into plain data for fast, Django-free answer handling.

``Schema`` is what respondent pages and the bulk importer share: which questions apply to a
respondent type, which are shown given earlier answers (conditions), how an answer is validated
and how a whole response is packed into the answer vector (see ``models`` for the coding).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

CHOICE_TYPES = frozenset({"single", "likert4", "likert5", "likert6", "yesno"})
SLOT_TYPES = CHOICE_TYPES | {"multiple"}
TEXT_LIMITS = {"text": 300, "longtext": 5000}


class AnswerError(ValueError):
    """One bad answer: which question and why (translated)."""

    def __init__(self, question: str, message: str) -> None:
        super().__init__(message)
        self.question = question
        self.message = message


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    type: str
    section: str
    required: bool
    slot: int | None
    choices: tuple[str, ...] = ()  # choice codes in order; position + 1 is the stored value
    scores: tuple[Decimal | None, ...] = ()
    dimension: str | None = None
    respondent_types: frozenset[str] = frozenset()
    condition: Mapping[str, Any] | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None

    def applies_to(self, respondent_type: str) -> bool:
        return not self.respondent_types or respondent_type in self.respondent_types


@dataclass(frozen=True)
class SectionSpec:
    code: str
    respondent_types: frozenset[str]
    questions: tuple[str, ...]

    def applies_to(self, respondent_type: str) -> bool:
        return not self.respondent_types or respondent_type in self.respondent_types


@dataclass
class Schema:
    questions: dict[str, QuestionSpec]
    sections: list[SectionSpec]
    slot_count: int
    slot_codes: list[str] = field(default_factory=list)  # question code of each slot, in slot order

    @classmethod
    def from_version(cls, version: Any) -> Schema:
        """Compile an ``InstrumentVersion`` (two queries)."""
        questions: dict[str, QuestionSpec] = {}
        by_section: dict[int, list[str]] = {}
        qs = version.questions.select_related("section", "dimension").prefetch_related("choices")
        for q in qs.order_by("section__order", "order", "code"):
            choices = sorted(q.choices.all(), key=lambda c: (c.order, c.code))
            questions[q.code] = QuestionSpec(
                code=q.code,
                type=q.type,
                section=q.section.code,
                required=q.required,
                slot=q.slot,
                choices=tuple(c.code for c in choices),
                scores=tuple(c.score for c in choices),
                dimension=q.dimension.code if q.dimension_id else None,
                respondent_types=frozenset(q.respondent_types or []),
                condition=q.condition or None,
                min_value=q.min_value,
                max_value=q.max_value,
            )
            by_section.setdefault(q.section_id, []).append(q.code)
        sections = [
            SectionSpec(
                s.code, frozenset(s.respondent_types or []), tuple(by_section.get(s.pk, []))
            )
            for s in version.sections.order_by("order", "code")
        ]
        slots = sorted((q.slot, q.code) for q in questions.values() if q.slot is not None)
        return cls(questions, sections, len(slots), [code for _slot, code in slots])

    # -- visibility -------------------------------------------------------------------------

    def sections_for(self, respondent_type: str) -> list[SectionSpec]:
        return [
            s
            for s in self.sections
            if s.applies_to(respondent_type) and self.questions_in(s, respondent_type)
        ]

    def questions_in(self, section: SectionSpec, respondent_type: str) -> list[QuestionSpec]:
        return [
            self.questions[c]
            for c in section.questions
            if self.questions[c].applies_to(respondent_type)
        ]

    def is_shown(
        self, question: QuestionSpec, answers: Mapping[str, Any], respondent_type: str
    ) -> bool:
        """Asked of this respondent type, and its condition (if any) holds for the answers so far."""
        if not question.applies_to(respondent_type):
            return False
        condition = question.condition
        if not condition:
            return True
        source = self.questions.get(condition.get("question", ""))
        if source is None or not self.is_shown(source, answers, respondent_type):
            return False
        given = answers.get(source.code)
        picked = (
            set(given)
            if isinstance(given, list | tuple | set)
            else ({given} if given not in (None, "") else set())
        )
        wanted = {str(v) for v in condition.get("values", [])}
        hit = bool(picked & wanted)
        return hit if condition.get("op", "in") == "in" else not hit

    # -- one answer ---------------------------------------------------------------------------

    def clean(self, question: QuestionSpec, raw: Any, *, subject: str | None = None) -> Any:
        """Validate and normalise one answer (a choice code, list of codes, number, date or text).
        Empty answers return None. Raises AnswerError.

        Messages name the question by its code (for imports and staff); respondent pages pass
        ``subject`` (e.g. "This answer") so citizens never see internal codes."""
        name = subject or question.code
        if raw is None or raw == "" or raw == []:
            return None
        t = question.type
        if t in CHOICE_TYPES:
            value = str(raw).strip()
            if value not in question.choices:
                raise AnswerError(
                    question.code,
                    _("“%(value)s” is not an answer to %(question)s; the answers are %(choices)s.")
                    % {
                        "value": value,
                        "question": name,
                        "choices": ", ".join(question.choices),
                    },
                )
            return value
        if t == "multiple":
            values = (
                raw
                if isinstance(raw, list | tuple)
                else [v for v in str(raw).replace(";", " ").split() if v]
            )
            unknown = [v for v in values if v not in question.choices]
            if unknown:
                raise AnswerError(
                    question.code,
                    _("“%(value)s” is not an answer to %(question)s; the answers are %(choices)s.")
                    % {
                        "value": ", ".join(unknown),
                        "question": name,
                        "choices": ", ".join(question.choices),
                    },
                )
            return sorted(set(values), key=question.choices.index)
        if t == "number":
            try:
                number = Decimal(str(raw).strip().replace(",", "."))
            except InvalidOperation as exc:
                raise AnswerError(
                    question.code, _("%(question)s needs a number.") % {"question": name}
                ) from exc
            if not number.is_finite():
                raise AnswerError(
                    question.code, _("%(question)s needs a number.") % {"question": name}
                )
            if question.min_value is not None and number < question.min_value:
                raise AnswerError(
                    question.code,
                    _("%(question)s must be at least %(min)s.")
                    % {"question": name, "min": question.min_value},
                )
            if question.max_value is not None and number > question.max_value:
                raise AnswerError(
                    question.code,
                    _("%(question)s must be at most %(max)s.")
                    % {"question": name, "max": question.max_value},
                )
            return str(number.normalize()) if number == number.to_integral() else str(number)
        if t == "date":
            try:
                return (
                    raw
                    if isinstance(raw, dt.date)
                    else dt.date.fromisoformat(str(raw).strip()[:10])
                ).isoformat()
            except ValueError as exc:
                raise AnswerError(
                    question.code,
                    _("%(question)s needs a date as YYYY-MM-DD.") % {"question": name},
                ) from exc
        text = str(raw).strip()
        limit = TEXT_LIMITS.get(t, 300)
        if len(text) > limit:
            raise AnswerError(
                question.code,
                _("%(question)s may be at most %(limit)d characters.")
                % {"question": name, "limit": limit},
            )
        return text

    # -- a whole response ---------------------------------------------------------------------

    def encode(
        self, answers: Mapping[str, Any], respondent_type: str
    ) -> tuple[list[int], dict[str, Any]]:
        """Validate a complete response and pack it: (slot values, extra answers).

        Answers to questions that are not shown (other respondent type, condition false) are
        dropped; required shown questions must be answered. Raises a list of AnswerError via
        ``ResponseInvalid``.
        """
        errors: list[AnswerError] = []
        cleaned: dict[str, Any] = {}
        for code in answers:
            if code not in self.questions:
                errors.append(
                    AnswerError(code, _("There is no question %(question)s.") % {"question": code})
                )
        for section in self.sections:
            for code in section.questions:
                q = self.questions[code]
                try:
                    value = self.clean(q, answers.get(code))
                except AnswerError as exc:
                    errors.append(exc)
                    continue
                if value is not None:
                    cleaned[code] = value
        vector = [0] * self.slot_count
        extra: dict[str, Any] = {}
        for section in self.sections:
            if not section.applies_to(respondent_type):
                continue
            for code in section.questions:
                q = self.questions[code]
                if not self.is_shown(q, cleaned, respondent_type):
                    continue
                value = cleaned.get(code)
                if value is None:
                    if q.required:
                        errors.append(
                            AnswerError(
                                code, _("%(question)s must be answered.") % {"question": code}
                            )
                        )
                    continue
                if q.slot is not None:
                    vector[q.slot] = self.slot_value(q, value)
                else:
                    extra[code] = value
        if errors:
            raise ResponseInvalid(errors)
        return vector, extra

    @staticmethod
    def slot_value(question: QuestionSpec, value: Any) -> int:
        if question.type == "multiple":
            mask = 0
            for code in value:
                mask |= 1 << question.choices.index(code)
            return mask
        return question.choices.index(value) + 1

    def decode(self, vector: Iterable[int], extra: Mapping[str, Any] | None) -> dict[str, Any]:
        """The answers of a stored response, keyed by question code (choice codes restored)."""
        result: dict[str, Any] = {}
        for slot, value in enumerate(vector):
            if not value:
                continue
            q = self.questions[self.slot_codes[slot]]
            if q.type == "multiple":
                result[q.code] = [c for i, c in enumerate(q.choices) if value & (1 << i)]
            else:
                result[q.code] = q.choices[value - 1]
        result.update(extra or {})
        return result


class ResponseInvalid(ValueError):
    def __init__(self, errors: list[AnswerError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors
