"""Forms for the government's details and its fiscal years."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integritas.core.models import (
    FiscalYear,
    Government,
)

ALLOWED_EMBLEM_TYPES = {"PNG", "JPEG", "GIF", "WEBP"}


class GovernmentForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Government
        fields = [
            "name",
            "kind",
            "province",
            "address",
            "phone",
            "email",
            "website",
            "emblem",
            "signing_place",
            "report_number_pattern",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_emblem(self) -> Any:
        emblem = self.cleaned_data.get("emblem")
        if emblem and hasattr(emblem, "image"):
            if emblem.size > 2 * 1024 * 1024:
                raise ValidationError(_("The emblem may be at most 2 MB."))
            if emblem.image.format not in ALLOWED_EMBLEM_TYPES:
                raise ValidationError(_("The emblem must be a PNG, JPEG, GIF or WebP image."))
        return emblem


class FiscalYearForm(forms.ModelForm):
    class Meta:
        model = FiscalYear
        fields = ["year", "starts_on", "ends_on", "status"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
