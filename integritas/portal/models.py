"""What the public may see: one ``Publication`` per decision to publish a record.

Nothing is on the portal until an Inspectorate role publishes it. A publication names exactly one
record (a survey wave's results, a recommendation with its units' action plans, or one evidence
item the unit marked ``publishable``), who published it and when. Unpublishing keeps the row and
adds who took it down, when and why; publishing the same record again makes a new row, so the
table is the record's whole public history.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.core.models import PublicationDecision, publication_constraints


class Publication(PublicationDecision):
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
    # A default here (a caller may date a publication), where the other tables of decisions set
    # it on creation; kept as the migrations made it.
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

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
            *publication_constraints(
                reason="portal_unpublishing_has_a_reason",
                live={
                    field: f"portal_one_live_publication_per_{field}"
                    for field in ("wave", "recommendation", "evidence")
                },
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target}"

    @property
    def target(self) -> Any:
        return self.wave or self.recommendation or self.evidence


class AuditAction(models.TextChoices):
    """The actions this app records in the audit trail, with the names its pages show."""

    PUBLISHED = "portal.published", _("Published on the portal")
    UNPUBLISHED = "portal.unpublished", _("Taken off the portal")
