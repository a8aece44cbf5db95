"""Forms of the handlers' pages: keys, status steps, messages, notes, assignment, identity."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.complaints.models import ForwardedTo, Status, Tier
from integritas.complaints.services import sla
from integritas.complaints.services.content import MAX_FIELD_LENGTH
from integritas.lib.forms import FilterForm

# The status filter's value for every status still being handled (``Report.objects.open()``).
OPEN_STATUSES = "open"


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your sign-in password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RecoveryForm(forms.Form):
    recovery_key = forms.CharField(
        label=_("Recovery key"),
        max_length=64,
        help_text=_("The 32 characters you printed or wrote down when you enrolled."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Your current sign-in password"),
        strip=False,
        help_text=_("Your key will be locked with this password from now on."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class StatusForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason or outcome (the reporter will read it)"),
        required=False,
        max_length=MAX_FIELD_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tier = forms.ChoiceField(
        label=_("Kind of handling"), required=False, choices=[("", "—"), *Tier.choices]
    )
    forwarded_to = forms.ChoiceField(
        label=_("Forward to"), required=False, choices=[("", "—"), *ForwardedTo.choices]
    )
    reference = forms.CharField(label=_("Their reference number"), required=False, max_length=200)


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), max_length=MAX_FIELD_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


class AssignForm(forms.Form):
    handler = forms.TypedChoiceField(label=_("Handler"), coerce=int)
    assigned = forms.TypedChoiceField(
        choices=[("1", _("Assign")), ("0", _("Remove"))], coerce=lambda v: v == "1"
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [(p.pk, str(p)) for p in people]  # type: ignore[attr-defined]


class RouteForm(forms.Form):
    """Who an identity custodian gives a report nobody could handle to."""

    handler = forms.TypedChoiceField(label=_("Give the report to"), coerce=int)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [(p.pk, str(p)) for p in people]  # type: ignore[attr-defined]


class IdentityForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the identity needed? (kept in the audit trail)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportFilterForm(FilterForm):
    """The filters of the handlers' report list: ``?status=&due=&mine=&route=`` (``status=open``:
    any status still being handled; ``route``: reports nobody may handle that wait for this
    identity custodian to route them), which the home page's counts link to."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), (OPEN_STATUSES, _("Still being handled")), *Status.choices],
    )
    due = forms.ChoiceField(
        label=_("Deadline"),
        choices=[
            ("", _("Any deadline")),
            (sla.OVERDUE, _("Overdue")),
            (sla.DUE_SOON, _("Due soon")),
        ],
    )
    mine = forms.BooleanField(label=_("Only reports assigned to me"))
    route = forms.BooleanField(label=_("Only reports waiting for me to route"))

    def __init__(self, *args: Any, routing: bool = False, **kwargs: Any) -> None:
        """``routing``: the reader holds reports waiting to be routed; only then is the
        ``route`` filter offered."""
        super().__init__(*args, **kwargs)
        if not routing:
            del self.fields["route"]


class StatisticsFilterForm(FilterForm):
    """The year of the statistics page (``?year=``, four digits); none means every year."""

    year = forms.RegexField(regex=r"^\d{4}$")
