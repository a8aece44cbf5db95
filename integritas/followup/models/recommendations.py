"""Recommendations (what a unit is asked to do, with where it came from) and the standard
recommendations to start from."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from integritas.core.models import Unit
from integritas.followup.workflow import Status as WorkflowStatus

from .deadlines import bpk_answer_days, due_soon_limit


class RecommendationTemplate(models.Model):
    """A standard recommendation to start from (KPK's six after SPI 2022 and 2023, our wording)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    title_id = models.CharField(_("title (Indonesian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    body_id = models.TextField(_("description (Indonesian)"), blank=True)
    body_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("recommendation template")
        verbose_name_plural = _("recommendation templates")

    def __str__(self) -> str:
        return self.title_id


class Recommendation(models.Model):
    """What a unit is asked to do, with the reference of where it came from."""

    class Source(models.TextChoices):
        SPI = "spi", _("Official SPI result")
        KPK_LETTER = "kpk_letter", _("KPK letter")
        WEAK_POINT = "weak_point", _("Survey weak point")
        BPK = "bpk", _("BPK audit finding")
        INSPECTORATE = "inspectorate", _("Inspectorate audit finding")
        MCP = "mcp", _("MCP indicator")
        COMPLAINT = "complaint", _("Substantiated complaint")
        PREVENTION = "prevention", _("Prevention register")
        ZONA_INTEGRITAS = "zona_integritas", _("Integrity zone self-assessment (LKE)")
        OTHER = "other", _("Other")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        CLOSED = "closed", _("Closed")

    class Tlhp(models.TextChoices):
        """BPK's four audit follow-up categories (DOMAIN.md §3)."""

        SESUAI = "sesuai", _("Completed as recommended (sesuai)")
        BELUM_SESUAI = "belum_sesuai", _("Not yet as recommended (belum sesuai)")
        BELUM_DITINDAKLANJUTI = (
            "belum_ditindaklanjuti",
            _("Not followed up (belum ditindaklanjuti)"),
        )
        TIDAK_DAPAT = "tidak_dapat", _("Cannot be followed up (tidak dapat ditindaklanjuti)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("number"), max_length=30, unique=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # Where it came from: a letter or report number and date (e.g. KPK's
    # B/1838/KSP.007/70-73/04/2024 of 4 April 2024), the finding it answers.
    reference_number = models.CharField(_("reference number"), max_length=100, blank=True)
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    # For BPK findings: the day the audit report reached the government, from which the answer is
    # due in ``bpk_answer_days()`` calendar days (``answer_due_on``).
    report_received_on = models.DateField(_("audit report received on"), null=True, blank=True)
    finding = models.TextField(_("finding"), blank=True)
    amount_to_recover = models.DecimalField(
        _("amount to recover (Rp)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    amount_recovered = models.DecimalField(
        _("amount recovered (Rp)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    tlhp = models.CharField(
        _("follow-up category"),
        max_length=30,
        choices=Tlhp.choices,
        default=Tlhp.BELUM_DITINDAKLANJUTI,
    )
    tlhp_reason = models.TextField(_("reason it cannot be followed up"), blank=True)
    units = models.ManyToManyField(Unit, verbose_name=_("target units"), related_name="+")
    template = models.ForeignKey(
        RecommendationTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    # Links to the measurement it follows up (closing the loop; ARCHITECTURE "every arrow is a
    # real link"): a survey weak point or an official SPI result.
    weak_point = models.ForeignKey(
        "indices.WeakPoint",
        verbose_name=_("weak point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    spi_result = models.ForeignKey(
        "indices.SpiResult",
        verbose_name=_("SPI result"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    # Closed by the Inspectorate once the follow-up is done (``services.recommendations.
    # recommendation_close``); cleared again when the inspector general reopens it.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_to_recover__gte=0, amount_recovered__gte=0),
                name="followup_recommendation_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def amount_outstanding(self) -> Decimal:
        """Rupiah still to recover (never negative: an over-recovery is not a debt)."""
        return max(Decimal("0"), self.amount_to_recover - self.amount_recovered)

    def clean(self) -> None:
        """The day a BPK report was received cannot be in the future (the answer's deadline
        counts from it). The form also requires it for BPK findings (``RecommendationForm``);
        records written before the date was kept have none, and so no answer due date."""
        received = self.report_received_on
        if received is not None and received > timezone.localdate():
            raise ValidationError(
                {
                    "report_received_on": gettext(
                        "The report cannot have been received in the future."
                    )
                }
            )

    def draft_late_units(self, today: dt.date | None = None) -> list[Unit]:
        """The target units that have not submitted their plan by the drafting deadline."""
        late = self.plans.draft_late(today)
        return [plan.unit for plan in late.select_related("unit").order_by("unit__code")]

    @property
    def answer_due_on(self) -> dt.date | None:
        """For a BPK finding, the last day to answer: ``bpk_answer_days()`` calendar days (not
        working days) after the report was received. None for every other source."""
        if self.source != self.Source.BPK or self.report_received_on is None:
            return None
        return self.report_received_on + dt.timedelta(days=bpk_answer_days())

    @property
    def is_answered(self) -> bool:
        """The government has answered once the recommendation is issued and no target unit's
        plan is still a draft (a submitted plan is the unit's answer; a returned one is a draft
        again); a closed recommendation counts as answered."""
        if self.status == self.Status.CLOSED:
            return True
        if self.status == self.Status.DRAFT:
            return False
        return not self.plans.filter(status=WorkflowStatus.DRAFT).exists()

    def is_answer_overdue(self, today: dt.date | None = None) -> bool:
        """Unanswered after the BPK answer's due date (from the day after it)."""
        due = self.answer_due_on
        if due is None or (today or timezone.localdate()) <= due:
            return False
        return not self.is_answered

    def is_answer_due_soon(self, today: dt.date | None = None) -> bool:
        """Unanswered, with the BPK answer due between today and ``due_soon_limit(today)``."""
        due = self.answer_due_on
        today = today or timezone.localdate()
        if due is None or not today <= due <= due_soon_limit(today):
            return False
        return not self.is_answered
