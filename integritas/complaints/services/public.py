"""The reporter's side of whistleblowing reports and complaints, stored encrypted at rest
(docs/security.md, "Whistleblowing encryption").

- ``submit_report`` stores a report in one transaction, sealed to every eligible handler and to
  the reporter's receipt, and returns the receipt (shown once, never stored).
- ``open_with_receipt`` finds and opens a report for its reporter; ``reporter_reply`` adds their
  messages and files.

Reporter actions write no audit event and no log line (an event carries the time of day, which
would help identify a reporter).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integritas import audit
from integritas.audit.context import acting_as
from integritas.complaints.models import (
    CONTENT_FIELDS,
    Category,
    Channel,
    HandlerKey,
    Message,
    Report,
    ReportKey,
    Side,
)
from integritas.complaints.services import keys
from integritas.complaints.services.attachments import Upload, attach, check_uploads, discard
from integritas.complaints.services.content import (
    MAX_FIELD_LENGTH,
    AttachmentView,
    MessageView,
    add_message,
    read_attachments,
    read_content,
    read_messages,
)
from integritas.complaints.services.errors import (
    NoEligibleCustodian,
    NoEligibleHandler,
    ReceiptNotFound,
    ReportClosed,
    TooManyAttempts,
)
from integritas.complaints.services.routing import route
from integritas.core.models import Unit, User
from integritas.core.services.notifications import notify
from integritas.lib import crypto

# 5W1H fields a whistleblowing report needs to be followed up; a complaint needs only "what".
REQUIRED = {
    Channel.WHISTLEBLOWING: ("what", "who", "where", "when"),
    Channel.COMPLAINT: ("what",),
}


def pepper() -> bytes:
    """The server secret that keys receipt lookups, never stored in the database.

    ``COMPLAINTS_RECEIPT_PEPPER`` (settings.py: from the environment, or kept in var/ locally);
    separate from ``SECRET_KEY`` so that rotating that key leaves receipts findable.
    """
    return hashlib.sha256(str(settings.COMPLAINTS_RECEIPT_PEPPER).encode()).digest()


def _clean_fields(channel: str, fields: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}]
    cleaned = {name: str(fields.get(name) or "").strip() for name in CONTENT_FIELDS}
    for name in REQUIRED[Channel(channel)]:
        if not cleaned[name]:
            errors[name] = [_("This field is required.")]
    for name, value in cleaned.items():
        if len(value) > MAX_FIELD_LENGTH:
            errors[name] = [_("Write at most %(n)d characters here.") % {"n": MAX_FIELD_LENGTH}]
    if errors:
        raise ValidationError(errors)
    return cleaned


def submit_report(
    *,
    channel: str,
    category: str,
    unit: Unit | None,
    fields: Mapping[str, str],
    attachments: Sequence[Upload] = (),
    identity: Mapping[str, str] | None = None,
    confidential: bool = False,
    official: User | None = None,
    about_leadership: bool = False,
    today: dt.date | None = None,
) -> tuple[Report, str]:
    """Store a report, all or nothing, and return it with its receipt (show it once).

    Raises ``ValidationError`` for bad input, ``NoEligibleHandler``/``NoEligibleCustodian`` when
    nobody could be given the report without a conflict of interest. A report nobody may handle
    is stored for the identity custodians not excluded to route (``handler.route_waiting``);
    ``NoEligibleHandler`` only when there is none of them either. Writes no audit event: a
    reporter's action must not leave a time of day behind.
    """
    problems: dict[str, list[str]] = {}
    if channel not in Channel.values:
        problems["channel"] = [_("Choose a channel.")]
    if category not in Category.values:
        problems["category"] = [_("Choose a category.")]
    if problems:
        raise ValidationError(problems)
    content = _clean_fields(channel, fields)
    identity = {k: str(v).strip() for k, v in (identity or {}).items() if str(v).strip()} or None
    checked = check_uploads(attachments)
    routing = route(unit=unit, official=official, about_leadership=about_leadership)
    # Nobody may handle it: it waits for an identity custodian to route it; refused only when
    # there is no custodian either, rather than stored where nobody could ever read it.
    waiting = not routing.handlers
    if waiting and not routing.routers:
        raise NoEligibleHandler
    if identity and not routing.custodians:
        raise NoEligibleCustodian

    receipt = crypto.new_receipt()
    report_key = crypto.new_key()
    report = Report(
        channel=channel,
        category=category,
        unit=unit,
        official=official,
        about_leadership=about_leadership,
        routed_to_alternate=routing.alternate or waiting,
        confidential=bool(identity) and confidential,
        lookup_id=crypto.receipt_lookup_id(receipt, pepper(), keys.lookup_params()),
        reporter_salt=crypto.new_salt(),
        reporter_kdf=str(keys.kdf_params()),
    )
    if today is not None:
        report.received_on = today
    report.content = crypto.encrypt(
        report_key, json.dumps(content).encode(), context=report.context
    )
    reporter_key = crypto.receipt_key(receipt, bytes(report.reporter_salt), keys.kdf_params())
    written: list[str] = []
    try:
        with transaction.atomic():
            identity_key = None
            if identity:
                identity_key = crypto.new_key()
                report.identity = crypto.encrypt(
                    identity_key, json.dumps(identity).encode(), context=report.context + b":id"
                )
                if not report.confidential:
                    report.identity_key_for_handlers = crypto.encrypt(
                        report_key, identity_key, context=report.context + b":id-key"
                    )
            report.save()
            copies = [
                ReportKey(
                    report=report,
                    holder=None,
                    sealed_key=crypto.encrypt(
                        reporter_key, report_key, context=report.context + b":reporter"
                    ),
                )
            ]
            copies += _sealed(report, routing.handlers, report_key, ReportKey.Purpose.REPORT)
            if waiting:
                copies += _sealed(report, routing.routers, report_key, ReportKey.Purpose.ROUTING)
            if identity_key is not None:
                copies += _sealed(
                    report, routing.custodians, identity_key, ReportKey.Purpose.IDENTITY
                )
            ReportKey.objects.bulk_create(copies)
            attach(report, report_key, checked, Side.REPORTER, written)
    except BaseException:
        discard(written)
        raise
    return report, receipt


def _sealed(
    report: Report, holders: Sequence[HandlerKey], key: bytes, purpose: str
) -> list[ReportKey]:
    """Copies of ``key`` sealed to each holder's public key, for ``purpose``."""
    return [
        ReportKey(
            report=report,
            holder=hk.user,
            purpose=purpose,
            sealed_key=crypto.seal(bytes(hk.public_key), key),
        )
        for hk in holders
    ]


