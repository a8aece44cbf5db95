"""Gratification control (DOMAIN.md §6): the exemption rules, versioned by regulation.

Which gifts need not be reported, up to which value, and the reporting windows in working days
are data: a ``RuleSet`` per regulation, in force from its ``effective_from`` date (the date of
*receipt* chooses the set), with one ``ExemptionRule`` per gift category. The shipped sets
(Perkom 2/2019 and Perkom 1/2026) come from a data migration; an administrator corrects them on
the staff pages, each change audited. No threshold lives in code.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from integritas.core.models import PublicationDecision, publication_constraints


class Category(models.TextChoices):
    """The kinds of gift the checker asks about (their codes are the API's ``category``)."""

    CEREMONY = "ceremony", _("Wedding, birth, religious or customary ceremony")
    COLLEAGUE = "colleague", _("From a colleague, with no occasion")
    COLLEAGUE_OCCASION = (
        "colleague_occasion",
        _("From colleagues at a farewell, retirement, promotion or birthday"),
    )
    FAMILY = "family", _("From close family")
    OTHER = "other", _("Any other gift")


class RuleSetQuerySet(models.QuerySet["RuleSet"]):
    def in_force_on(self, day: dt.date) -> RuleSet | None:
        """The set that applies to a gift received on ``day``: the latest to take effect on or
        before it; a set without a date covers every day before the first dated one."""
        dated = self.filter(effective_from__lte=day).order_by("-effective_from").first()
        return dated or self.filter(effective_from__isnull=True).first()

    def latest_set(self) -> RuleSet | None:
        """The set that took effect last (the undated oldest set only when it is the only one)."""
        return self.order_by(models.F("effective_from").desc(nulls_last=True)).first()


class RuleSet(models.Model):
    """One regulation's exemption thresholds and reporting windows."""

    name = models.CharField(_("name"), max_length=200)
    regulation = models.CharField(
        _("regulation"), max_length=60, unique=True, help_text=_('For example "Perkom 1/2026".')
    )
    effective_from = models.DateField(
        _("in force from"),
        null=True,
        blank=True,
        unique=True,
        help_text=_(
            "Gifts received on or after this date follow this rule set. Leave empty only for the "
            "oldest set: it then covers every date before the next one."
        ),
    )
    upg_report_days = models.PositiveSmallIntegerField(
        _("days to report to the UPG"),
        help_text=_("Working days after receipt for the recipient to report to the UPG."),
    )
    kpk_report_days = models.PositiveSmallIntegerField(
        _("days to report to KPK"),
        help_text=_("Working days after receipt by which the report must reach KPK."),
    )
    upg_forward_days = models.PositiveSmallIntegerField(
        _("days for the UPG to forward"),
        help_text=_("Working days for the UPG to forward a report to KPK."),
    )
    completeness_days = models.PositiveSmallIntegerField(
        _("days to complete a report"),
        help_text=_("Working days to complete an incomplete report before it lapses."),
    )
    kpk_decision_days = models.PositiveSmallIntegerField(
        _("days for KPK's decision"),
        help_text=_("Working days for KPK to decide after a complete report."),
    )
    handover_days = models.PositiveSmallIntegerField(
        _("days to hand over"),
        help_text=_("Working days to hand over a gift that became state property."),
    )
    duty_rule = models.CharField(
        _("rule for gifts connected to duty"),
        max_length=200,
        help_text=_("The name of the rule that a gift connected to the recipient's office breaks."),
    )
    duty_rule_en = models.CharField(_("rule for gifts connected to duty (English)"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = [models.F("effective_from").asc(nulls_first=True)]
        verbose_name = _("gratification rule set")
        verbose_name_plural = _("gratification rule sets")

    def __str__(self) -> str:
        return self.regulation

    def clean(self) -> None:
        if self.effective_from is None:
            others = RuleSet.objects.filter(effective_from__isnull=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {"effective_from": _("Only the oldest rule set may be without a date.")}
                )


class ExemptionRule(models.Model):
    """What a rule set says about one category of gift: whether it is exempt from reporting, and
    up to which value per gift and per giver in a calendar year (``None``: no limit)."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="rules"
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    name = models.CharField(_("rule"), max_length=200)
    name_en = models.CharField(_("rule (English)"), max_length=200)
    exempt = models.BooleanField(
        _("exempt from reporting"),
        help_text=_("Untick when gifts of this category must always be reported."),
    )
    cash_allowed = models.BooleanField(
        _("money may be exempt"), help_text=_("Untick when a gift of money is never exempt.")
    )
    max_per_gift = models.PositiveBigIntegerField(
        _("limit per gift (Rp)"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    max_per_giver_year = models.PositiveBigIntegerField(
        _("limit per giver per year (Rp)"),
        null=True,
        blank=True,
        help_text=_(
            "The gift at hand and what the same giver already gave this calendar year, together. "
            "Empty: no limit."
        ),
    )

    class Meta:
        ordering = ["rule_set", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "category"], name="one_rule_per_category")
        ]
        verbose_name = _("exemption rule")
        verbose_name_plural = _("exemption rules")

    def __str__(self) -> str:
        return f"{self.rule_set.regulation}: {self.get_category_display()}"


class ReportKind(models.TextChoices):
    RECEIPT = "receipt", _("Gift received")
    REFUSAL = "refusal", _("Gift refused")


class Relation(models.TextChoices):
    """How the giver relates to the recipient."""

    COLLEAGUE = "colleague", _("Colleague")
    FAMILY = "family", _("Family")
    SERVICE_USER = "service_user", _("Service user")
    VENDOR = "vendor", _("Vendor or contractor")
    AUDITEE = "auditee", _("Auditee")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    """The occasion of the gift, in KPK's categories (DOMAIN.md §6)."""

    CEREMONY = "ceremony", _("Religious or customary ceremony")
    OFFICIAL_DUTY = "official_duty", _("Official duty")
    BIRTHDAY = "birthday", _("Birthday")
    FAREWELL = "farewell", _("Transfer or farewell")
    WEDDING = "wedding", _("Wedding")
    SEMINAR = "seminar", _("Seminar")
    OTHER = "other", _("Other")


class ObjectKind(models.TextChoices):
    """What was given, in KPK's categories (DOMAIN.md §6)."""

    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")
    FOOD = "food", _("Food")
    DISCOUNT = "discount", _("Discount")
    LODGING = "lodging", _("Lodging")
    TICKETS = "tickets", _("Tickets")
    FACILITIES = "facilities", _("Other facilities")


class Decision(models.TextChoices):
    STATE = "state", _("State property")
    RECIPIENT = "recipient", _("The recipient's")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for completion")
    COMPLETE = "complete", _("Complete")
    FORWARDED = "forwarded", _("Forwarded to KPK")
    DECIDED = "decided", _("Decided by KPK")
    CLOSED = "closed", _("Closed")
    LAPSED = "lapsed", _("Lapsed")


class GratificationReportQuerySet(models.QuerySet["GratificationReport"]):
    def open(self) -> GratificationReportQuerySet:
        closed = [ReportStatus.CLOSED, ReportStatus.LAPSED]
        return self.exclude(status__in=closed)


class GratificationReport(models.Model):
    """A report of a gift received or refused, handled by the UPG and forwarded to KPK.

    ``reporter`` is the signed-in employee who filed it, or the person a paper report names
    (then ``entered_by`` is the UPG officer who typed it in). A ``confidential`` report shows
    its reporter only to the UPG (``access.py``). ``rule_set`` is the set in force on the date of
    receipt; ``step_started_on`` is the day the current step began, from which its deadline is
    counted in working days (``services/reports.deadline``).
    """

    tracking_number = models.CharField(_("tracking number"), max_length=30, unique=True)
    kind = models.CharField(_("report of"), max_length=10, choices=ReportKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    reporter = models.ForeignKey(
        "core.User",
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gratification_reports",
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=200)
    reporter_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("reporter's unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confidential = models.BooleanField(
        _("keep my identity confidential"),
        default=False,
        help_text=_("Only the UPG will see who reported."),
    )
    on_paper = models.BooleanField(_("paper report"), default=False)
    entered_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    giver = models.CharField(_("giver"), max_length=200)
    relation = models.CharField(_("relation to the giver"), max_length=20, choices=Relation.choices)
    event = models.CharField(_("occasion"), max_length=20, choices=EventKind.choices)
    object_kind = models.CharField(_("kind of object"), max_length=20, choices=ObjectKind.choices)
    description = models.TextField(_("description"))
    value = models.PositiveBigIntegerField(_("estimated value (Rp)"))
    location = models.CharField(_("where the object is"), max_length=300)
    received_on = models.DateField(_("date of receipt"))
    reported_on = models.DateField(_("date of report"))
    chronology = models.TextField(_("chronology"))
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="reports"
    )
    late = models.BooleanField(
        _("late: possibly state property"),
        default=False,
        help_text=_("Reported after the window to report to KPK."),
    )
    step_started_on = models.DateField(_("current step since"))
    escalated_on = models.DateField(null=True, blank=True)
    gol_reference = models.CharField(_("GOL reference"), max_length=100, blank=True)
    forwarded_on = models.DateField(_("forwarded to KPK on"), null=True, blank=True)
    decision = models.CharField(
        _("KPK's decision"), max_length=10, choices=Decision.choices, blank=True
    )
    decree_number = models.CharField(_("decree number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    handover_receipt = models.CharField(_("handover receipt number"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GratificationReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("gratification report")
        verbose_name_plural = _("gratification reports")

    def __str__(self) -> str:
        return self.tracking_number


def attachment_path(instance: ReportAttachment, filename: str) -> str:
    """Stored under a random name: the uploaded name is kept in the row, never in the path (it
    could name a confidential reporter)."""
    return f"gratification/{uuid.uuid4().hex}"


class ReportAttachment(models.Model):
    """A photo or document of a gratification report, stored as its clean copy only: a photo's
    pixels drawn again (no EXIF, GPS position or comment), a PDF's pages copied without its
    document information and XMP metadata (``services/attachments.py``). Added, never replaced;
    shown to whoever may see the report's reporter (``services/reports.shows_reporter``)."""

    report = models.ForeignKey(
        GratificationReport,
        verbose_name=_("gratification report"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("gratification report attachment")
        verbose_name_plural = _("gratification report attachments")

    def __str__(self) -> str:
        return self.original_name


class StatisticsPublication(PublicationDecision):
    """The decision to publish one year's gratification statistics on the portal (small groups
    withheld, ``services/statistics.py``). Taken by the Inspectorate or the UPG's head;
    unpublishing keeps the row with who took it down, when and why; publishing the year again
    makes a new row, so the table is the year's whole public history."""

    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["-year", "-published_at", "-pk"]
        verbose_name = _("publication of gratification statistics")
        verbose_name_plural = _("publications of gratification statistics")
        constraints = publication_constraints(
            reason="prevention_statistics_unpublishing_has_a_reason",
            live={"year": "prevention_one_live_statistics_publication_per_year"},
        )

    def __str__(self) -> str:
        return str(self.year)


class AuditAction(models.TextChoices):
    """What administrators and the UPG do, as the audit trail names it."""

    RULE_SET_CREATED = "prevention.rule_set_created", _("Added a gratification rule set")
    RULE_SET_UPDATED = "prevention.rule_set_updated", _("Changed a gratification rule set")
    RULE_UPDATED = "prevention.rule_updated", _("Changed a gratification exemption rule")
    REPORT_SUBMITTED = "prevention.report_submitted", _("Filed a gratification report")
    REPORT_COMPLETE = "prevention.report_complete", _("Found a gratification report complete")
    REPORT_RETURNED = "prevention.report_returned", _("Returned a gratification report")
    REPORT_RESUBMITTED = "prevention.report_resubmitted", _("Completed a gratification report")
    REPORT_LAPSED = "prevention.report_lapsed", _("A gratification report lapsed")
    REPORT_FORWARDED = "prevention.report_forwarded", _("Forwarded a gratification report to KPK")
    REPORT_DECIDED = "prevention.report_decided", _("Recorded KPK's decision on a gratification")
    REPORT_HANDED_OVER = "prevention.report_handed_over", _("Recorded the handover of a gift")
    REPORT_CLOSED = "prevention.report_closed", _("Closed a gratification report")
    STATISTICS_PUBLISHED = (
        "prevention.statistics_published",
        _("Published gratification statistics on the portal"),
    )
    STATISTICS_UNPUBLISHED = (
        "prevention.statistics_unpublished",
        _("Took gratification statistics off the portal"),
    )
    ATTACHMENT_ADDED = (
        "prevention.attachment_added",
        _("Attached a file to a gratification report"),
    )
    REPORTS_ESCALATED = (
        "prevention.reports_escalated",
        _("Told the UPG head of overdue gratification reports"),
    )


# --- LHKPN: officials' wealth reports (DOMAIN.md §7) ---------------------------------------------
# The dates and the compliance figures are in ``prevention/lhkpn.py`` (pure); the services in
# ``services/lhkpn_*.py``.


class LhkpnReportType(models.TextChoices):
    PERIODIC = "periodic", _("Periodic (yearly)")
    INITIAL = "initial", _("Special: on taking office")
    FINAL = "final", _("Special: on leaving office")


class LhkpnStatus(models.IntegerChoices):
    """e-LHKPN's statuses; filed is 1–7 (a draft is not filed), complete is 3–4."""

    DRAFT = 0, _("Draft")
    SUBMITTED = 1, _("Submitted")
    NEEDS_FIXING = 2, _("Needs fixing")
    VERIFIED_COMPLETE = 3, _("Verified complete")
    PUBLISHED_COMPLETE = 4, _("Published complete")
    VERIFIED_INCOMPLETE = 5, _("Verified incomplete")
    PUBLISHED_INCOMPLETE = 6, _("Published incomplete")
    REJECTED = 7, _("Rejected")


class LhkpnSource(models.TextChoices):
    """Where an obligation comes from."""

    POSITION = "position", _("A position that must file")
    DECREE = "decree", _("The decree on who must file")
    APPOINTMENT = "appointment", _("Appointment")
    DEPARTURE = "departure", _("Leaving office")


class LhkpnPosition(models.Model):
    """A position whose holders must file (the government's decree names them): the periodic
    obligations of a year are made for every active person holding one."""

    title = models.CharField(_("position"), max_length=200, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("LHKPN position")
        verbose_name_plural = _("LHKPN positions")

    def __str__(self) -> str:
        return self.title


class LhkpnObligationQuerySet(models.QuerySet["LhkpnObligation"]):
    def not_filed(self) -> LhkpnObligationQuerySet:
        """Nothing in e-LHKPN yet, or only a draft."""
        return self.filter(models.Q(status__isnull=True) | models.Q(status=LhkpnStatus.DRAFT))


class LhkpnObligation(models.Model):
    """One official's duty to file one wealth report (wajib lapor).

    ``person_key`` is the NIP, or the NIK for someone without one: the e-LHKPN status export is
    matched on it. ``year`` is the year of the position reported (periodic) or of the appointment
    or departure (special); ``due_on`` follows from them (``lhkpn.periodic_due``,
    ``lhkpn.special_due``). ``status`` is the latest e-LHKPN status imported (None: nothing in
    e-LHKPN yet). ``user`` links the official's account when the NIP matches one, for reminders.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    report_type = models.CharField(_("report type"), max_length=10, choices=LhkpnReportType.choices)
    person_key = models.CharField(max_length=18, editable=False)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_date = models.DateField(_("date of appointment or leaving"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    source = models.CharField(_("source"), max_length=12, choices=LhkpnSource.choices)
    decree_number = models.CharField(_("decree number"), max_length=100, blank=True)
    status = models.PositiveSmallIntegerField(
        _("e-LHKPN status"), choices=LhkpnStatus.choices, null=True, blank=True
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    status_on = models.DateField(_("status since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LhkpnObligationQuerySet.as_manager()

    class Meta:
        ordering = ["unit__code", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "person_key"],
                condition=models.Q(report_type="periodic"),
                name="lhkpn_one_periodic_per_year",
            ),
            models.UniqueConstraint(
                fields=["report_type", "person_key", "event_date"],
                name="lhkpn_one_special_per_event",
            ),
        ]
        verbose_name = _("LHKPN obligation")
        verbose_name_plural = _("LHKPN obligations")

    def __str__(self) -> str:
        return f"{self.name} · {self.get_report_type_display()} {self.year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.person_key = self.nip or self.nik
        super().save(*args, **kwargs)


class LhkpnAuditAction(models.TextChoices):
    """What the keepers of the LHKPN register do, as the audit trail names it."""

    POSITIONS_CHANGED = (
        "prevention.lhkpn_positions_changed",
        _("Changed the positions that file LHKPN"),
    )
    OBLIGATIONS_CREATED = (
        "prevention.lhkpn_obligations_created",
        _("Listed the officials who must file LHKPN"),
    )
    DECREE_IMPORTED = "prevention.lhkpn_decree_imported", _("Imported the LHKPN decree")
    SPECIAL_CREATED = (
        "prevention.lhkpn_special_created",
        _("Recorded an appointment or departure that must file LHKPN"),
    )
    STATUS_IMPORTED = "prevention.lhkpn_status_imported", _("Imported e-LHKPN statuses")
    REMINDED = "prevention.lhkpn_reminded", _("Reminded officials to file LHKPN")
    COMPLIANCE_PUBLISHED = (
        "prevention.lhkpn_compliance_published",
        _("Published LHKPN compliance on the portal"),
    )
    COMPLIANCE_UNPUBLISHED = (
        "prevention.lhkpn_compliance_unpublished",
        _("Took LHKPN compliance off the portal"),
    )


class LhkpnPublication(PublicationDecision):
    """The decision to publish one year's LHKPN compliance on the portal (per unit and for the
    government, small units withheld, ``services/lhkpn_publication.py``). Taken by the
    Inspectorate; unpublishing keeps the row with who took it down, when and why; publishing the
    year again makes a new row, so the table is the year's whole public history."""

    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["-year", "-published_at", "-pk"]
        verbose_name = _("publication of LHKPN compliance")
        verbose_name_plural = _("publications of LHKPN compliance")
        constraints = publication_constraints(
            reason="prevention_lhkpn_unpublishing_has_a_reason",
            live={"year": "prevention_one_live_lhkpn_publication_per_year"},
        )

    def __str__(self) -> str:
        return str(self.year)
