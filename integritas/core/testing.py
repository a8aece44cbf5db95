"""Named personas shared by every test module (imported by the root conftest).

Kept outside tests/ so any app's tests can use it; it is not imported by the application.

A small government: DINKES (with sub-unit DINKES.PKM) and DISDIK; one person per role.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from integritas.core.extensions import QueueCount
from integritas.core.models import Government, HolidayYear, Role, RoleAssignment, Unit, User
from integritas.core.services.accounts import TOTP_DEVICE_NAME

if TYPE_CHECKING:  # Playwright is only needed by browser tests (see the root conftest)
    from playwright.sync_api import Page

PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only


@dataclass
class World:
    gov: Government
    dinkes: Unit
    puskesmas: Unit
    disdik: Unit
    admin: User
    inspector_general: User
    inspector: User
    leader: User
    head_a: User
    officer_a: User
    officer_b: User
    handler: User
    custodian: User
    nobody: User

    def personas(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "admin": self.admin,
            "inspector_general": self.inspector_general,
            "inspector": self.inspector,
            "leader": self.leader,
            "head_a": self.head_a,
            "officer_a": self.officer_a,
            "officer_b": self.officer_b,
            "handler": self.handler,
            "custodian": self.custodian,
            "nobody": self.nobody,
        }


def make_user(
    username: str,
    *,
    unit: Unit | None = None,
    role: str | None = None,
    role_unit: Unit | None = None,
    can_sign: bool = False,
) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        name=username.replace("_", " ").title(),
        email=f"{username}@example.test",
        unit=unit,
        can_sign=can_sign,
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, unit=role_unit)
    return user


def ensure_holidays() -> None:
    """Put back the holidays seeded by migration when a transactional test (a browser test with
    its live server) emptied the tables before this test: working-day deadlines need them."""
    if not HolidayYear.objects.exists():
        importlib.import_module("integritas.core.migrations.0003_calendar_seed_holidays").seed(
            apps, None
        )


@pytest.fixture
def world(db: None) -> World:
    ensure_holidays()
    gov = Government.objects.create(name="Pemerintah Kota Uji", kind=Government.Kind.CITY)
    dinkes = Unit.objects.create(code="DINKES", name="Dinas Kesehatan", type=Unit.Type.OFFICE)
    puskesmas = Unit.objects.create(
        code="DINKES.PKM", name="UPTD Puskesmas", type=Unit.Type.TECHNICAL_UNIT, parent=dinkes
    )
    disdik = Unit.objects.create(code="DISDIK", name="Dinas Pendidikan", type=Unit.Type.OFFICE)
    return World(
        gov=gov,
        dinkes=dinkes,
        puskesmas=puskesmas,
        disdik=disdik,
        admin=make_user("admin", role=Role.ADMINISTRATOR),
        inspector_general=make_user(
            "inspector_general", role=Role.INSPECTOR_GENERAL, can_sign=True
        ),
        inspector=make_user("inspector", role=Role.INSPECTOR),
        leader=make_user("leader", role=Role.LEADERSHIP),
        head_a=make_user("head_a", unit=dinkes, role=Role.UNIT_HEAD, role_unit=dinkes),
        officer_a=make_user("officer_a", unit=dinkes, role=Role.UNIT_OFFICER, role_unit=dinkes),
        officer_b=make_user("officer_b", unit=disdik, role=Role.UNIT_OFFICER, role_unit=disdik),
        handler=make_user("handler", role=Role.COMPLAINT_HANDLER),
        custodian=make_user("custodian", role=Role.IDENTITY_CUSTODIAN),
        nobody=make_user("nobody", unit=disdik),
    )


def client_for(user: User | None, *, language: str | None = None) -> Client:
    """A client signed in as ``user`` with the second factor already passed; ``language``
    ("en") picks the interface language as the user's own choice would (default Indonesian)."""
    client = Client()
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if user is not None and user.language != language:
            user.language = language
            user.save(update_fields=["language"])
    if user is not None:
        client.force_login(user)
        session = client.session
        # django-otp reads the verified device from the session; a test device stands in.
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


