"""Notifications: a short message for one person, with a link, read or unread, and emailed as
the person chose.

Apps above core send them (follow-up hand-overs, reminders and escalations, whistleblowing
assignments and alerts) with ``notify``. Each notification carries a ``key`` naming the event it
reports, and a person gets each key once, so a sender that runs twice (a cron job and the worker,
or a retry) notifies nobody twice.

Every notification is in the application. Email follows the person's choice
(``User.notification_delivery``):

- **in-app only**: no email;
- **email at once**: each new notification is emailed once the transaction that created it has
  committed (so a step that fails sends nothing);
- **daily digest**: ``send_digests``, run by the daily schedule, emails one message a day listing
  the notifications not emailed yet since the previous digest (at most the last day's when there
  was none). A person gets at most one digest a day (``NotificationDigest``).

Emails are written in the person's language with the title, message and link of the
notification, nothing more: a sender that must not reveal anything (whistleblowing) keeps that
out of the notification itself.

Notifications are messages, not records of the organisation's work: creating one, emailing it or
marking it read writes no audit event. The sender that decides to notify (e.g. ``send_reminders``)
writes one event for its whole run when it has one.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from integritas import audit
from integritas.core.models import Notification, NotificationDigest, User

logger = logging.getLogger(__name__)

FALLBACK_BASE_URL = "http://localhost:8000"


def notify(
    *, user: User, title: str, body: str, url: str, key: str, email: bool = True
) -> Notification | None:
    """Give ``user`` a notification, unless they already had one with this ``key``.

    Returns the new notification, or None when it was already sent. ``url`` is a path inside the
    application. ``title`` is cut to the column's 300 characters rather than refused. When the
    person chose email at once (and ``email`` is true), it is emailed after the current
    transaction commits; a sender that writes its own email (the follow-up reminders) passes
    ``email=False``.
    """
    if Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, key=key, title=title[:300], body=body, url=url
            )
    except IntegrityError:
        # Another process sent the same key between the check and the insert.
        return None
    if email and emails_at_once(user):
        pk = notification.pk
        transaction.on_commit(lambda: _email_now(pk))
    return notification


def emails_at_once(user: User) -> bool:
    """True when ``user`` wants each notification by email at once (and has an address)."""
    return bool(user.email) and user.notification_delivery == User.Delivery.EMAIL


def base_url() -> str:
    """The address links in emails start with (``PUBLIC_BASE_URL``)."""
    base = str(settings.PUBLIC_BASE_URL).rstrip("/")
    if not base:
        _warn_no_base_url()
        return FALLBACK_BASE_URL
    return base


@functools.cache
def _warn_no_base_url() -> None:
    """Said once per process, not once per email."""
    logger.warning("PUBLIC_BASE_URL is not set; links in emails point to %s", FALLBACK_BASE_URL)


def language_of(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else "id"


def _email_now(pk: int) -> None:
    """Email one notification (after its transaction committed). A mail failure is logged and
    leaves the notification in the application: the step it reports has happened."""
    notification = Notification.objects.select_related("user").filter(pk=pk).first()
    if notification is None or notification.emailed_at is not None:
        return
    user = notification.user
    base = base_url()
    try:
        with translation.override(language_of(user)):
            context = {
                "user": user,
                "items": [_item(notification, base)],
                "notifications_link": base + reverse("core-notification-list"),
                "settings_link": base + reverse("core-notification-settings"),
            }
            text = render_to_string("core/email/notification.txt", context)
            EmailMessage(subject=notification.title, body=text, to=[user.email]).send()
    except Exception:  # noqa: BLE001 - the step is done; a mailbox must not undo it
        logger.exception("notification email to user %s failed", user.pk)
        return
    Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())


def _item(notification: Notification, base: str) -> dict[str, str]:
    return {
        "title": notification.title,
        "body": notification.body,
        "link": base + notification.url if notification.url else "",
    }


# --- The daily digest ----------------------------------------------------------------------------


@dataclass
class DigestRun:
    """What one digest run sent, and to whom it could not."""

    emails: int = 0
    notifications: int = 0
    failures: list[str] = field(default_factory=list)


def digest_items(user: User, now: dt.datetime) -> list[Notification]:
    """The notifications the next digest of ``user`` lists: not emailed yet, made since the
    previous digest (or within the last day when there was none), oldest first."""
    previous = NotificationDigest.objects.filter(user=user).order_by("-sent_at").first()
    since = previous.sent_at if previous else now - dt.timedelta(days=1)
    return list(
        Notification.objects.filter(
            user=user, emailed_at__isnull=True, created_at__gt=since, created_at__lte=now
        ).order_by("created_at", "pk")
    )


def _digest_email(user: User, items: Sequence[Notification], today: dt.date) -> EmailMessage:
    base = base_url()
    context: dict[str, Any] = {
        "user": user,
        "today": today,
        "items": [_item(n, base) for n in items],
        "notifications_link": base + reverse("core-notification-list"),
        "settings_link": base + reverse("core-notification-settings"),
    }
    subject = ngettext(
        "Integritas daily digest: %(count)d notification",
        "Integritas daily digest: %(count)d notifications",
        len(items),
    ) % {"count": len(items)}
    text = render_to_string("core/email/digest.txt", context)
    return EmailMessage(subject=subject, body=text, to=[user.email])


def send_digests(*, today: dt.date, now: dt.datetime | None = None) -> DigestRun:
    """Email today's digest to everyone who chose it and has something new; at most once a day
    per person, so running it again the same day sends nothing. A failed email is rolled back
    (no digest recorded, nothing marked emailed) and tried again by the next run."""
    now = now or timezone.now()
    run = DigestRun()
    people = User.objects.filter(
        is_active=True, notification_delivery=User.Delivery.DIGEST
    ).exclude(email="")
    for user in people.exclude(digests__day=today).order_by("pk"):
        items = digest_items(user, now)
        if not items:
            continue
        try:
            with transaction.atomic(), translation.override(language_of(user)):
                NotificationDigest.objects.create(
                    user=user, day=today, sent_at=now, count=len(items)
                )
                Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
                _digest_email(user, items, today).send()
        except IntegrityError:
            continue  # another run sent this person's digest a moment ago
        except Exception as exc:  # noqa: BLE001 - one unreachable mailbox must not stop the rest
            logger.exception("digest email to user %s failed", user.pk)
            run.failures.append(f"user {user.pk}: {exc.__class__.__name__}; will retry next run")
            continue
        run.emails += 1
        run.notifications += len(items)
    return run


# --- Reading and settings ------------------------------------------------------------------------


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


@transaction.atomic
def set_delivery(*, user: User, delivery: str) -> User:
    """Change how ``user`` receives notifications; one audit event when it changes."""
    if delivery not in User.Delivery.values:
        raise ValueError(f"unknown delivery {delivery!r}")
    if user.notification_delivery != delivery:
        before = user.notification_delivery
        user.notification_delivery = delivery
        user.save(update_fields=["notification_delivery"])
        audit.record(
            "user.notifications_changed",
            obj=user,
            changes={"notification_delivery": [before, delivery]},
        )
    return user
