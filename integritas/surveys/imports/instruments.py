"""Instruments from spreadsheets: one version in an XLSX workbook a spreadsheet user has edited.

The layout (documented for users in docs/instrument-xlsx.md):

- ``settings``: key/value rows: instrument_code, kind, title_id, title_en, description_id,
  description_en, notes.
- ``dimensions``: code, name_id, name_en, group, weight, order.
- ``survey``: one row per question, in questionnaire order: section, section_title_id,
  section_title_en, code, type, text_id, text_en, help_id, help_en, required, dimension,
  respondent_types, show_if, min, max, and optionally section_intro_id, section_intro_en,
  section_respondent_types. A section's title, introduction and respondent types are given on
  one of its rows (the export writes them on the first); a row with a section but no question
  declares an empty section.
- ``choices``: question, code, label_id, label_en, score, in the order they are offered.

Other sheets (the export, ``surveys.services.instrument_workbook``, adds ``help``) are ignored on
import. The shipped instruments are JSON
files with the same four sheets (``sheets_from_json``), so one parser checks both.

Importing checks every cell and reports each bad one (sheet, row, column, value, reason); when
there is any, nothing is saved. A good file becomes a new draft version. Rules about the whole
questionnaire (choice counts, dimensions of scored questions, conditions on earlier questions) are
the publishing rules: a draft may break them, and the result lists them as things to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from integritas.lib.imports import ImportReport, RowError
from integritas.lib.spreadsheets import TableError, read_layout_workbook
from integritas.surveys.models import (
    Choice,
    Dimension,
    Instrument,
    InstrumentVersion,
    Question,
    RespondentType,
    Section,
)
from integritas.surveys.services import instrument_library
from integritas.surveys.services.instrument_library import (
    ChoiceData,
    DimensionData,
    InstrumentData,
    QuestionData,
    SectionData,
)
from integritas.surveys.services.instrument_workbook import (
    CHOICE_COLUMNS,
    DIMENSION_COLUMNS,
    SHEETS,
    SURVEY_COLUMNS,
)

SETTINGS_KEYS = (
    "instrument_code",
    "kind",
    "title_id",
    "title_en",
    "description_id",
    "description_en",
    "notes",
)
COLUMNS = {"dimensions": DIMENSION_COLUMNS, "survey": SURVEY_COLUMNS, "choices": CHOICE_COLUMNS}
REQUIRED_COLUMNS = {
    "dimensions": ("code", "name_id"),
    "survey": ("section", "code", "type", "text_id"),
    "choices": ("question", "code", "label_id"),
}
REQUIRED_SHEETS = ("settings", "survey")
# Far more than any questionnaire needs; a larger sheet is a mistake or an attack.
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
_YES = {"yes", "ya", "y", "true", "1", "wajib"}
_NO = {"no", "tidak", "t", "n", "false", "0", "opsional", "optional"}
_ESCAPED_FORMULA = re.compile(r"'[=+\-@\t\r]")

RawSheets = dict[str, list[list[str]]]


@dataclass
class ImportResult(ImportReport):
    version: InstrumentVersion | None = None
    created_instrument: bool = False
    problems: list[str] = field(default_factory=list)  # to fix before the draft can be published


# --- Reading -----------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value).strip()
    # The export escapes text that looks like a formula with a leading apostrophe; undo that.
    if _ESCAPED_FORMULA.match(text):
        text = text[1:]
    return text


def read_workbook(data: bytes, filename: str) -> RawSheets:
    """The rows of the layout's sheets (found by name, in any case) as text, header row first.
    Formula cells come back as their formula text, which the checks then refuse.
    Raises ``TableError`` when the file is not a readable workbook."""
    return read_layout_workbook(
        data,
        SHEETS,
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_unpacked=MAX_UNPACKED_BYTES,
        max_rows=MAX_ROWS,
        not_workbook=_(
            "This file is not an Excel workbook (.xlsx). Download an instrument as XLSX, edit "
            "it, and upload it again; save older .xls files as .xlsx first."
        ),
        too_large_unpacked=_("The workbook is too large once unpacked to be an instrument."),
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
    """The JSON form of the layout: ``settings`` is an object of key/value pairs, the other sheets
    are lists of objects keyed by column name (absent keys are empty cells)."""
    sheets: RawSheets = {}
    settings_obj = raw.get("settings", {})
    if isinstance(settings_obj, Mapping):
        sheets["settings"] = [["key", "value"]] + [
            [str(k), _json_text(v)] for k, v in settings_obj.items()
        ]
    for name in ("dimensions", "survey", "choices"):
        rows = raw.get(name)
        if not isinstance(rows, list):
            continue
        header: list[str] = list(COLUMNS[name])
        for row in rows:
            header += [k for k in row if k not in header]
        sheets[name] = [header] + [
            [_json_text(row.get(column)) for column in header] for row in rows
        ]
    return sheets


# --- Checking ----------------------------------------------------------------------------------


class _Checker:
    """Walks the raw sheets once, collecting every bad cell."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def fail(self, sheet: str, row: int, column: str, value: str, message: str) -> None:
        self.errors.append(
            RowError(row=row, column=column, value=value, message=message, sheet=sheet)
        )

    def table(self, name: str, rows: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
        """Rows of a column sheet as (row number, {column: text}), after the header is checked.
        Every cell that looks like a formula is reported and read as empty."""
        header = [cell.strip().lower() for cell in (rows[0] if rows else [])]
        while header and not header[-1]:
            header.pop()
        known = COLUMNS[name]
        for index, column in enumerate(header):
            if not column:
                self.fail(
                    name,
                    1,
                    get_column_letter(index + 1),
                    "",
                    _("Every column needs a name in the first row."),
                )
            elif column not in known:
                self.fail(
                    name,
                    1,
                    column,
                    column,
                    _("Unknown column “%(column)s”. The columns are: %(columns)s.")
                    % {"column": column, "columns": ", ".join(known)},
                )
            elif header.index(column) != index:
                self.fail(name, 1, column, column, _("This column appears more than once."))
        missing = [c for c in REQUIRED_COLUMNS[name] if c not in header]
        if missing:
            self.fail(
                name,
                1,
                ", ".join(missing),
                "",
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        result = []
        for number, cells in enumerate(rows[1:], start=2):
            if not any(cells):
                continue
            values: dict[str, str] = {}
            for index, text in enumerate(cells):
                column = header[index] if index < len(header) else ""
                if not text:
                    continue
                if column not in known:
                    if index >= len(header):
                        self.fail(
                            name,
                            number,
                            get_column_letter(index + 1),
                            text,
                            _("This cell is in a column that has no name in the first row."),
                        )
                    continue
                problem = instrument_library.formula_problem(text)
                if problem:
                    self.fail(name, number, column, text, problem)
                    continue
                values.setdefault(column, text)
            result.append((number, values))
        return result

    def text(
        self,
        sheet: str,
        number: int,
        values: Mapping[str, str],
        column: str,
        model: type[Any],
        model_field: str,
        *,
        required: bool = False,
    ) -> str:
        value = values.get(column, "")
        if required and not value:
            self.fail(sheet, number, column, "", _("This cell must not be empty."))
        limit = getattr(model._meta.get_field(model_field), "max_length", None)
        if limit and len(value) > limit:
            self.fail(
                sheet,
                number,
                column,
                value,
                _("The text has %(count)d characters; at most %(max)d are allowed.")
                % {"count": len(value), "max": limit},
            )
        return value

    def code(self, sheet: str, number: int, values: Mapping[str, str], column: str) -> str:
        value = values.get(column, "")
        problem = instrument_library.code_problem(value)
        if problem:
            self.fail(sheet, number, column, value, problem)
            return ""
        return value

    def decimal(
        self,
        sheet: str,
        number: int,
        values: Mapping[str, str],
        column: str,
        *,
        digits: int,
        places: int,
    ) -> Decimal | None:
        text = values.get(column, "")
        if not text:
            return None
        try:
            value = instrument_library.parse_decimal(text)
        except ValueError as exc:
            self.fail(sheet, number, column, text, str(exc))
            return None
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        whole = len(value.quantize(Decimal(1)).copy_abs().as_tuple().digits)
        if decimals > places or whole > digits - places:
            self.fail(
                sheet,
                number,
                column,
                text,
                _(
                    "Use a number with at most %(whole)d digits before and %(places)d after the decimal point."
                )
                % {"whole": digits - places, "places": places},
            )
            return None
        return value

    def types(self, sheet: str, number: int, values: Mapping[str, str], column: str) -> list[str]:
        text = values.get(column, "")
        try:
            return instrument_library.parse_respondent_types(text)
        except ValueError as exc:
            self.fail(sheet, number, column, text, str(exc))
            return []


def _check_settings(check: _Checker, rows: list[list[str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    start = 1 if rows and rows[0] and rows[0][0].strip().lower() == "key" else 0
    for number, cells in enumerate(rows[start:], start=start + 1):
        key = cells[0].strip().lower() if cells else ""
        value = cells[1] if len(cells) > 1 else ""
        if not key and not any(cells):
            continue
        if any(c for c in cells[2:]):
            check.fail(
                "settings", number, "C", cells[2], _("Put each setting's value in column B only.")
            )
        if key not in SETTINGS_KEYS:
            check.fail(
                "settings",
                number,
                "A",
                key,
                _("Unknown setting “%(key)s”. The settings are: %(keys)s.")
                % {"key": key, "keys": ", ".join(SETTINGS_KEYS)},
            )
            continue
        if key in found:
            check.fail("settings", number, key, value, _("This setting appears more than once."))
            continue
        problem = instrument_library.formula_problem(value)
        if problem:
            check.fail("settings", number, key, value, problem)
            continue
        found[key] = value
    code = found.get("instrument_code", "")
    if not code:
        check.fail(
            "settings", 0, "instrument_code", "", _("The setting instrument_code is required.")
        )
    elif code != slugify(code) or len(code) > 50:
        check.fail(
            "settings",
            0,
            "instrument_code",
            code,
            _(
                "An instrument code uses lower-case letters, digits and dashes, at most 50 characters."
            ),
        )
    kind = found.get("kind", "") or Instrument.Kind.OTHER
    if kind not in Instrument.Kind.values:
        check.fail(
            "settings",
            0,
            "kind",
            kind,
            _("Unknown kind; use one of %(kinds)s.") % {"kinds": ", ".join(Instrument.Kind.values)},
        )
    found["kind"] = kind
    if not found.get("title_id"):
        check.fail("settings", 0, "title_id", "", _("The setting title_id is required."))
    for key in ("title_id", "title_en"):
        if len(found.get(key, "")) > 200:
            check.fail(
                "settings", 0, key, found[key], _("A title may be at most 200 characters long.")
            )
    return found


def _check_dimensions(check: _Checker, rows: list[list[str]]) -> list[DimensionData]:
    if not rows:
        return []
    entries: list[tuple[Decimal, int, DimensionData]] = []
    seen: dict[str, int] = {}
    for number, values in check.table("dimensions", rows):
        code = check.code("dimensions", number, values, "code")
        if code in seen:
            check.fail(
                "dimensions",
                number,
                "code",
                code,
                _("The code %(code)s already appears in row %(row)d.")
                % {"code": code, "row": seen[code]},
            )
        elif code:
            seen[code] = number
        group = values.get("group", "").lower()
        if group and group not in RespondentType.values:
            check.fail(
                "dimensions",
                number,
                "group",
                group,
                _("Use a respondent type (%(types)s) or leave it empty.")
                % {"types": ", ".join(RespondentType.values)},
            )
        order = check.decimal("dimensions", number, values, "order", digits=6, places=0)
        entries.append(
            (
                order if order is not None else Decimal(10**6),
                number,
                DimensionData(
                    code=code,
                    name_id=check.text(
                        "dimensions", number, values, "name_id", Dimension, "name_id", required=True
                    ),
                    name_en=check.text(
                        "dimensions", number, values, "name_en", Dimension, "name_en"
                    ),
                    group=group,
                    weight=check.decimal(
                        "dimensions", number, values, "weight", digits=6, places=4
                    ),
                ),
            )
        )
    return [d for _order, _number, d in sorted(entries, key=lambda e: (e[0], e[1]))]


@dataclass
class _SurveyRow:
    number: int
    values: dict[str, str]
    question: QuestionData | None


def _check_survey(
    check: _Checker, rows: list[list[str]], dimension_codes: set[str]
) -> tuple[list[SectionData], dict[str, _SurveyRow]]:
    sections: dict[str, SectionData] = {}
    first_row: dict[str, int] = {}
    titled: dict[str, dict[str, int]] = {}
    questions: dict[str, _SurveyRow] = {}
    lower_codes: dict[str, int] = {}
    for number, values in check.table("survey", rows):
        section_code = check.code("survey", number, values, "section")
        section = sections.get(section_code)
        if section is None and section_code:
            section = sections[section_code] = SectionData(code=section_code, title_id="")
            first_row[section_code] = number
            titled[section_code] = {}
        if section is not None:
            for column, attribute, model_field in (
                ("section_title_id", "title_id", "title_id"),
                ("section_title_en", "title_en", "title_en"),
                ("section_intro_id", "intro_id", "intro_id"),
                ("section_intro_en", "intro_en", "intro_en"),
            ):
                value = check.text("survey", number, values, column, Section, model_field)
                if not value:
                    continue
                if column in titled[section_code] and getattr(section, attribute) != value:
                    check.fail(
                        "survey",
                        number,
                        column,
                        value,
                        _("Section %(code)s already has a different value here in row %(row)d.")
                        % {"code": section_code, "row": titled[section_code][column]},
                    )
                    continue
                titled[section_code].setdefault(column, number)
                setattr(section, attribute, value)
            if values.get("section_respondent_types"):
                types = check.types("survey", number, values, "section_respondent_types")
                if section.respondent_types and types != section.respondent_types:
                    check.fail(
                        "survey",
                        number,
                        "section_respondent_types",
                        values["section_respondent_types"],
                        _("Section %(code)s already has different respondent types.")
                        % {"code": section_code},
                    )
                else:
                    section.respondent_types = types
        question_columns = [
            c for c in SURVEY_COLUMNS if not c.startswith("section") and values.get(c)
        ]
        if not question_columns:
            continue  # a row that only declares a section
        question = _check_question_row(check, number, values, dimension_codes)
        if question is None:
            continue
        key = question.code.lower()
        if key in lower_codes:
            check.fail(
                "survey",
                number,
                "code",
                question.code,
                _(
                    "The question code %(code)s already appears in row %(row)d (codes are compared without regard to case)."
                )
                % {"code": question.code, "row": lower_codes[key]},
            )
            continue
        lower_codes[key] = number
        questions[question.code] = _SurveyRow(number, values, question)
        if section is not None:
            section.questions.append(question)
    for code, section in sections.items():
        if not section.title_id:
            check.fail(
                "survey",
                first_row[code],
                "section_title_id",
                "",
                _("Section %(code)s needs a title in Indonesian on one of its rows.")
                % {"code": code},
            )
    return list(sections.values()), questions


def _check_question_row(
    check: _Checker, number: int, values: dict[str, str], dimension_codes: set[str]
) -> QuestionData | None:
    code = check.code("survey", number, values, "code")
    if code.lower() in instrument_library.RESERVED_QUESTION_CODES:
        check.fail(
            "survey",
            number,
            "code",
            code,
            _("%(code)s is a column name of the response import; choose another code.")
            % {"code": code},
        )
        code = ""
    type_ = values.get("type", "").lower()
    if type_ not in Question.Type.values:
        check.fail(
            "survey",
            number,
            "type",
            values.get("type", ""),
            _("Unknown question type; use one of %(types)s.")
            % {"types": ", ".join(Question.Type.values)},
        )
        type_ = ""
    required_text = values.get("required", "").lower()
    if required_text and required_text not in _YES | _NO:
        check.fail(
            "survey", number, "required", values["required"], _("Use yes or no (ya or tidak).")
        )
    dimension = values.get("dimension", "")
    if dimension and dimension not in dimension_codes:
        check.fail(
            "survey",
            number,
            "dimension",
            dimension,
            _("There is no dimension %(code)s in the dimensions sheet.") % {"code": dimension},
        )
    condition = None
    if values.get("show_if"):
        try:
            condition = instrument_library.parse_condition(values["show_if"])
        except ValueError as exc:
            check.fail("survey", number, "show_if", values["show_if"], str(exc))
    question = QuestionData(
        code=code,
        type=type_,
        text_id=check.text("survey", number, values, "text_id", Question, "text_id", required=True),
        text_en=check.text("survey", number, values, "text_en", Question, "text_en"),
        help_id=check.text("survey", number, values, "help_id", Question, "help_id"),
        help_en=check.text("survey", number, values, "help_en", Question, "help_en"),
        required=required_text not in _NO,
        dimension=dimension,
        respondent_types=check.types("survey", number, values, "respondent_types"),
        condition=condition,
        min_value=check.decimal("survey", number, values, "min", digits=14, places=2),
        max_value=check.decimal("survey", number, values, "max", digits=14, places=2),
    )
    # A row with a usable code stays known even when other cells are bad, so its choices and the
    # conditions that name it are not reported as pointing at nothing.
    return question if code else None


def _check_choices(
    check: _Checker, rows: list[list[str]], questions: Mapping[str, _SurveyRow]
) -> None:
    if not rows:
        return
    seen: dict[tuple[str, str], int] = {}
    for number, values in check.table("choices", rows):
        question_code = values.get("question", "")
        row = questions.get(question_code)
        if row is None:
            check.fail(
                "choices",
                number,
                "question",
                question_code,
                _("There is no question %(code)s in the survey sheet.") % {"code": question_code}
                if question_code
                else _("This cell must not be empty."),
            )
        code = check.code("choices", number, values, "code")
        if code and (question_code, code) in seen:
            check.fail(
                "choices",
                number,
                "code",
                code,
                _("Question %(question)s already has the choice %(code)s in row %(row)d.")
                % {"question": question_code, "code": code, "row": seen[(question_code, code)]},
            )
            continue
        seen[(question_code, code)] = number
        choice = ChoiceData(
            code=code,
            label_id=check.text(
                "choices", number, values, "label_id", Choice, "label_id", required=True
            ),
            label_en=check.text("choices", number, values, "label_en", Choice, "label_en"),
            score=check.decimal("choices", number, values, "score", digits=8, places=3),
        )
        if row is not None and row.question is not None and code:
            row.question.choices.append(choice)


def _check_conditions(check: _Checker, questions: Mapping[str, _SurveyRow]) -> None:
    """A show_if must name a question of the file and answers it has; whether that question comes
    earlier is a publishing rule."""
    for row in questions.values():
        q = row.question
        if q is None or not q.condition:
            continue
        source = questions.get(q.condition["question"])
        if source is None or source.question is None:
            check.fail(
                "survey",
                row.number,
                "show_if",
                row.values["show_if"],
                _("There is no question %(code)s in the survey sheet.")
                % {"code": q.condition["question"]},
            )
            continue
        known = {c.code for c in source.question.choices}
        unknown = [v for v in q.condition["values"] if v not in known]
        if unknown and source.question.type in Question.SLOT_TYPES:
            check.fail(
                "survey",
                row.number,
                "show_if",
                row.values["show_if"],
                _("%(code)s has no answer %(values)s; its answers are %(choices)s.")
                % {
                    "code": source.question.code,
                    "values": ", ".join(unknown),
                    "choices": ", ".join(sorted(known)) or "—",
                },
            )


def parse_sheets(raw: RawSheets) -> tuple[InstrumentData | None, list[RowError]]:
    """Check the raw sheets and build the instrument's content; None and the errors if any cell
    is bad."""
    check = _Checker()
    for name in REQUIRED_SHEETS:
        if name not in raw:
            check.fail(
                name,
                0,
                "",
                "",
                _("The workbook needs a sheet named “%(sheet)s”.") % {"sheet": name},
            )
    if check.errors:
        return None, check.errors
    found = _check_settings(check, raw["settings"])
    dimensions = _check_dimensions(check, raw.get("dimensions", []))
    sections, questions = _check_survey(
        check, raw["survey"], {d.code for d in dimensions if d.code}
    )
    _check_choices(check, raw.get("choices", []), questions)
    _check_conditions(check, questions)
    if not raw["survey"][1:] or not any(any(r) for r in raw["survey"][1:]):
        check.fail(
            "survey", 0, "", "", _("The survey sheet has no questions below the header row.")
        )
    if check.errors:
        check.errors.sort(key=lambda e: (SHEETS.index(e.sheet) if e.sheet in SHEETS else 9, e.row))
        return None, check.errors
    data = InstrumentData(
        code=found["instrument_code"],
        kind=found["kind"],
        title_id=found.get("title_id", ""),
        title_en=found.get("title_en", ""),
        description_id=found.get("description_id", ""),
        description_en=found.get("description_en", ""),
        notes=found.get("notes", ""),
        dimensions=dimensions,
        sections=sections,
    )
    return data, []


def import_version(*, data: bytes, filename: str) -> ImportResult:
    """Create a new draft version from an uploaded workbook, all or nothing: of the instrument
    named in its settings, or of a new instrument."""
    try:
        raw = read_workbook(data, filename)
    except TableError as exc:
        return ImportResult(errors=[RowError(row=0, column="", value="", message=exc.message)])
    parsed, errors = parse_sheets(raw)
    if parsed is None or errors:
        return ImportResult(errors=errors)
    try:
        version, created = instrument_library.version_import(data=parsed, source=filename[:200])
    except ValidationError as exc:
        messages = (
            [(name, m) for name, ms in exc.message_dict.items() for m in ms]
            if hasattr(exc, "error_dict")
            else [("", m) for m in exc.messages]
        )
        return ImportResult(
            errors=[
                RowError(row=0, column=name, value="", message=message, sheet="settings")
                for name, message in messages
            ]
        )
    return ImportResult(
        version=version,
        created_instrument=created,
        problems=instrument_library.data_problems(parsed),
    )
