"""Forms for accounts, government, units, people and roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integritas.core.models import (
    OPTIONALLY_SCOPED_ROLES,
    UNIT_ROLES,
    FiscalYear,
    Government,
    Role,
    Unit,
    User,
)

ALLOWED_EMBLEM_TYPES = {"PNG", "JPEG", "GIF", "WEBP"}


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip().replace(" ", "").lower()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class GovernmentForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Government
        fields = ["name", "kind", "province", "address", "phone", "email", "website", "emblem"]
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


class PersonForm(forms.ModelForm):
    # Longer than 18 so a NIP typed with spaces ("19900101 201503 1 001") reaches clean_nip.
    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        required=False,
        help_text=_("18-digit civil-servant number; leave empty for non-civil-servants."),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "email",
            "nip",
            "position",
            "unit",
            "phone",
            "language",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["email"].required = True

    def clean_nip(self) -> str | None:
        nip = (self.cleaned_data.get("nip") or "").strip().replace(" ", "")
        return nip or None


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.order_by("code"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, unit = data.get("role"), data.get("unit")
        if role in UNIT_ROLES and unit is None:
            self.add_error("unit", _("This role needs a unit."))
        if unit is not None and role not in UNIT_ROLES | OPTIONALLY_SCOPED_ROLES:
            self.add_error(
                "unit", _("This role applies to the whole government; leave the unit empty.")
            )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
