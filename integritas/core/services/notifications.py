"""In-app notifications: a short message for one person, with a link, read or unread.

Apps above core send them (follow-up reminders, escalations, digests) with ``notify``. Each
notification carries a ``key`` naming the event it reports, and a person gets each key once, so a
sender that runs twice (a cron job and the worker, or a retry) notifies nobody twice.

Notifications are messages, not records of the organisation's work: creating one or marking it
read writes no audit event. The sender that decides to notify (e.g. ``send_reminders``) writes
one event for its whole run.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from integritas.core.models import Notification, User


def notify(*, user: User, title: str, body: str, url: str, key: str) -> Notification | None:
    """Give ``user`` a notification, unless they already had one with this ``key``.

    Returns the new notification, or None when it was already sent. ``url`` is a path inside the
    application. ``title`` is cut to the column's 300 characters rather than refused.
    """
    if Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, key=key, title=title[:300], body=body, url=url
            )
    except IntegrityError:
        # Another process sent the same key between the check and the insert.
        return None


def mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (the first reading time is kept)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many there were."""
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user).unread().count()
