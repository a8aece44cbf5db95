"""Forms of the prevention pages: the public gratification checker (a GET form whose field
names are the API's parameters) and the administrators' rule-set forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from integritas.core.models import Unit
from integritas.lib.forms import FilterForm
from integritas.prevention.gratification import Gift
from integritas.prevention.models import (
    Category,
    Decision,
    EventKind,
    ExemptionRule,
    LhkpnReportType,
    ObjectKind,
    Relation,
    ReportKind,
    ReportStatus,
    RuleSet,
)
from integritas.prevention.services.attachments import Upload
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


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files under one name, each optional; the service judges their content."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in (super(MultipleFileField, self).clean(d, initial) for d in items) if f]


ATTACHMENTS_HELP = _(
    "Photos (JPEG, PNG, WebP) or PDF documents, for example a photo of the gift or the giver's "
    "letter. Hidden details (location, camera, author) are removed before they are stored."
)


def uploads_of(items: list[UploadedFile]) -> list[Upload]:
    """The files as the service takes them (their bytes; the names the device gave them)."""
    return [Upload(name=f.name or "", content=f.read()) for f in items]


class AttachmentForm(forms.Form):
    attachments = MultipleFileField(label=_("Photos or documents"), help_text=ATTACHMENTS_HELP)


class ReportForm(forms.Form):
    """A gratification report as the employee files it. The service checks the dates and values
    against each other (``services/reports.submit``); the form only reads them."""

    kind = forms.ChoiceField(label=_("Report of"), choices=ReportKind.choices)
    giver = forms.CharField(label=_("Giver"), max_length=200)
    relation = forms.ChoiceField(label=_("Relation to the giver"), choices=Relation.choices)
    event = forms.ChoiceField(label=_("Occasion"), choices=EventKind.choices)
    object_kind = forms.ChoiceField(label=_("Kind of object"), choices=ObjectKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    value = forms.IntegerField(
        label=_("Estimated value (Rp)"),
        help_text=_("Whole Rupiah; 0 for a refused gift of no known value."),
    )
    location = forms.CharField(
        label=_("Where the object is"),
        max_length=300,
        help_text=_(
            "For example: kept by the recipient, handed to the UPG, returned to the giver."
        ),
    )
    received_on = forms.DateField(
        label=_("Date of receipt (or of the offer refused)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reported_on = forms.DateField(
        label=_("Date of report"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    chronology = forms.CharField(
        label=_("Chronology"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How, when and where the gift was given or offered."),
    )
    confidential = forms.BooleanField(
        label=_("Keep my identity confidential"),
        required=False,
        help_text=_("Only the UPG will see who reported."),
    )
    attachments = MultipleFileField(label=_("Photos or documents"), help_text=ATTACHMENTS_HELP)


class PaperReportForm(ReportForm):
    """A paper report typed in by the UPG: the reporter is named, not signed in."""

    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=200)
    reporter_unit = forms.ModelChoiceField(
        label=_("Reporter's unit"), queryset=Unit.objects.all(), required=False
    )
    confidential = forms.BooleanField(
        label=_("The reporter asked for confidentiality"),
        required=False,
        help_text=_("Only the UPG will see who reported."),
    )

    field_order = ["reporter_name", "reporter_unit", "confidential"]


class StepForm(forms.Form):
    """What a step of the UPG's workflow records; the view keeps the fields of its step."""

    reason = forms.CharField(
        label=_("What must be completed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    gol_reference = forms.CharField(label=_("GOL reference"), max_length=100, required=False)
    forwarded_on = forms.DateField(
        label=_("Forwarded on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decision = forms.ChoiceField(
        label=_("KPK's decision"), choices=[("", "—"), *Decision.choices], required=False
    )
    decree_number = forms.CharField(label=_("Decree number"), max_length=100, required=False)
    decree_date = forms.DateField(
        label=_("Decree date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    handover_receipt = forms.CharField(
        label=_("Handover receipt number"), max_length=100, required=False
    )

    FIELDS = {
        "return": ["reason"],
        "resubmit": ["reason"],
        "forward": ["gol_reference", "forwarded_on"],
        "decide": ["decision", "decree_number", "decree_date"],
        "hand_over": ["handover_receipt"],
    }

    def __init__(self, *args: Any, step: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = self.FIELDS.get(step, [])
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class RegisterFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ReportStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all(), required=False)
    month = forms.DateField(
        label=_("Month reported"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


# --- LHKPN ---------------------------------------------------------------------------------------


class LhkpnFilterForm(FilterForm):
    """The register's filters: year, unit, report type, whether filed, and a search."""

    FILED_CHOICES = [
        ("", _("All")),
        ("no", _("Not filed (nothing or a draft)")),
        ("yes", _("Filed")),
        ("complete", _("Complete")),
        ("rejected", _("Rejected")),
    ]

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=[])
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    report_type = forms.ChoiceField(
        label=_("Report type"), choices=[("", _("All")), *LhkpnReportType.choices]
    )
    filed = forms.ChoiceField(label=_("Filed"), choices=FILED_CHOICES)
    q = forms.CharField(label=_("Search"), max_length=100)

    def __init__(self, *args: Any, years: list[int], units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [("", _("All")), *((y, str(y)) for y in years)]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units


class LhkpnSpecialForm(forms.Form):
    report_type = forms.ChoiceField(
        label=_("Report type"),
        choices=[
            (LhkpnReportType.INITIAL, LhkpnReportType.INITIAL.label),
            (LhkpnReportType.FINAL, LhkpnReportType.FINAL.label),
        ],
    )
    event_date = forms.DateField(
        label=_("Date of appointment or leaving"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    nip = forms.CharField(label=_("NIP"), max_length=18, required=False)
    nik = forms.CharField(
        label=_("NIK"), max_length=16, required=False, help_text=_("Only without a NIP.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.filter(is_active=True))
    decree_number = forms.CharField(label=_("Decree number"), max_length=100, required=False)


class LhkpnImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class LhkpnDecreeForm(LhkpnImportForm):
    decree_number = forms.CharField(label=_("Decree number"), max_length=100)


class LhkpnPositionsForm(forms.Form):
    titles = forms.CharField(
        label=_("Positions that must file"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One position per line, written as in the people register."),
    )


class LhkpnYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class RecapForm(forms.Form):
    """The period of the recap for KPK (dates of report, both included)."""

    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period cannot be before its start."))
        return data


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for unpublishing"), widget=forms.Textarea(attrs={"rows": 2})
    )
