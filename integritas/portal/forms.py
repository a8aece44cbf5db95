from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from integritas.followup import ratelimit
from integritas.followup.models import ActionPlan, Feedback, Recommendation
from integritas.followup.models.feedback import COMMENT_MAX_CHARS
from integritas.lib.formatting import format_number
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


class FeedbackForm(forms.Form):
    """A citizen's feedback on one action. ``website`` is a honeypot: people never see it (it
    is hidden from screens and screen readers), so a form that fills it is a robot's. ``once``
    is the form's one-time token. Length and photo rules are the service's, so that a form sent
    around the page's limits gets the same answers."""

    seen = forms.ChoiceField(
        label=_("Do you see this action done?"),
        choices=Feedback.Seen.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether you see the action done: yes, partly or no."),
            "invalid_choice": _("Say whether you see the action done: yes, partly or no."),
        },
    )
    comment = forms.CharField(
        label=_("Your comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_CHARS}),
        help_text=_(
            "What did you see, where and when? At most %(n)s characters. Do not write names or "
            "personal details: comments are shown on the portal once approved."
        ),
    )
    photo = forms.FileField(
        label=_("A photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "JPEG, PNG or WebP, at most %(mb)d MB. Its hidden details (place, camera, time) are "
            "removed before it is stored."
        ),
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)
    once = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, values in (
            ("comment", {"n": format_number(COMMENT_MAX_CHARS, 0, get_language() or "id")}),
            ("photo", {"mb": settings.FOLLOWUP_FEEDBACK_PHOTO_MAX_MB}),
        ):
            self.fields[name].help_text = str(self.fields[name].help_text) % values
        if not self.is_bound:
            self.initial.setdefault("once", ratelimit.new_form_token())
