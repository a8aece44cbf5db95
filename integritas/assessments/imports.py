"""Frameworks from spreadsheets: one framework in an XLSX workbook a spreadsheet user has edited.

The layout (documented for users in docs/assessments.md; ``services.framework_workbook`` writes
it):

- ``settings``: key/value rows: kind, year, title, guideline_reference, total_weight,
  is_example, notes.
- ``structure``: one row per node, each after its parent: code, parent, kind, name_id, name_en,
  weight, method, required_documents, responsible, units, guidance, and optionally register (the
  key of a data register of ``core.extensions`` whose figures are the node's evidence).
- ``choices``: the tiered answers of each ``choice`` item: item, code, label_id, label_en, value.
- ``thresholds``: one row per condition: set, set_name_id, set_name_en, requires (given on a
  set's first row), scope, target, measure, minimum, label_id, label_en.
- ``bands``: the colour bands of a score on 0–100, from 0 up: lower, colour, label_id, label_en.

The shipped frameworks are JSON files with the same sheets (``sheets_from_json``), so one parser
checks both. Importing checks every cell and reports each bad one (sheet, row, column, value,
reason); when there is any, nothing is saved. A good file becomes the next draft version of its
kind and year.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from integritas.assessments import scoring
from integritas.assessments.models import (
    AuditAction,
    BandColour,
    Framework,
    FrameworkKind,
    Measure,
    Method,
    NodeKind,
    Scope,
)
from integritas.assessments.services import frameworks
from integritas.assessments.services.framework_workbook import (
    BAND_COLUMNS,
    CHOICE_COLUMNS,
    SETTINGS_KEYS,
    SHEETS,
    STRUCTURE_COLUMNS,
    THRESHOLD_COLUMNS,
)
from integritas.assessments.services.frameworks import (
    BandData,
    ChoiceData,
    ConditionData,
    FrameworkData,
    NodeData,
    ThresholdSetData,
)
from integritas.core import extensions
from integritas.core.models import Unit, User
from integritas.lib.imports import ImportReport, RowError
from integritas.lib.spreadsheets import TableError, read_layout_workbook

COLUMNS = {
    "structure": STRUCTURE_COLUMNS,
    "choices": CHOICE_COLUMNS,
    "thresholds": THRESHOLD_COLUMNS,
    "bands": BAND_COLUMNS,
}
REQUIRED_COLUMNS = {
    "structure": ("code", "kind", "name_id", "weight"),
    "choices": ("item", "code", "label_id", "value"),
    "thresholds": ("set", "scope", "minimum", "label_id"),
    "bands": ("lower", "colour"),
}
REQUIRED_SHEETS = ("settings", "structure")
MAX_ROWS = 5000  # far more than a framework needs; a larger sheet is a mistake or an attack
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
FORMULA_LIKE = re.compile(r"^(?:[=+@\t\r]|-(?![\d.,]))")
_ESCAPED_FORMULA = re.compile(r"'[=+\-@\t\r]")
_YES = {"yes", "ya", "y", "true", "1"}
_NO = {"no", "tidak", "t", "n", "false", "0", ""}

RawSheets = dict[str, list[list[str]]]


@dataclass
class ImportResult(ImportReport):
    framework: Framework | None = None


# --- Reading -----------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    text = str(value).strip()
    # The export escapes text that looks like a formula with a leading apostrophe; undo that.
    return text[1:] if _ESCAPED_FORMULA.match(text) else text


def read_workbook(data: bytes) -> RawSheets:
    """The rows of the layout's sheets (found by name, in any case) as text, header row first.
    Raises ``TableError`` when the file is not a readable workbook."""
    return read_layout_workbook(
        data,
        SHEETS,
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_unpacked=MAX_UNPACKED_BYTES,
        max_rows=MAX_ROWS,
        not_workbook=_(
            "This file is not an Excel workbook (.xlsx). Download a framework as XLSX, edit "
            "it, and upload it again."
        ),
        too_large_unpacked=_("The workbook is too large once unpacked to be a framework."),
        cell=_cell_text,
    )


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value).strip()


def sheets_from_json(raw: Mapping[str, Any]) -> RawSheets:
    """The JSON form of the layout: ``settings`` is an object, the other sheets are lists of
    objects keyed by column name (absent keys are empty cells)."""
    sheets: RawSheets = {}
    settings_obj = raw.get("settings", {})
    if isinstance(settings_obj, Mapping):
        sheets["settings"] = [["key", "value"]] + [
            [str(k), _json_text(v)] for k, v in settings_obj.items()
        ]
    for name, columns in COLUMNS.items():
        rows = raw.get(name)
        if isinstance(rows, list):
            sheets[name] = [list(columns)] + [
                [_json_text(row.get(column)) for column in columns] for row in rows
            ]
    return sheets


# --- Checking ----------------------------------------------------------------------------------

Rows = list[tuple[int, dict[str, str]]]


class _Checker:
    """Walks the raw sheets once, collecting every bad cell into the report."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report

    def fail(self, sheet: str, row: int, column: str, value: str, message: str) -> None:
        self.report.add(RowError(row=row, column=column, value=value, message=message, sheet=sheet))

    def table(self, name: str, rows: list[list[str]]) -> Rows:
        """Rows of a column sheet as (row number, {column: text}), after the header is checked.
        A cell that looks like a formula is reported and read as empty. An optional sheet that
        is absent has no rows."""
        if not rows:
            return []
        header = [cell.strip().lower() for cell in (rows[0] if rows else [])]
        while header and not header[-1]:
            header.pop()
        known = COLUMNS[name]
        for index, column in enumerate(header):
            if not column:
                letter = get_column_letter(index + 1)
                self.fail(name, 1, letter, "", _("Every column needs a name in the first row."))
            elif column not in known:
                message = _("Unknown column “%(column)s”. The columns are: %(columns)s.") % {
                    "column": column,
                    "columns": ", ".join(known),
                }
                self.fail(name, 1, column, column, message)
            elif header.index(column) != index:
                self.fail(name, 1, column, column, _("This column appears more than once."))
        missing = [c for c in REQUIRED_COLUMNS[name] if c not in header]
        if missing:
            columns = ", ".join(missing)
            message = _("Required columns are missing: %(columns)s.") % {"columns": columns}
            self.fail(name, 1, columns, "", message)
        result: Rows = []
        for number, cells in enumerate(rows[1:], start=2):
            values: dict[str, str] = {}
            for index, text in enumerate(cells):
                column = header[index] if index < len(header) else ""
                if text and column in known:
                    if FORMULA_LIKE.match(text):
                        self.fail(name, number, column, text, _formula_message())
                    else:
                        values.setdefault(column, text)
            if values:
                result.append((number, values))
        return result

    def decimal(
        self,
        sheet: str,
        row: int,
        column: str,
        text: str,
        *,
        low: Decimal | None = None,
        high: Decimal | None = None,
    ) -> Decimal | None:
        """The cell as a number, or None with the problem reported."""
        try:
            value = Decimal(text.replace(",", "."))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.fail(sheet, row, column, text, _("“%(value)s” is not a number.") % {"value": text})
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            message = _("%(value)s is outside %(low)s–%(high)s.") % {
                "value": text,
                "low": low if low is not None else "",
                "high": high if high is not None else "",
            }
            self.fail(sheet, row, column, text, message)
            return None
        return value

    def choice(self, sheet: str, row: int, column: str, text: str, choices: Any) -> str:
        """The cell if it is one of ``choices`` (value, label pairs), else "" with a message."""
        values = [value for value, _label in choices]
        if text.lower() in values:
            return text.lower()
        message = _("Unknown value “%(value)s”. The values are: %(values)s.") % {
            "value": text,
            "values": ", ".join(values),
        }
        self.fail(sheet, row, column, text, message)
        return ""


