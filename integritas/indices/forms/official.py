"""Forms of the official SPI pages: institutions, national figures and the two imports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.indices.imports.official import FIRST_YEAR, MAX_FILE_BYTES, RESERVED_CODES
from integritas.indices.models import Institution, NationalFigure
from integritas.lib.forms import FilterForm


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["code", "name", "kind", "size_class", "province", "is_own"]
        help_texts = {
            "code": _("Short code used in import files: letters, digits, dashes, e.g. kab-bekasi."),
            "name": _("Full name as KPK writes it, e.g. Kabupaten Bekasi."),
            "is_own": _(
                "Tick for the government this installation follows up; its results are shown on "
                "the SPI overview. Only one institution can be ticked."
            ),
        }

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].lower()
        if code in RESERVED_CODES:
            raise ValidationError(_("This code is reserved; choose another."))
        if Institution.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another institution has this code."))
        return code

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


def _score_field(label: Any, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        localize=True,
    )


class NationalFigureForm(forms.ModelForm):
    """The national figures of one year, with KPK's average per institution type when published."""

    average_city = _score_field(_("Average of cities"))
    average_regency = _score_field(_("Average of regencies"))
    average_province = _score_field(_("Average of provinces"))
    average_ministry = _score_field(_("Average of ministries and agencies"))

    class Meta:
        model = NationalFigure
        fields = ["year", "index", "respondents", "respondents_collected", "institutions", "source"]
        localized_fields = ["index"]

    KIND_FIELDS = {
        Institution.Kind.CITY: "average_city",
        Institution.Kind.REGENCY: "average_regency",
        Institution.Kind.PROVINCE: "average_province",
        Institution.Kind.MINISTRY: "average_ministry",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, name in self.KIND_FIELDS.items():
            value = (self.instance.averages_by_kind or {}).get(kind)
            if value is not None:
                self.initial[name] = Decimal(str(value))
        self.fields["index"].help_text = _("The national SPI index of that year, 0–100.")

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        last = timezone.localdate().year
        if not FIRST_YEAR <= year <= last:
            raise ValidationError(
                _("The year must be between %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": last}
            )
        return year

    def clean_index(self) -> Decimal:
        index = self.cleaned_data["index"]
        if not Decimal(0) <= index <= Decimal(100):
            raise ValidationError(_("The index must be between 0 and 100."))
        return index

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        collected, used = data.get("respondents_collected"), data.get("respondents")
        if collected is not None and used is not None and used > collected:
            self.add_error("respondents", _("More respondents cannot be used than were collected."))
        return data

    def values(self) -> dict[str, Any]:
        """The cleaned values in the shape of the model (averages as one mapping)."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.Meta.fields}
        values["averages_by_kind"] = {
            kind.value: float(data[name])
            for kind, name in self.KIND_FIELDS.items()
            if data.get(name) is not None
        }
        return values


class _UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class InstitutionImportForm(_UploadForm):
    dry_run = forms.BooleanField(label=_("Check only, do not import"), required=False)


class ResultImportForm(_UploadForm):
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        help_text=_(
            "Where the figures come from, e.g. “KPK, SPI 2024 release”. Used for rows without a "
            "source column."
        ),
    )


class ResultConfirmForm(forms.Form):
    """The second step of the result import: the checked file, signed by the server."""

    token = forms.CharField(widget=forms.HiddenInput)


class InstitutionFilterForm(FilterForm):
    """The filters of the list of institutions: ``?q=&kind=&size=&year=&order=``. The year is
    one of the years with results (the view falls back to the latest)."""

    q = forms.CharField()
    kind = forms.ChoiceField(choices=[("", _("All types")), *Institution.Kind.choices])
    size = forms.ChoiceField(choices=[("", _("All sizes")), *Institution.Size.choices])
    year = forms.IntegerField(min_value=0)
    order = forms.ChoiceField(
        choices=[("name", _("By name")), ("index", _("Highest index first"))], initial="name"
    )
