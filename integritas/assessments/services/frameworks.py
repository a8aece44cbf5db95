"""Frameworks as plain data, and the operations that create, copy and activate them.

``FrameworkData`` is one framework outside the database: the workbook export writes it
(``services.framework_workbook``), the workbook import and the shipped JSON files read into it
(``imports``), and ``create_framework`` stores it as a new draft version. Nothing edits the tree
of a stored framework: a change is a new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from integritas import audit
from integritas.assessments import scoring
from integritas.assessments.models import (
    AuditAction,
    Band,
    Choice,
    Condition,
    Framework,
    FrameworkStatus,
    Node,
    ThresholdSet,
)
from integritas.core import extensions
from integritas.core.models import Unit, User


@dataclass(frozen=True)
class ChoiceData:
    code: str
    label_id: str
    value: Decimal
    label_en: str = ""


@dataclass(frozen=True)
class NodeData:
    code: str
    kind: str
    name_id: str
    weight: Decimal
    parent: str = ""
    name_en: str = ""
    method: str = ""
    required_documents: int | None = None
    responsible: str = ""
    units: tuple[str, ...] = ()  # unit codes
    guidance: str = ""
    choices: tuple[ChoiceData, ...] = ()
    register: str = ""  # the key of a data register (core.extensions) its evidence comes from


@dataclass(frozen=True)
class ConditionData:
    scope: str
    minimum: Decimal
    label_id: str
    target: str = ""
    measure: str = scoring.POINTS
    label_en: str = ""


@dataclass(frozen=True)
class ThresholdSetData:
    code: str
    name_id: str
    name_en: str = ""
    requires: str = ""
    conditions: tuple[ConditionData, ...] = ()


@dataclass(frozen=True)
class BandData:
    lower: Decimal
    colour: str
    label_id: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class FrameworkData:
    kind: str
    year: int
    title: str
    guideline_reference: str = ""
    total_weight: Decimal = Decimal(100)
    is_example: bool = False
    notes: str = ""
    nodes: tuple[NodeData, ...] = ()  # parents before their children
    threshold_sets: tuple[ThresholdSetData, ...] = field(default=())
    bands: tuple[BandData, ...] = ()  # from the lowest bound up

    def specs(self) -> list[scoring.NodeSpec]:
        return [
            scoring.NodeSpec(
                code=n.code,
                weight=n.weight,
                parent=n.parent,
                method=n.method,
                kind=n.kind,
                choices={c.code: c.value for c in n.choices},
                required_documents=n.required_documents,
            )
            for n in self.nodes
        ]


def framework_data(framework: Framework) -> FrameworkData:
    """The stored framework as plain data, in tree order (each node after its parent)."""
    nodes = list(framework.nodes.select_related("parent").prefetch_related("choices", "units"))
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered: list[Node] = []

    def walk(parent: int | None) -> None:
        for node in children.get(parent, []):
            ordered.append(node)
            walk(node.pk)

    walk(None)
    return FrameworkData(
        kind=framework.kind,
        year=framework.year,
        title=framework.title,
        guideline_reference=framework.guideline_reference,
        total_weight=framework.total_weight,
        is_example=framework.is_example,
        notes=framework.notes,
        nodes=tuple(
            NodeData(
                code=n.code,
                kind=n.kind,
                name_id=n.name_id,
                name_en=n.name_en,
                weight=n.weight,
                parent=n.parent.code if n.parent else "",
                method=n.method,
                required_documents=n.required_documents,
                responsible=n.responsible,
                units=tuple(sorted(u.code for u in n.units.all())),
                guidance=n.guidance,
                register=n.register,
                choices=tuple(
                    ChoiceData(c.code, c.label_id, c.value, c.label_en) for c in n.choices.all()
                ),
            )
            for n in ordered
        ),
        threshold_sets=tuple(
            ThresholdSetData(
                code=s.code,
                name_id=s.name_id,
                name_en=s.name_en,
                requires=s.requires,
                conditions=tuple(
                    ConditionData(
                        scope=c.scope,
                        minimum=c.minimum,
                        label_id=c.label_id,
                        label_en=c.label_en,
                        target=c.target,
                        measure=c.measure,
                    )
                    for c in s.conditions.all()
                ),
            )
            for s in framework.threshold_sets.prefetch_related("conditions")
        ),
        bands=tuple(
            BandData(b.lower, b.colour, b.label_id, b.label_en) for b in framework.bands.all()
        ),
    )


def weight_messages(data: FrameworkData) -> list[tuple[str, str]]:
    """(node code, message) for every weight problem of ``data``; "" names the total."""
    messages: list[tuple[str, str]] = []
    for problem in scoring.weight_problems(data.specs(), data.total_weight):
        if problem.kind == "missing":
            message = _("The weight is missing.")
        elif problem.kind == "negative":
            message = _("A weight cannot be negative.")
        elif problem.code:
            message = _(
                "The weights under %(code)s add up to %(actual)s, not to its weight %(expected)s."
            ) % {
                "code": problem.code,
                "actual": _plain(problem.actual),
                "expected": _plain(problem.expected),
            }
        else:
            message = _(
                "The weights of the top level add up to %(actual)s, not to the total %(expected)s."
            ) % {"actual": _plain(problem.actual), "expected": _plain(problem.expected)}
        messages.append((problem.code, message))
    return messages


def register_messages(data: FrameworkData) -> list[tuple[str, str]]:
    """(node code, message) for every node naming a register that is not registered."""
    messages = []
    for node in data.nodes:
        try:
            extensions.validate_data_register_key(node.register)
        except ValidationError as exc:
            messages.append((node.code, exc.messages[0]))
    return messages


def _plain(number: Decimal | None) -> str:
    if number is None:
        return ""
    text = f"{number.normalize():f}"
    return text


def _actor(by: User | None) -> dict[str, Any]:
    """The event's actor: ``by``, or without one the person or command acting now."""
    return {"actor": by} if by is not None else {}


