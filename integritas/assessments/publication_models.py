"""Results published on the portal: the Inspectorate's decision to publish an MCSP year's scores
or a unit's LKE result (``services/publication.py``). Re-exported by ``assessments.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultPublicationQuerySet(models.QuerySet["ResultPublication"]):
    def live(self) -> ResultPublicationQuerySet:
        """The publications on the portal now (not taken down)."""
        return self.filter(unpublished_at__isnull=True)


class ResultPublication(models.Model):
    """The Inspectorate's decision to publish on the portal an MCSP year's scores (``assessment``)
    or a unit's LKE result (``lke``): figures only, never answers or evidence
    (``services/publication.py``). Unpublishing keeps the row with who took it down, when and
    why; publishing again makes a new row."""

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="publications",
    )
    lke = models.ForeignKey(
        "assessments.LkeAssessment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="publications",
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unpublished_at = models.DateTimeField(_("unpublished at"), null=True, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unpublish_reason = models.TextField(_("reason for unpublishing"), blank=True)

    objects = ResultPublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessment__isnull=False, lke__isnull=True)
                | models.Q(assessment__isnull=True, lke__isnull=False),
                name="assessments_publication_names_one_result",
            ),
            models.CheckConstraint(
                condition=models.Q(unpublished_at__isnull=True) | ~models.Q(unpublish_reason=""),
                name="assessments_unpublishing_has_a_reason",
            ),
            *(
                models.UniqueConstraint(
                    fields=[field],
                    condition=models.Q(unpublished_at__isnull=True),
                    name=f"assessments_one_live_publication_per_{field}",
                )
                for field in ("assessment", "lke")
            ),
        ]

    def __str__(self) -> str:
        return str(self.assessment or self.lke)
