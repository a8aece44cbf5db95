"""Intake, receipts and messages of whistleblowing reports and complaints, stored encrypted at
rest (docs/security.md, "Whistleblowing encryption").

- ``submit_report`` stores a report in one transaction, sealed to every eligible handler and to
  the reporter's receipt, and returns the receipt (shown once, never stored).
- ``open_with_receipt`` finds and opens a report for its reporter; ``reporter_reply`` adds their
  messages and files.
- ``handler_decrypt``, ``handler_message``, ``handler_attachment`` and ``custodian_identity`` are
  the handler's side: each needs the handler's private key (``keys.unlock``).

Conflict-of-interest routing decides who gets a copy of the report key: a handler who gets none
cannot decrypt the report, whatever a page allows.

Reporter actions write no audit event and no log line (an event carries the time of day, which
would help identify a reporter); handler actions are audited without content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from integritas import audit
from integritas.complaints import keys, workflow
from integritas.complaints.attachments import Upload, attach, check_uploads, discard
from integritas.complaints.models import (
    CONTENT_FIELDS,
    AlternateHandler,
    Attachment,
    Category,
    Channel,
    ForwardedTo,
    HandlerKey,
    Message,
    Note,
    Report,
    ReportKey,
    Side,
    Status,
    Tier,
)
from integritas.core.models import Role, RoleAssignment, Unit, User
from integritas.core.workflow import TransitionError
from integritas.core.workflow import apply as apply_transition
from integritas.lib import crypto, files

MAX_FIELD_LENGTH = 5000
# 5W1H fields a whistleblowing report needs to be followed up; a complaint needs only "what".
REQUIRED = {
    Channel.WHISTLEBLOWING: ("what", "who", "where", "when"),
    Channel.COMPLAINT: ("what",),
}
# Roles whose holders, when named in a report, make it a report about the leadership or the
# Inspectorate, which must not handle it.
SENSITIVE_ROLES = frozenset({Role.LEADERSHIP, Role.INSPECTOR_GENERAL, Role.INSPECTOR})


class ComplaintError(Exception):
    """Base for the errors of this module that a page turns into a message."""


class NoEligibleHandler(ComplaintError):
    """Nobody may receive this report (no enrolled handler without a conflict of interest)."""


class NoEligibleCustodian(ComplaintError):
    """An identity was given but no identity custodian without a conflict could receive it."""


class ReceiptNotFound(ComplaintError):
    """A well-formed receipt that opens no report (counted by the limiter)."""


class TooManyAttempts(ComplaintError):
    pass


class NoAccess(ComplaintError):
    """The person holds no copy of the key: routing kept the report from them."""


class ConflictOfInterest(ComplaintError):
    pass


class ReportClosed(ComplaintError):
    pass


class NotDueForPurge(ComplaintError):
    pass


def pepper() -> bytes:
    """The server secret that keys receipt lookups, never stored in the database.

    ``COMPLAINTS_RECEIPT_PEPPER`` (settings.py: from the environment, or kept in var/ locally);
    separate from ``SECRET_KEY`` so that rotating that key leaves receipts findable.
    """
    return hashlib.sha256(str(settings.COMPLAINTS_RECEIPT_PEPPER).encode()).digest()


# -- routing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Routing:
    """Who receives a copy of a report's key, and who must not."""

    handlers: list[HandlerKey]
    custodians: list[HandlerKey]
    excluded_user_ids: frozenset[int]
    sensitive: bool  # about the Inspectorate or the leadership: the alternate group only
    alternate: bool  # sent to the alternate group (sensitive, or every handler excluded)


def _line(unit: Unit) -> set[int]:
    """The unit, its sub-units and the units above it: everyone in its line of command."""
    return Unit.objects.subtree_ids([unit.pk]) | {u.pk for u in unit.ancestors()}


def _is_inspectorate(unit: Unit) -> bool:
    return any(u.type == Unit.Type.INSPECTORATE for u in [*unit.ancestors(), unit])


