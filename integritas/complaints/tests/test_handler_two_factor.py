"""Two-factor sign-in for everyone who can read a report: holding a handler key or belonging to
the alternate handler group requires it whatever the person's roles, and enrolling a key needs
a session that passed it first."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from integritas.complaints.models import AlternateHandler, HandlerKey
from integritas.complaints.services import keys
from integritas.core import policy
from integritas.core.models import User
from integritas.core.services import accounts
from integritas.core.testing import PASSWORD, World, client_for, make_user

pytestmark = pytest.mark.django_db

SETUP = reverse("core-2fa-setup")
VERIFY = reverse("core-2fa-verify")
ENROL = reverse("complaints-key-enrol")
STAFF_PAGES = [
    reverse("core-home"),
    reverse("core-profile"),
    reverse("core-notification-list"),
    reverse("core-unit-list"),
    reverse("complaints-key"),
    reverse("complaints-report-list"),
]


def password_only(user: User) -> Client:
    """Signed in with the password, the second step not (yet) passed."""
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def with_authenticator(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=accounts.TOTP_DEVICE_NAME, confirmed=True)


@pytest.fixture
def alternate() -> User:
    """A member of the alternate handler group who holds none of the two-factor roles."""
    user = make_user("alternate_setda")
    AlternateHandler.objects.create(user=user, note="SK Sekda 1/2026")
    return user


def test_an_alternate_handler_without_an_authenticator_is_sent_to_set_one_up_on_every_page(
    alternate: User,
) -> None:
    assert policy.requires_two_factor(alternate)
    client = password_only(alternate)
    for url in STAFF_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == SETUP, url


def test_an_alternate_handler_with_an_authenticator_must_pass_it(alternate: User) -> None:
    with_authenticator(alternate)
    response = password_only(alternate).get(reverse("complaints-key"))
    assert response.status_code == 302 and response["Location"] == VERIFY


def test_leaving_the_alternate_group_ends_the_requirement(alternate: User) -> None:
    AlternateHandler.objects.filter(user=alternate).delete()
    assert not policy.requires_two_factor(alternate)
    assert password_only(alternate).get(reverse("core-home")).status_code == 200


def test_a_key_holder_needs_two_factor_even_when_no_role_of_theirs_requires_it(
    world: World, settings: Any
) -> None:
    settings.TWO_FACTOR_ROLES = ["inspector"]  # complaint handlers left out on purpose
    assert password_only(world.handler).get(reverse("core-home")).status_code == 200
    keys.enrol(user=world.handler, password=PASSWORD)
    assert policy.requires_two_factor(world.handler)
    client = password_only(world.handler)
    for url in STAFF_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == SETUP, url


def test_people_who_read_no_reports_are_not_affected(world: World) -> None:
    assert not policy.requires_two_factor(world.officer_a)
    assert password_only(world.officer_a).get(reverse("core-home")).status_code == 200


def test_enrolling_a_key_without_two_factor_is_refused_with_a_link_to_set_it_up(
    world: World, settings: Any
) -> None:
    # A deployment that asks no role for two-factor: the handler reaches the key page with a
    # password only, and still cannot enrol.
    settings.REQUIRE_2FA = False
    client = password_only(world.handler)
    page = client.get(reverse("complaints-key"))
    assert page.status_code == 200
    assert f'href="{SETUP}"' in page.content.decode()
    assert f'action="{ENROL}"' not in page.content.decode()
    response = client.post(ENROL, {"password": PASSWORD}, follow=True)
    assert not HandlerKey.objects.filter(user=world.handler).exists()
    text = response.content.decode()
    assert "Set up two-factor sign-in before you create your key" in text
    assert f'href="{SETUP}"' in text


def test_an_authenticator_not_passed_in_this_session_is_not_enough(
    world: World, settings: Any
) -> None:
    settings.REQUIRE_2FA = False
    settings.TWO_FACTOR_ROLES = []
    with_authenticator(world.handler)
    client = password_only(world.handler)
    # Having an authenticator sends the person to verification anyway.
    assert client.post(ENROL, {"password": PASSWORD})["Location"] == VERIFY
    assert not HandlerKey.objects.filter(user=world.handler).exists()


def test_enrolling_after_two_factor_sign_in_works(world: World) -> None:
    with_authenticator(world.handler)
    client = client_for(world.handler)  # passed the second step
    page = client.get(reverse("complaints-key"))
    assert f'action="{ENROL}"' in page.content.decode()
    response = client.post(ENROL, {"password": PASSWORD})
    assert response.status_code == 200
    assert response.context["recovery_key"]
    assert HandlerKey.objects.filter(user=world.handler).exists()


def test_the_administrator_sees_alternate_handlers_and_key_holders_missing_two_factor(
    world: World,
) -> None:
    alternate = make_user("sekretaris", unit=world.dinkes)
    AlternateHandler.objects.create(user=alternate, note="SK Sekda 1/2026")
    holder = make_user("pemegang_kunci", unit=world.disdik)
    keys.enrol(user=holder, password="kunci rahasia yang panjang sekali")
    TOTPDevice.objects.create(user=world.admin, name="authenticator", confirmed=True)
    response = client_for(world.admin).get(reverse("core-home"))
    missing = [p.username for p in response.context["admin"]["missing_2fa"]]
    assert "sekretaris" in missing and "pemegang_kunci" in missing
    assert "admin" not in missing