def _formula_message() -> str:
    return _(
        "The text starts like a spreadsheet formula (=, +, - or @). Start it with a letter "
        "or a digit instead."
    )


def _settings(check: _Checker, rows: list[list[str]]) -> tuple[dict[str, Any], dict[str, int]]:
    """The settings sheet's values and the row of each key."""
    values: dict[str, Any] = {}
    where: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        key = (cells[0] if cells else "").strip().lower()
        text = (cells[1] if len(cells) > 1 else "").strip()
        if not key:
            continue
        if key not in SETTINGS_KEYS:
            message = _("Unknown setting “%(key)s”. The settings are: %(keys)s.") % {
                "key": key,
                "keys": ", ".join(SETTINGS_KEYS),
            }
            check.fail("settings", number, "key", key, message)
            continue
        where[key] = number
        if FORMULA_LIKE.match(text):
            check.fail("settings", number, "value", text, _formula_message())
        elif key == "kind":
            values[key] = check.choice("settings", number, "value", text, FrameworkKind.choices)
        elif key == "year":
            if text.isdigit() and 2000 <= int(text) <= 2100:
                values[key] = int(text)
            else:
                message = _("“%(value)s” is not a year.") % {"value": text}
                check.fail("settings", number, "value", text, message)
        elif key == "total_weight":
            values[key] = check.decimal("settings", number, "value", text, low=Decimal("0.0001"))
        elif key == "is_example":
            if text.lower() not in _YES | _NO:
                message = _("Write yes or no.")
                check.fail("settings", number, "value", text, message)
            values[key] = text.lower() in _YES
        else:
            values[key] = text
    for key in ("kind", "year", "title"):
        if key not in where:
            message = _("The setting “%(key)s” is missing.") % {"key": key}
            check.fail("settings", 0, key, "", message)
    return values, where


