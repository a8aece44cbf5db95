"""Who signs an official document and under which number (DOMAIN.md §9: name, title and NIP
under the text): the choice offered on every report form, and the defaults.

Only people marked as allowed to sign (``User.can_sign``, set on their account page) are
offered; the default is the inspector general among them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.core.models import Government, Role, User
from integritas.lib.formatting import person_with_position


def signers() -> QuerySet[User]:
    """Who may sign: the active people with signing authority."""
    return User.objects.filter(is_active=True, can_sign=True).order_by("name")


def default_signer() -> User | None:
    """The inspector general (the first active one with the government-wide role) when they
    may sign."""
    return (
        signers()
        .filter(
            role_assignments__role=Role.INSPECTOR_GENERAL,
            role_assignments__unit__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def proposed_report_number() -> str:
    """The government's report number pattern filled in with today's date ("" without one)."""
    government = Government.current()
    return government.proposed_report_number(timezone.localdate()) if government else ""


def signer_initial() -> dict[str, Any]:
    """Initial form values: the default signer preselected, the proposed report number."""
    initial: dict[str, Any] = {"report_number": proposed_report_number()}
    signer = default_signer()
    if signer:
        initial["signer"] = signer.public_id
    return initial


class SignerChoiceField(forms.ModelChoiceField):
    """A signer shown as "Name — Position (NIP 19700101 199003 1 001)"."""

    def label_from_instance(self, obj: Any) -> str:
        return person_with_position(obj.get_full_name(), obj.position, obj.nip)


class SignerForm(forms.Form):
    signer = SignerChoiceField(
        queryset=User.objects.none(),
        to_field_name="public_id",
        label=_("Signed by"),
        help_text=_("People allowed to sign reports; the administrator marks them on their page."),
        required=False,
        empty_label=_("Inspector general (default)"),
    )
    report_number = forms.CharField(
        label=_("Report number"),
        max_length=100,
        required=False,
        help_text=_("Printed as “Nomor” above the place and date; leave empty for none."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = signers()
