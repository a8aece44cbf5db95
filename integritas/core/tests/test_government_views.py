"""The government's record (with its emblem) and the fiscal years."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image

from integritas.audit.models import Event
from integritas.core.models import FiscalYear, Government
from integritas.core.tests.conftest import World, client_for


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> Path:
    """Uploaded emblems go to a throwaway folder, not the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def said(message: str) -> str:
    """``message`` in Indonesian, the personas' language."""
    with translation.override("id"):
        return translation.gettext(message)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def government_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": world.gov.name,
        "kind": world.gov.kind,
        "province": "Jawa Barat",
        "address": "Jl. Balai Kota 1",
        "phone": "022 123456",
        "email": "pemkot@example.test",
        "website": "https://kota.example.test",
    }
    data.update(overrides)
    return data


def year_data(year: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "year": year,
        "starts_on": f"{year}-01-01",
        "ends_on": f"{year}-12-31",
        "status": FiscalYear.Status.PLANNING,
    }
    data.update(overrides)
    return data


# --- Government --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["admin", "inspector_general", "inspector", "leader", "officer_a", "handler", "nobody"],
)
def test_everyone_signed_in_can_read_the_government_page(world: World, persona: str) -> None:
    Government.objects.filter(pk=world.gov.pk).update(province="Jawa Barat")

    response = client_for(world.personas()[persona]).get(reverse("core-government"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Pemerintah Kota Uji" in html
    assert "Jawa Barat" in html
    assert response.context["can_change"] is (persona == "admin")


def test_it_sends_a_visitor_who_is_not_signed_in_to_the_login_page(world: World) -> None:
    response = client_for(None).get(reverse("core-government"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core-login"))


@pytest.mark.parametrize("persona", ["inspector_general", "leader", "officer_a", "nobody"])
def test_it_refuses_the_edit_page_to_anyone_but_an_administrator(
    world: World, persona: str
) -> None:
    client = client_for(world.personas()[persona])

    page = client.get(reverse("core-government-edit"))
    response = client.post(reverse("core-government-edit"), government_data(world, name="Hijacked"))

    assert (page.status_code, response.status_code) == (403, 403)
    world.gov.refresh_from_db()
    assert world.gov.name == "Pemerintah Kota Uji"
    assert not Event.objects.filter(action="government.updated").exists()


def test_it_saves_the_details_and_a_png_emblem(world: World, media_in_tmp: Path) -> None:
    emblem = SimpleUploadedFile("lambang.png", png_bytes(), content_type="image/png")

    response = client_for(world.admin).post(
        reverse("core-government-edit"),
        {**government_data(world, name="Pemerintah Kota Contoh"), "emblem": emblem},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core-government")
    world.gov.refresh_from_db()
    assert world.gov.name == "Pemerintah Kota Contoh"
    assert world.gov.emblem.name.startswith("government/lambang")
    assert (media_in_tmp / world.gov.emblem.name).read_bytes() == png_bytes()
    event = Event.objects.get(action="government.updated")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "core.government",
        str(world.gov.pk),
        world.admin.pk,
    )
    assert event.changes["name"] == ["Pemerintah Kota Uji", "Pemerintah Kota Contoh"]
    assert event.changes["emblem"] == ["", world.gov.emblem.name]


def test_it_keeps_the_emblem_when_the_details_are_saved_without_a_new_upload(world: World) -> None:
    client = client_for(world.admin)
    emblem = SimpleUploadedFile("lambang.png", png_bytes(), content_type="image/png")
    client.post(reverse("core-government-edit"), {**government_data(world), "emblem": emblem})
    world.gov.refresh_from_db()
    saved = world.gov.emblem.name

    response = client.post(reverse("core-government-edit"), government_data(world, phone="022 999"))

    assert response.status_code == 302
    world.gov.refresh_from_db()
    assert (world.gov.emblem.name, world.gov.phone) == (saved, "022 999")
    latest = Event.objects.filter(action="government.updated").first()
    assert latest is not None
    assert latest.changes == {"phone": ["022 123456", "022 999"]}


def test_it_removes_the_emblem_when_the_clear_box_is_ticked(world: World) -> None:
    client = client_for(world.admin)
    emblem = SimpleUploadedFile("lambang.png", png_bytes(), content_type="image/png")
    client.post(reverse("core-government-edit"), {**government_data(world), "emblem": emblem})
    world.gov.refresh_from_db()
    saved = world.gov.emblem.name

    response = client.post(
        reverse("core-government-edit"), {**government_data(world), "emblem-clear": "on"}
    )

    assert response.status_code == 302
    world.gov.refresh_from_db()
    assert world.gov.emblem.name == ""
    latest = Event.objects.filter(action="government.updated").first()
    assert latest is not None
    assert latest.changes == {"emblem": [saved, ""]}


def test_it_refuses_a_text_file_named_like_a_png(world: World, media_in_tmp: Path) -> None:
    fake = SimpleUploadedFile("lambang.png", b"this is not a picture", content_type="image/png")

    response = client_for(world.admin).post(
        reverse("core-government-edit"),
        {**government_data(world, name="Changed"), "emblem": fake},
    )

    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["emblem"]] == [
        "invalid_image"
    ]
    world.gov.refresh_from_db()
    assert (world.gov.name, world.gov.emblem.name) == ("Pemerintah Kota Uji", "")
    assert not Event.objects.filter(action="government.updated").exists()
    assert list(media_in_tmp.rglob("*")) == []


def test_it_refuses_an_image_in_a_format_that_is_not_allowed(world: World) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="BMP")
    bmp = SimpleUploadedFile("lambang.bmp", buffer.getvalue(), content_type="image/bmp")

    response = client_for(world.admin).post(
        reverse("core-government-edit"), {**government_data(world), "emblem": bmp}
    )

    assert response.status_code == 400
    assert escape(said("The emblem must be a PNG, JPEG, GIF or WebP image.")) in (
        response.content.decode()
    )
    world.gov.refresh_from_db()
    assert world.gov.emblem.name == ""


def test_it_creates_the_government_record_on_a_fresh_installation(db: None) -> None:
    from integritas.core.models import Role
    from integritas.core.tests.conftest import make_user

    admin = make_user("first_admin", role=Role.ADMINISTRATOR)

    response = client_for(admin).post(
        reverse("core-government-edit"),
        {"name": "Pemerintah Kabupaten Baru", "kind": Government.Kind.REGENCY},
    )

    assert response.status_code == 302
    government = Government.objects.get()
    assert (government.name, government.kind) == ("Pemerintah Kabupaten Baru", "regency")
    event = Event.objects.get(action="government.created")
    assert (event.object_id, event.actor_id) == (str(government.pk), admin.pk)


# --- Fiscal years ------------------------------------------------------------------------------


def test_it_lists_fiscal_years_newest_first_to_everyone_signed_in(world: World) -> None:
    FiscalYear.objects.create(year=2025, **FiscalYear.defaults_for(2025))
    FiscalYear.objects.create(year=2026, **FiscalYear.defaults_for(2026))

    response = client_for(world.leader).get(reverse("core-fiscal-years"))

    assert response.status_code == 200
    assert [y.year for y in response.context["years"]] == [2026, 2025]
    assert response.context["form"] is None
    assert response.context["can_change"] is False


@pytest.mark.parametrize("persona", ["admin", "inspector_general"])
def test_it_adds_a_fiscal_year(world: World, persona: str) -> None:
    user = world.personas()[persona]

    response = client_for(user).post(reverse("core-fiscal-years"), year_data(2026))

    assert response.status_code == 302
    fiscal_year = FiscalYear.objects.get(year=2026)
    assert (fiscal_year.starts_on, fiscal_year.ends_on, fiscal_year.status) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        "planning",
    )
    event = Event.objects.get(action="fiscal_year.created")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "core.fiscalyear",
        str(fiscal_year.pk),
        user.pk,
    )
    assert event.changes["year"] == [None, 2026]
    assert event.changes["starts_on"] == [None, "2026-01-01"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            year_data(1999),
            "year",
            "Enter a year between 2000 and 2100.",
        ),
        (
            year_data(2026, starts_on="2026-12-31", ends_on="2026-01-01"),
            "ends_on",
            "The end date must be after the start date.",
        ),
        (
            year_data(2026, ends_on="2026-01-01", starts_on="2026-01-01"),
            "ends_on",
            "The end date must be after the start date.",
        ),
    ],
)
def test_it_rejects_an_impossible_fiscal_year(
    world: World, data: dict[str, Any], field: str, message: str
) -> None:
    response = client_for(world.admin).post(reverse("core-fiscal-years"), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [said(message)]
    assert escape(said(message)) in response.content.decode()
    assert not FiscalYear.objects.exists()
    assert not Event.objects.filter(action="fiscal_year.created").exists()


def test_it_rejects_a_fiscal_year_that_already_exists(world: World) -> None:
    FiscalYear.objects.create(year=2026, **FiscalYear.defaults_for(2026))

    response = client_for(world.admin).post(
        reverse("core-fiscal-years"), year_data(2026, status=FiscalYear.Status.OPEN)
    )

    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["year"]] == ["unique"]
    assert FiscalYear.objects.get().status == "planning"
    assert not Event.objects.filter(action="fiscal_year.created").exists()


