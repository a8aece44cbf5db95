"""Editing an instrument and its draft versions: the instrument's titles, new draft versions,
retiring and deleting versions, and the dimensions, sections (pages), questions and choices of a
draft, item by item.

A version changes only while it is a draft: every service here locks the version
(``instrument_library.lock_draft``) and refuses otherwise. Each operation is atomic and writes one
audit event, on the version for edits of its content (so the version page's history tells how the
questionnaire came to be) and on the instrument for instrument-level changes.

The four kinds of content share one shape (add at the end, change, delete, move among siblings),
described once per kind by an ``ItemKind`` and run by ``_add``, ``_update``, ``_delete`` and
``item_move``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
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
from integritas.surveys.services.instrument_library import (
    INSTRUMENT_EDITABLE,
    INSTRUMENT_FIELDS,
    RESERVED_QUESTION_CODES,
    ChoiceData,
    apply_values,
    check_instrument_code,
    code_problem,
    create_choices,
    create_content,
    format_choices,
    format_condition,
    formula_problem,
    instrument_state,
    lock_draft,
    next_number,
    version_data,
)

Item = TypeVar("Item", Dimension, Section, Question, Choice)


# --- Audit labels -------------------------------------------------------------------------------

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


EVENT_CHOICES: dict[str, dict[str, Any]] = {
    "type": dict(Question.Type.choices),
    "respondent_types": dict(RespondentType.choices),
    # Where an imported version came from: the shipped instruments, or a file named as uploaded.
    "source": {"shipped": gettext_lazy("instruments shipped with Integritas")},
}


def register_labels() -> None:
    """Names for the instrument events (of this module and ``instrument_library``) in the history
    tables (idempotent)."""
    register_actions(ACTION_LABELS)
    for name, label in EVENT_FIELDS.items():
        register_field(name, label, EVENT_CHOICES.get(name, {}))


# Registered on import as well, so history tables read well even before the app config calls it.
register_labels()


# --- Instruments and versions ----------------------------------------------------------------


@transaction.atomic
def instrument_create(*, values: Mapping[str, Any]) -> Instrument:
    """A new instrument with an empty draft version 1 to build on."""
    check_instrument_code(str(values.get("code", "")))
    _check_texts(values, INSTRUMENT_FIELDS)
    instrument = apply_values(Instrument(), values, INSTRUMENT_FIELDS)
    instrument.full_clean()
    instrument.save()
    InstrumentVersion.objects.create(instrument=instrument, number=1)
    audit.record(
        "instrument.created",
        obj=instrument,
        changes=changes_between({}, instrument_state(instrument)),
    )
    return instrument


@transaction.atomic
def instrument_update(*, instrument: Instrument, values: Mapping[str, Any]) -> Instrument:
    """Change the titles and descriptions. The code and kind stay: waves and indices rely on them."""
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    _check_texts(values, INSTRUMENT_EDITABLE)
    before = instrument_state(instrument)
    apply_values(instrument, values, INSTRUMENT_EDITABLE)
    instrument.full_clean()
    instrument.save()
    changes = changes_between(before, instrument_state(instrument))
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
        number=next_number(instrument),
        notes=source.notes if source else "",
    )
    if source is not None:
        create_content(version, version_data(source))
    audit.record(
        "instrument.version_created",
        obj=version,
        changes={"from_version": [None, source.number if source else None]},
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
    version = lock_draft(version)
    instrument = version.instrument
    number = version.number
    # Questions first: they hold protected references to the version's dimensions.
    version.questions.all().delete()
    version.delete()
    audit.record("instrument.version_deleted", obj=instrument, changes={"version": [number, None]})


# --- One shape for dimensions, sections, questions and choices ----------------------------------


@dataclass(frozen=True)
class ItemKind(Generic[Item]):
    """How the edit services treat one kind of a draft's content."""

    name: str  # "dimension": the key of its events' changes and part of their names
    model: type[Item]
    parent: str  # what it is ordered under: "version", "section" or "question"
    fields: Sequence[str]  # what a service may set from ``values``
    texts: Sequence[str]  # refused when they start like a spreadsheet formula
    related: Sequence[str] = ()  # read along when the item is fetched again
    # What the audit trail compares, when more than the fields.
    describe: Callable[[Item], dict[str, Any]] | None = None
    # Checks beyond code, texts and respondent types: (version, values, changed item or None).
    check: Callable[[InstrumentVersion, Mapping[str, Any], Item | None], None] | None = None
    validate_constraints: bool = True

    def version(self, item: Item) -> InstrumentVersion:
        return item.question.version if isinstance(item, Choice) else item.version

    def siblings(self, item: Item) -> models.QuerySet[Item]:
        """The items it is ordered among (itself included)."""
        return self.model.objects.filter(**{self.parent: getattr(item, f"{self.parent}_id")})

    def fetch(self, item: Item) -> Item:
        """A fresh copy, read after the version is locked."""
        return self.model.objects.select_related(*self.related).get(pk=item.pk)

    def state(self, item: Item) -> dict[str, Any]:
        if self.describe is not None:
            return self.describe(item)
        state = {name: getattr(item, name) for name in self.fields}
        if "respondent_types" in state:
            state["respondent_types"] = " ".join(state["respondent_types"] or [])
        return state

    def changes(self, item: Item, changes: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
        """A choice's events also name its question."""
        if isinstance(item, Choice):
            return {"question": [item.question.code, item.question.code], **changes}
        return dict(changes)


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


def _check_types(values: Mapping[str, Any]) -> None:
    unknown = set(values.get("respondent_types") or []) - set(RespondentType.values)
    if unknown:
        raise ValidationError(
            {
                "respondent_types": _("Unknown respondent type: %(t)s")
                % {"t": ", ".join(sorted(unknown))}
            }
        )


def _check(
    kind: ItemKind[Item],
    version: InstrumentVersion,
    values: Mapping[str, Any],
    current: Item | None,
) -> None:
    _check_code(str(values.get("code", current.code if current else "")))
    _check_texts(values, kind.texts)
    if "respondent_types" in kind.fields:
        _check_types(values)
    if kind.check is not None:
        kind.check(version, values, current)


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


def _add(
    kind: ItemKind[Item],
    item: Item,
    values: Mapping[str, Any],
    *,
    then: Callable[[Item], object] | None = None,
) -> Item:
    """Put the new ``item`` (its parent set) at the end of its siblings, then ``then(item)``."""
    version = lock_draft(kind.version(item))
    _check(kind, version, values, None)
    last = kind.siblings(item).aggregate(m=models.Max("order"))["m"]
    item.order = 0 if last is None else last + 1
    apply_values(item, values, kind.fields)
    item.full_clean(validate_constraints=kind.validate_constraints)
    item.save()
    if then is not None:
        then(item)
    added = _added(kind.name, kind.state(item))
    audit.record(f"instrument.{kind.name}_added", obj=version, changes=kind.changes(item, added))
    return item


def _update(
    kind: ItemKind[Item],
    item: Item,
    values: Mapping[str, Any],
    *,
    prepare: Callable[[Item, InstrumentVersion], object] | None = None,
    then: Callable[[Item, InstrumentVersion, str], object] | None = None,
) -> Item:
    """Change ``item``; ``prepare(item, version)`` runs before it is validated and saved,
    ``then(item, version, old_code)`` after."""
    version = lock_draft(kind.version(item))
    item = kind.fetch(item)
    _check(kind, version, values, item)
    before = kind.state(item)
    old_code = item.code
    apply_values(item, values, kind.fields)
    if prepare is not None:
        prepare(item, version)
    item.full_clean(validate_constraints=kind.validate_constraints)
    item.save()
    if then is not None:
        then(item, version, old_code)
    changes = _changed(kind.name, before, kind.state(item))
    if changes:
        audit.record(
            f"instrument.{kind.name}_changed", obj=version, changes=kind.changes(item, changes)
        )
    return item


def _delete(
    kind: ItemKind[Item],
    item: Item,
    *,
    check: Callable[[InstrumentVersion], Mapping[str, list[Any]]] | None = None,
) -> None:
    """Delete ``item`` and close the gap; ``check(version)`` raises when the item is still needed
    and returns what else the event records."""
    version = lock_draft(kind.version(item))
    more = check(version) if check is not None else {}
    siblings = kind.siblings(item)
    changes = kind.changes(item, {kind.name: [item.code, None], **more})
    item.delete()
    _renumber(siblings)
    audit.record(f"instrument.{kind.name}_deleted", obj=version, changes=changes)


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
    kind: ItemKind[Any] = KINDS[type(item)]
    version = lock_draft(kind.version(item))
    items = _renumber(kind.siblings(item))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return False
    mine, theirs = items[index], items[target]
    mine.order, theirs.order = target, index
    type(mine).objects.bulk_update([mine, theirs], ["order"])
    changes = {kind.name: [mine.code, mine.code], "position": [index + 1, target + 1]}
    audit.record("instrument.item_moved", obj=version, changes=kind.changes(item, changes))
    return True


# --- Dimensions ----------------------------------------------------------------------------------

DIMENSION_FIELDS = ["code", "name_id", "name_en", "group", "weight"]


DIMENSION = ItemKind(
    name="dimension",
    model=Dimension,
    parent="version",
    fields=DIMENSION_FIELDS,
    texts=["name_id", "name_en"],
)


@transaction.atomic
def dimension_add(*, version: InstrumentVersion, values: Mapping[str, Any]) -> Dimension:
    return _add(DIMENSION, Dimension(version=version), values)


@transaction.atomic
def dimension_update(*, dimension: Dimension, values: Mapping[str, Any]) -> Dimension:
    return _update(DIMENSION, dimension, values)


@transaction.atomic
def dimension_delete(*, dimension: Dimension) -> None:
    def unused(version: InstrumentVersion) -> dict[str, list[Any]]:
        users = list(dimension.questions.order_by("code").values_list("code", flat=True))
        if users:
            raise ValidationError(
                _(
                    "Dimension %(code)s is used by %(questions)s; give those questions another dimension first."
                )
                % {"code": dimension.code, "questions": ", ".join(users)}
            )
        return {}

    _delete(DIMENSION, dimension, check=unused)


# --- Sections ------------------------------------------------------------------------------------

SECTION_FIELDS = ["code", "title_id", "title_en", "intro_id", "intro_en", "respondent_types"]


SECTION = ItemKind(
    name="section",
    model=Section,
    parent="version",
    fields=SECTION_FIELDS,
    texts=["title_id", "title_en", "intro_id", "intro_en"],
)


@transaction.atomic
def section_add(*, version: InstrumentVersion, values: Mapping[str, Any]) -> Section:
    return _add(SECTION, Section(version=version), values)


@transaction.atomic
def section_update(*, section: Section, values: Mapping[str, Any]) -> Section:
    return _update(SECTION, section, values)


@transaction.atomic
def section_delete(*, section: Section) -> None:
    """Delete a page with its questions, unless a question elsewhere depends on one of them."""

    def independent(version: InstrumentVersion) -> dict[str, list[Any]]:
        inside = set(section.questions.values_list("code", flat=True))
        dependants = _dependants(version, inside, exclude_section=section)
        if dependants:
            raise ValidationError(
                _(
                    "The conditions of %(questions)s refer to questions in this section; change them first."
                )
                % {"questions": ", ".join(dependants)}
            )
        return {"questions": [", ".join(sorted(inside)) or None, None]}

    _delete(SECTION, section, check=independent)


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


QUESTION = ItemKind(
    name="question",
    model=Question,
    parent="section",
    fields=QUESTION_FIELDS,
    texts=QUESTION_TEXTS,
    related=["section", "dimension"],
    describe=_question_state,
    check=_check_question,
    validate_constraints=False,
)


@transaction.atomic
def question_add(
    *, section: Section, values: Mapping[str, Any], choices: Sequence[ChoiceData] = ()
) -> Question:
    """A question at the end of ``section``, with its choices in the given order."""
    question = Question(version=section.version, section=section)
    return _add(QUESTION, question, values, then=lambda q: create_choices(q, choices))


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

    def move(question: Question, version: InstrumentVersion) -> None:
        if section is not None and section.pk != question.section_id:
            if section.version_id != version.pk:
                raise ValidationError({"section": _("The section belongs to another version.")})
            last = section.questions.aggregate(m=models.Max("order"))["m"]
            question.section, question.order = section, 0 if last is None else last + 1

    def follow(question: Question, version: InstrumentVersion, old_code: str) -> None:
        if choices is not None:
            question.choices.all().delete()
            create_choices(question, choices)
        if question.code != old_code:
            for dependant in version.questions.exclude(condition__isnull=True):
                if dependant.condition and dependant.condition.get("question") == old_code:
                    dependant.condition = {**dependant.condition, "question": question.code}
                    dependant.save(update_fields=["condition"])

    return _update(QUESTION, question, values, prepare=move, then=follow)


@transaction.atomic
def question_delete(*, question: Question) -> None:
    def independent(version: InstrumentVersion) -> dict[str, list[Any]]:
        dependants = _dependants(version, [question.code])
        if dependants:
            raise ValidationError(
                _("The conditions of %(questions)s refer to %(code)s; change them first.")
                % {"questions": ", ".join(dependants), "code": question.code}
            )
        return {}

    _delete(QUESTION, question, check=independent)


# --- Choices -------------------------------------------------------------------------------------

CHOICE_FIELDS = ["code", "label_id", "label_en", "score"]

CHOICE = ItemKind(
    name="choice",
    model=Choice,
    parent="question",
    fields=CHOICE_FIELDS,
    texts=["label_id", "label_en"],
    related=["question"],
)


@transaction.atomic
def choice_add(*, question: Question, values: Mapping[str, Any]) -> Choice:
    return _add(CHOICE, Choice(question=question), values)


@transaction.atomic
def choice_update(*, choice: Choice, values: Mapping[str, Any]) -> Choice:
    def follow(choice: Choice, version: InstrumentVersion, old_code: str) -> None:
        if choice.code == old_code:
            return
        # Keep the conditions that test this answer pointing at it.
        for dependant in version.questions.exclude(condition__isnull=True):
            condition = dependant.condition or {}
            if condition.get("question") == choice.question.code and old_code in condition.get(
                "values", []
            ):
                values_now = [choice.code if v == old_code else v for v in condition["values"]]
                dependant.condition = {**condition, "values": values_now}
                dependant.save(update_fields=["condition"])

    return _update(CHOICE, choice, values, then=follow)


@transaction.atomic
def choice_delete(*, choice: Choice) -> None:
    _delete(CHOICE, choice)


KINDS: dict[type[models.Model], ItemKind[Any]] = {
    Dimension: DIMENSION,
    Section: SECTION,
    Question: QUESTION,
    Choice: CHOICE,
}
