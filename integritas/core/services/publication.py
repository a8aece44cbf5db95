"""Publishing on the portal and taking down again, for every app's table of decisions
(``core.models.PublicationDecision``): the portal's records, the gratification statistics and the
LHKPN compliance of a year, the assessments' results.

Each app decides who may publish and what may be published, then calls ``publish`` or
``unpublish`` here, naming what is published (``key``: the fields that say what it is, e.g.
``{"year": 2025}`` or ``{"wave": wave}``), the audit event and its changes, and the page cache to
retire. Each call is one row change and one audit event, in one transaction: a second live
publication of the same thing is refused, and so is taking one down without a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas import audit
from integritas.core.models import PublicationDecision

P = TypeVar("P", bound=PublicationDecision)


@transaction.atomic
def publish(
    model: type[P],
    *,
    key: Mapping[str, Any],
    by: Any,
    event: str,
    changes: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    lock: models.QuerySet[Any] | None = None,
    subject: models.Model | None = None,
    object_label: str = "",
    retire: Callable[[], object] | None = None,
) -> P:
    """Publish what ``key`` names: a new row of ``model`` (with ``values`` beside ``key``) and the
    audit event ``event`` about ``subject`` (the new publication when None).

    ``lock`` is the rows locked first so that two decisions about the same thing wait for each
    other (by default the publications of ``key``); ``retire`` empties the page cache the caller
    names, once the decision is recorded. Refused when it is published already."""
    rows = lock if lock is not None else model._default_manager.filter(**key)
    rows.select_for_update().exists()
    if model._default_manager.live().filter(**key).exists():
        raise ValidationError(_("This is already published."))
    publication = cast(P, model._default_manager.create(published_by=by, **key, **(values or {})))
    _record(publication, event, subject, changes, "", object_label, by, retire)
    return publication


@transaction.atomic
def unpublish(
    model: type[P],
    *,
    key: Mapping[str, Any],
    by: Any,
    reason: str,
    event: str,
    changes: Mapping[str, Any],
    subject: models.Model | None = None,
    object_label: str = "",
    retire: Callable[[], object] | None = None,
) -> P:
    """Take what ``key`` names off the portal: its live publication keeps who took it down, when
    and ``reason``, and the audit event ``event`` about ``subject`` (the publication when None)
    carries the reason. Refused without a reason (an error on the ``reason`` field) and when
    nothing is live."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is taken off the portal.")})
    live = model._default_manager.live()
    publication: P | None = live.select_for_update().filter(**key).first()
    if publication is None:
        raise ValidationError(_("This is not published."))
    publication.unpublished_at = timezone.now()
    publication.unpublished_by = by
    publication.unpublish_reason = reason
    publication.save(update_fields=["unpublished_at", "unpublished_by", "unpublish_reason"])
    _record(publication, event, subject, changes, reason, object_label, by, retire)
    return publication


def _record(
    publication: PublicationDecision,
    event: str,
    subject: models.Model | None,
    changes: Mapping[str, Any],
    reason: str,
    object_label: str,
    by: Any,
    retire: Callable[[], object] | None,
) -> None:
    """The decision's audit event (about ``subject``, or the publication), then the cache."""
    audit.record(
        event,
        obj=subject if subject is not None else publication,
        changes=changes,
        reason=reason,
        object_label=object_label,
        actor=by,
    )
    if retire is not None:
        retire()
