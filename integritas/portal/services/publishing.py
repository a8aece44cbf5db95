"""Publishing on the portal is a decision: an Inspectorate role publishes a record, and takes it
down again only with a reason. Each step is one ``Publication`` row change and one audit event,
in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.core import policy
from integritas.core.services import publication as decisions
from integritas.followup.models import Activity, Evidence, Recommendation
from integritas.portal.models import AuditAction, Publication
from integritas.portal.services import cache
from integritas.surveys.models import Wave

ON_PORTAL = "on_portal"
EVENT_FIELDS: dict[str, tuple[Any, dict[str, Any]]] = {
    ON_PORTAL: (
        gettext_lazy("On the portal"),
        {"published": gettext_lazy("Published"), "unpublished": gettext_lazy("Not published")},
    ),
    "publication": (gettext_lazy("What is published"), dict(Publication.Kind.choices)),
}

KIND_OF: dict[type[models.Model], str] = {
    Wave: Publication.Kind.WAVE,
    Recommendation: Publication.Kind.RECOMMENDATION,
    Evidence: Publication.Kind.EVIDENCE,
}


def kind_of(obj: models.Model) -> str:
    """The publication kind of ``obj``; ``TypeError`` for a record that cannot be published."""
    try:
        return KIND_OF[type(obj)]
    except KeyError:
        raise TypeError(f"{type(obj).__name__} cannot be published") from None


def live_publication(obj: models.Model) -> Publication | None:
    """The publication that has ``obj`` on the portal now, or None."""
    return Publication.objects.live().filter(**{kind_of(obj): obj}).first()


def may_publish(user: Any) -> bool:
    """Whether ``user`` may publish and unpublish (the policy's ``publish`` capability)."""
    return policy.allows_model(user, "publish", Publication)


def why_not_publishable(obj: models.Model) -> str | None:
    """What keeps ``obj`` off the portal whoever asks, or None when it may be published."""
    if isinstance(obj, Wave) and obj.status == Wave.Status.DRAFT:
        return _("A wave that has not opened yet has no results to publish.")
    if isinstance(obj, Recommendation) and obj.status == Recommendation.Status.DRAFT:
        return _("Only an issued recommendation can be published.")
    if isinstance(obj, Evidence):
        if not obj.publishable:
            return _("The unit has not marked this evidence as one that may be published.")
        if obj.activity.status != Activity.Status.VERIFIED:
            return _("Only the evidence of an activity the Inspectorate verified can be published.")
    return None


def _check(user: Any) -> None:
    if not may_publish(user):
        raise PermissionDenied(_("Only the Inspectorate publishes on the portal."))


@transaction.atomic
def publish(*, obj: models.Model, by: Any) -> Publication:
    """Put ``obj`` on the portal. Refused (nothing changes) for someone outside the
    Inspectorate, for a record that cannot be published yet, and for one already published."""
    _check(by)
    kind = kind_of(obj)
    reason = why_not_publishable(obj)
    if reason:
        raise ValidationError(reason)
    return decisions.publish(
        Publication,
        key={kind: obj},
        values={"kind": kind},
        lock=type(obj)._default_manager.filter(pk=obj.pk),
        by=by,
        event=AuditAction.PUBLISHED,
        subject=obj,
        changes={ON_PORTAL: ["unpublished", "published"], "publication": [None, kind]},
        retire=cache.invalidate,
    )


@transaction.atomic
def unpublish(*, obj: models.Model, by: Any, reason: str) -> Publication:
    """Take ``obj`` off the portal, with the reason the public record keeps. The publication row
    stays, marked with who took it down, when and why."""
    _check(by)
    kind = kind_of(obj)
    return decisions.unpublish(
        Publication,
        key={kind: obj},
        by=by,
        reason=reason,
        event=AuditAction.UNPUBLISHED,
        subject=obj,
        changes={ON_PORTAL: ["published", "unpublished"], "publication": [kind, None]},
        retire=cache.invalidate,
    )
