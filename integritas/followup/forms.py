"""Forms of the follow-up pages. They check the shape of the input; the services check the rules
(weights, working days, the workflow) and their errors are shown on the same fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.core.models import Unit, User
from integritas.followup.models import (
    ActionPlan,
    Activity,
    Evidence,
    PlanDue,
    PlanStage,
    Recommendation,
    bpk_answer_days,
)
from integritas.followup.services import plans as services
from integritas.lib.forms import FilterForm

# Which reference fields each source asks for (the rest are hidden by the template and cleared).
LETTER_SOURCES = frozenset({Recommendation.Source.KPK_LETTER, Recommendation.Source.SPI})
FINDING_SOURCES = frozenset({Recommendation.Source.BPK, Recommendation.Source.INSPECTORATE})
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def unit_tree(units: Iterable[Unit]) -> list[tuple[Unit, int]]:
    """``units`` in the order of the unit tree (each parent before its children, siblings by
    code) with their depth; a unit whose parent is not among them starts a tree of its own."""
    units = sorted(units, key=lambda u: u.code)
    present = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in present else None
        children.setdefault(parent, []).append(unit)
    ordered: list[tuple[Unit, int]] = []
    stack = [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.pk, [])))
    return ordered


class UnitPicker(forms.CheckboxSelectMultiple):
    """Tick boxes for units in the unit tree's order, with a search box by code or name.

    Without JavaScript the search box's button sends the form back (nothing is saved) and the
    list comes back narrowed to the units that match, the ticked ones always kept; with
    JavaScript ``static/js/unit-picker.js`` filters as one types. ``units`` and ``search`` are
    set by the form.
    """

    template_name = "followup/widgets/unit_picker.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units: Iterable[Unit] = []
        self.search = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = set(context["widget"]["value"])
        needle = self.search.strip().casefold()
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        options = []
        for index, (unit, depth) in enumerate(unit_tree(self.units)):
            checked = str(unit.pk) in chosen
            if not checked and needle and needle not in f"{unit.code} {unit.name}".casefold():
                continue
            options.append(
                {
                    "id": f"{base_id}_{index}",
                    "value": unit.pk,
                    "code": unit.code,
                    "name": unit.name,
                    "depth": min(depth, 5),
                    "checked": checked,
                }
            )
        context["widget"].update(
            options=options, search=self.search, search_id=f"{base_id}_q", chosen=len(chosen)
        )
        return context


class RecommendationForm(forms.ModelForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Target units"),
        queryset=Unit.objects.none(),
        widget=UnitPicker,
        help_text=_("Tick every unit that must act on it; search by code or name."),
    )

    class Meta:
        model = Recommendation
        fields = [
            "source",
            "title",
            "description",
            "reference_number",
            "reference_date",
            "report_received_on",
            "finding",
            "amount_to_recover",
            "year",
            "priority",
        ]
        widgets = {
            "reference_date": DATE_INPUT,
            "report_received_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 5}),
            "finding": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "reference_number": _(
                "KPK letter or audit report number, e.g. B/1838/KSP.007/70-73/04/2024."
            ),
            "finding": _("For audit findings (BPK or Inspectorate): what the audit found."),
            "amount_to_recover": _("For audit findings: Rupiah to be returned to the treasury."),
        }

    def __init__(self, *args: Any, units: Any = None, unit_search: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            units if units is not None else Unit.objects.filter(is_active=True)
        ).order_by("code")
        assert isinstance(field.widget, UnitPicker)
        field.widget.units = field.queryset
        field.widget.search = unit_search
        self.fields["year"].initial = self.fields["year"].initial or timezone.localdate().year
        self.fields["report_received_on"].help_text = _(
            "For BPK findings: the day the audit report was received; the answer is due "
            "%(days)d calendar days later."
        ) % {"days": bpk_answer_days()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        if source in LETTER_SOURCES | FINDING_SOURCES:
            for name in ("reference_number", "reference_date"):
                if not data.get(name):
                    self.add_error(
                        name, _("Give the letter or report number and date for this source.")
                    )
        if source in FINDING_SOURCES and not (data.get("finding") or "").strip():
            self.add_error("finding", _("Describe the audit finding."))
        if source == Recommendation.Source.BPK and not data.get("report_received_on"):
            self.add_error(
                "report_received_on",
                _(
                    "Give the date the BPK audit report was received: the answer is due "
                    "%(days)d days later."
                )
                % {"days": bpk_answer_days()},
            )
        if source != Recommendation.Source.BPK:
            data["report_received_on"] = None
        if source not in FINDING_SOURCES:
            data["finding"] = ""
            data["amount_to_recover"] = Decimal("0")
        year = data.get("year")
        if year is not None and not 2000 <= year <= 2100:
            self.add_error("year", _("Give a year between 2000 and 2100."))
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TlhpForm(forms.Form):
    tlhp = forms.ChoiceField(label=_("Follow-up category"), choices=Recommendation.Tlhp.choices)
    tlhp_reason = forms.CharField(
        label=_("Reason it cannot be followed up"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “tidak dapat ditindaklanjuti”."),
    )
    amount_recovered = forms.DecimalField(
        label=_("Amount recovered (Rp)"), min_value=0, max_digits=16, decimal_places=2
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("tlhp") == Recommendation.Tlhp.TIDAK_DAPAT
            and not (data.get("tlhp_reason") or "").strip()
        ):
            self.add_error("tlhp_reason", _("Say why the recommendation cannot be followed up."))
        return data


class CloseForm(forms.Form):
    """Closing a recommendation: an optional note for the units and the record."""

    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional; the target units read it with the notice that it is closed."),
    )


class ReopenForm(forms.Form):
    """Reopening a closed recommendation: why it was closed by mistake."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The target units and the Inspectorate read it."),
    )

    def clean_reason(self) -> str:
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError(_("Say why the recommendation is reopened."))
        return reason


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "responsible", "output", "due_on", "weight", "order"]
        widgets = {"due_on": DATE_INPUT}
        help_texts = {
            "due_on": _("A working day; weekends, public holidays and collective leave are not."),
            "weight": _("The weights of a plan's activities add up to 100."),
        }
        error_messages = {
            "weight": {
                "min_value": _("A weight is a percentage: more than 0 and at most 100."),
                "max_value": _("A weight is a percentage: more than 0 and at most 100."),
            }
        }

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (people if people is not None else User.objects.none()).order_by("name")

    def clean_due_on(self) -> dt.date:
        due: dt.date = self.cleaned_data["due_on"]
        unchanged = self.instance.pk is not None and self.instance.due_on == due
        if not unchanged and due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyForm(ReasonForm):
    """Verifying a plan: confirming that unfinished activities stay unverified, with a reason."""

    confirm = forms.BooleanField(
        label=_("I confirm that the plan is verified with unfinished activities."), required=False
    )


