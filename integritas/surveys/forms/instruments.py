"""Forms of the instrument builder: instruments, dimensions, sections, questions, uploads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.lib.forms import FilterForm
from integritas.surveys.models import (
    Dimension,
    Instrument,
    InstrumentVersion,
    Question,
    RespondentType,
    Section,
)
from integritas.surveys.services import instrument_library
from integritas.surveys.services.instrument_library import ChoiceData, QuestionData
from integritas.surveys.services.instruments import QUESTION_FIELDS, QUESTION_TEXTS

# Offered when a yes/no or Likert question is saved without choices.
STANDARD_CHOICES: dict[str, list[ChoiceData]] = {
    Question.Type.YESNO: [ChoiceData("yes", "Ya", "Yes"), ChoiceData("no", "Tidak", "No")],
    Question.Type.LIKERT4: [
        ChoiceData("1", "Sangat tidak setuju", "Strongly disagree", Decimal(1)),
        ChoiceData("2", "Tidak setuju", "Disagree", Decimal(2)),
        ChoiceData("3", "Setuju", "Agree", Decimal(3)),
        ChoiceData("4", "Sangat setuju", "Strongly agree", Decimal(4)),
    ],
    Question.Type.LIKERT5: [
        ChoiceData("1", "Sangat tidak setuju", "Strongly disagree", Decimal(1)),
        ChoiceData("2", "Tidak setuju", "Disagree", Decimal(2)),
        ChoiceData("3", "Ragu-ragu", "Neither agree nor disagree", Decimal(3)),
        ChoiceData("4", "Setuju", "Agree", Decimal(4)),
        ChoiceData("5", "Sangat setuju", "Strongly agree", Decimal(5)),
    ],
    Question.Type.LIKERT6: [
        ChoiceData("1", "Sangat tidak setuju", "Strongly disagree", Decimal(1)),
        ChoiceData("2", "Tidak setuju", "Disagree", Decimal(2)),
        ChoiceData("3", "Agak tidak setuju", "Slightly disagree", Decimal(3)),
        ChoiceData("4", "Agak setuju", "Slightly agree", Decimal(4)),
        ChoiceData("5", "Setuju", "Agree", Decimal(5)),
        ChoiceData("6", "Sangat setuju", "Strongly agree", Decimal(6)),
    ],
}


def _check_texts(form: forms.BaseForm, names: list[str]) -> None:
    for name in names:
        problem = instrument_library.formula_problem(str(form.cleaned_data.get(name) or ""))
        if problem:
            form.add_error(name, problem)


def _check_code(form: forms.BaseForm) -> str:
    code = str(form.cleaned_data.get("code") or "").strip()
    problem = instrument_library.code_problem(code)
    if problem:
        raise ValidationError(problem)
    return code


class RespondentTypesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=RespondentType.choices,
            required=False,
            label=gettext_lazy("Respondent types"),
            help_text=gettext_lazy("Leave every box empty to ask every respondent type."),
            **kwargs,
        )


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = ["code", "kind", "title_id", "title_en", "description_id", "description_en"]
        widgets = {
            "description_id": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Waves, imports and indices refer to the code and rely on the kind.
            del self.fields["code"]
            del self.fields["kind"]
        else:
            self.fields["code"].help_text = _(
                "Lower-case letters, digits and dashes, e.g. skm-2026. It cannot change later."
            )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().lower()
        if code in instrument_library.RESERVED_INSTRUMENT_CODES:
            raise ValidationError(
                _("“%(code)s” is reserved; choose another code.") % {"code": code}
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_texts(self, ["title_id", "title_en", "description_id", "description_en"])
        return data


class InstrumentImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Instrument workbook (XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("I am sure"))


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", gettext_lazy("Up")), ("down", gettext_lazy("Down"))]
    )


class DimensionForm(forms.ModelForm):
    group = forms.ChoiceField(
        label=gettext_lazy("Group"),
        required=False,
        choices=[("", "—"), *RespondentType.choices],
        help_text=gettext_lazy("The respondent group this dimension belongs to, if any."),
    )

    class Meta:
        model = Dimension
        fields = ["code", "name_id", "name_en", "group", "weight"]

    def __init__(self, *args: Any, version: InstrumentVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["code"].help_text = _("For example U1 or INT-TRANSP.")

    def clean_code(self) -> str:
        code = _check_code(self)
        clash = self.version.dimensions.filter(code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("This version already has a dimension with this code."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_texts(self, ["name_id", "name_en"])
        return data


class SectionForm(forms.ModelForm):
    respondent_types = RespondentTypesField()

    class Meta:
        model = Section
        fields = ["code", "title_id", "title_en", "intro_id", "intro_en", "respondent_types"]
        widgets = {
            "intro_id": forms.Textarea(attrs={"rows": 3}),
            "intro_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, version: InstrumentVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version

    def clean_code(self) -> str:
        code = _check_code(self)
        clash = self.version.sections.filter(code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("This version already has a section with this code."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_texts(self, ["title_id", "title_en", "intro_id", "intro_en"])
        return data


def parse_choices(text: str) -> list[ChoiceData]:
    """One choice per line, "code | label_id | label_en | score" (English label and score may be
    left out). Raises ValidationError naming every bad line."""
    choices: list[ChoiceData] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 4:
            errors.append(
                _("Line %(n)d: use at most four parts: code | label_id | label_en | score.")
                % {"n": number}
            )
            continue
        parts += [""] * (4 - len(parts))
        code, label_id, label_en, score_text = parts
        problem = instrument_library.code_problem(code)
        if problem:
            errors.append(_("Line %(n)d: %(problem)s") % {"n": number, "problem": problem})
        if not label_id:
            errors.append(_("Line %(n)d: the label in Indonesian is missing.") % {"n": number})
        for label in (label_id, label_en):
            problem = instrument_library.formula_problem(label) or (
                _("a label may be at most 300 characters long.") if len(label) > 300 else None
            )
            if problem:
                errors.append(_("Line %(n)d: %(problem)s") % {"n": number, "problem": problem})
        score = None
        if score_text:
            try:
                score = instrument_library.parse_decimal(score_text)
            except ValueError as exc:
                errors.append(_("Line %(n)d: %(problem)s") % {"n": number, "problem": exc})
            else:
                if abs(score) >= 10**5 or score != score.quantize(Decimal("0.001")):
                    errors.append(
                        _("Line %(n)d: a score has at most 5 digits and 3 decimals.")
                        % {"n": number}
                    )
        if any(c.code == code for c in choices):
            errors.append(
                _("Line %(n)d: the code %(code)s is used twice.") % {"n": number, "code": code}
            )
        choices.append(ChoiceData(code, label_id, label_en, score))
    if errors:
        raise ValidationError(errors)
    return choices


def choices_text(choices: list[ChoiceData]) -> str:
    lines = []
    for c in choices:
        score = instrument_library.decimal_text(c.score) if c.score is not None else ""
        lines.append(" | ".join([c.code, c.label_id, c.label_en, score]).rstrip(" |"))
    return "\n".join(lines)


class QuestionForm(forms.ModelForm):
    section = forms.ModelChoiceField(label=gettext_lazy("Section"), queryset=Section.objects.none())
    respondent_types = RespondentTypesField()
    show_if = forms.CharField(
        label=gettext_lazy("Show only if"),
        required=False,
        max_length=300,
        help_text=gettext_lazy(
            "Leave empty to always show the question. Otherwise refer to an earlier choice "
            "question: “complained = yes”, “q3 in a,b” or “q3 not_in a”."
        ),
    )
    choices = forms.CharField(
        label=gettext_lazy("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=gettext_lazy(
            "One choice per line, in the order shown: code | label in Indonesian | label in "
            "English | score. The English label and the score may be left out; a question "
            "with scores needs a dimension. Leave empty for the standard yes/no or Likert choices."
        ),
    )

    class Meta:
        model = Question
        # The condition is typed as text (``show_if``) and parsed.
        fields = ["section", *(name for name in QUESTION_FIELDS if name != "condition")]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in QUESTION_TEXTS}

    field_order = [
        "section",
        "code",
        "type",
        "text_id",
        "text_en",
        "help_id",
        "help_en",
        "choices",
        "required",
        "dimension",
        "show_if",
        "respondent_types",
        "min_value",
        "max_value",
    ]

    def __init__(self, *args: Any, version: InstrumentVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["section"].queryset = version.sections.order_by("order", "code")  # type: ignore[attr-defined]
        self.fields["dimension"].queryset = version.dimensions.order_by("order", "code")  # type: ignore[attr-defined]
        self.fields["dimension"].help_text = _("Required when any choice has a score.")
        self.fields["min_value"].help_text = _("Number questions only.")
        self.fields["max_value"].help_text = _("Number questions only.")
        self.fields["code"].help_text = _(
            "Also the column name in response imports and exports, e.g. U1 or q3."
        )
        if self.instance.pk:
            self.initial.setdefault("section", self.instance.section_id)
            self.initial.setdefault(
                "show_if", instrument_library.format_condition(self.instance.condition)
            )
            self.initial.setdefault(
                "choices",
                choices_text(
                    [
                        ChoiceData(c.code, c.label_id, c.label_en, c.score)
                        for c in self.instance.choices.order_by("order", "code")
                    ]
                ),
            )
        self.parsed_choices: list[ChoiceData] = []

    def clean_code(self) -> str:
        code = _check_code(self)
        if code.lower() in instrument_library.RESERVED_QUESTION_CODES:
            raise ValidationError(
                _("%(code)s is a column name of the response import; choose another code.")
                % {"code": code}
            )
        clash = self.version.questions.filter(code__iexact=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(
                _("This version already has a question with this code (ignoring case).")
            )
        return code

    def clean_show_if(self) -> dict[str, Any] | None:
        try:
            return instrument_library.parse_condition(self.cleaned_data.get("show_if") or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def clean_choices(self) -> list[ChoiceData]:
        return parse_choices(self.cleaned_data.get("choices") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_texts(self, ["text_id", "text_en", "help_id", "help_en"])
        if self.errors:
            return data
        choices = data.get("choices") or []
        if not choices and data["type"] in STANDARD_CHOICES:
            choices = list(STANDARD_CHOICES[data["type"]])
        self.parsed_choices = choices
        question = QuestionData(
            code=data["code"],
            type=data["type"],
            text_id=data["text_id"],
            required=data.get("required", False),
            dimension=data["dimension"].code if data.get("dimension") else "",
            respondent_types=list(data.get("respondent_types") or []),
            condition=data.get("show_if"),
            min_value=data.get("min_value"),
            max_value=data.get("max_value"),
            choices=choices,
        )
        for problem in instrument_library.question_problems(question, earlier=self._earlier(data)):
            self.add_error(None, problem)
        return data

    def _earlier(self, data: dict[str, Any]) -> dict[str, QuestionData]:
        """The questions a condition may refer to: those before this one's place in the version
        (the end of the chosen section for a new or moved question)."""
        section = data["section"]
        earlier: dict[str, QuestionData] = {}
        questions = self.version.questions.select_related("section").prefetch_related("choices")
        ordered = sorted(
            questions, key=lambda q: (q.section.order, q.section.code, q.order, q.code)
        )
        stays = self.instance.pk is not None and self.instance.section_id == section.pk
        for q in ordered:
            if q.pk == self.instance.pk:
                if stays:
                    break
                continue
            if (q.section.order, q.section.code) > (section.order, section.code):
                break
            earlier[q.code] = QuestionData(
                code=q.code,
                type=q.type,
                text_id=q.text_id,
                choices=[ChoiceData(c.code, c.label_id) for c in q.choices.all()],
            )
        return earlier

    def service_values(self) -> dict[str, Any]:
        """The cleaned values in the shape the question services take."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in QUESTION_FIELDS if name != "condition"}
        values["condition"] = data.get("show_if")
        values["respondent_types"] = list(data.get("respondent_types") or [])
        return values


class InstrumentFilterForm(FilterForm):
    """The filters of the instrument library: ``?q=&kind=``."""

    q = forms.CharField()
    kind = forms.ChoiceField(choices=[("", gettext_lazy("All")), *Instrument.Kind.choices])
