"""Certificates of attendance: issued to everyone who checked in at an event, one PDF each under
the letterhead, with a QR to the public verification page; revoked by the Inspectorate with a
reason.

A serial is ``XXXXX-XXXXX`` in the ticket alphabet (Crockford's base 32: no I, L, O or U): ten
random characters, 50 bits, so it cannot be guessed from another certificate and is still short
enough to type from paper. Reading tolerates lower case, spaces, a missing hyphen and the letters
people confuse with digits.

When the event's test requires it (``EventTest.certificate_needs_pass``), only those whose
post-test score reaches its pass mark get one.

Issuing is idempotent: a participant who already has a certificate gets no second one, so the
staff may issue again after late check-ins. The audit trail names certificates by serial and
counts participants, never names them (``models`` on personal data).
"""

from __future__ import annotations

import secrets

import segno
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integritas import audit
from integritas.core.models import Government, User
from integritas.core.signers import default_signer
from integritas.education.models import (
    AuditAction,
    Certificate,
    Event,
    EventTest,
    Phase,
    Registration,
)
from integritas.education.services.tickets import ALPHABET
from integritas.lib import pdf
from integritas.lib.formatting import format_nip

SERIAL_LENGTH = 10
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_serial() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(SERIAL_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise(text: str) -> str:
    """A typed serial in its stored form (``""`` when it cannot be one)."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_CONFUSED)
    if len(cleaned) != SERIAL_LENGTH or any(c not in ALPHABET for c in cleaned):
        return ""
    return f"{cleaned[:5]}-{cleaned[5:]}"


def find(text: str) -> Certificate | None:
    """The certificate a typed or scanned serial names, or None."""
    serial = normalise(text)
    if not serial:
        return None
    return Certificate.objects.select_related("registration__event").filter(serial=serial).first()


def eligible(event: Event) -> list[Registration]:
    """Who should have a certificate and has none yet: the confirmed participants who checked in
    and, when the event's test says so, whose post-test reaches its pass mark."""
    found = event.registrations.filter(
        status=Registration.Status.CONFIRMED,
        checked_in_at__isnull=False,
        certificate__isnull=True,
    )
    test = EventTest.objects.filter(event=event).first()
    if test is not None and test.certificate_needs_pass:
        found = found.filter(submissions__phase=Phase.POST, submissions__score__gte=test.pass_mark)
    return list(found.order_by("name", "pk"))


def _create(registration: Registration, *, by: User | None, signer: User | None) -> bool:
    """One certificate for ``registration``; False when it already had one (a concurrent issue)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                Certificate.objects.create(
                    registration=registration,
                    serial=new_serial(),
                    issued_by=by,
                    signer_name=signer.get_full_name() if signer else "",
                    signer_position=(signer.position or "") if signer else "",
                    signer_nip=format_nip(signer.nip) if signer else "",
                )
            return True
        except IntegrityError:
            if Certificate.objects.filter(registration=registration).exists():
                return False
            # Otherwise the random serial was taken (about 1 in 10^15): draw another.
    raise RuntimeError("no free certificate serial")  # pragma: no cover


def issue_for_event(*, event: Event, by: User | None) -> int:
    """Issue a certificate to every participant who checked in and has none; returns how many
    were issued and writes ``education.certificates_issued`` when there were any. The signer is
    the inspector general who may sign, or else the person issuing."""
    signer = default_signer() or by
    issued = sum(_create(r, by=by, signer=signer) for r in eligible(event))
    if issued:
        audit.record(
            AuditAction.CERTIFICATES_ISSUED,
            obj=event,
            changes={"issued": issued, "signer": signer.get_full_name() if signer else ""},
            actor=by,
        )
    return issued


@transaction.atomic
def revoke(*, certificate: Certificate, by: User | None, reason: str) -> Certificate:
    """Revoke with a reason (kept with the certificate and in the audit trail); writes
    ``education.certificate_revoked``. Revoking a revoked certificate changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revoked_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
        audit.record(
            AuditAction.CERTIFICATE_REVOKED,
            obj=locked,
            object_label=locked.serial,
            changes={"event": locked.registration.event.code},
            reason=reason,
            actor=by,
        )
    for name in ("revoked_at", "revoked_by", "revoked_reason"):
        setattr(certificate, name, getattr(locked, name))
    return certificate


def verify_url(certificate: Certificate, *, base: str) -> str:
    """The absolute address of the verification page (``base`` is the site's origin)."""
    return base.rstrip("/") + reverse("certificate-verify", args=[certificate.serial])


def render(certificate: Certificate, *, base: str) -> bytes:
    """The certificate as a one-page landscape PDF under the letterhead, in Indonesian."""
    url = verify_url(certificate, base=base)
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    signer = (
        pdf.Signer(
            name=certificate.signer_name,
            position=certificate.signer_position,
            nip=certificate.signer_nip,
        )
        if certificate.signer_name
        else None
    )
    with translation.override(pdf.DEFAULT_LANGUAGE):
        return pdf.render_pdf(
            "education/certificate.html",
            {
                "certificate": certificate,
                "registration": certificate.registration,
                "event": certificate.registration.event,
                "qr": qr,
                "verify_url": url,
                "signer": signer,
                "printed_on": timezone.localdate(certificate.issued_at),
            },
            government=Government.current(),
        )
