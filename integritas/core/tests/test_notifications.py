"""In-app notifications: the ``notify`` service (once per key), the list, opening one, marking
read, and the unread badge in the header."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integritas.core.models import Notification
from integritas.core.services.notifications import mark_all_read, notify, unread_count
from integritas.core.testing import World, client_for

pytestmark = pytest.mark.django_db


def send(world: World, key: str = "test:1", url: str = "/units/") -> Notification:
    notification = notify(
        user=world.officer_a, title=f"Pengingat {key}", body="Isi pesan", url=url, key=key
    )
    assert notification is not None
    return notification


def test_notify_gives_each_person_each_key_once(world: World) -> None:
    send(world)
    again = notify(user=world.officer_a, title="Lagi", body="", url="", key="test:1")
    other = notify(user=world.head_a, title="Untuk kepala", body="", url="", key="test:1")
    assert again is None
    assert other is not None
    assert Notification.objects.filter(user=world.officer_a).count() == 1


def test_mark_all_read_only_touches_that_persons_notifications(world: World) -> None:
    send(world, "a")
    send(world, "b")
    notify(user=world.head_a, title="Untuk kepala", body="", url="", key="a")
    assert mark_all_read(user=world.officer_a) == 2
    assert unread_count(world.officer_a) == 0
    assert unread_count(world.head_a) == 1


def test_the_list_shows_only_my_notifications(world: World) -> None:
    send(world, "mine")
    notify(user=world.officer_b, title="Rahasia unit lain", body="", url="", key="theirs")
    page = client_for(world.officer_a).get(reverse("core-notification-list"))
    assert page.status_code == 200
    assert "Pengingat mine" in page.content.decode()
    assert "Rahasia unit lain" not in page.content.decode()


def test_the_list_can_show_unread_only(world: World) -> None:
    read = send(world, "old")
    send(world, "new")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    page = client_for(world.officer_a).get(reverse("core-notification-list") + "?show=unread")
    assert "Pengingat new" in page.content.decode()
    assert "Pengingat old" not in page.content.decode()


def test_the_list_is_paginated(world: World) -> None:
    for i in range(60):
        send(world, f"n{i:02d}")
    page = client_for(world.officer_a).get(reverse("core-notification-list"))
    assert page.context["page"].paginator.num_pages > 1
    assert 'rel="next"' in page.content.decode()


def test_the_header_shows_the_unread_count(world: World) -> None:
    send(world, "a")
    send(world, "b")
    client = client_for(world.officer_a)
    html = client.get(reverse("core-home")).content.decode()
    assert reverse("core-notification-list") in html
    assert '<span class="badge bad">2<span class="visually-hidden">' in html
    mark_all_read(user=world.officer_a)
    html = client.get(reverse("core-home")).content.decode()
    assert 'class="badge bad">2' not in html


def test_anonymous_visitors_see_no_notifications_link(world: World) -> None:
    html = client_for(None).get(reverse("core-login")).content.decode()
    assert reverse("core-notification-list") not in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(world: World) -> None:
    notification = send(world, url="/units/")
    response = client_for(world.officer_a).post(
        reverse("core-notification-open", args=[notification.public_id])
    )
    assert response.status_code == 302
    assert response["Location"] == "/units/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_redirects_to_another_site(world: World) -> None:
    notification = send(world, url="https://evil.example/")
    response = client_for(world.officer_a).post(
        reverse("core-notification-open", args=[notification.public_id])
    )
    assert response["Location"] == reverse("core-notification-list")


def test_mark_one_read(world: World) -> None:
    notification = send(world)
    response = client_for(world.officer_a).post(
        reverse("core-notification-read", args=[notification.public_id])
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_from_the_page(world: World) -> None:
    send(world, "a")
    send(world, "b")
    response = client_for(world.officer_a).post(reverse("core-notification-read-all"))
    assert response.status_code == 302
    assert unread_count(world.officer_a) == 0


def test_nobody_can_read_or_open_someone_elses_notification(world: World) -> None:
    notification = send(world)
    client = client_for(world.head_a)
    for name in ("core-notification-open", "core-notification-read"):
        response = client.post(reverse(name, args=[notification.public_id]))
        assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_a_post(world: World) -> None:
    notification = send(world)
    response = client_for(world.officer_a).get(
        reverse("core-notification-read", args=[notification.public_id])
    )
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
