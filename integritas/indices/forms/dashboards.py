"""Forms of the index dashboards."""

from __future__ import annotations

from django import forms

from integritas.indices.services.dashboards import ALL_TYPES, SORTS
from integritas.lib.forms import FilterForm


class WaveDashboardFilterForm(FilterForm):
    """The respondent type and the ranking order of a wave's dashboard: ``?type=&sort=``. The
    dashboard itself falls back to all respondents for a type the wave has no results for."""

    type = forms.CharField(initial=ALL_TYPES)
    sort = forms.ChoiceField(choices=[(sort, sort) for sort in SORTS], initial="-score")
