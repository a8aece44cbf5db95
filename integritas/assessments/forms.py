"""Forms of the framework pages: the list's filters, the workbook upload, copying into a year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.assessments.models import (
    Framework,
    FrameworkKind,
    FrameworkStatus,
    LkeStage,
    Method,
    Node,
    ReviewVerdict,
    ThresholdSet,
)
from integritas.core.models import Unit
from integritas.lib.forms import FilterForm


class FrameworkFilterForm(FilterForm):
    kind = forms.ChoiceField(choices=[("", gettext_lazy("All")), *FrameworkKind.choices])
    year = forms.IntegerField(min_value=2000, max_value=2100)
    status = forms.ChoiceField(choices=[("", gettext_lazy("All")), *FrameworkStatus.choices])


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Framework workbook (XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class CopyForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("New year"), min_value=2000, max_value=2100)


# --- The Zona Integritas self-assessment (LKE) ---------------------------------------------------


class LkeFilterForm(FilterForm):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    stage = forms.ChoiceField(choices=[("", gettext_lazy("All")), *LkeStage.choices])


class LkeStartForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=gettext_lazy("Framework"),
        queryset=Framework.objects.active().filter(kind=FrameworkKind.LKE),
    )
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none())
    target = forms.ChoiceField(label=gettext_lazy("Target predicate"))
    held = forms.CharField(
        label=gettext_lazy("Predicates already held"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("For example WBK, when the unit bids for WBBM."),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        codes = ThresholdSet.objects.filter(
            framework__status=FrameworkStatus.ACTIVE, framework__kind=FrameworkKind.LKE
        ).values_list("code", flat=True)
        self.fields["target"].choices = [(c, c) for c in dict.fromkeys(codes)]  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    """One question's answer, with the widget its scoring method needs."""

    answer = forms.CharField(label=gettext_lazy("Answer"), required=False, max_length=20)
    note = forms.CharField(
        label=gettext_lazy("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source_detail = forms.CharField(
        label=gettext_lazy("Where the index was measured"), required=False, max_length=300
    )

    def __init__(self, *args: Any, node: Node, survey: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        if node.method == Method.CHOICE:
            field.widget = forms.RadioSelect(
                choices=[(c.code, f"{c.code}. {c.label}") for c in node.choices.all()]
            )
        elif node.method == Method.YES_NO:
            field.widget = forms.RadioSelect(choices=[("yes", _("Yes")), ("no", _("No"))])
        else:
            hint = _("0–100") if node.method == Method.PERCENT else _("0–4, e.g. 3,60")
            field.widget = forms.TextInput(attrs={"inputmode": "decimal", "placeholder": hint})
            field.help_text = hint
        if not survey:
            del self.fields["source_detail"]


class EvidenceForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    file = forms.FileField(label=gettext_lazy("File"), required=False)
    link = forms.URLField(
        label=gettext_lazy("or a link"), required=False, max_length=500, assume_scheme="https"
    )


class LkeReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=gettext_lazy("Review"), choices=ReviewVerdict.choices, widget=forms.RadioSelect
    )
    adjusted = forms.CharField(
        label=gettext_lazy("Reviewed answer (when adjusted)"), required=False, max_length=20
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the unit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- The MCSP document desk --------------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OpenDeskForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=gettext_lazy("MCSP framework"), queryset=Framework.objects.none()
    )
    upload_deadline = forms.DateTimeField(
        label=gettext_lazy("Upload deadline"), widget=DATETIME_INPUT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.filter(  # type: ignore[attr-defined]
            kind=FrameworkKind.MCSP, status=FrameworkStatus.ACTIVE, assessments__isnull=True
        )


class UploadForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300, required=False)
    file = forms.FileField(label=gettext_lazy("File"))
    valid_from = forms.DateField(label=gettext_lazy("Effective from"), widget=DATE_INPUT)
    valid_to = forms.DateField(
        label=gettext_lazy("Effective until"), widget=DATE_INPUT, required=False
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    valid_from = forms.DateField(label=gettext_lazy("Effective from"), widget=DATE_INPUT)
    valid_to = forms.DateField(
        label=gettext_lazy("Effective until"), widget=DATE_INPUT, required=False
    )


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("ready", gettext_lazy("Ready to upload")),
            ("return", gettext_lazy("Return to the unit")),
        ]
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=2000)


class KpkForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("kpk_upload", gettext_lazy("Uploaded to KPK")),
            ("accept", gettext_lazy("Accepted by KPK")),
            ("reject", gettext_lazy("Rejected by KPK")),
        ]
    )
    on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT, required=False)
    note = forms.CharField(label=gettext_lazy("KPK's note"), required=False, max_length=2000)


class ReopenForm(forms.Form):
    until = forms.DateTimeField(label=gettext_lazy("Reopen until"), widget=DATETIME_INPUT)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea, max_length=2000)


class KpkScoreForm(forms.Form):
    score = forms.CharField(label=gettext_lazy("KPK's published score (0–100)"), max_length=10)
    on = forms.DateField(label=gettext_lazy("Published on"), widget=DATE_INPUT)
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=300,
        help_text=gettext_lazy("Where KPK published it: its portal, a letter's number…"),
    )


class UnitsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units"),
        queryset=Unit.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class StatusSheetForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("KPK status sheet (XLSX or CSV)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class MissingFilterForm(FilterForm):
    area = forms.CharField(max_length=40)
    unit = forms.CharField(max_length=40)
    official = forms.CharField(max_length=300)
