"""Indonesian by default, English on request, remembered per user."""

from __future__ import annotations

import pytest
from django.test import Client

from integritas.audit.models import Event
from integritas.core.tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_pages_are_indonesian_by_default(world: World) -> None:
    html = Client().get("/accounts/login/").content.decode()
    assert '<html lang="id">' in html
    assert "Masuk" in html


def test_a_visitor_can_switch_to_english_with_a_cookie(world: World) -> None:
    client = Client()
    response = client.post("/language/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html and "Sign in" in html


def test_a_signed_in_user_choice_is_stored_on_the_account(world: World) -> None:
    client = client_for(world.officer_a)
    client.post("/language/", {"language": "en", "next": "/"})
    world.officer_a.refresh_from_db()
    assert world.officer_a.language == "en"
    assert Event.objects.filter(
        action="user.language_changed", object_id=str(world.officer_a.pk)
    ).exists()
    # A new session in a new browser still gets English.
    assert '<html lang="en">' in client_for(world.officer_a).get("/").content.decode()


def test_an_unknown_language_changes_nothing(world: World) -> None:
    client = client_for(world.officer_a)
    client.post("/language/", {"language": "xx", "next": "/"})
    world.officer_a.refresh_from_db()
    assert world.officer_a.language == "id"


def test_an_external_next_is_ignored(world: World) -> None:
    response = Client().post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_dates_and_numbers_follow_the_language(world: World) -> None:
    from integritas.core.models import FiscalYear

    FiscalYear.objects.create(year=2024, **FiscalYear.defaults_for(2024))
    client = client_for(world.admin)
    assert "31 Desember 2024" in client.get("/fiscal-years/").content.decode()
    client.post("/language/", {"language": "en", "next": "/"})
    assert "31 December 2024" in client.get("/fiscal-years/").content.decode()


def test_the_browser_language_does_not_override_indonesian(world: World) -> None:
    html = (
        Client(headers={"accept-language": "en-US,en;q=0.9"})
        .get("/accounts/login/")
        .content.decode()
    )
    assert '<html lang="id">' in html