def _next_version(kind: str, year: int) -> int:
    latest = Framework.objects.filter(kind=kind, year=year).aggregate(m=Max("version"))["m"]
    return (latest or 0) + 1


@transaction.atomic
def create_framework(
    *,
    data: FrameworkData,
    by: User | None,
    action: str = AuditAction.FRAMEWORK_IMPORTED,
    source: str = "",
    copied_from: Framework | None = None,
) -> Framework:
    """Store ``data`` as the next draft version of its kind and year; writes ``action``.

    The caller has checked the data (``imports`` reports every bad cell); the weights are
    checked again here, so that no framework whose weights do not add up is ever stored."""
    problems = weight_messages(data)
    if problems:
        raise ValidationError([message for _code, message in problems])
    unknown = register_messages(data)
    if unknown:
        raise ValidationError([f"{code}: {message}" for code, message in unknown])
    framework = Framework.objects.create(
        kind=data.kind,
        year=data.year,
        version=_next_version(data.kind, data.year),
        title=data.title,
        guideline_reference=data.guideline_reference,
        total_weight=data.total_weight,
        is_example=data.is_example,
        notes=data.notes,
        copied_from=copied_from,
        created_by=by,
    )
    units = {
        u.code: u for u in Unit.objects.filter(code__in={c for n in data.nodes for c in n.units})
    }
    stored: dict[str, Node] = {}
    for order, item in enumerate(data.nodes, start=1):
        node = Node.objects.create(
            framework=framework,
            parent=stored[item.parent] if item.parent else None,
            code=item.code,
            kind=item.kind,
            name_id=item.name_id,
            name_en=item.name_en,
            weight=item.weight,
            method=item.method,
            required_documents=item.required_documents,
            responsible=item.responsible,
            guidance=item.guidance,
            register=item.register,
            order=order,
        )
        stored[item.code] = node
        if item.units:
            node.units.set([units[code] for code in item.units if code in units])
        Choice.objects.bulk_create(
            Choice(
                node=node,
                code=c.code,
                label_id=c.label_id,
                label_en=c.label_en,
                value=c.value,
                order=i,
            )
            for i, c in enumerate(item.choices, start=1)
        )
    for order, s in enumerate(data.threshold_sets, start=1):
        threshold_set = ThresholdSet.objects.create(
            framework=framework,
            code=s.code,
            name_id=s.name_id,
            name_en=s.name_en,
            requires=s.requires,
            order=order,
        )
        Condition.objects.bulk_create(
            Condition(
                threshold_set=threshold_set,
                scope=c.scope,
                target=c.target,
                measure=c.measure,
                minimum=c.minimum,
                label_id=c.label_id,
                label_en=c.label_en,
                order=i,
            )
            for i, c in enumerate(s.conditions, start=1)
        )
    Band.objects.bulk_create(
        Band(
            framework=framework,
            lower=b.lower,
            colour=b.colour,
            label_id=b.label_id,
            label_en=b.label_en,
        )
        for b in data.bands
    )
    changes: dict[str, object] = {
        "kind": [None, framework.kind],
        "year": [None, framework.year],
        "version": [None, framework.version],
        "nodes": [None, len(data.nodes)],
    }
    if source:
        changes["file"] = [None, source]
    if copied_from is not None:
        changes["copied_from"] = [None, str(copied_from)]
    audit.record(action, obj=framework, changes=changes, **_actor(by))
    return framework


