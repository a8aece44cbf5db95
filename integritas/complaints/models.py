"""Whistleblowing reports and public complaints (DOMAIN.md §5), stored encrypted.

What is readable in these tables, by design, is what the Inspectorate needs to route, count and
time reports: channel, category, unit concerned, status and dates. Everything the reporter wrote or
attached, and who they are, is ciphertext (``integritas/lib/crypto.py``; the protocol is in
docs/security.md, "Whistleblowing encryption"). Nothing about a reporter's device, address or time
of day is stored: reporter actions carry a date only.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.core.models import Unit


class Channel(models.TextChoices):
    WHISTLEBLOWING = "whistleblowing", _("Whistleblowing (corruption or ethics)")
    COMPLAINT = "complaint", _("Public-service complaint")


class Category(models.TextChoices):
    BRIBERY = "bribery", _("Bribery")
    GRATIFICATION = "gratification", _("Gratification")
    EXTORTION = "extortion", _("Extortion or illegal levies")
    PROCUREMENT_FRAUD = "procurement_fraud", _("Procurement fraud")
    ABUSE_OF_AUTHORITY = "abuse_of_authority", _("Abuse of authority")
    CONFLICT_OF_INTEREST = "conflict_of_interest", _("Conflict of interest")
    BUDGET_MISUSE = "budget_misuse", _("Budget misuse")
    POOR_SERVICE = "poor_service", _("Poor service")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    SCREENING = "screening", _("Screening")
    REJECTED = "rejected", _("Rejected")
    ACCEPTED = "accepted", _("Accepted")
    INVESTIGATION = "investigation", _("Under investigation")
    FORWARDED = "forwarded", _("Forwarded")
    CLOSED = "closed", _("Closed")


# What the reporter reads: plain words about what happens next, no internal vocabulary.
REPORTER_STATUS = {
    Status.RECEIVED: _("We have received your report. It will be checked soon."),
    Status.SCREENING: _("Your report is being checked. We may ask you questions here."),
    Status.REJECTED: _("Your report cannot be followed up. The reason is in the messages."),
    Status.ACCEPTED: _("Your report has been accepted and will be followed up."),
    Status.INVESTIGATION: _("Your report is being investigated."),
    Status.FORWARDED: _("Your report has been passed to the competent authority."),
    Status.CLOSED: _("Handling of your report has finished. The outcome is in the messages."),
}


class Tier(models.TextChoices):
    """How much handling an accepted report needs; each tier has its own working-day limit
    (``sla.py``; DOMAIN.md §5: 5, 14 or 60 working days by default)."""

    SIMPLE = "simple", _("Simple case")
    NO_FIELD_CHECK = "no_field_check", _("Needs checking, without a field visit")
    FIELD_CHECK = "field_check", _("Needs a field visit")


class ForwardedTo(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement (police or prosecutor)")
    KPK = "kpk", _("KPK (Corruption Eradication Commission)")
    LAPOR = "lapor", _("SP4N-LAPOR!")


OPEN = (Status.RECEIVED, Status.SCREENING, Status.ACCEPTED, Status.INVESTIGATION, Status.FORWARDED)


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> ReportQuerySet:
        """Reports still being handled (not closed and not rejected)."""
        return self.filter(status__in=OPEN)

    def finished(self) -> ReportQuerySet:
        """Reports whose handling has ended (closed or rejected)."""
        return self.exclude(status__in=OPEN)


# 5W1H (DOMAIN.md §5): what, who, where, when, why, how. Stored together as one encrypted JSON.
CONTENT_FIELDS = ("what", "who", "where", "when", "why", "how")


class Report(models.Model):
    """One report. Routing fields are plain; content and identity are ciphertext."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A named official with an account: kept away from the report."),
    )
    about_leadership = models.BooleanField(
        _("about the Inspectorate or leadership"),
        default=False,
        help_text=_("Such reports go only to the alternate handler group."),
    )
    routed_to_alternate = models.BooleanField(_("sent to the alternate group"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    # Finding and opening the report with the receipt (never stored itself).
    lookup_id = models.CharField(max_length=64, unique=True, editable=False)
    reporter_salt = models.BinaryField(editable=False)
    reporter_kdf = models.CharField(max_length=40, editable=False)
    # The 5W1H fields as one JSON document, encrypted with the report key.
    content = models.BinaryField(editable=False)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("The reporter's identity is readable only by the identity custodians."),
    )
    # The reporter's identity, encrypted with its own key; that key is sealed to the identity
    # custodians (ReportKey, purpose identity) and, unless confidential, wrapped with the report key
    # here so handlers can read it too.
    identity = models.BinaryField(null=True, editable=False)
    identity_key_for_handlers = models.BinaryField(null=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    retain_until = models.DateField(
        _("keep until"),
        null=True,
        blank=True,
        help_text=_("After this day the report may be purged; purging cannot be undone."),
    )
    # Handling (workflow.py): dates only, like every other date of a report.
    tier = models.CharField(_("kind of handling"), max_length=20, choices=Tier.choices, blank=True)
    first_response_on = models.DateField(_("first response on"), null=True, blank=True)
    decided_on = models.DateField(_("accepted or rejected on"), null=True, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    forwarded_to = models.CharField(
        _("forwarded to"), max_length=20, choices=ForwardedTo.choices, blank=True
    )
    # The other authority's reference number, encrypted with the report key like the content.
    forward_reference = models.BinaryField(null=True, editable=False)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned handlers"),
        blank=True,
        related_name="assigned_reports",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{Channel(self.channel).label} {str(self.public_id)[:8]}"

    @property
    def context(self) -> bytes:
        """Authenticated data for this report's ciphertexts: binds them to this row."""
        return f"report:{self.public_id}".encode()

    def reporter_status(self) -> str:
        """The status as the reporter reads it."""
        return str(REPORTER_STATUS[Status(self.status)])

    @property
    def awaits_routing(self) -> bool:
        """Nobody who may handle the report holds its key yet: it waits for an identity
        custodian to route it (``services.handler.route_waiting``)."""
        return self.keys.filter(purpose=ReportKey.Purpose.ROUTING).exists()

    @property
    def is_finished(self) -> bool:
        """Handling has ended (closed or rejected): the reporter can no longer reply, and the
        retention clock runs."""
        return self.status not in OPEN

    def is_due_for_purge(self, today: dt.date | None = None) -> bool:
        """A closed report past its retention date may be purged (never an open one)."""
        today = today or timezone.localdate()
        return self.is_finished and self.retain_until is not None and self.retain_until < today


class ReportKey(models.Model):
    """A copy of a report's key (or identity key) that one holder can open.

    Handlers and custodians: sealed to their public key. The reporter: encrypted with the key
    derived from the receipt (``holder`` empty). Who has no row cannot decrypt the report: this
    is how conflict-of-interest routing is enforced, not only by page permissions.
    """

    class Purpose(models.TextChoices):
        REPORT = "report", _("report content")
        IDENTITY = "identity", _("reporter identity")
        # Given to identity custodians only when nobody may handle the report: they pass it on
        # to someone who may (``services.handler.route_waiting``); the pages never decrypt it.
        ROUTING = "routing", _("routing")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="keys")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.REPORT)
    sealed_key = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "holder", "purpose"], name="complaints_reportkey_unique"
            ),
            models.UniqueConstraint(
                fields=["report", "purpose"],
                condition=models.Q(holder__isnull=True),
                name="complaints_reportkey_one_reporter_copy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.holder or 'reporter'} ({self.purpose})"


class Side(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    HANDLER = "handler", _("Handler")


class Message(models.Model):
    """A message between the reporter and the handlers, encrypted with the report key."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(_("from"), max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The handler who wrote it; empty for the reporter."),
    )
    body = models.BinaryField()
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)

    class Meta:
        ordering = ["pk"]  # the order written; the date alone cannot order a day's messages
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.report} {self.side} {self.sent_on.isoformat()}"


class Note(models.Model):
    """An internal note among handlers, never shown to the reporter; encrypted with the report key
    (a copy of the database must not reveal what handlers think of a report either)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.BinaryField()
    written_on = models.DateField(_("written on"), default=timezone.localdate)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"{self.report} note {self.written_on.isoformat()}"

    @property
    def context(self) -> bytes:
        return f"note:{self.public_id}".encode()


class Attachment(models.Model):
    """A file from the reporter: the original and a copy without metadata, both encrypted files.

    The files have random names under ``complaints/`` in the media store; the original file name
    is encrypted too. The size and the sniffed type are plain (a ciphertext's length tells the size
    anyway).
    """

    class Stripping(models.TextChoices):
        STRIPPED = "stripped", _("Metadata removed")
        NOTHING_FOUND = "nothing_found", _("No metadata found")
        NOT_SUPPORTED = "not_supported", _("Metadata not checked for this type of file")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    side = models.CharField(_("from"), max_length=10, choices=Side.choices, default=Side.REPORTER)
    name = models.BinaryField(editable=False)  # the original file name, encrypted
    original_file = models.CharField(max_length=200, editable=False)
    clean_file = models.CharField(max_length=200, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"))
    kind = models.CharField(_("type"), max_length=10)
    stripping = models.CharField(_("metadata"), max_length=20, choices=Stripping.choices)
    # What was removed from the copy, encrypted (the list itself may say "GPS location").
    stripped = models.BinaryField(editable=False)
    added_on = models.DateField(_("added on"), default=timezone.localdate)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.report} {self.kind} {self.size}"

    def file_context(self, which: str) -> bytes:
        return f"attachment:{self.public_id}:{which}".encode()


class HandlerKey(models.Model):
    """A handler's (or identity custodian's) X25519 key pair.

    The private key is stored twice, each time encrypted: under a key derived from the person's
    password, and under a key derived from the recovery key shown once at enrolment.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="complaint_key"
    )
    public_key = models.BinaryField()
    by_password = models.BinaryField()
    password_salt = models.BinaryField()
    password_kdf = models.CharField(max_length=40)
    by_recovery = models.BinaryField()
    recovery_salt = models.BinaryField()
    recovery_kdf = models.CharField(max_length=40)
    enrolled_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("handler key")
        verbose_name_plural = _("handler keys")

    def __str__(self) -> str:
        return f"{self.user} {bytes(self.public_key).hex()[:16]}"

    @property
    def context(self) -> bytes:
        return f"handler-key:{self.user_id}".encode()


class AlternateHandler(models.Model):
    """A member of the alternate handler group: reports about the Inspectorate or the leadership
    (who would otherwise handle or oversee them) are sealed only to these people."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alternate_handler"
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("For example the decree appointing them."),
    )
    added_on = models.DateField(_("added on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("alternate handler")
        verbose_name_plural = _("alternate handlers")

    def __str__(self) -> str:
        return str(self.user)


class AuditAction(models.TextChoices):
    """The actions whistleblowing records in the audit trail (never a report's content)."""

    COMPLAINTS_KEY_ENROLLED = "complaints.key_enrolled", _("Enrolled a key for reading reports")
    COMPLAINTS_KEY_REPLACED = "complaints.key_replaced", _("Replaced a key for reading reports")
    COMPLAINTS_KEY_PASSWORD_CHANGED = (
        "complaints.key_password_changed",
        _("Re-locked a report key with a new password"),
    )
    COMPLAINTS_KEY_RECOVERED = (
        "complaints.key_recovered",
        _("Recovered a report key with the recovery key"),
    )
    COMPLAINTS_MESSAGE_SENT = "complaints.message_sent", _("Sent a message to the reporter")
    COMPLAINTS_IDENTITY_OPENED = "complaints.identity_opened", _("Opened the reporter's identity")
    COMPLAINTS_ACCESS_GRANTED = (
        "complaints.access_granted",
        _("Gave a colleague access to a report"),
    )
    COMPLAINTS_ROUTED = (
        "complaints.routed",
        _("Routed a report no one could handle to a handler"),
    )
    COMPLAINTS_REPORT_PURGED = (
        "complaints.report_purged",
        _("Purged a report after its retention period"),
    )
    COMPLAINTS_STATUS_CHANGED = "complaints.status_changed", _("Changed the status of a report")
    COMPLAINTS_NOTE_ADDED = "complaints.note_added", _("Added an internal note to a report")
    COMPLAINTS_ASSIGNED = "complaints.assigned", _("Changed who handles a report")
    COMPLAINTS_ORIGINAL_OPENED = (
        "complaints.original_opened",
        _("Opened the original of a reporter's file"),
    )
    COMPLAINTS_KEY_UNLOCK_FAILED = (
        "complaints.key_unlock_failed",
        _("Typed a wrong password for a report key"),
    )
    COMPLAINTS_KEY_LOCKED = (
        "complaints.key_locked",
        _("Report key page locked after wrong passwords"),
    )
    COMPLAINTS_OVERDUE_ALERTS_SENT = (
        "complaints.overdue_alerts_sent",
        _("Sent alerts about overdue reports"),
    )
    COMPLAINTS_DUE_ALERTS_SENT = (
        "complaints.due_alerts_sent",
        _("Sent alerts about reports due today"),
    )
    COMPLAINTS_RECEIPT_LOOKUPS_PAUSED = (
        "complaints.receipt_lookups_paused",
        _("Paused receipt lookups after too many wrong receipts"),
    )