class Limiter(Protocol):
    """What the receipt page gives ``open_with_receipt`` to slow down guessing (for example a
    counter under a daily-keyed hash of the client address, kept in the cache only)."""

    def blocked(self) -> bool: ...

    def failed(self) -> None: ...


@dataclass(frozen=True)
class ReporterView:
    """A report opened with its receipt: what the reporter may read, and the key to reply."""

    report: Report
    key: bytes = field(repr=False)

    @property
    def status(self) -> str:
        return self.report.reporter_status()

    def content(self) -> dict[str, str]:
        return read_content(self.report, self.key)

    def messages(self) -> list[MessageView]:
        return read_messages(self.report, self.key, with_authors=False)

    def attachments(self) -> list[AttachmentView]:
        return [a for a in read_attachments(self.report, self.key) if a.side == Side.REPORTER]


def open_with_receipt(receipt: str, *, limiter: Limiter | None = None) -> ReporterView:
    """Find and open a report by its receipt.

    A typo (bad check digit) raises ``crypto.MalformedReceipt`` and is not counted. A well-formed
    receipt that opens nothing raises ``ReceiptNotFound`` after the same slow work as a good one
    (so timing does not tell them apart) and is counted by the ``limiter``.
    """
    if limiter is not None and limiter.blocked():
        raise TooManyAttempts
    digits = crypto.normalise_receipt(receipt)
    lookup = crypto.receipt_lookup_id(digits, pepper(), keys.lookup_params())
    report = Report.objects.filter(lookup_id=lookup).first()
    copy = (
        ReportKey.objects.filter(
            report=report, holder=None, purpose=ReportKey.Purpose.REPORT
        ).first()
        if report is not None
        else None
    )
    if report is None or copy is None:
        crypto.receipt_key(digits, crypto.new_salt(), keys.kdf_params())  # equal work
        if limiter is not None:
            limiter.failed()
        raise ReceiptNotFound
    params = crypto.KdfParams.parse(report.reporter_kdf)
    reporter_key = crypto.receipt_key(digits, bytes(report.reporter_salt), params)
    key = crypto.decrypt(
        reporter_key, bytes(copy.sealed_key), context=report.context + b":reporter"
    )
    return ReporterView(report=report, key=key)


def reporter_reply(
    *, view: ReporterView, text: str, attachments: Sequence[Upload] = ()
) -> Message | None:
    """The reporter answers, with text and/or files. No audit event (see the module docstring).

    Returns the message, or None when only files were added.
    """
    report = view.report
    if report.is_finished:
        raise ReportClosed
    checked = check_uploads(attachments)
    if not text.strip() and not checked:
        raise ValidationError({"text": [_("Write a message or attach a file.")]})
    written: list[str] = []
    try:
        with transaction.atomic():
            message = add_message(report, view.key, Side.REPORTER, text) if text.strip() else None
            attach(report, view.key, checked, Side.REPORTER, written)
    except BaseException:
        discard(written)
        raise
    return message


def alert_receipt_lookups_paused() -> int:
    """Tell everyone who holds a handler key that wrong receipts from everyone together reached
    the hour's cap and receipt lookups are refused until the hour is over. Once per hour (the
    notification key names the hour); nothing about any client is known here, so nothing is
    said. Returns how many were sent; one audit event when any were."""
    hour = timezone.localtime().strftime("%Y-%m-%dT%H")
    limit = int(settings.COMPLAINTS_RECEIPT_FAILURES_PER_HOUR_TOTAL)
    codes = {code for code, _name in settings.LANGUAGES}
    holders = User.objects.filter(is_active=True, complaint_key__isnull=False).order_by("pk")
    sent = 0
    with transaction.atomic():
        for user in holders:
            language = user.language if user.language in codes else settings.LANGUAGE_CODE
            with translation.override(language):
                made = notify(
                    user=user,
                    key=f"complaints-receipt-cap:{hour}",
                    title=_("Receipt lookups paused: many wrong receipts"),
                    body=_(
                        "%(limit)d wrong receipts were tried within an hour, from all networks "
                        "together: someone may be guessing receipts. Until the hour is over, "
                        "reporters cannot open their reports with a receipt."
                    )
                    % {"limit": limit},
                    url=reverse("complaints-report-list"),
                )
            sent += made is not None
        if sent:
            # The system's event, not the request's: no link to the request that hit the cap.
            with acting_as(label="complaint_alerts"):
                audit.record(
                    "complaints.receipt_lookups_paused",
                    object_type="complaints.report",
                    changes={"notifications": [None, sent]},
                )
    return sent
