"""Helpers for Django forms shared by every app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=Model)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on the field it names when the form
    has that field, above the form otherwise (and when it names no field)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class FilterForm(forms.Form):
    """The filters of a list page, read from the query string: ``Form(request.GET)``.

    The form is always bound and no filter is required. A filter missing from the query string
    takes its field's ``initial`` value (a list of units shows the active ones unless asked
    otherwise). A filter given with a value its field rejects (``?type=xyz``, a stale bookmark)
    counts as empty and is ignored rather than reported: the list still shows, unfiltered by it.
    Errors a subclass's ``clean()`` adds after calling ``super().clean()`` are kept.

    ``filters`` holds the cleaned value of every field.
    """

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data={} if data is None else data, **kwargs)
        self.data = self._with_defaults(self.data)
        for field in self.fields.values():
            field.required = False

    def _with_defaults(self, data: Mapping[str, Any]) -> Mapping[str, Any]:
        defaults = {
            name: field.initial
            for name, field in self.fields.items()
            if field.initial is not None
            and field.widget.value_omitted_from_data(data, self.files, self.add_prefix(name))
        }
        if not defaults:
            return data
        if isinstance(data, QueryDict):
            merged = data.copy()
            for name, value in defaults.items():
                values = value if isinstance(value, list | tuple) else [value]
                merged.setlist(self.add_prefix(name), [str(v) for v in values])
            return merged
        return {**data, **{self.add_prefix(name): value for name, value in defaults.items()}}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, field in self.fields.items():
            if name in self.errors:
                del self.errors[name]
                data[name] = field.clean("")
        return data

    @property
    def filters(self) -> dict[str, Any]:
        self.is_valid()  # cleans once; the answer does not matter, bad filters are already empty
        return self.cleaned_data


class ActiveFilterForm(FilterForm):
    """A filter form for records that can be deactivated: ``status`` shows the active ones
    unless the query string asks for the inactive ones or all."""

    status = forms.ChoiceField(
        choices=[("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
        initial="active",
    )

    def filter_status(self, queryset: QuerySet[M]) -> QuerySet[M]:
        status = self.filters["status"]
        if status == "active":
            return queryset.filter(is_active=True)
        if status == "inactive":
            return queryset.filter(is_active=False)
        return queryset
