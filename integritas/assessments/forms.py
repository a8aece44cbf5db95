"""Forms of the framework pages: the list's filters, the workbook upload, copying into a year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.assessments.models import FrameworkKind, FrameworkStatus
from integritas.lib.forms import FilterForm


class FrameworkFilterForm(FilterForm):
    kind = forms.ChoiceField(choices=[("", gettext_lazy("All")), *FrameworkKind.choices])
    year = forms.IntegerField(min_value=2000, max_value=2100)
    status = forms.ChoiceField(choices=[("", gettext_lazy("All")), *FrameworkStatus.choices])


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Framework workbook (XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class CopyForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("New year"), min_value=2000, max_value=2100)
