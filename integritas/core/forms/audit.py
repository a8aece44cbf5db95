"""Filters for the audit trail page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.lib.forms import FilterForm


class AuditFilterForm(FilterForm):
    """An unknown object type or action or a date that does not parse is ignored; a date range
    that ends before it starts is an error. The choices are labelled in the reader's language."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    actor = forms.CharField(label=_("Actor"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self,
        *args: Any,
        object_types: list[tuple[str, str]] | None = None,
        actions: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All")), *(object_types or [])]  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", _("All")), *(actions or [])]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data["date_from"] and data["date_to"] and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data
