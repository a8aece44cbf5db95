"""Forms for waves, populations, invitations and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integritas.core.models import FiscalYear, Unit
from integritas.lib.forms import FilterForm
from integritas.surveys.models import InstrumentVersion, RespondentType, Service, Wave


class WaveForm(forms.ModelForm):
    respondent_types = forms.MultipleChoiceField(
        label=_("Respondent types"),
        choices=RespondentType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Wave
        fields = [
            "title",
            "fiscal_year",
            "opens_on",
            "closes_on",
            "respondent_types",
            "margin_of_error",
            "sample_method",
            "min_group_size",
            "public_links",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = FiscalYear.objects.order_by("-year")  # type: ignore[attr-defined]
        self.fields["margin_of_error"].help_text = _("0.05 means ±5 %; between 0.01 and 0.20.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The closing date must not be before the opening date."))
        return data


class WaveCreateForm(WaveForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        help_text=_("Short and unique, e.g. skm-2026 or integritas-2026."),
    )
    version = forms.ModelChoiceField(
        label=_("Instrument"),
        queryset=InstrumentVersion.objects.filter(
            status=InstrumentVersion.Status.PUBLISHED
        ).select_related("instrument"),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.filter(is_active=True).order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_top_level = forms.BooleanField(
        label=_("All top-level units (Perangkat Daerah)"), required=False
    )

    field_order = [
        "code",
        "title",
        "version",
        "fiscal_year",
        "opens_on",
        "closes_on",
        "respondent_types",
        "all_top_level",
        "units",
    ]

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).lower()
        if Wave.objects.filter(code=code).exists():
            raise ValidationError(_("A wave with this code already exists."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("units") and not data.get("all_top_level"):
            self.add_error("units", _("Choose at least one unit, or all top-level units."))
        return data

    def chosen_units(self) -> list[Unit]:
        units = set(self.cleaned_data.get("units") or [])
        if self.cleaned_data.get("all_top_level"):
            units |= set(Unit.objects.filter(is_active=True, parent__isnull=True))
        return sorted(units, key=lambda u: u.code)


class AddUnitsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.filter(is_active=True).order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Wave.Status.choices)
    reason = forms.CharField(required=False, max_length=500)


class InvitationUploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["unit", "code", "name", "is_active"]

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.order_by("code")  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self.add_error("code", _("This unit already has a service with this code."))


class WaveFilterForm(FilterForm):
    """The filters of the list of waves: ``?q=&status=``."""

    q = forms.CharField()
    status = forms.ChoiceField(choices=[("", _("All")), *Wave.Status.choices])


class ServiceFilterForm(FilterForm):
    """The search of the list of services: ``?q=``."""

    q = forms.CharField()
