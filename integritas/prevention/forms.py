"""Forms of the prevention pages: the public gratification checker (a GET form whose field
names are the API's parameters) and the administrators' rule-set forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.prevention.gratification import Gift
from integritas.prevention.models import Category, ExemptionRule, RuleSet
from integritas.prevention.services.checker import MAX_VALUE
from integritas.prevention.services.rules import RULE_FIELDS, RULE_SET_FIELDS

YES_NO = [("false", _("No")), ("true", _("Yes"))]


def _yes_no(label: Any, help_text: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )


class CheckForm(forms.Form):
    """The gift to check. Amounts are whole Rupiah, typed without dots."""

    received_on = forms.DateField(
        label=_("Date of receipt"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    category = forms.ChoiceField(
        label=_("Kind of gift"), choices=Category.choices, widget=forms.RadioSelect
    )
    value = forms.IntegerField(
        label=_("Value (Rp)"),
        min_value=0,
        max_value=MAX_VALUE,
        help_text=_("Whole Rupiah, without dots, e.g. 750000."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    cash = _yes_no(_("Is it money?"), _("Cash, a transfer, a voucher or anything like money."))
    giver_ytd = forms.IntegerField(
        label=_("Already received from the same giver this year (Rp)"),
        min_value=0,
        max_value=MAX_VALUE,
        required=False,
        help_text=_("Leave empty when nothing: counted for gifts from colleagues."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    duty_related = _yes_no(
        _("Is it connected to your office?"),
        _("From someone you serve, a vendor, an auditee, or anyone with an interest in your work."),
    )

    def gift(self) -> Gift:
        data = self.cleaned_data
        return Gift(
            received_on=data["received_on"],
            category=data["category"],
            value=data["value"],
            cash=data["cash"],
            giver_ytd=data["giver_ytd"] or 0,
            duty_related=data["duty_related"],
        )


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = RULE_SET_FIELDS
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in RULE_SET_FIELDS}


class RuleForm(forms.ModelForm):
    class Meta:
        model = ExemptionRule
        fields = RULE_FIELDS

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in RULE_FIELDS}


RuleFormSet = forms.modelformset_factory(ExemptionRule, form=RuleForm, extra=0, can_delete=False)
