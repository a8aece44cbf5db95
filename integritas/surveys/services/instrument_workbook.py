"""Instrument workbooks: one version written as an XLSX workbook a spreadsheet user can edit.

The layout (sheets ``settings``, ``dimensions``, ``survey``, ``choices`` and a ``help`` sheet) is
the one ``surveys.imports.instruments`` reads back and is documented in docs/instrument-xlsx.md;
the JSON form of the shipped instruments has the same sheets.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from integritas.lib.spreadsheets import Sheet, write_workbook
from integritas.surveys.models import InstrumentVersion, Question, RespondentType
from integritas.surveys.services import instrument_library
from integritas.surveys.services.instrument_library import InstrumentData

# The workbook's sheets and their columns, in order (the reader in imports/instruments.py
# takes the same names).
SHEETS = ("settings", "dimensions", "survey", "choices")
DIMENSION_COLUMNS = ("code", "name_id", "name_en", "group", "weight", "order")
SURVEY_COLUMNS = (
    "section",
    "section_title_id",
    "section_title_en",
    "code",
    "type",
    "text_id",
    "text_en",
    "help_id",
    "help_en",
    "required",
    "dimension",
    "respondent_types",
    "show_if",
    "min",
    "max",
    "section_intro_id",
    "section_intro_en",
    "section_respondent_types",
)
CHOICE_COLUMNS = ("question", "code", "label_id", "label_en", "score")


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def data_sheets(data: InstrumentData) -> dict[str, list[list[Any]]]:
    """The layout's four sheets for ``data``: header row first, numbers as numbers."""
    settings_rows: list[list[Any]] = [
        ["key", "value"],
        ["instrument_code", data.code],
        ["kind", data.kind],
        ["title_id", data.title_id],
        ["title_en", data.title_en],
        ["description_id", data.description_id],
        ["description_en", data.description_en],
        ["notes", data.notes],
    ]
    dimension_rows: list[list[Any]] = [list(DIMENSION_COLUMNS)]
    for order, d in enumerate(data.dimensions, start=1):
        dimension_rows.append([d.code, d.name_id, d.name_en, d.group, _number(d.weight), order])
    survey_rows: list[list[Any]] = [list(SURVEY_COLUMNS)]
    choice_rows: list[list[Any]] = [list(CHOICE_COLUMNS)]
    for s in data.sections:
        section_cells = {
            "section_title_id": s.title_id,
            "section_title_en": s.title_en,
            "section_intro_id": s.intro_id,
            "section_intro_en": s.intro_en,
            "section_respondent_types": " ".join(s.respondent_types),
        }
        if not s.questions:
            survey_rows.append(
                [s.code if c == "section" else section_cells.get(c, "") for c in SURVEY_COLUMNS]
            )
        for index, q in enumerate(s.questions):
            cells: dict[str, Any] = {
                "section": s.code,
                "code": q.code,
                "type": q.type,
                "text_id": q.text_id,
                "text_en": q.text_en,
                "help_id": q.help_id,
                "help_en": q.help_en,
                "required": "yes" if q.required else "no",
                "dimension": q.dimension,
                "respondent_types": " ".join(q.respondent_types),
                "show_if": instrument_library.format_condition(q.condition),
                "min": _number(q.min_value),
                "max": _number(q.max_value),
            }
            if index == 0:
                cells.update(section_cells)
            survey_rows.append([cells.get(c, "") for c in SURVEY_COLUMNS])
            for c in q.choices:
                choice_rows.append([q.code, c.code, c.label_id, c.label_en, _number(c.score)])
    return {
        "settings": settings_rows,
        "dimensions": dimension_rows,
        "survey": survey_rows,
        "choices": choice_rows,
    }


def _help_rows() -> list[list[str]]:
    types = ", ".join(f"{value} ({label})" for value, label in Question.Type.choices)
    respondents = ", ".join(RespondentType.values)
    return [
        [_("Instrument workbook")],
        [
            _(
                "Edit the sheets settings, dimensions, survey and choices, then upload the file on the instrument list to make a new draft version. This sheet is ignored on upload."
            )
        ],
        [""],
        [_("Question types: %(types)s.") % {"types": types}],
        [
            _("Respondent types (respondent_types, group): %(types)s; empty means every type.")
            % {"types": respondents}
        ],
        [
            _(
                "required: yes or no. show_if: “question = answer”, “question in a,b” or “question not_in a,b”, referring to an earlier choice question."
            )
        ],
        [
            _(
                "Likert questions have exactly 4, 5 or 6 choices; yes/no questions have the choice codes yes and no; a scored question (any choice with a score) needs a dimension."
            )
        ],
        [_("Text starting with =, + or @ is refused, so that no cell runs as a formula.")],
    ]


def export_version(version: InstrumentVersion) -> bytes:
    """The version as a workbook in the layout above, ready to edit and upload again."""
    sheets = data_sheets(instrument_library.version_data(version))
    return write_workbook(
        [
            *(Sheet(name, sheets[name]) for name in SHEETS),
            Sheet("help", _help_rows(), header=False),
        ]
    )


def json_from_data(data: InstrumentData) -> dict[str, Any]:
    """The JSON form of the layout (as the shipped files are written); empty cells are left out."""
    sheets = data_sheets(data)

    def objects(name: str) -> list[dict[str, Any]]:
        header, *rows = sheets[name]
        return [
            {k: v for k, v in zip(header, row, strict=True) if v not in ("", None)} for row in rows
        ]

    return {
        "settings": {k: v for k, v in sheets["settings"][1:] if v},
        "dimensions": [{k: v for k, v in d.items() if k != "order"} for d in objects("dimensions")],
        "survey": objects("survey"),
        "choices": objects("choices"),
    }


def export_filename(version: InstrumentVersion) -> str:
    return f"{version.instrument.code}-v{version.number}.xlsx"
