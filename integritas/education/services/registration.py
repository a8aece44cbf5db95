"""Registration on an event's public page, the ticket sent by email, cancellation by the
participant and the waiting list.

The event row is locked (``select_for_update``) while a place is given or freed, so the count of
confirmed places never passes the capacity and the waiting list moves up in order, however many
people register at once. Two live registrations with the same email or phone at one event are
refused here (``DuplicateRegistration``) and, as a last guard, by unique constraints.

Participants' own actions write no audit event: the trail cannot forget personal data.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import segno
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from integritas.core.models import Unit
from integritas.core.services.notifications import base_url
from integritas.education.models import INTERNAL_GROUPS, Event, Registration
from integritas.education.services import tickets

LINK_SALT = "integritas.education.registration"


class RegistrationClosed(Exception):
    """The event takes no more registrations (closed by the organiser, or over)."""


class DuplicateRegistration(Exception):
    """Someone with this email or phone number is already registered for the event."""

    def __init__(self, existing: Registration) -> None:
        super().__init__(existing.pk)
        self.existing = existing


class AlreadyCheckedIn(Exception):
    """A participant who has come in can no longer cancel."""


@dataclass(frozen=True)
class Person:
    name: str
    institution: str
    group: str
    email: str = ""
    phone: str = ""
    unit: Unit | None = None  # the work unit, kept for internal groups only


def normal_phone(phone: str) -> str:
    """A phone number as digits in international form: ``0812-3456 789`` and ``+62 812 3456789``
    are both ``628123456789``, so the same number is recognised however it is typed."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def checked_person(person: Person) -> Person:
    email = person.email.strip().lower()
    phone = normal_phone(person.phone)
    if not email and not phone:
        raise ValidationError(_("Give an email address or a phone number (or both)."))
    if person.phone.strip() and not 8 <= len(phone) <= 15:
        raise ValidationError({"phone": _("Enter a phone number such as 0812 3456 7890.")})
    unit = person.unit if person.group in INTERNAL_GROUPS else None
    return Person(person.name.strip(), person.institution.strip(), person.group, email, phone, unit)


def find_duplicate(event: Event, person: Person) -> Registration | None:
    """The live registration at ``event`` with the same email or phone, if there is one."""
    match = Q()
    if person.email:
        match |= Q(email__iexact=person.email)
    if person.phone:
        match |= Q(phone=person.phone)
    if not match:
        return None
    live = event.registrations.exclude(status=Registration.Status.CANCELLED)
    return live.filter(match).first()


def _new_ticket() -> str:
    while True:
        ticket = tickets.new_ticket()
        if not Registration.objects.filter(ticket=ticket).exists():
            return ticket


def create(*, event: Event, person: Person, status: str, **extra: object) -> Registration:
    """Store a registration for a checked ``person`` in the caller's transaction (the event
    locked), refusing a duplicate."""
    existing = find_duplicate(event, person)
    if existing is not None:
        raise DuplicateRegistration(existing)
    registration = Registration(
        event=event,
        ticket=_new_ticket(),
        name=person.name,
        institution=person.institution,
        group=person.group,
        email=person.email,
        phone=person.phone,
        unit=person.unit,
        status=status,
        consent_at=timezone.now(),
        **extra,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # registered at the same moment through another process
        existing = find_duplicate(event, person)
        if existing is None:
            raise
        raise DuplicateRegistration(existing) from exc
    return registration


def register(*, event: Event, person: Person, invited: bool = False) -> Registration:
    """Register ``person`` (who has agreed to the personal-data notice): a confirmed place while
    there is room, else a place on the waiting list. The ticket goes by email after the commit.

    ``invited``: through a personal invitation link (``services.invitations``), which works
    while the event is not public and for the group the Inspectorate invited the person as."""
    person = checked_person(person)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        open_ = event.accepts_invited_registrations() if invited else event.accepts_registrations()
        if not open_:
            raise RegistrationClosed(event.code)
        if not invited and event.audience and person.group not in event.audience:
            raise ValidationError({"group": _("This event is not open to that group.")})
        status = Registration.Status.CONFIRMED
        if event.capacity is not None and confirmed_count(event) >= event.capacity:
            status = Registration.Status.WAITING
        registration = create(event=event, person=person, status=status)
        language = get_language() or "id"
        transaction.on_commit(lambda: send_ticket(registration, language=language))
    return registration


def confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def cancel(*, registration: Registration) -> Registration | None:
    """Cancel a registration (again is a no-op); a freed place goes to the first on the waiting
    list, who is told by email. Returns the promoted registration, if any."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return None
        if current.checked_in_at is not None:
            raise AlreadyCheckedIn(current.ticket)
        freed = current.status == Registration.Status.CONFIRMED
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        registration.status, registration.cancelled_at = current.status, current.cancelled_at
        if not freed:
            return None
        promoted = (
            event.registrations.filter(status=Registration.Status.WAITING)
            .order_by("registered_at", "pk")
            .first()
        )
        if promoted is None:
            return None
        if event.capacity is not None and confirmed_count(event) >= event.capacity:
            return None
        promoted.status = Registration.Status.CONFIRMED
        promoted.save(update_fields=["status"])
        transaction.on_commit(lambda: send_ticket(promoted, language="id", promoted=True))
        return promoted


# --- links and the ticket ----------------------------------------------------------------------


def link_token(registration: Registration) -> str:
    """The signed token of the participant's own pages (ticket, cancellation)."""
    return signing.dumps(str(registration.public_id), salt=LINK_SALT)


def from_token(token: str) -> Registration:
    """The registration a token names; ``Registration.DoesNotExist`` for a forged or stale one."""
    try:
        public_id = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature as exc:
        raise Registration.DoesNotExist from exc
    return Registration.objects.select_related("event").get(public_id=public_id)


def ticket_code(registration: Registration) -> str:
    return tickets.code_for(registration.ticket)


def qr_svg(registration: Registration) -> str:
    """The ticket's QR (its check-in code) as inline SVG."""
    return segno.make(ticket_code(registration), error="m").svg_inline(
        scale=6, border=2, dark="#000000", light="#ffffff"
    )


def send_ticket(registration: Registration, *, language: str, promoted: bool = False) -> None:
    """Email the ticket (its code, its QR as a picture, the links to see it and to cancel)."""
    if not registration.email:
        return
    token = link_token(registration)
    context = {
        "registration": registration,
        "event": registration.event,
        "code": ticket_code(registration),
        "ticket_url": base_url() + reverse("education-public-ticket", args=[token]),
        "cancel_url": base_url() + reverse("education-public-cancel", args=[token]),
        "promoted": promoted,
        "waiting": registration.status == Registration.Status.WAITING,
    }
    with override(language):
        subject = _("Your ticket: %(title)s") % {"title": registration.event.title}
        body = render_to_string("education/email/ticket.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[registration.email])
    png = io.BytesIO()
    segno.make(str(context["code"]), error="m").save(png, kind="png", scale=8, border=2)
    message.attach("tiket.png", png.getvalue(), "image/png")
    message.send()