def _enrolled(users: models.QuerySet[Any]) -> list[HandlerKey]:
    return list(
        HandlerKey.objects.filter(user__in=users, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )


def route(
    *, unit: Unit | None, official: User | None = None, about_leadership: bool = False
) -> Routing:
    """Decide who may read a report about ``unit`` and/or ``official``.

    - Excluded: the official, and everyone whose unit, or any of whose unit-limited roles, lies
      in the line of the unit concerned (or of the official's unit).
    - A report about the Inspectorate or the leadership (flag, an Inspectorate unit, or an
      official holding such a role) goes only to the alternate handler group.
    - Otherwise to the complaint handlers; when every one of them is excluded, to the alternate
      group rather than to nobody.
    """
    units = [u for u in (unit, official.unit if official else None) if u is not None]
    line: set[int] = set()
    for u in units:
        line |= _line(u)
    excluded = set(
        User.objects.filter(
            models.Q(unit_id__in=line) | models.Q(role_assignments__unit_id__in=line)
        ).values_list("pk", flat=True)
    )
    if official is not None:
        excluded.add(official.pk)
    sensitive = about_leadership or any(_is_inspectorate(u) for u in units)
    if official is not None:
        sensitive = (
            sensitive
            or RoleAssignment.objects.filter(user=official, role__in=SENSITIVE_ROLES).exists()
        )

    def holders_of(role: str) -> models.QuerySet[Any]:
        return User.objects.filter(role_assignments__role=role, role_assignments__unit=None)

    alternate_users = User.objects.filter(
        pk__in=AlternateHandler.objects.values("user_id")
    ).exclude(pk__in=excluded)
    alternate = _enrolled(alternate_users)
    if sensitive:
        return Routing(alternate, alternate, frozenset(excluded), sensitive=True, alternate=True)
    handlers = _enrolled(holders_of(Role.COMPLAINT_HANDLER).exclude(pk__in=excluded))
    custodians = _enrolled(holders_of(Role.IDENTITY_CUSTODIAN).exclude(pk__in=excluded))
    use_alternate = not handlers
    return Routing(
        handlers or alternate,
        custodians or alternate,
        frozenset(excluded),
        sensitive=False,
        alternate=use_alternate,
    )


# -- intake --------------------------------------------------------------------------------------


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
    nobody could be given the report without a conflict of interest. Writes no audit event: a
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
    if not routing.handlers:
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
        routed_to_alternate=routing.alternate,
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
            copies += [
                ReportKey(
                    report=report,
                    holder=hk.user,
                    sealed_key=crypto.seal(bytes(hk.public_key), report_key),
                )
                for hk in routing.handlers
            ]
            if identity_key is not None:
                copies += [
                    ReportKey(
                        report=report,
                        holder=hk.user,
                        purpose=ReportKey.Purpose.IDENTITY,
                        sealed_key=crypto.seal(bytes(hk.public_key), identity_key),
                    )
                    for hk in routing.custodians
                ]
            ReportKey.objects.bulk_create(copies)
            attach(report, report_key, checked, Side.REPORTER, written)
    except BaseException:
        discard(written)
        raise
    return report, receipt


# -- the reporter's side -------------------------------------------------------------------------


class Limiter(Protocol):
    """What the receipt page gives ``open_with_receipt`` to slow down guessing (for example a
    counter under a daily-keyed hash of the client address, kept in the cache only)."""

    def blocked(self) -> bool: ...

    def failed(self) -> None: ...


@dataclass(frozen=True)
class MessageView:
    side: str
    sent_on: dt.date
    text: str
    author: str = ""


@dataclass(frozen=True)
class AttachmentView:
    public_id: str
    name: str
    size: int
    kind: str
    side: str
    added_on: dt.date
    stripping: str
    stripped: list[str]
    is_document: bool = False  # PDF or office file: text inside (comments, revisions) stays


def _messages(report: Report, key: bytes, *, with_authors: bool) -> list[MessageView]:
    views = []
    for message in report.messages.select_related("author").order_by("pk"):
        text = crypto.decrypt(key, bytes(message.body), context=_message_context(message))
        author = str(message.author) if with_authors and message.author else ""
        views.append(MessageView(message.side, message.sent_on, text.decode(), author))
    return views


def _attachments(report: Report, key: bytes) -> list[AttachmentView]:
    return [
        AttachmentView(
            public_id=str(a.public_id),
            name=crypto.decrypt(key, bytes(a.name), context=a.file_context("name")).decode(),
            size=a.size,
            kind=a.kind,
            side=a.side,
            added_on=a.added_on,
            stripping=a.stripping,
            is_document=a.kind in files.DOCUMENTS,
            # Stored in English (gettext_noop labels in attachments.py), shown translated.
            stripped=[
                gettext(label)
                for label in json.loads(
                    crypto.decrypt(key, bytes(a.stripped), context=a.file_context("stripped"))
                )
            ],
        )
        for a in report.attachments.order_by("pk")
    ]


def _content(report: Report, key: bytes) -> dict[str, str]:
    return json.loads(crypto.decrypt(key, bytes(report.content), context=report.context))


def _message_context(message: Message) -> bytes:
    return f"message:{message.public_id}".encode()


@dataclass(frozen=True)
class ReporterView:
    """A report opened with its receipt: what the reporter may read, and the key to reply."""

    report: Report
    key: bytes = field(repr=False)

    @property
    def status(self) -> str:
        return self.report.reporter_status()

    def content(self) -> dict[str, str]:
        return _content(self.report, self.key)

    def messages(self) -> list[MessageView]:
        return _messages(self.report, self.key, with_authors=False)

    def attachments(self) -> list[AttachmentView]:
        return [a for a in _attachments(self.report, self.key) if a.side == Side.REPORTER]


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


def _add_message(report: Report, key: bytes, side: str, text: str, author: Any = None) -> Message:
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write a message.")]})
    if len(text) > MAX_FIELD_LENGTH:
        raise ValidationError(
            {"text": [_("Write at most %(n)d characters here.") % {"n": MAX_FIELD_LENGTH}]}
        )
    message = Message(report=report, side=side, author=author)
    message.body = crypto.encrypt(key, text.encode(), context=_message_context(message))
    message.save()
    return message


def reporter_reply(
    *, view: ReporterView, text: str, attachments: Sequence[Upload] = ()
) -> Message | None:
    """The reporter answers, with text and/or files. No audit event (see the module docstring).

    Returns the message, or None when only files were added.
    """
    report = view.report
    if report.status in (Status.CLOSED, Status.REJECTED):
        raise ReportClosed
    checked = check_uploads(attachments)
    if not text.strip() and not checked:
        raise ValidationError({"text": [_("Write a message or attach a file.")]})
    written: list[str] = []
    try:
        with transaction.atomic():
            message = _add_message(report, view.key, Side.REPORTER, text) if text.strip() else None
            attach(report, view.key, checked, Side.REPORTER, written)
    except BaseException:
        discard(written)
        raise
    return message


# -- the handler's side --------------------------------------------------------------------------


def _report_key(report: Report, holder: Any, private_key: bytes, purpose: str) -> bytes:
    copy = ReportKey.objects.filter(report=report, holder=holder, purpose=purpose).first()
    if copy is None:
        raise NoAccess
    try:
        return crypto.unseal(private_key, bytes(copy.sealed_key))
    except crypto.DecryptionError as exc:
        raise NoAccess from exc


@dataclass(frozen=True)
class NoteView:
    written_on: dt.date
    text: str
    author: str


@dataclass(frozen=True)
class HandlerView:
    report: Report
    content: dict[str, str]
    identity: dict[str, str] | None  # None when anonymous or confidential
    messages: list[MessageView]
    attachments: list[AttachmentView]
    notes: list[NoteView] = field(default_factory=list)
    forward_reference: str = ""


def _forward_context(report: Report) -> bytes:
    return report.context + b":forward-reference"


def handler_decrypt(*, report: Report, handler: Any, private_key: bytes) -> HandlerView:
    """Everything a handler may read of a report; ``NoAccess`` when they hold no key copy."""
    key = _report_key(report, handler, private_key, ReportKey.Purpose.REPORT)
    identity = None
    if report.identity is not None and report.identity_key_for_handlers is not None:
        identity_key = crypto.decrypt(
            key, bytes(report.identity_key_for_handlers), context=report.context + b":id-key"
        )
        identity = json.loads(
            crypto.decrypt(identity_key, bytes(report.identity), context=report.context + b":id")
        )
    return HandlerView(
        report=report,
        content=_content(report, key),
        identity=identity,
        messages=_messages(report, key, with_authors=True),
        attachments=_attachments(report, key),
        notes=[
            NoteView(
                note.written_on,
                crypto.decrypt(key, bytes(note.body), context=note.context).decode(),
                str(note.author) if note.author else "",
            )
            for note in report.notes.select_related("author").order_by("pk")
        ],
        forward_reference=(
            crypto.decrypt(
                key, bytes(report.forward_reference), context=_forward_context(report)
            ).decode()
            if report.forward_reference is not None
            else ""
        ),
    )


@transaction.atomic
def handler_message(*, report: Report, handler: Any, private_key: bytes, text: str) -> Message:
    """A question or answer from a handler to the reporter; audited without its text."""
    key = _report_key(report, handler, private_key, ReportKey.Purpose.REPORT)
    message = _add_message(report, key, Side.HANDLER, text, author=handler)
    _responded(report, message.sent_on)
    audit.record("complaints.message_sent", obj=report, actor=handler)
    return message


def _responded(report: Report, day: dt.date) -> None:
    """The first handler response (a message or a status change) starts no clock but is counted
    in the statistics ("days to first response")."""
    if report.first_response_on is None:
        report.first_response_on = day
        report.save(update_fields=["first_response_on"])


def handler_attachment(
    *, attachment: Attachment, handler: Any, private_key: bytes, original: bool = False
) -> bytes:
    """A file's bytes: the copy without metadata, or the original only when asked for (and
    always for types we cannot clean yet)."""
    key = _report_key(attachment.report, handler, private_key, ReportKey.Purpose.REPORT)
    which = "original" if original or not attachment.clean_file else "clean"
    name = attachment.original_file if which == "original" else attachment.clean_file
    with default_storage.open(name, "rb") as handle:
        content = crypto.decrypt(key, handle.read(), context=attachment.file_context(which))
    if original and attachment.clean_file:
        # The original may carry what the copy was cleaned of (a GPS position): on record.
        audit.record(
            "complaints.original_opened",
            obj=attachment.report,
            actor=handler,
            changes={"attachment": [None, str(attachment.public_id)]},
        )
    return content


@transaction.atomic
def custodian_identity(
    *, report: Report, custodian: Any, private_key: bytes, reason: str
) -> dict[str, str]:
    """Reveal the reporter's identity to an identity custodian; always audited, with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the identity is needed.")]})
    if report.identity is None:
        raise NoAccess
    identity_key = _report_key(report, custodian, private_key, ReportKey.Purpose.IDENTITY)
    identity = json.loads(
        crypto.decrypt(identity_key, bytes(report.identity), context=report.context + b":id")
    )
    audit.record("complaints.identity_opened", obj=report, actor=custodian, reason=reason.strip())
    return identity


@transaction.atomic
def grant_access(*, report: Report, to: User, by: Any, private_key: bytes) -> ReportKey:
    """A handler who can read the report gives a colleague a copy of its key (assignment, or a
    colleague who enrolled again). Refused for anyone the routing excludes."""
    routing = route(
        unit=report.unit, official=report.official, about_leadership=report.about_leadership
    )
    if to.pk in routing.excluded_user_ids:
        raise ConflictOfInterest
    is_alternate = AlternateHandler.objects.filter(user=to).exists()
    is_handler = RoleAssignment.objects.filter(
        user=to, role=Role.COMPLAINT_HANDLER, unit=None
    ).exists()
    if (routing.sensitive and not is_alternate) or not (is_alternate or is_handler):
        raise ConflictOfInterest
    key = _report_key(report, by, private_key, ReportKey.Purpose.REPORT)
    target = keys.key_of(to)
    copy, _created = ReportKey.objects.update_or_create(
        report=report,
        holder=to,
        purpose=ReportKey.Purpose.REPORT,
        defaults={"sealed_key": crypto.seal(bytes(target.public_key), key)},
    )
    audit.record(
        "complaints.access_granted", obj=report, actor=by, changes={"holder": [None, str(to)]}
    )
    return copy


@transaction.atomic
def purge_report(*, report: Report, by: Any, today: dt.date | None = None) -> None:
    """Delete a closed report past its retention date, with its keys, messages and files. The
    audit event keeps only the fact, the channel and the dates; nothing can bring it back."""
    if not report.is_due_for_purge(today):
        raise NotDueForPurge
    names = [
        name for a in report.attachments.all() for name in (a.original_file, a.clean_file) if name
    ]
    audit.record(
        "complaints.report_purged",
        object_type="complaints.report",
        object_id=str(report.public_id),
        object_label=str(report),
        changes={
            "channel": [report.channel, None],
            "received_on": [report.received_on.isoformat(), None],
            "closed_on": [report.closed_on.isoformat() if report.closed_on else None, None],
        },
        # A command purges as itself (``acting_as``); a person purges under their name.
        **({"actor": by} if by is not None else {}),
    )
    report.delete()
    transaction.on_commit(lambda: discard(names))


# -- handling ------------------------------------------------------------------------------------


def retention_years() -> int:
    """How long a closed or rejected report is kept (``COMPLAINTS_RETENTION_YEARS``, 5)."""
    years = int(getattr(settings, "COMPLAINTS_RETENTION_YEARS", 5))
    if years < 1:
        raise ValueError("COMPLAINTS_RETENTION_YEARS must be at least 1")
    return years


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


TRANSITION_MESSAGES = {
    "unknown": gettext_lazy("This step does not exist."),
    "state": gettext_lazy("This step is not possible at the report's current stage."),
    "reason": gettext_lazy("Write the reason or the outcome; the reporter will read it."),
    "tier": gettext_lazy("Choose the kind of handling."),
    "forward": gettext_lazy("Choose where the report goes and give its reference there."),
}


@transaction.atomic
def change_status(
    *,
    report: Report,
    name: str,
    by: Any,
    private_key: bytes,
    reason: str = "",
    tier: str = "",
    forwarded_to: str = "",
    reference: str = "",
    today: dt.date | None = None,
) -> Report:
    """Move the report one step along ``workflow.TRANSITIONS``.

    Only someone holding the report's key can (``NoAccess`` otherwise). A reason or an outcome
    goes to the reporter as a message, encrypted; the forwarding reference is encrypted too. The
    audit event holds the statuses and the kind of handling or destination, never any text.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    problems: dict[str, list[str]] = {}
    if tier and tier not in Tier.values:
        problems["tier"] = [str(TRANSITION_MESSAGES["tier"])]
    if forwarded_to and forwarded_to not in ForwardedTo.values:
        problems["forwarded_to"] = [str(TRANSITION_MESSAGES["forward"])]
    if len(reference) > 200:
        problems["reference"] = [_("Write at most %(n)d characters here.") % {"n": 200}]
    if problems:
        raise ValidationError(problems)
    try:
        transition = workflow.check(
            name,
            status=report.status,
            reason=reason,
            tier=tier,
            forwarded_to=forwarded_to,
            reference=reference,
        )
    except TransitionError as exc:
        raise ValidationError({"__all__": [str(TRANSITION_MESSAGES[exc.code])]}) from exc
    key = _report_key(report, by, private_key, ReportKey.Purpose.REPORT)
    today = today or timezone.localdate()

    def effects(transition: workflow.Transition) -> list[str]:
        """The dates the step sets, the kind of handling, the destination (encrypted)."""
        fields = []
        if transition.target in (Status.ACCEPTED, Status.REJECTED):
            report.decided_on = today
            fields.append("decided_on")
        if transition.needs_tier:
            report.tier = tier
            fields.append("tier")
        if transition.needs_forward:
            report.forwarded_to = forwarded_to
            report.forwarded_on = today
            report.forward_reference = crypto.encrypt(
                key, reference.strip().encode(), context=_forward_context(report)
            )
            fields += ["forwarded_to", "forwarded_on", "forward_reference"]
        if transition.target in workflow.FINAL:
            report.closed_on = today
            report.retain_until = _years_after(today, retention_years())
            fields += ["closed_on", "retain_until"]
        if report.first_response_on is None:
            report.first_response_on = today
            fields.append("first_response_on")
        return fields

    changes: dict[str, list[Any]] = {}
    if transition.needs_tier:
        changes["tier"] = [None, tier]
    if transition.needs_forward:
        changes["forwarded_to"] = [None, forwarded_to]
    # The reason goes to the reporter as an encrypted message, never into the audit trail.
    apply_transition(
        report,
        name,
        table=workflow.TRANSITIONS,
        reason=reason,
        private_reason=True,
        effects=effects,
        changes=changes,
        actor=by,
    )
    if transition.needs_reason:
        message = _add_message(report, key, Side.HANDLER, reason, author=by)
        if message.sent_on != today:
            message.sent_on = today
            message.save(update_fields=["sent_on"])
    return report


@transaction.atomic
def add_note(*, report: Report, by: Any, private_key: bytes, text: str) -> Note:
    """An internal note for the other handlers; the reporter never sees it. Audited without text."""
    key = _report_key(report, by, private_key, ReportKey.Purpose.REPORT)
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write a note.")]})
    if len(text) > MAX_FIELD_LENGTH:
        raise ValidationError(
            {"text": [_("Write at most %(n)d characters here.") % {"n": MAX_FIELD_LENGTH}]}
        )
    note = Note(report=report, author=by)
    note.body = crypto.encrypt(key, text.encode(), context=note.context)
    note.save()
    audit.record("complaints.note_added", obj=report, actor=by)
    return note


@transaction.atomic
def assign(*, report: Report, to: User, by: Any, assigned: bool = True) -> Report:
    """Put a handler on the report (or take them off). Only people who can read it: they hold
    the report's key and the policy shows them the report (never an excluded one)."""
    from integritas.complaints.access import readers

    if by not in readers(report):
        raise NoAccess
    if assigned:
        if to not in readers(report):
            raise ConflictOfInterest
        if report.assignees.filter(pk=to.pk).exists():
            return report
        report.assignees.add(to)
        change = [None, str(to)]
    else:
        if not report.assignees.filter(pk=to.pk).exists():
            return report
        report.assignees.remove(to)
        change = [str(to), None]
    audit.record("complaints.assigned", obj=report, actor=by, changes={"assignee": change})
    return report


def purge_due(*, by: Any, today: dt.date | None = None, dry_run: bool = False) -> list[Report]:
    """Every report past its retention date; purged one by one (each its own transaction and
    audit event) unless ``dry_run``. Returns the reports found."""
    today = today or timezone.localdate()
    due = [
        r
        for r in Report.objects.filter(
            status__in=[Status.CLOSED, Status.REJECTED], retain_until__lt=today
        ).order_by("retain_until", "pk")
        if r.is_due_for_purge(today)
    ]
    if not dry_run:
        for report in due:
            purge_report(report=report, by=by, today=today)
    return due
