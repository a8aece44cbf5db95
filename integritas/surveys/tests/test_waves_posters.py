"""QR posters: a PDF with one A4 page per service counter (or per unit without services)."""

from __future__ import annotations

import pytest

from integritas.core.testing import World, client_for
from integritas.surveys.models import Service, WaveService
from integritas.surveys.services.posters import poster_pages, render_document
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db


def test_each_service_counter_gets_its_own_page_and_link(world: World) -> None:
    wave = build_wave(build_version(), [world.dinkes, world.disdik])
    dinkes = wave.wave_units.get(unit=world.dinkes)
    for code in ("KIA", "GIGI"):
        service = Service.objects.create(unit=world.dinkes, code=code, name=f"Layanan {code}")
        WaveService.objects.create(
            wave_unit=dinkes, service=service, public_code=f"svc{code.lower()}"
        )
    pages = poster_pages(
        wave=wave,
        wave_units=list(wave.wave_units.order_by("unit__code")),
        base_url="https://kota.example",
    )
    assert [(p["unit"].code, p["service"]) for p in pages] == [
        ("DINKES", "Layanan KIA"),
        ("DINKES", "Layanan GIGI"),
        ("DISDIK", None),
    ]
    assert pages[0]["url"] == "https://kota.example/s/u/svckia/"
    assert "<svg" in pages[0]["qr"]


def test_the_download_is_a_real_pdf_with_a_page_per_poster(world: World) -> None:
    wave = build_wave(build_version(), [world.dinkes, world.disdik])
    response = client_for(world.inspector).get(f"/surveys/waves/{wave.code}/posters.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response.content.rstrip().endswith(b"%%EOF")
    units = list(wave.wave_units.all())
    assert (
        len(render_document(wave=wave, wave_units=units, base_url="https://kota.example").pages)
        == 2
    )
    one = client_for(world.inspector).get(
        f"/surveys/waves/{wave.code}/posters.pdf", {"unit": "DISDIK"}
    )
    assert one.content.startswith(b"%PDF")
    assert 'filename="poster-wave-test-disdik.pdf"' in one["Content-Disposition"]


def test_a_wave_without_public_links_has_no_posters(world: World) -> None:
    wave = build_wave(build_version(), [world.dinkes], public_links=False)
    response = client_for(world.inspector).get(f"/surveys/waves/{wave.code}/posters.pdf")
    assert response.status_code == 302


def test_laying_out_posters_fetches_nothing_from_the_network(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the poster's HTML asks for, only local static files and data: URLs load."""
    from integritas.surveys.services import posters

    asked: list[str] = []

    def fetch_anything(url: str, *args: object, **kwargs: object) -> object:
        asked.append(url)
        raise OSError("no network in tests")

    monkeypatch.setattr("weasyprint.urls.URLFetcher.fetch", fetch_anything)
    monkeypatch.setattr(
        posters,
        "render_to_string",
        lambda *a, **k: '<img src="http://kota.example/logo.png"><img src="/media/x.png">',
    )
    wave = build_wave(build_version(), [world.dinkes])
    posters.render_document(
        wave=wave, wave_units=list(wave.wave_units.all()), base_url="https://kota.example"
    )
    assert not [url for url in asked if url.startswith("http")]