@pytest.mark.parametrize("persona", ["leader", "inspector", "officer_a"])
def test_it_refuses_to_add_a_fiscal_year_for_other_roles(world: World, persona: str) -> None:
    response = client_for(world.personas()[persona]).post(
        reverse("core-fiscal-years"), year_data(2026)
    )

    assert response.status_code == 403
    assert not FiscalYear.objects.exists()
    assert not Event.objects.filter(action="fiscal_year.created").exists()


def test_it_opens_a_fiscal_year_and_records_the_status_change(world: World) -> None:
    fiscal_year = FiscalYear.objects.create(year=2026, **FiscalYear.defaults_for(2026))

    response = client_for(world.inspector_general).post(
        reverse("core-fiscal-year-edit", args=[2026]),
        year_data(2026, status=FiscalYear.Status.OPEN),
    )

    assert response.status_code == 302
    fiscal_year.refresh_from_db()
    assert fiscal_year.status == "open"
    event = Event.objects.get(action="fiscal_year.updated")
    assert (event.object_id, event.actor_id) == (str(fiscal_year.pk), world.inspector_general.pk)
    assert event.changes == {"status": ["planning", "open"]}


def test_it_rejects_an_edit_that_ends_the_year_before_it_starts(world: World) -> None:
    fiscal_year = FiscalYear.objects.create(year=2026, **FiscalYear.defaults_for(2026))

    response = client_for(world.admin).post(
        reverse("core-fiscal-year-edit", args=[2026]),
        year_data(2026, ends_on="2025-06-30", status=FiscalYear.Status.OPEN),
    )

    assert response.status_code == 400
    fiscal_year.refresh_from_db()
    assert (fiscal_year.ends_on, fiscal_year.status) == (dt.date(2026, 12, 31), "planning")
    assert not Event.objects.filter(action="fiscal_year.updated").exists()


def test_it_refuses_a_fiscal_year_edit_by_the_leader(world: World) -> None:
    fiscal_year = FiscalYear.objects.create(year=2026, **FiscalYear.defaults_for(2026))
    client = client_for(world.leader)

    page = client.get(reverse("core-fiscal-year-edit", args=[2026]))
    response = client.post(
        reverse("core-fiscal-year-edit", args=[2026]),
        year_data(2026, status=FiscalYear.Status.CLOSED),
    )

    assert (page.status_code, response.status_code) == (403, 403)
    fiscal_year.refresh_from_db()
    assert fiscal_year.status == "planning"
    assert not Event.objects.filter(action="fiscal_year.updated").exists()


def test_it_answers_404_for_a_fiscal_year_that_does_not_exist(world: World) -> None:
    response = client_for(world.admin).get(reverse("core-fiscal-year-edit", args=[2030]))

    assert response.status_code == 404