def _structure(
    check: _Checker, rows: Rows, units: set[str]
) -> tuple[list[NodeData], dict[str, int]]:
    nodes: list[NodeData] = []
    where: dict[str, int] = {}
    for number, cells in rows:
        code = cells.get("code", "")
        if not code:
            check.fail("structure", number, "code", "", _("The code is missing."))
            continue
        if not CODE.match(code):
            message = _(
                "A code uses letters, digits, dots, dashes and underscores only, and starts with a "
                "letter or digit."
            )
            check.fail("structure", number, "code", code, message)
            continue
        if code in where:
            message = _("The code %(code)s is used on row %(row)d already.") % {
                "code": code,
                "row": where[code],
            }
            check.fail("structure", number, "code", code, message)
            continue
        where[code] = number
        parent = cells.get("parent", "")
        if parent and parent not in where:
            message = _("There is no node %(code)s above this row.") % {"code": parent}
            check.fail("structure", number, "parent", parent, message)
        kind = check.choice("structure", number, "kind", cells.get("kind", ""), NodeKind.choices)
        if not cells.get("name_id"):
            check.fail("structure", number, "name_id", "", _("The name is missing."))
        weight = None
        if cells.get("weight"):
            weight = check.decimal("structure", number, "weight", cells["weight"])
        method = ""
        if cells.get("method"):
            method = check.choice("structure", number, "method", cells["method"], Method.choices)
        documents = None
        if cells.get("required_documents"):
            text = cells["required_documents"]
            if text.isdigit() and int(text) >= 1:
                documents = int(text)
            else:
                message = _("Write a whole number of at least 1.")
                check.fail("structure", number, "required_documents", text, message)
        codes = tuple(c for c in re.split(r"[\s,;]+", cells.get("units", "")) if c)
        unknown = [c for c in codes if c not in units]
        if unknown:
            message = _("Unknown units: %(codes)s.") % {"codes": ", ".join(unknown)}
            check.fail("structure", number, "units", cells["units"], message)
        register = cells.get("register", "").lower()
        try:
            extensions.validate_data_register_key(register)
        except ValidationError as exc:
            check.fail("structure", number, "register", cells["register"], exc.messages[0])
        nodes.append(
            NodeData(
                code=code,
                kind=kind,
                name_id=cells.get("name_id", ""),
                name_en=cells.get("name_en", ""),
                weight=weight,  # type: ignore[arg-type]  # None: reported by the weight check
                parent=parent if parent in where else "",
                method=method,
                required_documents=documents,
                responsible=cells.get("responsible", ""),
                units=tuple(sorted(set(codes))),
                guidance=cells.get("guidance", ""),
                register=register,
            )
        )
    parents = {n.parent for n in nodes}
    for node in nodes:
        number = where[node.code]
        raw = next(c for n, c in rows if n == number).get("method", "")
        if node.code in parents and raw:
            message = _("A node with children has no scoring method; its children are scored.")
            check.fail("structure", number, "method", raw, message)
        elif node.code not in parents and not raw:
            message = _("An item (a node without children) needs a scoring method.")
            check.fail("structure", number, "method", "", message)
        if node.method == Method.DOCUMENTS and node.required_documents is None:
            message = _("A documents item needs the number of required documents.")
            check.fail("structure", number, "required_documents", "", message)
    return nodes, where


