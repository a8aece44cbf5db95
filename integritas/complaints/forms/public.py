"""Forms of the public report pages: the report, the receipt, the reply.

The forms check what a reporter can correct on the page (a choice missing, a field too long, a
receipt mistyped); ``services.submit_report`` and ``services.reporter_reply`` have the last word
(the 5W1H rules, the files judged by their content), and their errors are shown on the same
fields.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from integritas.complaints.models import CONTENT_FIELDS, Category, Channel
from integritas.complaints.services import intake
from integritas.complaints.services import public as services
from integritas.complaints.services.attachments import Upload
from integritas.core.models import Unit, User
from integritas.lib import crypto

UNKNOWN_UNIT = "unknown"


class Identity:
    ANONYMOUS = "anonymous"
    CONFIDENTIAL = "confidential"
    OPEN = "open"


IDENTITY_CHOICES = [
    (
        Identity.ANONYMOUS,
        _("Anonymously: I do not give my name (recommended if you are unsure)"),
    ),
    (
        Identity.CONFIDENTIAL,
        _(
            "With my name, kept confidential: only the identity custodians can read my name, "
            "not the people who handle the report"
        ),
    ),
    (
        Identity.OPEN,
        _("With my name: the people who handle the report can read my name and contact me"),
    ),
]

CONTENT_LABELS = {
    "what": _("What happened?"),
    "who": _("Who was involved?"),
    "where": _("Where did it happen?"),
    "when": _("When did it happen?"),
    "why": _("Why do you think it happened?"),
    "how": _("How did it happen?"),
}
CONTENT_HELP = {
    "what": _("Describe the events in your own words: what was asked, given, promised or done."),
    "who": _(
        "Names, positions or descriptions of the people involved, and of any witnesses. "
        "Do not write your own name here if you want to stay anonymous."
    ),
    "where": _("The office, counter, place or address."),
    "when": _("A date, or as close as you know (for example: the second week of March 2026)."),
    "why": _("What you think the reason or purpose was, if you know it."),
    "how": _("How it was done: in person, by phone, by message, through someone else, how much."),
}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files under one name (from one or several file inputs), each optional."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in (super(MultipleFileField, self).clean(d, initial) for d in items) if f]


def uploads(files: list[UploadedFile]) -> list[Upload]:
    """The files as the service takes them (their bytes; the names the device gave them)."""
    return [Upload(name=f.name or "", content=f.read()) for f in files]


def _unit_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("Choose…")),
        (UNKNOWN_UNIT, _("I do not know, or it is not in the list")),
        *((str(u.public_id), u.name) for u in intake.units()),
    ]


def _official_label(user: User) -> str:
    parts = [user.name or user.get_username()]
    if user.position:
        parts.append(user.position)
    if user.unit is not None:
        parts.append(user.unit.name)
    return " — ".join(parts)


def _official_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("Nobody in particular, or not in the list")),
        *((str(u.public_id), _official_label(u)) for u in intake.officials()),
    ]


def _content_field(name: str, *, rows: int) -> forms.CharField:
    return forms.CharField(
        label=CONTENT_LABELS[name],
        help_text=CONTENT_HELP[name],
        required=False,
        max_length=services.MAX_FIELD_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.Form):
    """The public report form (no account). Anonymous unless the reporter chooses otherwise."""

    channel = forms.ChoiceField(
        label=_("What do you want to report?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you want to report.")},
    )
    category = forms.ChoiceField(
        label=_("What kind of problem is it?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of problem.")},
    )
    unit = forms.ChoiceField(
        label=_("Which office or unit is it about?"),
        error_messages={"required": _("Choose a unit, or “I do not know”.")},
    )
    official = forms.ChoiceField(
        label=_("Is it about one of these officials?"),
        required=False,
        help_text=_(
            "If you choose someone, that person and the people of their unit will not be able "
            "to read your report. Anyone else you can name under “Who was involved?”."
        ),
    )
    about_leadership = forms.BooleanField(
        label=_(
            "It is about the Inspectorate or the leadership (the mayor or regent, the deputy, "
            "the regional secretary)"
        ),
        required=False,
        help_text=_(
            "Then the Inspectorate does not receive your report: it goes only to a separate "
            "group of handlers appointed for such reports."
        ),
    )
    # Which of the 5W1H fields are needed depends on the channel (``clean``).
    what = _content_field("what", rows=6)
    who = _content_field("who", rows=3)
    where = _content_field("where", rows=2)
    when = _content_field("when", rows=2)
    why = _content_field("why", rows=3)
    how = _content_field("how", rows=3)
    attachments = MultipleFileField(label=_("Evidence (optional)"))
    identity = forms.ChoiceField(
        label=_("Do you want to give your name?"),
        choices=IDENTITY_CHOICES,
        initial=Identity.ANONYMOUS,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    contact = forms.CharField(
        label=_("How can we reach you? (phone or email)"), required=False, max_length=200
    )
    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices()  # type: ignore[attr-defined]
        self.fields["official"].choices = _official_choices()  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("once", intake.new_form_token())

    def required_for(self, channel: str) -> tuple[str, ...]:
        """The 5W1H fields a channel needs ("what" always, even before a channel is chosen)."""
        return tuple(services.REQUIRED[Channel(channel)]) if channel else ("what",)

    def content_fields(self) -> list[tuple[forms.BoundField, bool]]:
        """The 5W1H fields with whether each is required for a whistleblowing report (the form
        says so; a complaint needs only "what")."""
        needed = set(services.REQUIRED[Channel.WHISTLEBLOWING])
        return [(self[name], name in needed) for name in CONTENT_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel = data.get("channel") or ""
        for name in self.required_for(channel):
            if not (data.get(name) or "").strip() and name not in self.errors:
                self.add_error(name, _("Please fill this in."))
        unit = data.get("unit")
        if unit and unit != UNKNOWN_UNIT:
            data["unit_object"] = _by_public_id(intake.units(), unit)
            if data["unit_object"] is None:
                self.add_error("unit", _("Choose a unit from the list."))
        else:
            data["unit_object"] = None
        official = data.get("official")
        data["official_object"] = None
        if official:
            data["official_object"] = _by_public_id(intake.officials(), official)
            if data["official_object"] is None:
                self.add_error("official", _("Choose an official from the list."))
        if data.get("identity") in (Identity.CONFIDENTIAL, Identity.OPEN):
            if not (data.get("name") or "").strip() and not (data.get("contact") or "").strip():
                self.add_error(
                    "name",
                    _("Write your name or a way to reach you, or choose to report anonymously."),
                )
        return data

    def submission(self) -> dict[str, Any]:
        """The keyword arguments of ``services.submit_report``, files included."""
        data = self.cleaned_data
        identity = None
        if data["identity"] in (Identity.CONFIDENTIAL, Identity.OPEN):
            identity = {"name": data.get("name", ""), "contact": data.get("contact", "")}
        return {
            "channel": data["channel"],
            "category": data["category"],
            "unit": data["unit_object"],
            "official": data["official_object"],
            "about_leadership": bool(data.get("about_leadership")),
            "fields": {name: data.get(name) or "" for name in CONTENT_FIELDS},
            "identity": identity,
            "confidential": data["identity"] == Identity.CONFIDENTIAL,
            "attachments": uploads(data.get("attachments") or []),
        }


def _by_public_id(queryset: QuerySet[Any], value: str) -> Any:
    """The row of ``queryset`` with this public id, or None (also for a malformed id)."""
    try:
        public_id = uuid.UUID(value)
    except ValueError:
        return None
    return queryset.filter(public_id=public_id).first()


class ReceiptForm(forms.Form):
    """The receipt, typed with or without spaces."""

    receipt = forms.CharField(
        label=_("Your receipt"),
        max_length=40,
        help_text=_("The 16 digits you were given when you sent your report."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "spellcheck": "false",
                "placeholder": "1234 5678 9012 3456",
            }
        ),
        error_messages={"required": _("Enter your receipt.")},
    )

    def clean_receipt(self) -> str:
        typed = self.cleaned_data["receipt"]
        digits = "".join(ch for ch in typed if ch not in " -.\u00a0\t")
        if len(digits) != crypto.RECEIPT_DIGITS or not (digits.isascii() and digits.isdigit()):
            raise ValidationError(
                _("A receipt has 16 digits. You typed %(n)d characters besides spaces.")
                % {"n": len(digits)}
            )
        try:
            return crypto.normalise_receipt(digits)
        except crypto.MalformedReceipt as exc:
            raise ValidationError(
                _(
                    "One of the digits seems to be mistyped, or two digits are swapped. "
                    "Check the receipt and try again."
                )
            ) from exc


class ReplyForm(forms.Form):
    """The reporter answers the handlers: a message and/or files."""

    text = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=services.MAX_FIELD_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label=_("Add files (optional)"))
    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("once", intake.new_form_token())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("attachments"):
            if "text" not in self.errors:
                self.add_error("text", _("Write a message or add a file."))
        return data


def unit_label(unit: Unit | None) -> str:
    return unit.name if unit is not None else str(_("Not known"))
