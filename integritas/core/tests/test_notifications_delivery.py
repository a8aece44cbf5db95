"""How notifications reach people: in the application only, by email at once (after the
transaction commits), or one daily digest email; and the settings page where each person
chooses."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse

from integritas.audit.models import Event
from integritas.core.models import Notification, NotificationDigest, User
from integritas.core.services.notifications import notify, send_digests
from integritas.core.testing import World, client_for

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(day: dt.date, hour: int = 7) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=JAKARTA), tick=False)


def prefer(user: User, delivery: str) -> User:
    user.notification_delivery = delivery
    user.save(update_fields=["notification_delivery"])
    return user


@pytest.fixture(autouse=True)
def _public_address(settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://integritas.kota-uji.go.id"


def send(user: User, key: str, title: str = "Rencana aksi dikembalikan") -> Notification | None:
    return notify(user=user, title=title, body="Alasan: bobot", url="/followup/", key=key)


def test_email_at_once_is_the_default_and_is_sent_only_after_the_commit(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    assert world.officer_a.notification_delivery == User.Delivery.EMAIL
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(world.officer_a, "k1")
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [[world.officer_a.email]]
    message = mail.outbox[0]
    assert message.subject == "Rencana aksi dikembalikan"
    assert "https://integritas.kota-uji.go.id/followup/" in message.body
    assert "Alasan: bobot" in message.body
    assert Notification.objects.get(key="k1").emailed_at is not None


def test_a_rolled_back_transaction_emails_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send(world.officer_a, "k1")
                raise RuntimeError("the step failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_in_app_only_sends_no_email(world: World, django_capture_on_commit_callbacks: Any) -> None:
    prefer(world.officer_a, User.Delivery.IN_APP)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(world.officer_a, "k1") is not None
    with at(dt.date(2025, 3, 11)):
        send_digests(today=dt.date(2025, 3, 11))
    assert mail.outbox == []


def test_the_email_is_written_in_the_recipients_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.officer_a.language = "en"
    world.officer_a.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        send(world.officer_a, "k1")
        send(world.head_a, "k1")
    english, indonesian = sorted(mail.outbox, key=lambda m: m.to[0] != world.officer_a.email)
    assert "Dear Officer A" in english.body
    assert "Yth. Head A" in indonesian.body


def test_a_mail_failure_leaves_the_notification_in_the_application(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("no route")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send(world.officer_a, "k1")
    notification = Notification.objects.get(key="k1")
    assert notification.emailed_at is None


def test_the_digest_sends_one_email_a_day_listing_the_days_notifications(world: World) -> None:
    prefer(world.officer_a, User.Delivery.DIGEST)
    with at(dt.date(2025, 3, 10), 9):
        send(world.officer_a, "k1", "Rekomendasi baru: R-1")
    with at(dt.date(2025, 3, 10), 15):
        send(world.officer_a, "k2", "Bukti dukung dikembalikan: R-1")
    assert mail.outbox == []  # nothing at once
    with at(dt.date(2025, 3, 11)):
        run = send_digests(today=dt.date(2025, 3, 11))
        again = send_digests(today=dt.date(2025, 3, 11))
    assert (run.emails, run.notifications, again.emails) == (1, 2, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.officer_a.email]
    assert "2 notifikasi" in message.subject
    assert "Rekomendasi baru: R-1" in message.body
    assert "Bukti dukung dikembalikan: R-1" in message.body
    assert "11 Maret 2025" in message.body
    assert NotificationDigest.objects.get(user=world.officer_a).count == 2


def test_a_notification_made_after_the_digest_waits_for_the_next_day(world: World) -> None:
    prefer(world.officer_a, User.Delivery.DIGEST)
    with at(dt.date(2025, 3, 10), 9):
        send(world.officer_a, "k1", "Pertama")
    with at(dt.date(2025, 3, 11)):
        send_digests(today=dt.date(2025, 3, 11))
    with at(dt.date(2025, 3, 11), 10):
        send(world.officer_a, "k2", "Kedua")
        send_digests(today=dt.date(2025, 3, 11))  # a second run that day sends nothing
    assert len(mail.outbox) == 1
    with at(dt.date(2025, 3, 12)):
        send_digests(today=dt.date(2025, 3, 12))
    assert len(mail.outbox) == 2
    assert "Kedua" in mail.outbox[1].body
    assert "Pertama" not in mail.outbox[1].body


def test_no_digest_is_sent_on_a_day_without_notifications(world: World) -> None:
    prefer(world.officer_a, User.Delivery.DIGEST)
    with at(dt.date(2025, 3, 11)):
        run = send_digests(today=dt.date(2025, 3, 11))
    assert run.emails == 0
    assert mail.outbox == []


def test_a_failed_digest_is_tried_again_by_the_next_run(world: World) -> None:
    prefer(world.officer_a, User.Delivery.DIGEST)
    with at(dt.date(2025, 3, 10), 9):
        send(world.officer_a, "k1")
    with (
        at(dt.date(2025, 3, 11)),
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("no route")),
    ):
        failed = send_digests(today=dt.date(2025, 3, 11))
    assert failed.failures and not NotificationDigest.objects.exists()
    with at(dt.date(2025, 3, 11), 8):
        send_digests(today=dt.date(2025, 3, 11))
    assert len(mail.outbox) == 1


def test_each_person_chooses_on_the_settings_page(world: World) -> None:
    client = client_for(world.officer_a)
    page = client.get(reverse("core-notification-settings"))
    assert page.status_code == 200
    assert "satu email sehari (ringkasan harian)" in page.content.decode()
    response = client.post(reverse("core-notification-settings"), {"delivery": "digest"})
    assert response.status_code == 302
    world.officer_a.refresh_from_db()
    assert world.officer_a.notification_delivery == User.Delivery.DIGEST
    event = Event.objects.get(action="user.notifications_changed")
    assert event.changes == {"notification_delivery": ["email", "digest"]}


def test_an_unknown_choice_is_refused(world: World) -> None:
    response = client_for(world.officer_a).post(
        reverse("core-notification-settings"), {"delivery": "sms"}
    )
    assert response.status_code == 400
    world.officer_a.refresh_from_db()
    assert world.officer_a.notification_delivery == User.Delivery.EMAIL


def test_the_profile_and_the_list_link_to_the_settings(world: World) -> None:
    client = client_for(world.officer_a)
    for name in ("core-profile", "core-notification-list"):
        assert reverse("core-notification-settings") in client.get(reverse(name)).content.decode()
