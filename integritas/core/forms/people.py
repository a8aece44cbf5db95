"""Forms for people and their roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.core.models import (
    OPTIONALLY_SCOPED_ROLES,
    UNIT_ROLES,
    Role,
    Unit,
    User,
)
from integritas.lib.forms import ActiveFilterForm


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
            "can_sign",
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


class PersonFilterForm(ActiveFilterForm):
    """The filters of the list of people: ``?q=&unit=&role=&status=``."""

    q = forms.CharField()
    unit = forms.CharField()
    role = forms.ChoiceField(choices=[("", _("All roles")), *Role.choices])
