"""An event as evidence for a follow-up activity (closing the loop with follow-up).

Education and follow-up are sibling apps and may not import each other (the layer contract in
``pyproject.toml``). Follow-up offers its activities through ``core.extensions.
register_evidence_targets``; an event is linked to one by the id given there, and education
answers ``core.extensions.linked_evidence`` (registered in ``apps.py``) with the events linked to
an activity once they have taken place, which follow-up then counts as the activity's evidence.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integritas import audit
from integritas.core import extensions
from integritas.core.models import User
from integritas.education.models import AuditAction, Event, EvidenceLink, Registration


def label_for(event: Event) -> str:
    """What the event is evidence for, "" when it is linked to nothing."""
    link = EvidenceLink.objects.filter(event=event).first()
    if link is None:
        return ""
    return extensions.evidence_target_label(link.target) or _("an activity that no longer exists")


@transaction.atomic
def link(*, event: Event, target: str, by: User) -> EvidenceLink:
    """Count ``event`` as evidence for the activity ``target``, which ``by`` may link to."""
    if target not in dict(extensions.evidence_target_choices(by)):
        raise ValidationError({"target": _("Choose an open activity of a running action plan.")})
    found = EvidenceLink.objects.select_for_update().filter(event=event).first()
    before = found.target if found else None
    if found is not None and found.target == target:
        return found
    found = found or EvidenceLink(event=event)
    found.target, found.linked_at, found.linked_by = target, timezone.now(), by
    found.save()
    audit.record(
        AuditAction.EVIDENCE_LINKED,
        obj=event,
        changes={"followup_activity": [before, extensions.evidence_target_label(target)]},
        actor=by,
    )
    return found


@transaction.atomic
def unlink(*, event: Event, by: User) -> None:
    found = EvidenceLink.objects.select_for_update().filter(event=event).first()
    if found is None:
        return
    audit.record(
        AuditAction.EVIDENCE_UNLINKED,
        obj=event,
        changes={"followup_activity": [extensions.evidence_target_label(found.target), None]},
        actor=by,
    )
    found.delete()


def linked_evidence(target: str) -> list[extensions.LinkedEvidence]:
    """The events linked to ``target`` that have taken place, as evidence (the registry's
    provider): title with the attendance, the day, and the public page when it is published."""
    links = EvidenceLink.objects.filter(target=target, event__ends_at__lte=timezone.now())
    items = []
    for found in links.select_related("event").order_by("event__starts_at", "pk"):
        event = found.event
        attended = event.registrations.filter(
            status=Registration.Status.CONFIRMED, checked_in_at__isnull=False
        ).count()
        title = ngettext("%(title)s (%(n)d attended)", "%(title)s (%(n)d attended)", attended) % {
            "title": event.title,
            "n": attended,
        }
        url = reverse("education-public-register", args=[event.code]) if event.is_public else ""
        items.append(
            extensions.LinkedEvidence(
                source=_("Education event"),
                title=title,
                date=timezone.localdate(event.starts_at),
                url=url,
            )
        )
    return items