def copy_to_year(*, framework: Framework, year: int, by: User | None) -> Framework:
    """A new draft of the same kind for ``year`` with the tree and thresholds of ``framework``:
    how a new year starts. Writes ``assessments.framework_copied``."""
    data = framework_data(framework)
    title = data.title.replace(str(framework.year), str(year))
    return create_framework(
        data=replace(data, year=year, title=title),
        by=by,
        action=AuditAction.FRAMEWORK_COPIED,
        copied_from=framework,
    )


@transaction.atomic
def activate(*, framework: Framework, by: User | None) -> Framework:
    """Make a draft the active framework of its kind and year; the one active before is
    retired. Writes ``assessments.framework_activated``."""
    locked = Framework.objects.select_for_update().get(pk=framework.pk)
    if locked.status != FrameworkStatus.DRAFT:
        raise ValidationError(_("Only a draft can be activated."))
    if weight_messages(framework_data(locked)):
        raise ValidationError(_("The weights do not add up; import a corrected workbook."))
    if not locked.nodes.exists():
        raise ValidationError(_("The framework has no areas."))
    previous = list(
        Framework.objects.filter(kind=locked.kind, year=locked.year, status=FrameworkStatus.ACTIVE)
    )
    for old in previous:
        old.status = FrameworkStatus.RETIRED
        old.save(update_fields=["status"])
    locked.status = FrameworkStatus.ACTIVE
    locked.save(update_fields=["status"])
    changes: dict[str, object] = {"status": [FrameworkStatus.DRAFT, FrameworkStatus.ACTIVE]}
    if previous:
        changes["retired"] = [None, ", ".join(str(old) for old in previous)]
    audit.record(AuditAction.FRAMEWORK_ACTIVATED, obj=locked, changes=changes, **_actor(by))
    framework.status = locked.status
    return framework


@transaction.atomic
def delete_draft(*, framework: Framework, by: User | None) -> None:
    """Delete a draft (an import that was a mistake); active and retired frameworks stay."""
    locked = Framework.objects.select_for_update().get(pk=framework.pk)
    if locked.status != FrameworkStatus.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    audit.record(
        AuditAction.FRAMEWORK_DELETED,
        obj=locked,
        changes={"version": [locked.version, None]},
        **_actor(by),
    )
    locked.delete()
