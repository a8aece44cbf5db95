"""Forms for the tree of work units."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integritas.core.models import (
    Unit,
    User,
)
from integritas.lib.forms import ActiveFilterForm


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "type", "parent", "size_class", "head", "address", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["head"].queryset = User.objects.filter(is_active=True).order_by("name")  # type: ignore[attr-defined]
        self.fields["code"].help_text = _(
            "Capital letters, digits, dots and dashes, e.g. DINKES or 1.02.01."
        )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent = data.get("parent")
        if (
            parent is not None
            and self.instance.pk is not None
            and self.instance.would_cycle(parent)
        ):
            self.add_error(
                "parent", _("A unit cannot be placed under itself or under one of its sub-units.")
            )
        return data


class UnitImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    update_existing = forms.BooleanField(
        label=_("Update units whose code already exists"), required=False
    )
    dry_run = forms.BooleanField(label=_("Check only, do not import"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class UnitFilterForm(ActiveFilterForm):
    """The filters of the list of units: ``?q=&type=&status=``."""

    q = forms.CharField()
    type = forms.ChoiceField(choices=[("", _("All types")), *Unit.Type.choices])
