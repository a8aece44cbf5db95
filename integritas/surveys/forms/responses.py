"""Forms for importing and exporting a wave's responses."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integritas.surveys.imports import responses as response_imports
from integritas.surveys.models import Wave

UPLOAD_EXTENSIONS = (".csv", ".txt", ".xlsx")


class ResponseImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("One row per response, in the layout described on this page."),
    )

    def __init__(self, *args: Any, wave: Wave, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wave = wave
        self.content_hash = ""

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(response_imports.too_large_message(settings.UPLOAD_MAX_BYTES))
        if PurePath(upload.name or "").suffix.lower() not in UPLOAD_EXTENSIONS:
            raise ValidationError(_("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."))
        self.content_hash = response_imports.content_hash(upload.chunks())
        upload.seek(0)
        earlier = response_imports.earlier_import(self.wave, self.content_hash)
        if earlier is not None:
            raise ValidationError(response_imports.duplicate_message(earlier))
        return upload


class ResponseExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("xlsx", _("Excel workbook (XLSX): responses and codebook sheets")),
            ("csv", _("CSV: a ZIP archive with the responses and the codebook")),
        ],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    values = forms.ChoiceField(
        label=_("Answers as"),
        choices=[
            ("codes", _("Answer codes (can be imported again)")),
            ("labels", _("Answer labels in the current language")),
        ],
        initial="codes",
        widget=forms.RadioSelect,
    )
