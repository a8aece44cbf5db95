"""Who signs an official document (DOMAIN.md §9: name, title and NIP under the text): the
choice offered on every report form, and the default, the inspector general."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from integritas.core import policy
from integritas.core.models import Role, User


def signers_for(user: Any) -> QuerySet[User]:
    """Who may sign: the inspector general(s), or anyone the user can see who has a NIP."""
    with_nip = policy.scope(user, User).exclude(nip__isnull=True).exclude(nip="")
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_assignments__role=Role.INSPECTOR_GENERAL, role_assignments__unit__isnull=True)
            | Q(pk__in=with_nip.values("pk"))
        )
        .distinct()
        .order_by("name")
    )


def default_signer() -> User | None:
    """The inspector general (the first active one with the government-wide role)."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.INSPECTOR_GENERAL,
            role_assignments__unit__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def signer_initial() -> dict[str, Any]:
    """Initial form values: the default signer preselected."""
    signer = default_signer()
    return {"signer": signer.public_id} if signer else {}


class SignerForm(forms.Form):
    signer = forms.ModelChoiceField(
        queryset=User.objects.none(),
        to_field_name="public_id",
        label=_("Signed by"),
        help_text=_("The inspector general, or another official with an employee number (NIP)."),
        required=False,
        empty_label=_("Inspector general (default)"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = signers_for(user)
