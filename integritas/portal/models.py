"""What the public may see: one ``Publication`` per decision to publish a record.

Nothing is on the portal until an Inspectorate role publishes it. A publication names exactly one
record (a survey wave's results, a recommendation with its units' action plans, or one evidence
item the unit marked ``publishable``), who published it and when. Unpublishing keeps the row and
adds who took it down, when and why; publishing the same record again makes a new row, so the
table is the record's whole public history.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationQuerySet(models.QuerySet["Publication"]):
    def live(self) -> PublicationQuerySet:
        """The publications that are on the portal now (not taken down)."""
        return self.filter(unpublished_at__isnull=True)


class Publication(models.Model):
    class Kind(models.TextChoices):
        WAVE = "wave", _("Survey wave results")
        RECOMMENDATION = "recommendation", _("Recommendation and its action plans")
        EVIDENCE = "evidence", _("Evidence")

    kind = models.CharField(_("what is published"), max_length=20, choices=Kind.choices)
    wave = models.ForeignKey(
        "surveys.Wave",
        verbose_name=_("wave"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    recommendation = models.ForeignKey(
        "followup.Recommendation",
        verbose_name=_("recommendation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    evidence = models.ForeignKey(
        "followup.Evidence",
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unpublished_at = models.DateTimeField(_("unpublished at"), null=True, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unpublish_reason = models.TextField(_("reason for unpublishing"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="wave",
                        wave__isnull=False,
                        recommendation__isnull=True,
                        evidence__isnull=True,
                    )
                    | models.Q(
                        kind="recommendation",
                        wave__isnull=True,
                        recommendation__isnull=False,
                        evidence__isnull=True,
                    )
                    | models.Q(
                        kind="evidence",
                        wave__isnull=True,
                        recommendation__isnull=True,
                        evidence__isnull=False,
                    )
                ),
                name="portal_publication_names_one_record",
            ),
            models.CheckConstraint(
                condition=models.Q(unpublished_at__isnull=True) | ~models.Q(unpublish_reason=""),
                name="portal_unpublishing_has_a_reason",
            ),
            *(
                models.UniqueConstraint(
                    fields=[field],
                    condition=models.Q(unpublished_at__isnull=True),
                    name=f"portal_one_live_publication_per_{field}",
                )
                for field in ("wave", "recommendation", "evidence")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target}"

    @property
    def target(self) -> Any:
        return self.wave or self.recommendation or self.evidence

    @property
    def is_live(self) -> bool:
        return self.unpublished_at is None


class AuditAction(models.TextChoices):
    """The actions this app records in the audit trail, with the names its pages show."""

    PUBLISHED = "portal.published", _("Published on the portal")
    UNPUBLISHED = "portal.unpublished", _("Taken off the portal")