class ReturnForm(ReasonForm):
    """Returning evidence: the reason, and which of the plan's evidence it concerns."""

    concerned = forms.MultipleChoiceField(
        label=_("Evidence concerned"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the evidence the unit must correct; the unit sees these named."),
    )

    def __init__(
        self, *args: Any, plan: ActionPlan, activity: Activity | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        offered = Evidence.objects.filter(activity__plan=plan)
        if activity is not None:  # returning one activity: only its evidence
            offered = offered.filter(activity=activity)
        self.evidence = {
            str(e.public_id): e
            for e in offered.select_related("activity")
            .prefetch_related("files")
            .order_by("activity__order", "activity__pk", "created_at")
        }
        field = self.fields["concerned"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(key, e.label()) for key, e in self.evidence.items()]

    def chosen(self) -> list[Evidence]:
        return [self.evidence[key] for key in self.cleaned_data.get("concerned", [])]


class ProgressForm(forms.Form):
    progress = forms.DecimalField(
        label=_("Progress (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )


MB = 1024 * 1024


def check_upload(upload: Any) -> Any:
    """The service's upload check (size, type, a name that contradicts the content), run while
    the form is cleaned so its message shows beside the file field with the other errors."""
    try:
        services.check_upload(upload, upload.name or "")
    except ValidationError as error:
        raise forms.ValidationError(error.message_dict["file"]) from error
    return upload


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Evidence.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, image or office document."),
    )
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    effective_from = forms.DateField(label=_("Proves the period from"), widget=DATE_INPUT)
    effective_to = forms.DateField(label=_("until"), required=False, widget=DATE_INPUT)
    publishable = forms.BooleanField(label=_("May be published on the portal"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.UPLOAD_MAX_BYTES // MB
        self.fields["file"].help_text = _(
            "PDF, image or office document, at most %(limit)d MB."
        ) % {"limit": limit}

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        is_file = self.cleaned_data.get("kind") == Evidence.Kind.FILE
        return check_upload(upload) if upload and is_file else upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("The end of the period comes before its start."))
        if data.get("kind") == Evidence.Kind.FILE and not data.get("file"):
            self.add_error("file", _("Choose a file to upload."))
        if data.get("kind") == Evidence.Kind.URL and not data.get("url"):
            self.add_error("url", _("Give the link to the evidence."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "url": data["url"] if data["kind"] == Evidence.Kind.URL else "",
            "effective_from": data["effective_from"],
            "effective_to": data["effective_to"],
            "publishable": data["publishable"],
        }


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version"))

    def clean_file(self) -> Any:
        return check_upload(self.cleaned_data["file"])


class PlanFilterForm(FilterForm):
    """The filters of the monitoring table and the dashboards: ``?year=&source=`` of the
    recommendation."""

    year = forms.IntegerField(min_value=0)
    source = forms.ChoiceField(choices=[("", _("All")), *Recommendation.Source.choices])


class RecommendationFilterForm(PlanFilterForm):
    """The filters of the list of recommendations."""

    q = forms.CharField()
    unit = forms.CharField()
    priority = forms.ChoiceField(choices=[("", _("All")), *Recommendation.Priority.choices])
    status = forms.ChoiceField(choices=[("", _("All")), *Recommendation.Status.choices])
    tlhp = forms.ChoiceField(choices=[("", _("All")), *Recommendation.Tlhp.choices])


class PlanListFilterForm(PlanFilterForm):
    """The filters of the cross-unit list of action plans (``ActionPlanQuerySet.listed``):
    ``?q=&status=&unit=&source=&year=&due=``, which the home page's counts link to."""

    q = forms.CharField()
    status = forms.ChoiceField(
        choices=[("", _("All")), *PlanStage.choices, *ActionPlan.Status.choices]
    )
    unit = forms.CharField()
    due = forms.ChoiceField(choices=[("", _("All")), *PlanDue.choices])
