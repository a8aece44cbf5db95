"""Forms of the education pages: events (staff), registration (public), check-in (staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from integritas.core.models import Unit
from integritas.core.signers import SignerChoiceField, default_signer, signers
from integritas.education.models import (
    INTERNAL_GROUPS,
    AudienceGroup,
    Event,
    Kind,
    Phase,
    Question,
    QuestionKind,
    Registration,
    Theme,
)
from integritas.education.services.assessment import MAX_OPTIONS
from integritas.education.services.registration import Person
from integritas.lib.forms import FilterForm

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Online link"), required=False, max_length=200, assume_scheme="https"
    )
    audience = forms.MultipleChoiceField(
        label=_("Audience groups"),
        choices=AudienceGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to open the event to every group."),
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "theme",
            "description",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "organiser",
            "audience",
            "capacity",
            "speakers",
            "registration_open",
        ]
        widgets = {
            "starts_at": DATETIME_INPUT,
            "ends_at": DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
            "speakers": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Unit.objects.filter(is_active=True).order_by("code")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        if not data.get("venue") and not data.get("online_url"):
            self.add_error("venue", _("Give a venue, an online link, or both."))
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MaterialForm(forms.Form):
    """A link or a file (one of the two)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https", required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "Or a file instead of a link: PDF, office document or image, at most %(mb)s MB. A "
            "photo's metadata (camera, place, time) is removed before it is stored."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "mb": settings.EDUCATION_MATERIAL_MAX_MB
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("url") and not cleaned.get("file") and not self.errors:
            raise ValidationError(_("Give a link or choose a file."))
        if cleaned.get("url") and cleaned.get("file"):
            raise ValidationError(_("Give either a link or a file, not both."))
        return cleaned


class EvaluationForm(forms.Form):
    """The instrument of an event's evaluation survey: the one shipped with education unless
    staff choose another published instrument."""

    version = forms.TypedChoiceField(
        label=_("Questionnaire"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Published instruments of the survey library. The default is a short evaluation "
            "of the event (seven statements on a 1–4 scale and a suggestion)."
        ),
    )

    def __init__(self, *args: Any, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {v.pk: v for v in versions}
        field = self.fields["version"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Evaluation of the event (shipped with Integritas)"))] + [
            (v.pk, f"{v.instrument.text('title')} (v{v.number})") for v in versions
        ]

    def chosen(self) -> Any:
        """The chosen instrument version, or None for the shipped one."""
        pk = self.cleaned_data.get("version")
        return self.versions.get(pk) if pk is not None else None


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the event's history."),
    )


class RevokeCertificateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Kept with the certificate and in the event's history; not shown to the public."
        ),
    )


class InviteUnitsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Work units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The invitation is addressed to the head of each unit."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(is_active=True).order_by("code")  # type: ignore[attr-defined]


