"""The fast path of the response import: per respondent type, how a row's cells map to the
stored answer vector (see ``integritas.surveys.imports.responses``).

A ``Plan`` holds, per answer slot, a dict from the raw cell text to the stored value, prepared
from the compiled schema, and the conditions to check on the packed values. A row whose cells
are all found in these dicts is packed with one ``map`` call; any miss sends it to the careful
path of the importer.
"""

from __future__ import annotations

import operator
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from integritas.surveys.schema import AnswerError, QuestionSpec, Schema

FORMULA_PREFIXES = ("=", "+", "-", "@")
TEXT_TYPES = frozenset({"text", "longtext"})


@dataclass
class Condition:
    """One conditional question of a plan, checked on the packed values of a row."""

    index: int  # position in the plan's list of conditions (its "shown" flag)
    slot: int | None
    extra: int | None  # index into the plan's extra columns
    required: bool
    source_slot: int
    source_condition: int | None  # the source's own condition, when it has one
    source_shown: bool  # the source is asked of this respondent type
    multiple: bool
    hits: frozenset[int]  # slot values that satisfy "in" (single choice)
    mask: int  # choice bits that satisfy "in" (multiple choice)
    op_in: bool


@dataclass
class ExtraColumn:
    position: int
    question: QuestionSpec
    applies: bool
    required: bool  # required, shown unconditionally
    condition: int | None


@dataclass
class Plan:
    """How rows of one respondent type are packed on the fast path."""

    rtype: str
    rtype_index: int
    maps: list[dict[str, int]]  # per slot: raw cell text -> stored value
    positions: list[int]  # per slot: the column holding it (``width`` when absent)
    learnable: list[bool]  # per slot: a value learned from one row holds for every row
    conditions: list[Condition]
    extras: list[ExtraColumn]
    getter: Callable[[list[str]], tuple[str, ...]] = field(init=False)

    def __post_init__(self) -> None:
        if len(self.positions) == 1:
            only = self.positions[0]
            self.getter = lambda row: (row[only],)
        elif self.positions:
            self.getter = operator.itemgetter(*self.positions)
        else:
            self.getter = lambda row: ()


def build_plan(
    schema: Schema,
    rtype: str,
    rtype_index: int,
    *,
    applies: Callable[[QuestionSpec, str], bool],
    question_positions: Mapping[str, int],
    width: int,
) -> Plan | None:
    """The fast-path plan for rows of ``rtype``, or None when such rows must all take the
    careful path. ``question_positions`` gives each answer column's position in a row of
    ``width`` cells; ``applies`` says whether a question is asked of a respondent type."""
    absent = width  # rows get one empty cell appended when a column is absent
    maps: list[dict[str, int]] = []
    positions: list[int] = []
    learnable: list[bool] = []
    for code in schema.slot_codes:
        q = schema.questions[code]
        shown = applies(q, rtype)
        values: dict[str, int] = {}
        if shown:
            if q.type == "multiple":
                values = {c: 1 << i for i, c in enumerate(q.choices)}
            else:
                values = {c: i + 1 for i, c in enumerate(q.choices)}
            if not q.required or q.condition:
                values[""] = 0  # conditional required questions are checked after packing
        else:
            values[""] = 0
        maps.append(values)
        positions.append(question_positions.get(code, absent))
        learnable.append(not (shown and q.condition))
    conditions: list[Condition] = []
    condition_of: dict[str, int] = {}
    extras: list[ExtraColumn] = []
    extra_of: dict[str, int] = {}
    for section in schema.sections:
        for code in section.questions:
            q = schema.questions[code]
            shown = applies(q, rtype)
            if q.slot is None:
                if code not in question_positions:
                    if shown and q.required and q.condition:
                        return (
                            None  # every shown row would be an error: let the careful path say so
                        )
                    continue
                extra_of[code] = len(extras)
                extras.append(
                    ExtraColumn(
                        question_positions[code],
                        q,
                        shown,
                        shown and q.required and not q.condition,
                        None,
                    )
                )
            if not (shown and q.condition):
                continue
            source = schema.questions.get(q.condition.get("question", ""))
            if source is None or source.slot is None:
                return None
            if applies(source, rtype) and source.condition and source.code not in condition_of:
                return None  # a condition on a later question: unusual, left to the careful path
            wanted = {str(v) for v in q.condition.get("values", [])}
            positions_wanted = [i for i, c in enumerate(source.choices) if c in wanted]
            condition = Condition(
                index=len(conditions),
                slot=q.slot,
                extra=extra_of.get(code),
                required=q.required,
                source_slot=source.slot,
                source_condition=condition_of.get(source.code),
                source_shown=applies(source, rtype),
                multiple=source.type == "multiple",
                hits=frozenset(i + 1 for i in positions_wanted),
                mask=sum(1 << i for i in positions_wanted),
                op_in=q.condition.get("op", "in") == "in",
            )
            condition_of[code] = condition.index
            conditions.append(condition)
            if condition.extra is not None:
                extras[condition.extra].condition = condition.index
    return Plan(rtype, rtype_index, maps, positions, learnable, conditions, extras)


def pack_extras(
    plan: Plan, row: list[str], clean: Callable[[QuestionSpec, str], Any]
) -> dict[str, Any] | None:
    """The non-slot answers of a row (numbers, dates, text); KeyError sends the row to the
    careful path (``clean`` is the schema's)."""
    extra: dict[str, Any] | None = None
    for column in plan.extras:
        raw = row[column.position]
        if not raw:
            if column.required:
                raise KeyError
            continue
        try:
            value = clean(column.question, raw)
        except AnswerError:
            raise KeyError from None
        if value in (None, "") or (
            column.question.type in TEXT_TYPES and str(value).startswith(FORMULA_PREFIXES)
        ):
            raise KeyError  # blank after trimming, or formula-like: the careful path decides
        if column.applies:
            if extra is None:
                extra = {}
            extra[column.question.code] = value
    return extra


def apply_conditions(
    plan: Plan, values: array[int], extra: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Blank the answers that a row's conditions hide; KeyError when a shown required one is
    missing (the careful path then says so)."""
    shown: list[bool] = []
    for c in plan.conditions:
        ok = c.source_shown and (c.source_condition is None or shown[c.source_condition])
        if ok:
            value = values[c.source_slot]
            hit = bool(value & c.mask) if c.multiple else value in c.hits
            ok = hit if c.op_in else not hit
        shown.append(ok)
        if c.slot is not None:
            if not ok:
                values[c.slot] = 0
            elif c.required and not values[c.slot]:
                raise KeyError
        elif c.extra is not None:
            code = plan.extras[c.extra].question.code
            if not ok:
                if extra:
                    extra.pop(code, None)
            elif c.required and not (extra and code in extra):
                raise KeyError
    return extra or None
