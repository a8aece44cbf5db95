"""Forms of the education pages: events (staff), registration (public), check-in (staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from integritas.core.models import Unit
from integritas.core.signers import SignerChoiceField, default_signer, signers
from integritas.education.models import AudienceGroup, Event, Kind, Registration, Theme
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
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")


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
