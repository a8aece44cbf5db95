"""Invitations from a list of employees: one single-use link per row, all rows or none.

The token is put in the email (or returned once for phone-only rows) and stored only as a keyed
digest; nothing stored says which person answered what.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.core.models import Unit
from integritas.lib.imports import Cells, Column, Importer, read_or_report, run_import
from integritas.lib.imports import ImportReport as BaseReport
from integritas.surveys import tokens
from integritas.surveys.models import Invitation, Wave
from integritas.surveys.services.waves import send_invitation

INVITATION_COLUMNS = [
    Column(
        "unit_code",
        True,
        gettext_lazy("Code of a unit taking part in the wave."),
        ("kode_unit", "unit"),
    ),
    Column("email", False, gettext_lazy("Email address (email or phone is required)."), ("surel",)),
    Column(
        "phone",
        False,
        gettext_lazy("Mobile number for a WhatsApp/SMS message you send yourself."),
        ("telepon", "hp", "no_hp"),
    ),
]


@dataclass
class InvitationReport(BaseReport):
    emailed: int = 0
    # Links for phone-only rows: shown once on the result page, never stored.
    manual_links: list[tuple[str, str, str]] = field(default_factory=list)  # (unit, phone, link)


@dataclass
class _Person:
    number: int
    unit: Unit | None
    email: str
    phone: str


def invitations_import(
    *, wave: Wave, data: bytes, filename: str, base_url: str
) -> InvitationReport:
    """Turn a list of employees into single-use invitations: all rows or none."""
    report = InvitationReport()
    units = {wu.unit.code: wu.unit for wu in wave.wave_units.select_related("unit")}

    def parse_row(cells: Cells) -> _Person:
        code = cells.get("unit_code").upper()
        email = cells.get("email")
        phone = "".join(ch for ch in cells.get("phone") if ch.isdigit() or ch == "+")
        unit = units.get(code)
        if unit is None:
            cells.fail("unit_code", code, _("This unit is not part of the wave."))
        if not email and not phone:
            cells.fail("email", "", _("Give an email address or a phone number."))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                cells.fail("email", email, _("This is not a valid email address."))
        if phone and not 8 <= len(phone.lstrip("+")) <= 15:
            cells.fail("phone", phone, _("A phone number has 8 to 15 digits."))
        return _Person(cells.number, unit, email, phone)

    def check(people: list[_Person]) -> None:
        invited = Invitation.objects.filter(wave=wave)
        emails = {e.lower() for e in invited.exclude(email="").values_list("email", flat=True)}
        phones = set(invited.exclude(phone="").values_list("phone", flat=True))
        seen: dict[str, int] = {}
        for person in people:
            key = person.email.lower() or person.phone
            column = "email" if person.email else "phone"
            if key in seen:
                message = _("Already listed on row %(row)d.") % {"row": seen[key]}
                report.fail(person.number, column, key, message)
            elif key and (
                person.email.lower() in emails or (not person.email and person.phone in phones)
            ):
                report.fail(person.number, column, key, _("Already invited to this wave."))
            seen.setdefault(key, person.number)

    def apply(people: list[_Person]) -> None:
        today = timezone.localdate()
        messages: list[tuple[Invitation, str]] = []
        per_unit: Counter[str] = Counter()
        for person in people:
            assert person.unit is not None  # rows without a unit of the wave are errors
            token = tokens.new_token()
            invitation = Invitation.objects.create(
                wave=wave,
                unit=person.unit,
                email=person.email,
                phone=person.phone,
                token_digest=tokens.digest(token, purpose="invitation"),
                invited_on=today if person.email else None,
            )
            link = base_url.rstrip("/") + reverse("surveys-respond-invitation", args=[token])
            per_unit[person.unit.code] += 1
            if person.email:
                messages.append((invitation, link))
            else:
                report.manual_links.append((person.unit.code, person.phone, link))
        audit.record(
            "wave.invitations_created", obj=wave, changes={"invitations": [None, dict(per_unit)]}
        )
        for invitation, link in messages:
            send_invitation(invitation, link, reminder=False)
            report.emailed += 1

    importer: Importer[_Person, InvitationReport] = Importer(
        columns=INVITATION_COLUMNS,
        parse_row=parse_row,
        check=check,
        apply=apply,
        empty_message=gettext_lazy("The file has no rows."),
        ignored=("name", "nama"),
    )
    return run_import(
        table=read_or_report(data, filename, report), report=report, importer=importer
    )
