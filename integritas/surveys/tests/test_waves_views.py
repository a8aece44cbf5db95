"""Wave pages: creating, progress scoped to the viewer's units, populations, status buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.testing import World, body, client_for
from integritas.surveys.models import Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db


def test_an_inspector_creates_a_wave_over_all_top_level_units(world: World) -> None:
    version = build_version()
    today = timezone.localdate()
    response = client_for(world.inspector).post(
        "/surveys/waves/new/",
        {
            "code": "SKM-2026",
            "title": "SKM 2026",
            "version": version.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=20)).isoformat(),
            "respondent_types": ["public"],
            "margin_of_error": "0.05",
            "sample_method": "slovin",
            "min_group_size": "10",
            "public_links": "on",
            "all_top_level": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/surveys/waves/skm-2026/"
    wave = Wave.objects.get(code="skm-2026")
    assert sorted(wave.wave_units.values_list("unit__code", flat=True)) == ["DINKES", "DISDIK"]
    assert Event.objects.get(action="wave.created").actor == world.inspector


def test_a_wave_form_with_problems_saves_nothing(world: World) -> None:
    version = build_version()
    response = client_for(world.inspector).post(
        "/surveys/waves/new/",
        {
            "code": "x",
            "title": "",
            "version": version.pk,
            "opens_on": "2026-05-02",
            "closes_on": "2026-05-01",
            "respondent_types": [],
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"title", "closes_on", "respondent_types", "units"} <= set(form.errors)
    assert not Wave.objects.exists()


def test_unit_staff_see_only_their_own_units_progress(world: World) -> None:
    wave = build_wave(build_version(), [world.dinkes, world.disdik])
    response = client_for(world.officer_a).get(f"/surveys/waves/{wave.code}/")
    assert response.status_code == 200
    assert [r.wave_unit.unit.code for r in response.context["rows"]] == ["DINKES"]
    html = response.content.decode()
    assert "Dinas Pendidikan" not in html
    assert 'name="population-' not in html  # read-only for unit staff
    full = client_for(world.inspector).get(f"/surveys/waves/{wave.code}/")
    assert [r.wave_unit.unit.code for r in full.context["rows"]] == ["DINKES", "DISDIK"]


def test_populations_are_saved_all_or_nothing(world: World) -> None:
    wave = build_wave(build_version(), [world.dinkes, world.disdik])
    dinkes, disdik = wave.wave_units.order_by("unit__code")
    client = client_for(world.inspector_general)
    client.post(
        f"/surveys/waves/{wave.code}/populations/",
        {f"population-{dinkes.pk}": "1.000", f"population-{disdik.pk}": "abc"},
    )
    dinkes.refresh_from_db()
    assert dinkes.population is None
    client.post(
        f"/surveys/waves/{wave.code}/populations/",
        {f"population-{dinkes.pk}": "1.000", f"population-{disdik.pk}": ""},
    )
    dinkes.refresh_from_db()
    assert (dinkes.population, dinkes.target) == (1000, 278)


def test_the_status_buttons_open_and_close_the_wave(world: World) -> None:
    wave = build_wave(build_version(), [world.dinkes], status=Wave.Status.DRAFT)
    client = client_for(world.inspector)
    page = client.get(f"/surveys/waves/{wave.code}/").content.decode()
    assert 'value="open"' in page and 'value="closed"' not in page
    client.post(f"/surveys/waves/{wave.code}/status/", {"status": "closed"})
    wave.refresh_from_db()
    assert wave.status == Wave.Status.DRAFT  # draft cannot jump to closed
    client.post(f"/surveys/waves/{wave.code}/status/", {"status": "open"})
    wave.refresh_from_db()
    assert wave.status == Wave.Status.OPEN


def test_the_list_filters_and_exports(world: World) -> None:
    version = build_version()
    build_wave(version, [world.dinkes], code="skm-2025", status=Wave.Status.CLOSED)
    build_wave(version, [world.dinkes], code="skm-2026")
    client = client_for(world.leader)
    closed = client.get("/surveys/waves/", {"status": "closed"}).context["page"].object_list
    assert [w.code for w in closed] == ["skm-2025"]
    export = client.get("/surveys/waves/", {"export": "csv"})
    data = body(export)
    assert b"skm-2025" in data and b"skm-2026" in data


def test_the_sample_size_formula_is_written_in_the_readers_language(world: World) -> None:
    wave = build_wave(build_version(), [world.dinkes])
    wave.sample_method = "krejcie_morgan"
    wave.save()
    page = client_for(world.inspector).get(f"/surveys/waves/{wave.code}/").content.decode()
    assert "Contoh untuk populasi 1.000:" in page
    assert "3,841 × 1.000 × 0,25 / (0,05² × 999 + 3,841 × 0,25)" in page
    english = client_for(world.inspector, language="en").get(f"/surveys/waves/{wave.code}/")
    assert "3.841 × 1,000 × 0.25" in english.content.decode()