def _choices(check: _Checker, rows: Rows, nodes: list[NodeData]) -> dict[str, list[ChoiceData]]:
    methods = {n.code: n.method for n in nodes}
    found: dict[str, list[ChoiceData]] = {}
    for number, cells in rows:
        item = cells.get("item", "")
        if methods.get(item) == "":
            continue  # the item's method is missing or unknown, reported on its row
        if methods.get(item) != Method.CHOICE:
            message = _("There is no choice item %(code)s in the structure sheet.") % {"code": item}
            check.fail("choices", number, "item", item, message)
            continue
        code = cells.get("code", "").upper()
        if not code:
            check.fail("choices", number, "code", "", _("The code is missing."))
        elif code in {c.code for c in found.get(item, [])}:
            message = _("The choice %(code)s appears twice.") % {"code": code}
            check.fail("choices", number, "code", code, message)
            continue
        if not cells.get("label_id"):
            check.fail("choices", number, "label_id", "", _("The label is missing."))
        value = None
        if cells.get("value"):
            value = check.decimal(
                "choices", number, "value", cells["value"], low=Decimal(0), high=Decimal(1)
            )
        else:
            check.fail("choices", number, "value", "", _("The value is missing."))
        if code and value is not None:
            found.setdefault(item, []).append(
                ChoiceData(code, cells.get("label_id", ""), value, cells.get("label_en", ""))
            )
    return found


def _thresholds(check: _Checker, rows: Rows, nodes: list[NodeData]) -> list[ThresholdSetData]:
    by_code = {n.code: n for n in nodes}
    sets: dict[str, dict[str, Any]] = {}
    for number, cells in rows:
        code = cells.get("set", "")
        if not code:
            check.fail("thresholds", number, "set", "", _("The code is missing."))
            continue
        current = sets.setdefault(code, {"name_id": "", "name_en": "", "requires": "", "c": []})
        for key in ("name_id", "name_en"):
            current[key] = current[key] or cells.get(f"set_{key}", "")
        current["requires"] = current["requires"] or cells.get("requires", "")
        scope = check.choice("thresholds", number, "scope", cells.get("scope", ""), Scope.choices)
        measure = scoring.POINTS
        if cells.get("measure"):
            measure = check.choice(
                "thresholds", number, "measure", cells["measure"], Measure.choices
            )
        target = cells.get("target", "")
        if scope == Scope.NODE and target not in by_code:
            message = _("There is no node %(code)s in the structure sheet.") % {"code": target}
            check.fail("thresholds", number, "target", target, message)
        elif scope == Scope.EACH and target not in NodeKind.values:
            check.choice("thresholds", number, "target", target, NodeKind.choices)
        elif scope == Scope.TOTAL and measure != scoring.POINTS:
            message = _("The total is measured in points.")
            check.fail("thresholds", number, "measure", measure, message)
        if measure == scoring.VALUE and by_code.get(target, None) is not None:
            if by_code[target].method not in (Method.SCALE, Method.PERCENT):
                message = _("A value is measured on a percentage or 0–4 item only.")
                check.fail("thresholds", number, "measure", measure, message)
        minimum = check.decimal("thresholds", number, "minimum", cells.get("minimum", ""))
        if not cells.get("label_id"):
            check.fail("thresholds", number, "label_id", "", _("The label is missing."))
        if minimum is not None and scope:
            current["c"].append(
                ConditionData(
                    scope=scope,
                    minimum=minimum,
                    label_id=cells.get("label_id", ""),
                    label_en=cells.get("label_en", ""),
                    target=target,
                    measure=measure,
                )
            )
    return [
        ThresholdSetData(code, s["name_id"] or code, s["name_en"], s["requires"], tuple(s["c"]))
        for code, s in sets.items()
    ]


def _bands(check: _Checker, rows: Rows) -> list[BandData]:
    """The colour bands, from 0 up: each starts above the one before."""
    bands: list[BandData] = []
    for number, cells in rows:
        lower = check.decimal(
            "bands", number, "lower", cells.get("lower", ""), low=Decimal(0), high=Decimal(100)
        )
        colour = check.choice(
            "bands", number, "colour", cells.get("colour", ""), BandColour.choices
        )
        if lower is None or not colour:
            continue
        if not bands and lower != 0:
            message = _("The first band starts at 0.")
            check.fail("bands", number, "lower", cells["lower"], message)
        elif bands and lower <= bands[-1].lower:
            message = _("Each band starts above the one before it.")
            check.fail("bands", number, "lower", cells["lower"], message)
        bands.append(BandData(lower, colour, cells.get("label_id", ""), cells.get("label_en", "")))
    return bands


