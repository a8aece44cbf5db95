"""Forms of the working-day calendar pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integritas.core.models import CalendarSettings, Holiday, HolidayYear
from integritas.lib.forms import FilterForm


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name", "name_en", "kind", "source"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class HolidayYearForm(forms.ModelForm):
    class Meta:
        model = HolidayYear
        fields = ["year", "decree", "confirmed", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class HolidayYearEditForm(HolidayYearForm):
    """The year itself is fixed once created; its holidays are keyed by their dates."""

    class Meta(HolidayYearForm.Meta):
        fields = ["decree", "confirmed", "note"]


class CalendarSettingsForm(forms.ModelForm):
    class Meta:
        model = CalendarSettings
        fields = ["collective_leave_is_day_off"]


class HolidayDeleteForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete this day"))
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HolidayImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    decree = forms.CharField(
        label=_("Decree"),
        max_length=300,
        required=False,
        help_text=_("The joint ministerial decree (SKB 3 Menteri) that sets this year's list."),
    )
    confirmed = forms.BooleanField(
        label=_("Every date has been checked against the decree"), required=False
    )
    replace = forms.BooleanField(
        label=_("Replace the year's list if it already has holidays"), required=False
    )
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class WorkingDaysForm(forms.Form):
    """The calculator on the calendar page: a start date plus a number of working days."""

    start = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    days = forms.IntegerField(
        label=_("Working days"),
        min_value=-1000,
        max_value=1000,
        help_text=_("Day 1 is the first working day after the start date."),
    )


class CalendarFilterForm(FilterForm):
    """The year the calendar page shows: ``?year=``."""

    year = forms.IntegerField(min_value=0)
