"""Filter forms: defaults for missing filters, invalid filters ignored, the rest cleaned."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict

from integritas.lib.forms import FilterForm


class ThingFilterForm(FilterForm):
    q = forms.CharField()
    type = forms.ChoiceField(choices=[("", "All"), ("a", "A"), ("b", "B")])
    status = forms.ChoiceField(
        choices=[("active", "Active"), ("inactive", "Inactive"), ("all", "All")],
        initial="active",
    )
    year = forms.IntegerField(min_value=0)
    since = forms.DateField()


class RangeFilterForm(FilterForm):
    date_from = forms.DateField()
    date_to = forms.DateField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data["date_from"] and data["date_to"] and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must not be before the start date.")
        return data


def test_it_cleans_the_filters_given():
    form = ThingFilterForm(QueryDict("q=+kab+&type=a&status=inactive&year=2025&since=2025-01-31"))
    assert form.filters == {
        "q": "kab",
        "type": "a",
        "status": "inactive",
        "year": 2025,
        "since": dt.date(2025, 1, 31),
    }


def test_a_missing_filter_takes_its_initial_value_and_the_others_are_empty():
    form = ThingFilterForm(QueryDict(""))
    assert form.filters == {"q": "", "type": "", "status": "active", "year": None, "since": None}
    assert form["status"].value() == "active"


def test_no_data_at_all_is_the_same_as_an_empty_query_string():
    assert ThingFilterForm().filters == ThingFilterForm(QueryDict("")).filters
    assert ThingFilterForm({"type": "b"}).filters["type"] == "b"


def test_an_empty_filter_is_not_replaced_by_the_default():
    assert ThingFilterForm(QueryDict("status=")).filters["status"] == ""


def test_an_invalid_filter_value_is_ignored_and_reported_nowhere():
    form = ThingFilterForm(QueryDict("type=xyz&status=bogus&year=-3&since=2025-13-45&q=x"))
    assert form.is_valid()
    assert not form.errors
    assert form.filters == {"q": "x", "type": "", "status": "", "year": None, "since": None}


def test_the_query_string_given_is_not_changed():
    params = QueryDict("q=x")
    assert ThingFilterForm(params).filters["status"] == "active"
    assert params.urlencode() == "q=x"


def test_errors_from_a_subclass_clean_are_kept():
    form = RangeFilterForm(QueryDict("date_from=2025-02-01&date_to=2025-01-01"))
    assert not form.is_valid()
    assert "date_to" in form.errors
    assert RangeFilterForm(QueryDict("date_from=nonsense&date_to=2025-01-01")).is_valid()
