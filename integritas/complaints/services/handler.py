"""The handler's side of whistleblowing reports and complaints: reading a report, messages to
the reporter, files, internal notes, assignment, access for colleagues, the reporter's identity
and status changes. Each needs the handler's private key (``keys.unlock``): a handler whom the
routing gave no copy of the report key cannot decrypt the report, whatever a page allows.

Handler actions are audited without content.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.complaints import workflow
from integritas.complaints.access import readers
from integritas.complaints.models import (
    AlternateHandler,
    Attachment,
    Channel,
    ForwardedTo,
    Message,
    Note,
    Report,
    ReportKey,
    Side,
    Status,
    Tier,
)
from integritas.complaints.services import keys
from integritas.complaints.services.content import (
    MAX_FIELD_LENGTH,
    AttachmentView,
    MessageView,
    add_message,
    read_attachments,
    read_content,
    read_messages,
)
from integritas.complaints.services.errors import ConflictOfInterest, NoAccess
from integritas.complaints.services.retention import retention_years
from integritas.complaints.services.routing import route
from integritas.core.models import Role, RoleAssignment, User
from integritas.core.services.notifications import language_of, notify
from integritas.core.workflow import TransitionError
from integritas.core.workflow import apply as apply_transition
from integritas.lib import crypto


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
        content=read_content(report, key),
        identity=identity,
        messages=read_messages(report, key, with_authors=True),
        attachments=read_attachments(report, key),
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
    message = add_message(report, key, Side.HANDLER, text, author=handler)
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


def _give_key(report: Report, to: User, key: bytes) -> ReportKey:
    """The report key sealed to ``to``'s public key: their copy of the report content."""
    copy, _created = ReportKey.objects.update_or_create(
        report=report,
        holder=to,
        purpose=ReportKey.Purpose.REPORT,
        defaults={"sealed_key": crypto.seal(bytes(keys.key_of(to).public_key), key)},
    )
    return copy


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
    copy = _give_key(report, to, key)
    audit.record(
        "complaints.access_granted", obj=report, actor=by, changes={"holder": [None, str(to)]}
    )
    return copy


def routing_candidates(report: Report) -> list[User]:
    """Who a report waiting to be routed may be given to: whoever the routing would give it to
    today (enrolled, active, not kept away), for example a member newly appointed to the
    alternate group."""
    routing = route(
        unit=report.unit, official=report.official, about_leadership=report.about_leadership
    )
    return [hk.user for hk in routing.handlers]


@transaction.atomic
def route_waiting(*, report: Report, to: User, by: Any, private_key: bytes) -> ReportKey:
    """An identity custodian gives a report nobody could handle to someone who now may
    (``routing_candidates``). The custodians' routing copies are deleted: from then on they hold
    the report no more than for any other report. ``NoAccess`` for anyone without a routing copy;
    ``ConflictOfInterest`` for anyone the routing keeps away. Audited, without content."""
    key = _report_key(report, by, private_key, ReportKey.Purpose.ROUTING)
    if to not in routing_candidates(report):
        raise ConflictOfInterest
    copy = _give_key(report, to, key)
    ReportKey.objects.filter(report=report, purpose=ReportKey.Purpose.ROUTING).delete()
    audit.record("complaints.routed", obj=report, actor=by, changes={"holder": [None, str(to)]})
    return copy


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
        message = add_message(report, key, Side.HANDLER, reason, author=by)
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


def _tell_assignee(report: Report, to: User) -> None:
    """Once the assignment has committed, tell ``to`` that a report was assigned to them: the
    link and nothing else (no channel, number, unit, date or content), in their language and by
    email as they chose. Checked again at that moment: nobody routing keeps away is told."""
    report_pk, user_pk = report.pk, to.pk

    def send() -> None:
        report = Report.objects.get(pk=report_pk)
        user = next((u for u in readers(report) if u.pk == user_pk), None)
        if user is None:
            return
        with translation.override(language_of(user)):
            notify(
                user=user,
                key=f"complaints-assigned:{report.public_id}:{uuid.uuid4().hex}",
                title=_("A report was assigned to you"),
                body=_("Open it in Integritas to read it."),
                url=reverse("complaints-report", args=[report.public_id]),
            )

    transaction.on_commit(send)


@transaction.atomic
def assign(*, report: Report, to: User, by: Any, assigned: bool = True) -> Report:
    """Put a handler on the report (or take them off). Only people who can read it: they hold
    the report's key and the policy shows them the report (never an excluded one)."""
    if by not in readers(report):
        raise NoAccess
    if assigned:
        if to not in readers(report):
            raise ConflictOfInterest
        if report.assignees.filter(pk=to.pk).exists():
            return report
        report.assignees.add(to)
        change = [None, str(to)]
        if to.pk != getattr(by, "pk", None):
            _tell_assignee(report, to)
    else:
        if not report.assignees.filter(pk=to.pk).exists():
            return report
        report.assignees.remove(to)
        change = [str(to), None]
    audit.record("complaints.assigned", obj=report, actor=by, changes={"assignee": change})
    return report


# How the audit pages read what this app's events hold: the attachment whose original a handler
# opened is named by its place among the report's files, never by its id.
EVENT_FIELDS: dict[str, tuple[Any, dict[str, Any]]] = {
    "assignee": (gettext_lazy("handled by"), {}),
    "holder": (gettext_lazy("access given to"), {}),
    "attachment": (gettext_lazy("attachment"), {}),
}
EVENT_ACTORS = {
    "complaint_alerts": gettext_lazy("Scheduled task: report alerts"),
    "purge_reports": gettext_lazy("Scheduled task: report retention"),
}


_REPORT_LABEL = re.compile(r"^(?P<channel>.+) (?P<short>[0-9a-f]{8})$")


def _channel_labels() -> dict[str, Channel]:
    """Each channel by its label in every language, as a report's label was recorded."""
    found: dict[str, Channel] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found.update({str(channel.label): channel for channel in Channel})
    return found


def event_names(texts: set[str]) -> dict[str, str]:
    """Names, in the reader's language, for what this app's events hold: a report's label as
    recorded in another language ("Whistleblowing (corruption or ethics) 1a2b3c4d" reads
    "Whistleblowing (korupsi atau etik) 1a2b3c4d") and an attachment's id by its place among the
    report's files ("Attachment 2 (pdf)")."""
    names = _attachment_names(texts)
    channels: dict[str, Channel] | None = None
    for text in texts:
        match = _REPORT_LABEL.match(text)
        if match is None:
            continue
        channels = _channel_labels() if channels is None else channels
        channel = channels.get(match["channel"])
        if channel is not None:
            names[text] = f"{channel.label} {match['short']}"
    return names


def _attachment_names(texts: set[str]) -> dict[str, str]:
    ids = []
    for text in texts:
        try:
            ids.append(uuid.UUID(text))
        except ValueError:
            continue
    if not ids:
        return {}
    names = {}
    for attachment in Attachment.objects.filter(public_id__in=ids):
        place = Attachment.objects.filter(
            report=attachment.report_id, pk__lte=attachment.pk
        ).count()
        names[str(attachment.public_id)] = _("Attachment %(n)s (%(kind)s)") % {
            "n": place,
            "kind": attachment.kind,
        }
    return names
