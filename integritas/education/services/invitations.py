"""Invitations to an event: who is invited, the official letter (undangan) and the personal
registration links.

Invitees are work units (the letter is addressed to the unit's head, whose name and email are
copied when the unit is invited) or external guests, entered one by one or imported from a
spreadsheet with the import kit (all or nothing, every bad row reported). Each invitee has a
personal link: a signed token naming the invitee, which opens the event's registration form with
their details filled in (the event need not be public) and marks the invitee as registered.

The audit trail counts invitees and names units by code; it never holds a guest's name or
contacts (``models`` on personal data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.core.models import Government, Unit, User
from integritas.education.models import (
    AudienceGroup,
    AuditAction,
    Event,
    InvitationLetter,
    Invitee,
    Registration,
)
from integritas.education.services import registration as registrations
from integritas.lib import pdf
from integritas.lib.formatting import format_nip
from integritas.lib.imports import (
    Cells,
    Column,
    Importer,
    ImportReport,
    read_or_report,
    run_import,
)

LINK_SALT = "integritas.education.invitation"


# --- personal links ----------------------------------------------------------------------------


def link_token(invitee: Invitee) -> str:
    """The signed token of the invitee's personal registration link (not guessable: it names a
    random id, under a signature only this server can make)."""
    return signing.dumps(str(invitee.public_id), salt=LINK_SALT)


def from_token(token: str) -> Invitee:
    """The invitee a token names; ``Invitee.DoesNotExist`` for a forged or unknown one."""
    try:
        public_id = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature as exc:
        raise Invitee.DoesNotExist from exc
    return Invitee.objects.select_related("event", "registration").get(public_id=public_id)


def link_url(invitee: Invitee, base: str) -> str:
    return base.rstrip("/") + reverse("education-invitation-register", args=[link_token(invitee)])


def prefill(invitee: Invitee) -> dict[str, Any]:
    """What the registration form starts with for this invitee."""
    return {
        "name": invitee.name,
        "institution": invitee.institution,
        "group": invitee.group,
        "email": invitee.email,
        "phone": invitee.phone,
        "unit": invitee.unit_id,
    }


# --- adding and removing invitees --------------------------------------------------------------


@dataclass(frozen=True)
class Guest:
    """An external invitee as entered or imported."""

    name: str
    institution: str
    group: str
    email: str = ""
    phone: str = ""


def _normal(guest: Guest) -> Guest:
    return Guest(
        guest.name.strip(),
        guest.institution.strip(),
        guest.group,
        guest.email.strip().lower(),
        registrations.normal_phone(guest.phone),
    )


def _clash(event: Event, guest: Guest) -> Invitee | None:
    """An invitee of ``event`` with the same email or phone as ``guest``."""
    live = event.invitees.all()
    if guest.email and (found := live.filter(email__iexact=guest.email).first()):
        return found
    if guest.phone and (found := live.filter(phone=guest.phone).first()):
        return found
    return None


def _record_added(event: Event, *, count: int, by: User | None, units: Sequence[str] = ()) -> None:
    """One event for invitees added at once: how many invitees before and after, and the units
    (by code; a guest's name and contacts stay out of the trail)."""
    after = event.invitees.count()
    changes: dict[str, object] = {"invitees": [after - count, after]}
    if units:
        changes["units"] = [None, list(units)]
    audit.record(AuditAction.INVITEES_ADDED, obj=event, changes=changes, actor=by)


@transaction.atomic
def add_units(*, event: Event, units: Iterable[Unit], by: User | None) -> int:
    """Invite work units; the invitation is addressed to each unit's head (name and email copied
    now). A unit already invited is left as it is. Returns how many were added."""
    invited = set(event.invitees.filter(unit__isnull=False).values_list("unit_id", flat=True))
    added: list[str] = []
    for unit in units:
        if unit.pk in invited:
            continue
        head = unit.head
        with translation.override("id"):  # the letter's language, whoever invites
            addressee = _("Head of %(unit)s") % {"unit": unit.name}
        Invitee.objects.create(
            event=event,
            unit=unit,
            name=(head.get_full_name() if head else "") or addressee,
            institution=unit.name,
            group=AudienceGroup.UNIT_HEAD,
            email=(head.email if head else "") or "",
            invited_by=by,
        )
        invited.add(unit.pk)
        added.append(unit.code)
    if added:
        _record_added(event, count=len(added), by=by, units=added)
    return len(added)


def _checked_guest(event: Event, guest: Guest) -> Guest:
    guest = _normal(guest)
    if not guest.name:
        raise ValidationError({"name": _("Enter the name.")})
    if guest.group not in AudienceGroup.values:
        raise ValidationError({"group": _("Choose an audience group.")})
    if guest.phone and not 8 <= len(guest.phone) <= 15:
        raise ValidationError({"phone": _("Enter a phone number such as 0812 3456 7890.")})
    if _clash(event, guest) is not None:
        raise ValidationError(_("Someone with this email or phone number is already invited."))
    return guest


@transaction.atomic
def add_guest(*, event: Event, guest: Guest, by: User | None) -> Invitee:
    """Invite one external guest; refuses a second invitee with the same email or phone."""
    guest = _checked_guest(event, guest)
    invitee = _create_guest(event, guest, by)
    _record_added(event, count=1, by=by)
    return invitee


def _create_guest(event: Event, guest: Guest, by: User | None) -> Invitee:
    return Invitee.objects.create(
        event=event,
        name=guest.name,
        institution=guest.institution,
        group=guest.group,
        email=guest.email,
        phone=guest.phone,
        invited_by=by,
    )


@transaction.atomic
def remove(*, invitee: Invitee, by: User | None) -> None:
    """Take an invitee off the list (a registration made through the link stays)."""
    event = invitee.event
    before = event.invitees.count()
    changes: dict[str, object] = {"invitees": [before, before - 1]}
    if invitee.unit_id:
        changes["units"] = [[invitee.unit.code], None]  # type: ignore[union-attr]
    invitee.delete()
    audit.record(AuditAction.INVITEE_REMOVED, obj=event, changes=changes, actor=by)


# --- the import ---------------------------------------------------------------------------------

_GROUP_WORDS: dict[str, str] = {value: value for value in AudienceGroup.values} | {
    "kepala_unit": AudienceGroup.UNIT_HEAD,
    "kepala_opd": AudienceGroup.UNIT_HEAD,
    "pejabat": AudienceGroup.OFFICIAL,
    "pegawai": AudienceGroup.STAFF,
    "asn": AudienceGroup.STAFF,
    "dprd": AudienceGroup.LEGISLATOR,
    "legislatif": AudienceGroup.LEGISLATOR,
    "pers": AudienceGroup.PRESS,
    "media": AudienceGroup.PRESS,
    "wartawan": AudienceGroup.PRESS,
    "ormas": AudienceGroup.COMMUNITY,
    "lsm": AudienceGroup.COMMUNITY,
    "organisasi_masyarakat": AudienceGroup.COMMUNITY,
    "pengusaha": AudienceGroup.BUSINESS,
    "dunia_usaha": AudienceGroup.BUSINESS,
    "swasta": AudienceGroup.BUSINESS,
    "mahasiswa": AudienceGroup.STUDENT,
    "pelajar": AudienceGroup.STUDENT,
    "masyarakat": AudienceGroup.PUBLIC,
    "umum": AudienceGroup.PUBLIC,
}


def _group_key(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _parse_group(text: str) -> str:
    key = _group_key(text)
    labels = {_group_key(str(label)): value for value, label in AudienceGroup.choices}
    with translation.override("id"):
        labels |= {_group_key(str(label)): value for value, label in AudienceGroup.choices}
    found = _GROUP_WORDS.get(key) or labels.get(key)
    if found is None:
        raise ValueError(
            _("Unknown audience group. Use one of: %(groups)s.")
            % {"groups": ", ".join(AudienceGroup.values)}
        )
    return found


def _parse_email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError as exc:
        raise ValueError(_("Enter a valid email address.")) from exc
    return text.lower()


def _parse_phone(text: str) -> str:
    phone = registrations.normal_phone(text)
    if not 8 <= len(phone) <= 15:
        raise ValueError(_("Enter a phone number such as 0812 3456 7890."))
    return phone


_NAME_MAX = Invitee._meta.get_field("name").max_length or 150
_INSTITUTION_MAX = Invitee._meta.get_field("institution").max_length or 200

GUEST_IMPORT_COLUMNS: list[Column] = [
    Column("name", True, gettext_lazy("Full name, at most 150 characters."), ("nama",)),
    Column(
        "institution",
        False,
        gettext_lazy("Institution or organisation, at most 200 characters."),
        ("instansi", "lembaga", "organisasi"),
    ),
    Column(
        "group",
        True,
        gettext_lazy(
            "unit_head, official, staff, forkopimda, legislator, press, community, business, "
            "student or public; the Indonesian words (pers, ormas, pengusaha, mahasiswa, "
            "masyarakat, dprd, …) work too."
        ),
        ("kelompok", "golongan", "audience_group"),
        _parse_group,
    ),
    Column(
        "email",
        False,
        gettext_lazy("Email address, to send the link to."),
        ("surel",),
        _parse_email,
    ),
    Column(
        "phone",
        False,
        gettext_lazy("Phone (WhatsApp) number, such as 0812 3456 7890."),
        ("telepon", "hp", "no_hp", "whatsapp", "wa"),
        _parse_phone,
    ),
]


@dataclass
class GuestImportReport(ImportReport):
    added: int = 0


@dataclass(frozen=True)
class _Row:
    number: int
    guest: Guest


def import_guests(
    *, event: Event, data: bytes, filename: str, by: User | None
) -> GuestImportReport:
    """Invite the external guests of a CSV or XLSX file: every row is checked (a missing name or
    group, an unknown group, a bad email or phone, the same email or phone twice in the file or
    already invited), and only a file without a single problem is stored, in one transaction."""
    report = GuestImportReport()
    if len(data) > settings.UPLOAD_MAX_BYTES:
        report.fail_file(
            _("The file is larger than the limit of %(mb)d MB.")
            % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
        return report

    def parse_row(cells: Cells) -> _Row | None:
        problems = report.problem_count
        name, institution = cells.get("name"), cells.get("institution")
        if not name:
            cells.fail("name", "", _("The name is required."))
        elif len(name) > _NAME_MAX:
            cells.fail("name", name, _("At most %(n)d characters.") % {"n": _NAME_MAX})
        if len(institution) > _INSTITUTION_MAX:
            cells.fail(
                "institution", institution, _("At most %(n)d characters.") % {"n": _INSTITUTION_MAX}
            )
        group = cells.parse(GUEST_IMPORT_COLUMNS[2])
        if group is None and not cells.get("group"):
            cells.fail("group", "", _("The audience group is required."))
        email = cells.parse(GUEST_IMPORT_COLUMNS[3]) or ""
        phone = cells.parse(GUEST_IMPORT_COLUMNS[4]) or ""
        if report.problem_count > problems:
            return None
        return _Row(cells.number, Guest(name, institution, group, email, phone))

    def check(rows: list[_Row]) -> None:
        seen: dict[str, int] = {}
        for row in rows:
            for column, value in (("email", row.guest.email), ("phone", row.guest.phone)):
                if not value:
                    continue
                key = f"{column}:{value}"
                if key in seen:
                    report.fail(
                        row.number,
                        column,
                        value,
                        _("Also on row %(row)d: each invitee once.") % {"row": seen[key]},
                    )
                    continue
                seen[key] = row.number
                if _clash(event, Guest("", "", "", **{column: value})) is not None:
                    report.fail(row.number, column, value, _("Already invited to this event."))

    def apply(rows: list[_Row]) -> None:
        for row in rows:
            _create_guest(event, row.guest, by)
        report.added = len(rows)
        _record_added(event, count=len(rows), by=by)

    importer: Importer[_Row, GuestImportReport] = Importer(
        columns=GUEST_IMPORT_COLUMNS,
        parse_row=parse_row,
        check=check,
        apply=apply,
        empty_message=gettext_lazy("The file has no invitees."),
    )
    return run_import(
        table=read_or_report(data, filename, report), report=report, importer=importer
    )


# --- registering through the link ---------------------------------------------------------------


class AlreadyRegistered(Exception):
    """The invitee has registered through the link already."""

    def __init__(self, registration: Registration) -> None:
        super().__init__(registration.pk)
        self.registration = registration


def register(*, invitee: Invitee, person: registrations.Person) -> Registration:
    """Register an invitee through their personal link and mark them registered. The event
    need not be public; a registration already made with the same email or phone (on the public
    page) is taken as theirs (``registration.DuplicateRegistration`` still tells the page)."""
    duplicate: registrations.DuplicateRegistration | None = None
    with transaction.atomic():
        locked = Invitee.objects.select_for_update().get(pk=invitee.pk)
        current = locked.registration
        if current is not None and current.is_live:
            raise AlreadyRegistered(current)
        try:
            registration = registrations.register(event=locked.event, person=person, invited=True)
        except registrations.DuplicateRegistration as exc:
            duplicate = exc
            registration = exc.existing
            if hasattr(registration, "invitation"):  # another invitee's: not theirs to claim
                raise
        locked.registration = registration
        locked.save(update_fields=["registration"])
    invitee.registration = registration
    if duplicate is not None:
        raise duplicate
    return registration


# --- the invitee list, the letter and the emails ------------------------------------------------


def invitees(event: Event) -> list[Invitee]:
    """The invitees, units first (by code), then guests in the order they were invited."""
    found = event.invitees.select_related("unit", "registration")
    return sorted(found, key=lambda i: (not i.is_internal, i.unit.code if i.unit else "", i.pk))


def counts(event: Event) -> dict[str, int]:
    every = invitees(event)
    registered = sum(1 for i in every if i.has_registered)
    return {
        "total": len(every),
        "registered": registered,
        "not_registered": len(every) - registered,
    }


def letter_initial(event: Event) -> dict[str, object]:
    """The letter form's values: the saved letter, or proposals (today, the government's signing
    place and report number pattern, a subject from the event)."""
    letter = InvitationLetter.objects.filter(event=event).first()
    if letter is not None:
        return {
            "number": letter.number,
            "letter_date": letter.letter_date,
            "place": letter.place,
            "subject": letter.subject,
            "note": letter.note,
        }
    government = Government.current()
    today = timezone.localdate()
    return {
        "number": government.proposed_report_number(today) if government else "",
        "letter_date": today,
        "place": government.signing_place if government else "",
        "subject": _("Invitation: %(title)s") % {"title": event.title},
    }


@transaction.atomic
def save_letter(
    *,
    event: Event,
    number: str,
    letter_date: dt.date,
    place: str,
    subject: str,
    note: str,
    signer: User,
    by: User | None,
) -> InvitationLetter:
    """Store the letter's number, date, place, subject and signer (as printed today)."""
    letter = InvitationLetter.objects.filter(event=event).first() or InvitationLetter(event=event)
    before = letter.number or None
    letter.number, letter.letter_date, letter.place = number.strip(), letter_date, place.strip()
    letter.subject, letter.note = subject.strip(), note.strip()
    letter.signer_name = signer.get_full_name()
    letter.signer_position = signer.position or ""
    letter.signer_nip = format_nip(signer.nip) if signer.nip else ""
    letter.updated_at = timezone.now()
    letter.full_clean()
    letter.save()
    audit.record(
        AuditAction.INVITATION_LETTER_SAVED,
        obj=event,
        changes={"letter_number": [before, letter.number]},
        actor=by,
    )
    return letter


def letter_pdf(event: Event, letter: InvitationLetter) -> bytes:
    """The undangan on the letterhead: number, date and place, addressees, the event's details,
    the signer, then an attachment page listing every invitee."""
    every = invitees(event)
    context = {
        "event": event,
        "letter": letter,
        "invitees": every,
        "units": [i for i in every if i.is_internal],
        "guests": [i for i in every if not i.is_internal],
        "letter_signer": pdf.Signer(letter.signer_name, letter.signer_position, letter.signer_nip),
        "same_day": timezone.localdate(event.starts_at) == timezone.localdate(event.ends_at),
    }
    return pdf.render_pdf(
        "education/invitation_letter.html", context, government=Government.current()
    )


def email_links(*, event: Event, base: str, by: User | None) -> int:
    """Email each invitee who has an email address and has not registered their personal link
    (after the commit). Returns how many emails are sent."""
    with transaction.atomic():
        due = [i for i in invitees(event) if i.email and not i.has_registered]
        if not due:
            return 0
        now = timezone.now()
        Invitee.objects.filter(pk__in=[i.pk for i in due]).update(emailed_at=now)
        audit.record(
            AuditAction.INVITATIONS_EMAILED,
            obj=event,
            changes={"emails": [None, len(due)]},
            actor=by,
        )
        messages = [_invitation_email(invitee, base) for invitee in due]
        transaction.on_commit(lambda: [message.send() for message in messages])
    return len(due)


def _invitation_email(invitee: Invitee, base: str) -> EmailMessage:
    event = invitee.event
    letter = InvitationLetter.objects.filter(event=event).first()
    context = {"invitee": invitee, "event": event, "letter": letter, "url": link_url(invitee, base)}
    with translation.override("id"):
        subject = _("Invitation: %(title)s") % {"title": event.title}
        body = render_to_string("education/email/invitation.txt", context)
    return EmailMessage(subject=subject, body=body, to=[invitee.email])
