"""Forms of the index dashboards."""

from __future__ import annotations

from django import forms

from integritas.indices.services.dashboards import ALL_TYPES, SORTS
from integritas.lib.forms import FilterForm


class WaveDashboardFilterForm(FilterForm):
    """The respondent type, the level of the unit tree and the ranking order of a wave's
    dashboard: ``?type=&level=&sort=``. The dashboard itself falls back to all respondents for
    a type, and to the top level for a level, that the wave has no results for."""

    type = forms.CharField(initial=ALL_TYPES)
    level = forms.IntegerField(min_value=1, max_value=99)
    sort = forms.ChoiceField(choices=[(sort, sort) for sort in SORTS], initial="-score")
