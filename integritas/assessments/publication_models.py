"""Results published on the portal: the Inspectorate's decision to publish an MCSP year's scores
or a unit's LKE result (``services/publication.py``). Re-exported by ``assessments.models``."""

from __future__ import annotations

from django.db import models

from integritas.core.models import PublicationDecision, publication_constraints


class ResultPublication(PublicationDecision):
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

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessment__isnull=False, lke__isnull=True)
                | models.Q(assessment__isnull=True, lke__isnull=False),
                name="assessments_publication_names_one_result",
            ),
            *publication_constraints(
                reason="assessments_unpublishing_has_a_reason",
                live={
                    field: f"assessments_one_live_publication_per_{field}"
                    for field in ("assessment", "lke")
                },
            ),
        ]

    def __str__(self) -> str:
        return str(self.assessment or self.lke)
