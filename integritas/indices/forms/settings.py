"""Forms for the year-versioned settings of the index methods (docs/index-settings.md).

Each field is checked here with a message a civil servant can act on ("The group weights must
add up to 1; they add up to 0.9."); the engine's own validation runs last as a safety net.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from integritas.indices.engine import GROUPS, ConfigError, validate_config
from integritas.indices.models import MethodSetting
from integritas.indices.services.settings import Method
from integritas.lib.forms import FilterForm

TOLERANCE = Decimal("0.000001")


def decimal_separator() -> str:
    """Indonesian readers write 0,6; English readers 0.6. Input accepts both."""
    return "," if (get_language() or "id").startswith("id") else "."


def number_text(value: Any) -> str:
    """A number as typed in a form field: no trailing zeros, the reader's decimal separator."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal_separator())


def parse_number(text: str) -> Decimal:
    """A number typed with a dot or a decimal comma; ValidationError otherwise."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text.strip()})
    return value


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class NumberField(forms.CharField):
    """A decimal number typed with a dot or a comma, kept as Decimal so sums are exact."""

    def __init__(
        self, *, low: float | None = None, high: float | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)
        self.low, self.high = low, high

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        number = parse_number(text)
        if (self.low is not None and number < Decimal(str(self.low))) or (
            self.high is not None and number > Decimal(str(self.high))
        ):
            raise ValidationError(
                _("Enter a number from %(low)s to %(high)s.")
                % {"low": number_text(self.low), "high": number_text(self.high)}
            )
        return number


def parse_weight_lines(text: str) -> dict[str, Decimal]:
    """Lines "code = weight"; every bad line is reported; weights must add up to 1."""
    weights: dict[str, Decimal] = {}
    errors: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        separator = "=" if "=" in line else ":"
        code, found, raw = line.partition(separator)
        code = code.strip()
        if not found or not code or not raw.strip():
            errors.append(
                _("Line %(n)d: write “code = weight”, for example “D1 = 0.25”.") % {"n": n}
            )
            continue
        try:
            weight = parse_number(raw)
        except ValidationError:
            errors.append(
                _("Line %(n)d: “%(value)s” is not a number.") % {"n": n, "value": raw.strip()}
            )
            continue
        if weight < 0:
            errors.append(_("Line %(n)d: a weight cannot be negative.") % {"n": n})
        if code in weights:
            errors.append(_("Line %(n)d: “%(code)s” is given twice.") % {"n": n, "code": code})
        weights[code] = weight
    if not errors and weights:
        total = sum(weights.values(), Decimal(0))
        if abs(total - 1) > TOLERANCE:
            errors.append(
                _("The weights must add up to 1; they add up to %(total)s.")
                % {"total": number_text(total)}
            )
    if errors:
        raise ValidationError(errors)
    return weights


def weight_lines(weights: Mapping[str, Any] | None) -> str:
    return "\n".join(f"{code} = {number_text(w)}" for code, w in (weights or {}).items())


Band = tuple[str, Decimal, Decimal]


def parse_band_lines(text: str) -> list[Band]:
    """Lines "label; lowest; highest" (a tab works too, for pasting from a spreadsheet)."""
    bands: list[Band] = []
    errors: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("\t", ";").split(";")]
        if len(parts) != 3 or not parts[0]:
            errors.append(
                _(
                    "Line %(n)d: write “label; lowest score; highest score”, for example "
                    "“Waspada; 73; 77.9”."
                )
                % {"n": n}
            )
            continue
        numbers = []
        for raw in parts[1:]:
            try:
                numbers.append(parse_number(raw))
            except ValidationError:
                errors.append(
                    _("Line %(n)d: “%(value)s” is not a number.") % {"n": n, "value": raw}
                )
        if len(numbers) == 2:
            bands.append((parts[0], numbers[0], numbers[1]))
    if errors:
        raise ValidationError(errors)
    if not bands:
        raise ValidationError(_("Write at least one band."))
    return bands


def band_problems(bands: list[Band], precision: int, *, categories: bool = False) -> list[str]:
    """Every reason the bands cannot grade a 0–100 score unambiguously at ``precision``.

    SPI ``categories`` place the exact score by their lower bounds (``engine.integrity.
    spi_category``), so the lowest must start at 0 and nothing is rounded."""
    problems: list[str] = []
    if categories and bands and min(band[1] for band in bands) > 0:
        problems.append(_("The lowest category must start at 0, so that every score has one."))
    step = Decimal(1).scaleb(-precision)
    for label, low, high in bands:
        values = {"label": label, "low": number_text(low), "high": number_text(high)}
        if low > high:
            problems.append(
                _("Band “%(label)s” starts above its end (%(low)s is more than %(high)s).") % values
            )
        if low < 0 or high > 100:
            problems.append(_("Band “%(label)s” (%(low)s–%(high)s) is outside 0–100.") % values)
        if max(decimals_of(low), decimals_of(high)) > precision and categories:
            problems.append(
                _("Band “%(label)s”: write its limits with at most %(n)d decimals.")
                % {**values, "n": precision}
            )
        elif max(decimals_of(low), decimals_of(high)) > precision:
            problems.append(
                _(
                    "Band “%(label)s”: write its limits with at most %(n)d decimals "
                    "(scores are rounded to %(n)d decimals before grading)."
                )
                % {**values, "n": precision}
            )
    labels = [band[0] for band in bands]
    for label in sorted({label for label in labels if labels.count(label) > 1}):
        problems.append(_("The label “%(label)s” is used twice.") % {"label": label})
    if problems:
        return problems
    ordered = sorted(bands, key=lambda band: band[1])
    for (label_a, _low_a, high_a), (label_b, low_b, _high_b) in zip(
        ordered, ordered[1:], strict=False
    ):
        if low_b - high_a < step:
            problems.append(_("Bands “%(a)s” and “%(b)s” overlap.") % {"a": label_a, "b": label_b})
        elif low_b - high_a > step:
            problems.append(
                _(
                    "There is a gap between %(high)s and %(low)s: the band after “%(a)s” "
                    "must start at %(next)s."
                )
                % {
                    "high": number_text(high_a),
                    "low": number_text(low_b),
                    "a": label_a,
                    "next": number_text(high_a + step),
                }
            )
    return problems


def band_lines(bands: Any) -> str:
    return "\n".join(
        f"{label}; {number_text(low)}; {number_text(high)}" for label, low, high in bands
    )


class SettingForm(forms.Form):
    """Fields every method has: the year (when creating), the weak-point threshold, a note."""

    method: ClassVar[str]
    scale: ClassVar[tuple[float, float]] = (0.0, 100.0)

    year = forms.IntegerField(
        label=gettext_lazy("From year"),
        min_value=2000,
        max_value=2100,
        help_text=gettext_lazy("The setting applies from this year until the next setting."),
    )

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = self.scale
        self.fields["weak_threshold"] = NumberField(
            label=_("Weak-point threshold"),
            required=False,
            low=low,
            high=high,
            help_text=self.threshold_help(),
        )
        self.fields["note"] = forms.CharField(
            label=_("Note"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Where the numbers come from, e.g. a decree or a letter."),
        )
        if not creating:
            del self.fields["year"]
        self.config: dict[str, Any] = {}

    def threshold_help(self) -> str:
        return _(
            "A unit's dimension or question scoring below this (0–100) is a weak point. "
            "Leave empty to find weak points only by comparison with the government average."
        )

    @classmethod
    def initial_for(cls, config: Mapping[str, Any]) -> dict[str, Any]:
        """Form values showing a full configuration (defaults or a stored setting).

        Each method's form (below) implements this; ``SettingForm`` itself is never used."""
        raise NotImplementedError

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if MethodSetting.objects.filter(method=self.method, year=year).exists():
            raise ValidationError(
                _(
                    "There is already a setting of this method for %(year)d; change that one instead."
                )
                % {"year": year}
            )
        return year

    def build_config(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The engine configuration from the cleaned fields; each method's form implements it."""
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        config = self.build_config(data)
        if self.errors:
            return data
        try:
            validate_config(self.method, config)
        except ConfigError as exc:
            # The checks above should catch everything; this keeps an engine rule from slipping by.
            raise ValidationError(
                _("The index engine refused these settings: %(detail)s") % {"detail": exc}
            ) from exc
        self.config = config
        return data


def _precision_field(default: int, help_text: Any = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=gettext_lazy("Decimals used for grading"),
        min_value=0,
        max_value=6,
        initial=default,
        help_text=help_text
        or gettext_lazy(
            "Scores are rounded to this many decimals before they get a grade or category; "
            "each band then starts one step (e.g. 0.1) after the previous one ends."
        ),
    )


def _check_bands(
    form: forms.Form, field: str, data: Mapping[str, Any], *, categories: bool = False
) -> list[list[Any]]:
    """The bands as stored, after reporting every problem (needs a valid precision)."""
    bands = data.get(field)
    if bands is None:
        return []
    if data.get("precision") is not None:
        problems = band_problems(bands, data["precision"], categories=categories)
        if problems:
            form.add_error(field, problems)
    return [[label, float(low), float(high)] for label, low, high in bands]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class IntegrityForm(SettingForm):
    method = Method.INTEGRITY

    weight_internal = NumberField(
        label=gettext_lazy("Weight of the internal group (employees)"), low=0, high=1
    )
    weight_external = NumberField(
        label=gettext_lazy("Weight of the external group (service users, vendors)"), low=0, high=1
    )
    weight_expert = NumberField(
        label=gettext_lazy("Weight of the expert group"),
        low=0,
        high=1,
        help_text=gettext_lazy(
            "The three group weights must add up to 1. KPK does not publish its weights; "
            "the default is 0.6 / 0.3 / 0.1."
        ),
    )
    dimension_weights_internal = forms.CharField(
        label=gettext_lazy("Dimension weights inside the internal group"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Optional. One dimension per line, “code = weight”, adding up to 1; list every "
            "dimension of the group. Empty = all dimensions weigh the same."
        ),
    )
    dimension_weights_external = forms.CharField(
        label=gettext_lazy("Dimension weights inside the external group"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional, as above."),
    )
    dimension_weights_expert = forms.CharField(
        label=gettext_lazy("Dimension weights inside the expert group"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional, as above."),
    )
    correction = NumberField(
        label=gettext_lazy("Correction points"),
        low=0,
        high=100,
        help_text=gettext_lazy(
            "Points subtracted from the whole government's index (not from units or respondent "
            "groups) for corruption incidents, complaints and survey integrity problems (KPK "
            "2022: between 0.19 and 16.16). 0 = no correction."
        ),
    )
    categories = forms.CharField(
        label=gettext_lazy("Categories"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One category per line: “label; lowest score; highest score”, e.g. “Waspada; 73; "
            "77.9”. Together they must cover the scores without overlaps or gaps."
        ),
    )
    precision = _precision_field(
        1,
        gettext_lazy(
            "The decimals the category limits are written with: each category starts one step "
            "(e.g. 0.1) after the previous one ends. A score is never rounded: it takes the "
            "highest category whose lowest score it reaches (77.97 is Waspada when Terjaga "
            "starts at 78)."
        ),
    )

    field_order = [
        "year",
        "weight_internal",
        "weight_external",
        "weight_expert",
        "dimension_weights_internal",
        "dimension_weights_external",
        "dimension_weights_expert",
        "correction",
        "categories",
        "precision",
        "weak_threshold",
        "note",
    ]

    @classmethod
    def initial_for(cls, config: Mapping[str, Any]) -> dict[str, Any]:
        initial = {f"weight_{g}": number_text(w) for g, w in config["group_weights"].items()}
        for group in GROUPS:
            initial[f"dimension_weights_{group}"] = weight_lines(
                config["dimension_weights"].get(group)
            )
        initial["correction"] = number_text(config["correction"])
        initial["categories"] = band_lines(config["categories"])
        initial["precision"] = config["precision"]
        return initial

    def clean_categories(self) -> list[Band]:
        return parse_band_lines(self.cleaned_data["categories"])

    def _clean_dimension_weights(self, group: str) -> dict[str, Decimal]:
        return parse_weight_lines(self.cleaned_data[f"dimension_weights_{group}"])

    def clean_dimension_weights_internal(self) -> dict[str, Decimal]:
        return self._clean_dimension_weights("internal")

    def clean_dimension_weights_external(self) -> dict[str, Decimal]:
        return self._clean_dimension_weights("external")

    def clean_dimension_weights_expert(self) -> dict[str, Decimal]:
        return self._clean_dimension_weights("expert")

    def build_config(self, data: Mapping[str, Any]) -> dict[str, Any]:
        weights = {g: data.get(f"weight_{g}") for g in GROUPS}
        given = [w for w in weights.values() if w is not None]
        if len(given) == len(GROUPS):
            total = sum(given, Decimal(0))
            if abs(total - 1) > TOLERANCE:
                self.add_error(
                    "weight_internal",
                    _("The group weights must add up to 1; they add up to %(total)s.")
                    % {"total": number_text(total)},
                )
        return {
            "group_weights": {g: _float(w) for g, w in weights.items()},
            "dimension_weights": {
                g: {code: float(w) for code, w in data[f"dimension_weights_{g}"].items()}
                for g in GROUPS
                if data.get(f"dimension_weights_{g}")
            },
            "correction": _float(data.get("correction")),
            "categories": _check_bands(self, "categories", data, categories=True),
            "precision": data.get("precision"),
        }


class SatisfactionForm(SettingForm):
    method = Method.SATISFACTION

    weights = forms.CharField(
        label=gettext_lazy("Element weights"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text=gettext_lazy(
            "Optional. One element per line, “code = weight”, adding up to 1, with the element "
            "codes of the questionnaire (e.g. U1 … U9). Empty = every element weighs the same "
            "(1/9 each with the nine elements of PermenPANRB 14/2017)."
        ),
    )
    grades = forms.CharField(
        label=gettext_lazy("Service quality grades"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One grade per line on the 25–100 scale: “grade; lowest; highest”, e.g. "
            "“B; 76.61; 88.30”. Together they must cover the scores without overlaps or gaps."
        ),
    )
    precision = _precision_field(2)

    field_order = ["year", "weights", "grades", "precision", "weak_threshold", "note"]

    def threshold_help(self) -> str:
        return _(
            "An element scoring below this (on the 25–100 scale, like the index) is a weak "
            "point; e.g. 76.61 flags everything below grade B. Leave empty to find weak points "
            "only by comparison with the government average."
        )

    @classmethod
    def initial_for(cls, config: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "weights": weight_lines(config["weights"]),
            "grades": band_lines(config["grades"]),
            "precision": config["precision"],
        }

    def clean_weights(self) -> dict[str, Decimal]:
        return parse_weight_lines(self.cleaned_data["weights"])

    def clean_grades(self) -> list[Band]:
        return parse_band_lines(self.cleaned_data["grades"])

    def build_config(self, data: Mapping[str, Any]) -> dict[str, Any]:
        weights = data.get("weights")
        return {
            "weights": {code: float(w) for code, w in weights.items()} if weights else None,
            "grades": _check_bands(self, "grades", data),
            "precision": data.get("precision"),
        }


class ZiPerceptionForm(SettingForm):
    method = Method.ZI_PERCEPTION
    scale = (1.0, 6.0)

    target = NumberField(
        label=gettext_lazy("Target value"),
        required=False,
        low=1,
        high=6,
        help_text=gettext_lazy(
            "The overall IPAK or IPKP result is “met” when it reaches this value, on the answer "
            "scale (1–4, or 1–6). Leave empty for no target."
        ),
    )

    field_order = ["year", "target", "weak_threshold", "note"]

    def threshold_help(self) -> str:
        return _(
            "A unit's area or question scoring below this (on the answer scale, 1–4 or 1–6) is "
            "a weak point. Leave empty to find weak points only by comparison with the "
            "government average."
        )

    @classmethod
    def initial_for(cls, config: Mapping[str, Any]) -> dict[str, Any]:
        target = config["target"]
        return {"target": "" if target is None else number_text(target)}

    def build_config(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {"target": _float(data.get("target"))}


FORMS: dict[str, type[SettingForm]] = {
    Method.INTEGRITY: IntegrityForm,
    Method.SATISFACTION: SatisfactionForm,
    Method.ZI_PERCEPTION: ZiPerceptionForm,
}


class SettingFilterForm(FilterForm):
    """The filter of the list of settings: ``?method=``."""

    method = forms.ChoiceField(choices=[("", gettext_lazy("All")), *Method.choices])