def parse(sheets: RawSheets, report: ImportReport) -> FrameworkData | None:
    """The framework the sheets describe, or None with every problem in ``report``."""
    check = _Checker(report)
    for name in REQUIRED_SHEETS:
        if name not in sheets:
            message = _("The workbook needs a sheet named “%(sheet)s”.") % {"sheet": name}
            check.fail(name, 0, "", "", message)
    if report.errors:
        return None
    values, settings_rows = _settings(check, sheets["settings"])
    units = set(Unit.objects.values_list("code", flat=True))
    nodes, where = _structure(check, check.table("structure", sheets["structure"]), units)
    if not nodes:
        message = _("The structure sheet has no nodes below the header row.")
        check.fail("structure", 0, "", "", message)
    choices = _choices(check, check.table("choices", sheets.get("choices", [])), nodes)
    for node in nodes:
        if node.method == Method.CHOICE and len(choices.get(node.code, [])) < 2:
            message = _("A choice item needs at least two choices in the choices sheet.")
            check.fail("structure", where[node.code], "method", node.method, message)
    threshold_sets = _thresholds(
        check, check.table("thresholds", sheets.get("thresholds", [])), nodes
    )
    bands = _bands(check, check.table("bands", sheets.get("bands", [])))
    total = values.get("total_weight") or Decimal(100)
    data = FrameworkData(
        kind=values.get("kind", ""),
        year=values.get("year", 0),
        title=values.get("title", ""),
        guideline_reference=values.get("guideline_reference", ""),
        total_weight=total,
        is_example=values.get("is_example", False),
        notes=values.get("notes", ""),
        nodes=tuple(
            NodeData(**{**n.__dict__, "choices": tuple(choices.get(n.code, ()))}) for n in nodes
        ),
        threshold_sets=tuple(threshold_sets),
        bands=tuple(bands),
    )
    reported = {(e.sheet, e.row, e.column) for e in report.errors}
    for code, message in frameworks.weight_messages(data):
        if code:
            if ("structure", where[code], "weight") not in reported:
                check.fail("structure", where[code], "weight", "", message)
        else:
            check.fail("settings", settings_rows.get("total_weight", 0), "value", "", message)
    order = {name: index for index, name in enumerate(SHEETS)}
    report.errors.sort(key=lambda e: (order.get(e.sheet, 0), e.row))
    return None if report.errors else data


def import_framework(*, data: bytes, filename: str, by: User | None) -> ImportResult:
    """Check a workbook and store it as the next draft version of its kind and year, or store
    nothing and report every problem. Writes ``assessments.framework_imported``."""
    result = ImportResult()
    try:
        sheets = read_workbook(data)
    except TableError as exc:
        result.fail_file(exc.message)
        return result
    return _store(sheets, result, by=by, source=filename)


def import_json(*, raw: Mapping[str, Any], source: str, by: User | None) -> ImportResult:
    """The same for a framework in the JSON form of the layout (the shipped frameworks)."""
    return _store(sheets_from_json(raw), ImportResult(), by=by, source=source)


def _store(
    sheets: RawSheets, result: ImportResult, *, by: User | None, source: str
) -> ImportResult:
    framework_data = parse(sheets, result)
    result.total_rows = sum(max(len(rows) - 1, 0) for rows in sheets.values())
    if framework_data is None:
        return result
    result.framework = frameworks.create_framework(
        data=framework_data, by=by, action=AuditAction.FRAMEWORK_IMPORTED, source=source
    )
    result.saved = True
    return result


# --- The shipped frameworks --------------------------------------------------------------------

SHIPPED_DIR = Path(__file__).resolve().parent / "data"
# The LKE of DOMAIN.md §4a with its weights and WBK/WBBM thresholds; the MCSP example names the
# demo city's units, so only the demo loads it.
SHIPPED_LKE = "lke-2026.json"
SHIPPED_MCSP_EXAMPLE = "mcsp-2026-example.json"


def load_shipped(*, name: str, by: User | None = None) -> tuple[Framework, bool]:
    """Load a shipped framework and activate it, unless a framework of its kind, year and title
    exists already (then nothing is loaded). Returns the framework and whether it was loaded.
    Raises ``ValueError`` with every problem if the file is broken."""
    raw = json.loads((SHIPPED_DIR / name).read_text(encoding="utf-8"))
    settings_obj = raw["settings"]
    existing = Framework.objects.filter(
        kind=settings_obj["kind"], year=settings_obj["year"], title=settings_obj["title"]
    ).first()
    if existing is not None:
        return existing, False
    result = import_json(raw=raw, source=name, by=by)
    if result.framework is None:
        problems = "; ".join(f"{e.sheet} {e.row} {e.column}: {e.message}" for e in result.errors)
        raise ValueError(f"{name}: {problems}")
    frameworks.activate(framework=result.framework, by=by)
    return result.framework, True
