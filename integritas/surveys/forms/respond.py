"""Forms of the respondent pages: one page of questions, the start form, the resume form.

``SectionForm`` is built from the compiled ``Schema`` (what is asked, conditions, validation) and
the question rows (wording in the active language via ``text()``). Django fields give friendly,
translated messages; ``Schema.clean`` has the last word on every value, so what a respondent can
save is exactly what the importer would accept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.surveys.models import Question, RespondentType, Section
from integritas.surveys.schema import (
    CHOICE_TYPES,
    TEXT_LIMITS,
    AnswerError,
    QuestionSpec,
    Schema,
    SectionSpec,
)

PREFIX = "q"
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
# Types whose wrong input is kept (so the respondent can correct it) rather than dropped.
FREE_INPUT_TYPES = frozenset({"number", "date", "text", "longtext"})

# How each respondent type is put to the respondent (the staff labels are terser).
RESPONDENT_TYPE_CHOICES: dict[str, Any] = {
    RespondentType.INTERNAL: gettext_lazy("I work in this unit (employee)"),
    RespondentType.EXTERNAL: gettext_lazy(
        "I used this unit's services, or worked with it as a supplier"
    ),
    RespondentType.EXPERT: gettext_lazy(
        "I know this unit's work as an expert (auditor, ombudsman, NGO, media, council member)"
    ),
    RespondentType.PUBLIC: gettext_lazy("I am a member of the public"),
}


class NumberField(forms.DecimalField):
    """A number typed the Indonesian way ("12,5") or the browser's way ("12.5")."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


@dataclass(frozen=True)
class Item:
    """One question as the page template draws it."""

    code: str
    field: BoundField
    kind: str
    required: bool

    @property
    def fieldset(self) -> bool:
        """Choice groups are a fieldset with a legend; other inputs have a label."""
        return self.kind in CHOICE_TYPES or self.kind == "multiple"


