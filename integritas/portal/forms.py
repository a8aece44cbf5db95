from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.followup.models import ActionPlan, Recommendation
from integritas.lib.forms import FilterForm


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for unpublishing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the publication record and in the audit trail."),
    )


class TrackerFilterForm(FilterForm):
    """The follow-up tracker's filters (a bad value is ignored, as on every list)."""

    q = forms.CharField(label=_("Search"), max_length=100)
    unit = forms.CharField(label=_("Unit"), max_length=50)
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("All sources")), *Recommendation.Source.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *ActionPlan.Status.choices]
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: object, years: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]
