"""Forms of the weak-point pages: the list's filters and the decisions an inspector takes on a
weak point."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.indices.models import WeakPoint
from integritas.lib.forms import FilterForm


class RequestForm(forms.Form):
    """Ask the follow-up process for a recommendation."""

    note = forms.CharField(
        label=_("Note for the recommendation (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what the recommendation should address first."),
    )
    confirm = forms.BooleanField(
        label=_("Create a recommendation request for this weak point"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class DismissForm(forms.Form):
    """Close a weak point without a recommendation, saying why."""

    reason = forms.CharField(
        label=_("Why does this weak point need no recommendation?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for dismissing this weak point.")},
    )
    confirm = forms.BooleanField(
        label=_("Dismiss this weak point"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class WeakPointFilterForm(FilterForm):
    """The filters of the ranked list: ``?wave=&unit=&dimension=&q=&reason=&status=&still_weak=&level=``."""

    wave = forms.CharField()
    unit = forms.CharField()
    dimension = forms.CharField()
    q = forms.CharField()
    reason = forms.ChoiceField(choices=[("", _("All")), *WeakPoint.Reason.choices])
    status = forms.ChoiceField(choices=[("", _("All")), *WeakPoint.Status.choices])
    still_weak = forms.ChoiceField(choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))])
    level = forms.ChoiceField(
        choices=[("", _("All")), ("dimension", _("Dimension")), ("question", _("Question"))]
    )

    def __init__(self, data: Any = None, *, latest_wave: str | None = None, **kwargs: Any) -> None:
        """``latest_wave``: the wave shown when the query string names none (``?wave=`` with
        nothing shows every wave)."""
        super().__init__(data, **kwargs)
        if latest_wave:
            self.fields["wave"].initial = latest_wave
            self.data = self._with_defaults(self.data)
