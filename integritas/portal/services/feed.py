"""What changed on the portal, for its Atom feed: newly published survey results, newly
published recommendations, and activities the Inspectorate verified on published
recommendations, newest first. Only what the portal shows (``services/public.py``) is here."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.followup.models import Activity
from integritas.portal.models import Publication
from integritas.portal.services import public as published

LIMIT = 50
# Entry ids are UUIDs derived from the record and the moment, so they never show a row number.
NAMESPACE = uuid.UUID("5b0f3c1e-6a57-4f51-9d5a-0c1c8d7a3e21")


@dataclass(frozen=True)
class Entry:
    id: str  # urn:uuid:…
    title: str
    summary: str
    path: str
    updated: dt.datetime


def _id(*parts: object) -> str:
    return uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)).urn


def entries(limit: int = LIMIT) -> list[Entry]:
    """The latest changes, newest first, at most ``limit``."""
    found: list[Entry] = []
    live = Publication.objects.live().order_by("-published_at")
    for pub in live.filter(wave__in=published.waves()).select_related("wave")[:limit]:
        wave = pub.wave
        assert wave is not None
        found.append(
            Entry(
                _id("wave", wave.pk, pub.published_at.isoformat()),
                _("Survey results published: %(title)s") % {"title": wave.title},
                _("The results of %(title)s (%(start)s – %(end)s) are on the portal.")
                % {"title": wave.title, "start": wave.opens_on, "end": wave.closes_on},
                reverse("portal-wave", args=[wave.code]),
                pub.published_at,
            )
        )
    recs = live.filter(recommendation__in=published.recommendations())
    for pub in recs.select_related("recommendation")[:limit]:
        rec = pub.recommendation
        assert rec is not None
        found.append(
            Entry(
                _id("recommendation", rec.pk, pub.published_at.isoformat()),
                _("Recommendation published: %(code)s %(title)s")
                % {"code": rec.code, "title": rec.title},
                _("%(source)s, %(year)s: the recommendation and its units' action plans.")
                % {"source": rec.get_source_display(), "year": rec.year},
                reverse("portal-recommendation", args=[rec.code]),
                pub.published_at,
            )
        )
    verified = (
        Activity.objects.filter(
            status=Activity.Status.VERIFIED,
            verified_at__isnull=False,
            plan__recommendation__in=published.recommendations(),
            plan__status__in=published.PLAN_STATES_WITH_ACTIVITIES,
        )
        .select_related("plan__unit", "plan__recommendation")
        .order_by("-verified_at")[:limit]
    )
    for activity in verified:
        assert activity.verified_at is not None
        rec = activity.plan.recommendation
        found.append(
            Entry(
                _id("activity", activity.pk, activity.verified_at.isoformat()),
                _("Activity verified: %(activity)s") % {"activity": activity.title},
                _("%(unit)s, recommendation %(code)s %(title)s.")
                % {"unit": activity.plan.unit.name, "code": rec.code, "title": rec.title},
                reverse("portal-recommendation", args=[rec.code]),
                activity.verified_at,
            )
        )
    found.sort(key=lambda e: e.updated, reverse=True)
    return found[:limit]