class SectionForm(forms.Form):
    """The questions of one page that this respondent sees.

    ``displayed`` lists the questions the respondent had on screen (from the page's hidden
    ``shown`` field); by default, those shown given the answers so far. After validation:
    ``page_values`` (what to keep for this page), ``answers`` (all answers, this page included)
    and ``newly_shown`` (questions that an answer on this page has just opened, which the
    respondent has not seen yet: with JavaScript off the page is shown again with them).
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        schema: Schema,
        section: SectionSpec,
        section_row: Section | None = None,
        respondent_type: str,
        questions: Mapping[str, Question],
        answers: Mapping[str, Any],
        displayed: Sequence[str] | None = None,
    ) -> None:
        self.schema = schema
        self.section = section
        self.section_row = section_row  # the page's title and introduction
        self.respondent_type = respondent_type
        self.applicable = [q.code for q in schema.questions_in(section, respondent_type)]
        self.others = {c: v for c, v in answers.items() if c not in section.questions}
        if displayed is None:
            displayed = [
                c
                for c in self.applicable
                if schema.is_shown(schema.questions[c], answers, respondent_type)
            ]
        else:
            wanted = set(displayed)
            displayed = [c for c in self.applicable if c in wanted]
        self.displayed: list[str] = list(displayed)
        initial = {c: answers[c] for c in self.displayed if c in answers}
        super().__init__(data, initial=initial, prefix=PREFIX)
        for code in self.displayed:
            self.fields[code] = self._field(schema.questions[code], questions[code])
        self.page_values: dict[str, Any] = {}
        self.answers: dict[str, Any] = dict(answers)
        self.newly_shown: list[str] = []

    @classmethod
    def bound_to_answers(cls, **kwargs: Any) -> SectionForm:
        """A form filled from saved answers and validated, to show what still needs fixing."""
        answers = kwargs["answers"]
        data: MultiValueDict[str, Any] = MultiValueDict()
        for code, value in answers.items():
            name = f"{PREFIX}-{code}"
            data.setlist(name, [str(v) for v in value] if isinstance(value, list) else [value])
        form = cls(data, **kwargs)
        form.is_valid()
        return form

    # -- fields ----------------------------------------------------------------------------------

    def _field(self, spec: QuestionSpec, question: Question) -> forms.Field:
        help_text = question.text("help")
        common: dict[str, Any] = {"label": question.text("text"), "required": False}
        kind = spec.type
        if kind in CHOICE_TYPES or kind == "multiple":
            choices = [(c.code, c.text("label")) for c in question.choices.all()]
            if kind == "multiple":
                return forms.MultipleChoiceField(
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=help_text or _("Tick every answer that applies."),
                    **common,
                )
            if not spec.required:
                # Without JavaScript a picked radio button cannot be unpicked: offer a way back.
                choices.append(("", _("No answer")))
            return forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect, help_text=help_text, **common
            )
        if kind == "number":
            attrs = {"step": "any", "inputmode": "decimal"}
            return NumberField(
                min_value=spec.min_value,
                max_value=spec.max_value,
                widget=forms.NumberInput(attrs=attrs),
                help_text=help_text or self._range_hint(spec),
                **common,
            )
        if kind == "date":
            hint = _("Write the date as YYYY-MM-DD, for example 2025-08-17.")
            return forms.DateField(
                input_formats=DATE_FORMATS,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                help_text=f"{help_text} {hint}".strip(),
                **common,
            )
        limit = TEXT_LIMITS.get(kind, TEXT_LIMITS["text"])
        hint = _("At most %(limit)d characters.") % {"limit": limit}
        widget = forms.Textarea(attrs={"rows": 6}) if kind == "longtext" else forms.TextInput()
        return forms.CharField(
            max_length=limit, widget=widget, help_text=f"{help_text} {hint}".strip(), **common
        )

    @staticmethod
    def _range_hint(spec: QuestionSpec) -> str:
        low, high = spec.min_value, spec.max_value
        if low is not None and high is not None:
            return _("A number from %(min)s to %(max)s.") % {
                "min": _plain(low),
                "max": _plain(high),
            }
        if low is not None:
            return _("A number of at least %(min)s.") % {"min": _plain(low)}
        if high is not None:
            return _("A number of at most %(max)s.") % {"max": _plain(high)}
        return ""

    # -- validation ------------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        page: dict[str, Any] = {}
        for code in self.displayed:
            value = cleaned.get(code)
            if code in self.errors or value in (None, "", []):
                continue
            try:
                page[code] = self.schema.clean(
                    self.schema.questions[code], value, subject=_("This answer")
                )
            except AnswerError as exc:
                self.add_error(code, exc.message)
        answers = {**self.others, **page}
        for code in self.displayed:
            spec = self.schema.questions[code]
            if not self.schema.is_shown(spec, answers, self.respondent_type):
                # Its condition no longer holds: whatever was entered does not count.
                self.errors.pop(code, None)
                page.pop(code, None)
                answers.pop(code, None)
            elif spec.required and code not in page and code not in self.errors:
                self.add_error(code, _("Please answer this question."))
        kept = dict(page)
        for code in self.errors:
            raw = self.data.get(self.add_prefix(code), "")
            if self.schema.questions[code].type in FREE_INPUT_TYPES and raw not in (None, ""):
                kept[code] = str(raw)  # keep what was typed, so it can be corrected
        self.page_values = kept
        self.answers = {**self.others, **kept}
        self.newly_shown = [
            c
            for c in self.applicable
            if c not in self.displayed
            and self.schema.is_shown(self.schema.questions[c], answers, self.respondent_type)
        ]
        return cleaned

    @property
    def items(self) -> list[Item]:
        return [
            Item(
                code=code,
                field=self[code],
                kind=self.schema.questions[code].type,
                required=self.schema.questions[code].required,
            )
            for code in self.displayed
        ]


def _plain(value: Decimal) -> str:
    """A limit as people write it: 5, not 5.00."""
    return str(value.normalize()) if value == value.to_integral() else str(value)


class StartForm(forms.Form):
    """Which respondent type applies, when the entry offers several."""

    respondent_type = forms.ChoiceField(
        label=gettext_lazy("Which of these describes you?"), widget=forms.RadioSelect
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, types: Sequence[str]) -> None:
        if data is not None and len(types) == 1:
            data = {**{k: data.get(k) for k in data}, "respondent_type": types[0]}
        super().__init__(data)
        field = self.fields["respondent_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t, RESPONDENT_TYPE_CHOICES.get(t, t)) for t in types]
        self.asks_type = len(types) > 1


class ResumeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Resume code"),
        max_length=40,
        help_text=gettext_lazy("The code you wrote down, for example abcd-efgh-jkmn."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
