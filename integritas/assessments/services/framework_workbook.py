"""Framework workbooks: one framework as an XLSX workbook a spreadsheet user can edit.

The layout (sheets ``settings``, ``structure``, ``choices``, ``thresholds``, ``bands`` and a
``help`` sheet) is the one ``assessments.imports`` reads back and is documented in docs/assessments.md;
the shipped frameworks are JSON files with the same sheets.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from integritas.assessments.models import (
    BandColour,
    Framework,
    Measure,
    Method,
    NodeKind,
    Scope,
)
from integritas.assessments.services import frameworks
from integritas.assessments.services.frameworks import FrameworkData
from integritas.core import extensions
from integritas.lib.spreadsheets import Sheet, write_workbook

SHEETS = ("settings", "structure", "choices", "thresholds", "bands")
SETTINGS_KEYS = (
    "kind",
    "year",
    "title",
    "guideline_reference",
    "total_weight",
    "is_example",
    "notes",
)
STRUCTURE_COLUMNS = (
    "code",
    "parent",
    "kind",
    "name_id",
    "name_en",
    "weight",
    "method",
    "required_documents",
    "responsible",
    "units",
    "guidance",
    "register",
)
CHOICE_COLUMNS = ("item", "code", "label_id", "label_en", "value")
THRESHOLD_COLUMNS = (
    "set",
    "set_name_id",
    "set_name_en",
    "requires",
    "scope",
    "target",
    "measure",
    "minimum",
    "label_id",
    "label_en",
)

BAND_COLUMNS = ("lower", "colour", "label_id", "label_en")


def number(value: Decimal | None) -> int | float | None:
    """A decimal as the number a spreadsheet shows (2 rather than 2.0000)."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def data_sheets(data: FrameworkData) -> dict[str, list[list[Any]]]:
    """The layout's four sheets for ``data``: header row first, numbers as numbers."""
    settings_rows: list[list[Any]] = [
        ["key", "value"],
        ["kind", data.kind],
        ["year", data.year],
        ["title", data.title],
        ["guideline_reference", data.guideline_reference],
        ["total_weight", number(data.total_weight)],
        ["is_example", "yes" if data.is_example else "no"],
        ["notes", data.notes],
    ]
    structure: list[list[Any]] = [list(STRUCTURE_COLUMNS)]
    choices: list[list[Any]] = [list(CHOICE_COLUMNS)]
    for n in data.nodes:
        cells: dict[str, Any] = {
            "code": n.code,
            "parent": n.parent,
            "kind": n.kind,
            "name_id": n.name_id,
            "name_en": n.name_en,
            "weight": number(n.weight),
            "method": n.method,
            "required_documents": n.required_documents,
            "responsible": n.responsible,
            "units": ", ".join(n.units),
            "guidance": n.guidance,
            "register": n.register,
        }
        structure.append([cells[c] for c in STRUCTURE_COLUMNS])
        for c in n.choices:
            choices.append([n.code, c.code, c.label_id, c.label_en, number(c.value)])
    thresholds: list[list[Any]] = [list(THRESHOLD_COLUMNS)]
    for s in data.threshold_sets:
        for index, condition in enumerate(s.conditions):
            first = index == 0
            thresholds.append(
                [
                    s.code,
                    s.name_id if first else "",
                    s.name_en if first else "",
                    s.requires if first else "",
                    condition.scope,
                    condition.target,
                    condition.measure,
                    number(condition.minimum),
                    condition.label_id,
                    condition.label_en,
                ]
            )
    bands: list[list[Any]] = [list(BAND_COLUMNS)]
    for b in data.bands:
        bands.append([number(b.lower), b.colour, b.label_id, b.label_en])
    return {
        "settings": settings_rows,
        "structure": structure,
        "choices": choices,
        "thresholds": thresholds,
        "bands": bands,
    }


def _codes(choices: Any) -> str:
    return ", ".join(f"{value} ({label})" for value, label in choices)


def _registers() -> str:
    keys = extensions.data_register_keys()
    registers = [extensions.data_register(key) for key in keys]
    return ", ".join(f"{r.key} ({r.title})" for r in registers if r is not None) or "—"


def _help_rows() -> list[list[str]]:
    return [
        [_("Assessment framework workbook")],
        [
            _(
                "Edit the sheets settings, structure, choices and thresholds, then upload the file on the framework list to make a new draft version. This sheet is ignored on upload."
            )
        ],
        [""],
        [_("Kinds of node: %(kinds)s.") % {"kinds": _codes(NodeKind.choices)}],
        [_("Scoring methods: %(methods)s.") % {"methods": _codes(Method.choices)}],
        [
            _(
                "structure: one row per node, each after its parent (parent is empty for a top node). A node with children has no method; every other node is an item and needs one. The weights of a node's children add up to its weight, and the top nodes' to total_weight."
            )
        ],
        [
            _(
                "choices: the tiered answers of a choice item (item is its code), each with a value between 0 and 1, the share of the weight it earns. documents items need required_documents."
            )
        ],
        [
            _(
                "thresholds: the conditions of each threshold set. Scopes: %(scopes)s; measures: %(measures)s. target is a node's code (scope node) or a kind of node (scope each)."
            )
            % {"scopes": _codes(Scope.choices), "measures": _codes(Measure.choices)}
        ],
        [_("units: unit codes separated by commas.")],
        [
            _(
                "register (optional): the key of the register whose figures are the item's evidence, shown on its page of the document desk: %(registers)s."
            )
            % {"registers": _registers()}
        ],
        [
            _(
                "bands: the colour bands of a score on 0–100, one per row from 0 up: lower (where the band starts), colour (%(colours)s), label_id, label_en."
            )
            % {"colours": ", ".join(BandColour.values)}
        ],
        [_("Text starting with =, + or @ is refused, so that no cell runs as a formula.")],
    ]


def export(framework: Framework) -> bytes:
    """The framework as a workbook in the layout above, ready to edit and upload again."""
    sheets = data_sheets(frameworks.framework_data(framework))
    return write_workbook(
        [
            *(Sheet(name, sheets[name]) for name in SHEETS),
            Sheet("help", _help_rows(), header=False),
        ]
    )


def export_filename(framework: Framework) -> str:
    return f"{framework.kind}-{framework.year}-v{framework.version}.xlsx"