class GuestForm(forms.Form):
    """An external invitee; email and phone are optional (the link can be passed on by hand)."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    group = forms.ChoiceField(label=_("Audience group"), choices=AudienceGroup.choices)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone (WhatsApp)"), max_length=30, required=False)


class GuestImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))


class InviteeFilterForm(FilterForm):
    q = forms.CharField()
    kind = forms.ChoiceField(
        choices=[("", _("All")), ("unit", _("Work units")), ("guest", _("External invitees"))]
    )
    registered = forms.ChoiceField(
        choices=[("", _("All")), ("yes", _("Registered")), ("no", _("Not registered yet"))]
    )


class InvitationLetterForm(forms.Form):
    number = forms.CharField(label=_("Letter number"), max_length=100)
    letter_date = forms.DateField(
        label=_("Letter date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    note = forms.CharField(
        label=_("Additional note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed after the event's details (dress code, what to bring, a contact)."),
    )
    signer = SignerChoiceField(
        label=_("Signed by"),
        queryset=Unit.objects.none(),
        to_field_name="public_id",
        help_text=_("People allowed to sign reports; the administrator marks them on their page."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = signers()
        signer = default_signer()
        if signer is not None and "signer" not in self.initial:
            self.initial["signer"] = signer.public_id


class EvidenceLinkForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Follow-up activity"),
        help_text=_("Open activities of action plans being carried out."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]


class EventFilterForm(FilterForm):
    q = forms.CharField()
    kind = forms.ChoiceField(choices=[("", _("All")), *Kind.choices])
    theme = forms.ChoiceField(choices=[("", _("All")), *Theme.choices])
    public = forms.ChoiceField(
        choices=[
            ("", _("All")),
            ("yes", pgettext_lazy("registration page", "Public")),
            ("no", _("Not public")),
        ]
    )
    when = forms.ChoiceField(
        choices=[("", _("All")), ("upcoming", _("Upcoming")), ("past", _("Past"))]
    )


class ParticipantFilterForm(FilterForm):
    q = forms.CharField()
    group = forms.ChoiceField(choices=[("", _("All")), *AudienceGroup.choices])
    status = forms.ChoiceField(choices=[("", _("All")), *Registration.Status.choices])
    present = forms.ChoiceField(
        choices=[("", _("All")), ("yes", _("Checked in")), ("no", _("Not checked in"))]
    )


class PersonForm(forms.Form):
    """Who registers: name, institution, group, and an email and/or a phone number."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    group = forms.ChoiceField(label=_("You come as"), choices=AudienceGroup.choices)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone (WhatsApp)"), max_length=30, required=False)
    unit = forms.ModelChoiceField(
        label=_("Work unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("For unit heads, officials and staff of the local government."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organiser keeps my name, institution, group and contact details "
            "to run this event and report on it, as the personal data protection law "
            "(UU 27/2022) allows."
        ),
    )

    def __init__(
        self,
        *args: Any,
        event: Event | None = None,
        groups: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``groups``: the groups offered instead of the event's audience (an invitee's own group
        is offered beside the audience)."""
        super().__init__(*args, **kwargs)
        allowed = groups or (event.audience if event is not None else None)
        if allowed:
            self.fields["group"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in AudienceGroup.choices if value in allowed
            ]
        if allowed and not set(allowed) & set(INTERNAL_GROUPS):
            del self.fields["unit"]  # nobody from inside the government can register
        else:
            units = Unit.objects.filter(is_active=True).order_by("name")
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not (data.get("phone") or "").strip():
            raise ValidationError(_("Give an email address or a phone number (or both)."))
        return data

    def person(self) -> Person:
        d = self.cleaned_data
        return Person(
            name=d["name"],
            institution=d.get("institution") or "",
            group=d["group"],
            email=d.get("email") or "",
            phone=d.get("phone") or "",
            unit=d.get("unit") if d["group"] in INTERNAL_GROUPS else None,
        )


class RegistrationForm(PersonForm):
    # A field people never see (hidden by the stylesheet, labelled to be left empty for screen
    # readers); form-filling robots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )


# --- Pre- and post-tests -------------------------------------------------------------------------

OPTION_FIELDS = tuple(f"option_{i}" for i in range(1, MAX_OPTIONS + 1))


class QuestionForm(forms.Form):
    """A question of the bank. A single-choice question lists its options and names the correct
    one by number; a true/false question says which is right."""

    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    kind = forms.ChoiceField(
        label=_("Question type"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to participants after they submit the test."),
    )
    option_1 = forms.CharField(label=_("Option 1"), max_length=300, required=False)
    option_2 = forms.CharField(label=_("Option 2"), max_length=300, required=False)
    option_3 = forms.CharField(label=_("Option 3"), max_length=300, required=False)
    option_4 = forms.CharField(label=_("Option 4"), max_length=300, required=False)
    option_5 = forms.CharField(label=_("Option 5"), max_length=300, required=False)
    option_6 = forms.CharField(label=_("Option 6"), max_length=300, required=False)
    correct = forms.TypedChoiceField(
        label=_("Correct option (single choice)"),
        choices=[(str(i), str(i)) for i in range(1, MAX_OPTIONS + 1)],
        coerce=int,
        required=False,
    )
    truth = forms.ChoiceField(
        label=_("The statement is (true or false)"),
        choices=[("true", _("True")), ("false", _("False"))],
        required=False,
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_question(cls, question: Question) -> QuestionForm:
        initial: dict[str, Any] = {
            "theme": question.theme,
            "kind": question.kind,
            "text": question.text,
            "explanation": question.explanation,
        }
        choices = list(question.choices.all())
        right = next((i for i, c in enumerate(choices) if c.is_correct), 0)
        if question.kind == QuestionKind.TRUE_FALSE:
            initial["truth"] = "true" if right == 0 else "false"
        else:
            initial["correct"] = right + 1
            for name, choice in zip(OPTION_FIELDS, choices, strict=False):
                initial[name] = choice.text
        return cls(initial=initial)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == QuestionKind.TRUE_FALSE:
            if not data.get("truth"):
                self.add_error("truth", _("Say whether the statement is true or false."))
        elif not data.get("correct"):
            self.add_error("correct", _("Choose the correct option among those given."))
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("theme", "kind", "text", "explanation")}

    def options(self) -> list[str]:
        """The options as numbered (blank ones in between are kept, so the number stays right)."""
        texts = [self.cleaned_data.get(name) or "" for name in OPTION_FIELDS]
        while texts and not texts[-1].strip():
            texts.pop()
        return texts

    def correct_index(self) -> int:
        if self.cleaned_data["kind"] == QuestionKind.TRUE_FALSE:
            return 0 if self.cleaned_data["truth"] == "true" else 1
        return int(self.cleaned_data["correct"]) - 1


class QuestionFilterForm(FilterForm):
    q = forms.CharField()
    theme = forms.ChoiceField(choices=[("", _("All")), *Theme.choices])


class TestForm(forms.Form):
    """The event's test: the questions picked from the bank and the pass rule for certificates."""

    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"),
        queryset=Question.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    certificate_needs_pass = forms.BooleanField(
        label=_("Certificates only for participants who pass the post-test"), required=False
    )
    pass_mark = forms.IntegerField(
        label=_("Pass mark"),
        min_value=0,
        max_value=100,
        initial=70,
        help_text=_("The lowest post-test score (0–100) that passes."),
    )

    def __init__(self, *args: Any, theme: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The event's theme first, then the rest of the bank.
        field = self.fields["questions"]
        field.queryset = Question.objects.order_by(  # type: ignore[attr-defined]
            models.Case(models.When(theme=theme, then=0), default=1), "theme", "created_at", "pk"
        )
        field.label_from_instance = lambda q: f"[{q.get_theme_display()}] {q.text}"  # type: ignore[attr-defined]


class ScoreImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class TestTicketForm(forms.Form):
    """The participant's ticket code, and which test when both are open."""

    ticket = forms.CharField(
        label=_("Ticket code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("The code on your ticket, such as 7KQ2-MXD9-4TAB."),
    )
    phase = forms.ChoiceField(label=_("Test"), choices=Phase.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, phases: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["phase"]
        field.choices = [(v, label) for v, label in Phase.choices if v in phases]  # type: ignore[attr-defined]
        if len(phases) == 1:
            field.initial = phases[0]
            field.widget = forms.HiddenInput()


class EventReportForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        help_text=_("Why the event was held."),
    )
    basis = forms.CharField(
        label=_("Basis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        help_text=_(
            "The letters or rules the event follows up, with their number and date (for "
            "example the KPK letter on the SPI follow-up)."
        ),
    )
    summary = forms.CharField(
        label=_("Summary of the proceedings"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("What was presented and discussed, and the evaluation."),
    )
    commitments = forms.CharField(
        label=_("Follow-up commitments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text=_("One per line; printed as a numbered list."),
    )
    signer = SignerChoiceField(
        label=_("Signed by"),
        queryset=Unit.objects.none(),
        to_field_name="public_id",
        help_text=_("People allowed to sign reports; the administrator marks them on their page."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = signers()
        signer = default_signer()
        if signer is not None and "signer" not in self.initial:
            self.initial["signer"] = signer.public_id


class ReportPhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_(
            "JPEG, PNG or WebP. Its metadata (camera, place, time) is removed before it is stored."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