# The role × page matrix (see core/tests/test_url_matrix.py): expected status per persona.
PERSONAS = [
    "anonymous",
    "admin",
    "inspector_general",
    "inspector",
    "leader",
    "head_a",
    "officer_a",
    "officer_b",
    "handler",
    "custodian",
    "nobody",
]
SIGNED_IN = PERSONAS[1:]


def row(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    """Expected status per persona: ``default`` for the signed-in, overridden per persona."""
    result = dict.fromkeys(SIGNED_IN, default)
    result["anonymous"] = anonymous
    result.update(overrides)
    return result


OUT_OF_SCOPE_A = {"officer_b": 404, "nobody": 404}
ADMIN_ONLY = row(403, admin=200)
ADMIN_AND_IG = row(403, admin=200, inspector_general=200)
POST_ONLY = row(405, anonymous=405)


def home_queue(user: User, *, language: str = "en") -> dict[str, Any]:
    """The work-queue lines (``extensions.QueueCount``) of ``user``'s home page, by label, found
    anywhere in the panels the apps registered."""
    found: dict[str, Any] = {}

    def visit(value: Any) -> None:
        if isinstance(value, QueueCount):
            found[value.label] = value
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)

    page = client_for(user, language=language).get("/")
    assert page.status_code == 200
    visit(page.context["extra_panels"])
    return found


def listed_count(user: User, url: str, *, language: str = "en") -> int:
    """How many items the list at ``url`` says it shows (its paginator's count)."""
    page = client_for(user, language=language).get(url)
    assert page.status_code == 200, url
    return int(page.context["page"].paginator.count)


def assert_counts_match_lists(user: User) -> dict[str, int]:
    """Every count on ``user``'s home page equals the count of the list it links to; returns
    the counts by label."""
    queue = home_queue(user)
    for label, line in queue.items():
        assert listed_count(user, line.url) == line.n, (label, line.url)
    return {label: line.n for label, line in queue.items()}


def body(response: Any) -> bytes:
    """The whole body of a response, streamed (downloads) or not, read to its last byte (the
    test client closes a streamed response it answered once it is read)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


# Browser tests ---------------------------------------------------------------------------------

# A known authenticator secret (20 bytes, as RFC 4226 advises) for people who sign in with a
# second step in browser tests.
AUTHENTICATOR_KEY = b"integritas-browser-1"


def enrol_authenticator(user: User, key: bytes = AUTHENTICATOR_KEY) -> TOTPDevice:
    """``user`` has confirmed an authenticator app holding ``key``: the Inspectorate's roles are
    then asked for its code when they sign in."""
    return TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=key.hex(), confirmed=True
    )


def browser_sign_in(
    page: Page,
    live_server_url: str,
    username: str,
    password: str = PASSWORD,
    *,
    key: bytes = AUTHENTICATOR_KEY,
) -> bool:
    """Sign ``username`` in through the login page in a browser; when the two-factor page asks,
    type the authenticator's current code (``key``, see ``enrol_authenticator``). Ends on the
    home page; returns whether a code was asked for."""
    from playwright.sync_api import expect

    page.goto(f"{live_server_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    asked = page.url == f"{live_server_url}/accounts/two-factor/"
    if asked:
        page.fill("input[name=token]", f"{totp(key):06d}")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{live_server_url}/")
    return asked


class BrowserPeople:
    """One browser, several people: each signs in once (``browser_sign_in``); switching swaps
    the session cookies. ``asked_for_a_code`` names those the two-factor page asked."""

    def __init__(self, page: Page, live_server_url: str, *, key: bytes = AUTHENTICATOR_KEY):
        self.page = page
        self.url = live_server_url
        self.key = key
        self.sessions: dict[str, Any] = {}
        self.asked_for_a_code: set[str] = set()

    def become(self, username: str) -> Page:
        page = self.page
        page.context.clear_cookies()
        if username in self.sessions:
            page.context.add_cookies(self.sessions[username])
            return page
        if browser_sign_in(page, self.url, username, key=self.key):
            self.asked_for_a_code.add(username)
        self.sessions[username] = page.context.cookies()
        return page
