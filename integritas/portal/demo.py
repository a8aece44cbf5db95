"""Portal demo data for the fictional city of Karyapura: what its Inspectorate has published.

The Inspector General publishes last year's closed survey waves and the recommendations whose
units have verified activities; the units mark their file evidence of verified activities as
publishable and the Inspector General publishes it, so the portal shows plans with progress, a
timeline and downloadable evidence. Everything goes through the publishing service (one audit
event each). Idempotent: what is already published is left alone.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from integritas.core.models import Role, User
from integritas.followup.models import Activity, Evidence, Recommendation
from integritas.portal.services import publishing
from integritas.surveys.models import Wave

# How many recommendations the demo publishes: enough for the tracker's filters and a second
# page is not needed; the others stay unpublished, as most of an Inspectorate's work would.
RECOMMENDATIONS = 5


def _publisher() -> User | None:
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.INSPECTOR_GENERAL,
            role_assignments__unit__isnull=True,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def seed_portal() -> list[str]:
    by = _publisher()
    if by is None:
        return []
    lines: list[str] = []
    last_year = timezone.localdate().year - 1
    for wave in Wave.objects.filter(status=Wave.Status.CLOSED, closes_on__year=last_year):
        if publishing.live_publication(wave) is None:
            publishing.publish(obj=wave, by=by)
            lines.append(f"published wave {wave.code}")
    candidates = (
        Recommendation.objects.filter(
            status__in=[Recommendation.Status.ISSUED, Recommendation.Status.CLOSED],
            plans__activities__status=Activity.Status.VERIFIED,
        )
        .distinct()
        .order_by("year", "code")[:RECOMMENDATIONS]
    )
    for rec in candidates:
        if publishing.live_publication(rec) is None:
            publishing.publish(obj=rec, by=by)
            lines.append(f"published recommendation {rec.code}")
        verified_files = Evidence.objects.filter(
            activity__plan__recommendation=rec,
            activity__status=Activity.Status.VERIFIED,
            kind=Evidence.Kind.FILE,
        )
        # The units mark their evidence as fit for the public (a field of the evidence form).
        verified_files.filter(publishable=False).update(publishable=True)
        for item in verified_files.select_related("activity"):
            if publishing.live_publication(item) is None:
                publishing.publish(obj=item, by=by)
                lines.append(f"published evidence {item.public_id} of {rec.code}")
    return lines


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    return seed_portal() or ["portal publications already present"]
