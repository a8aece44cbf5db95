"""Weak points: where a unit scores below the threshold or significantly below the government.

A weak point is stored so that the follow-up app can turn it into a recommendation; it outlives
recomputations of its wave (``still_weak`` says whether the latest computation still finds it).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from integritas.core.models import Unit
from integritas.surveys.models import Dimension, Question, Wave


class WeakPoint(models.Model):
    """One unit × dimension (or question) × respondent type of a wave that needs action."""

    class Reason(models.TextChoices):
        THRESHOLD = "threshold", _("Below the threshold")
        SIGNIFICANT = "significant", _("Significantly below the government")
        BOTH = "both", _("Below the threshold and significantly below the government")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("weak point", "Open")
        RECOMMENDATION_REQUESTED = "requested", _("Recommendation requested")
        # The two below follow the recommendation written for the weak point (the follow-up
        # app moves them; see ``services.weak_points.FOLLOW``).
        ADDRESSED = "addressed", _("Recommendation issued")
        RESOLVED = "resolved", _("Resolved (recommendation closed)")
        DISMISSED = "dismissed", _("Dismissed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wave = models.ForeignKey(
        Wave, verbose_name=_("wave"), on_delete=models.CASCADE, related_name="weak_points"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="weak_points"
    )
    dimension = models.CharField(_("dimension"), max_length=50)
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="weak_points",
    )
    respondent_type = models.CharField(_("respondent type"), max_length=30, default="all")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    score = models.FloatField(_("score"))
    n = models.PositiveIntegerField(_("respondents"))
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    government_score = models.FloatField(_("government score"), null=True, blank=True)
    government_ci_low = models.FloatField(null=True, blank=True)
    government_ci_high = models.FloatField(null=True, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    severity = models.FloatField(
        _("severity"), default=0.0, help_text=_("Larger is worse; weak points are ranked by it.")
    )
    still_weak = models.BooleanField(_("still weak"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    request_note = models.TextField(_("note"), blank=True)
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dismissed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismiss_reason = models.TextField(_("reason for dismissal"), blank=True)
    # Filled by the follow-up app when it writes the recommendation (its code, not a foreign key:
    # indices must not import the app above it).
    recommendation_ref = models.CharField(_("recommendation"), max_length=50, blank=True)

    class Meta:
        ordering = ["-severity", "unit__code", "dimension"]
        verbose_name = _("weak point")
        verbose_name_plural = _("weak points")
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "unit", "dimension", "respondent_type"],
                condition=models.Q(question__isnull=True),
                name="indices_weak_dimension_once",
            ),
            models.UniqueConstraint(
                fields=["wave", "unit", "question", "respondent_type"],
                condition=models.Q(question__isnull=False),
                name="indices_weak_question_once",
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.dimension}/{self.question.code}" if self.question else self.dimension
        return f"{self.wave.code} {self.unit.code} {where}"

    @property
    def is_question(self) -> bool:
        """A question-level weak point (else it is about a whole dimension)."""
        return self.question_id is not None

    @property
    def gap(self) -> float | None:
        """Points below the government's score (negative when the unit scores above it)."""
        if self.government_score is None:
            return None
        return self.government_score - self.score

    def dimension_name(self) -> str:
        """The dimension's name in the current language, as the instrument version words it
        (its code when the version no longer has it)."""
        dimension = Dimension.objects.filter(
            version_id=self.wave.version_id, code=self.dimension
        ).first()
        return dimension.text("name") if dimension else self.dimension
