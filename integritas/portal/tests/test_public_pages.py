"""The portal as an anonymous visitor sees it: `/` is the portal (a signed-in officer keeps the
staff home), only published records appear anywhere, evidence downloads lose their metadata, and
unknown addresses answer 404 in the portal's style."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from integritas.core.models import Role, Unit
from integritas.core.testing import World, client_for, make_user
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person
from integritas.education.tests.conftest import make_event
from integritas.followup.models import EvidenceFile
from integritas.indices.models import IndexResult
from integritas.lib.formatting import format_number
from integritas.portal.services import publishing
from integritas.portal.tests.stories import AUTHOR, Story, computed_wave, story
from integritas.portal.tests.test_events import held, scored
from integritas.prevention import lhkpn
from integritas.prevention.models import LhkpnObligation, LhkpnReportType, LhkpnSource
from integritas.prevention.services import lhkpn_publication
from integritas.prevention.services import statistics as gratification_statistics
from integritas.prevention.tests.conftest import file_reports
from integritas.surveys.models import Wave

pytestmark = pytest.mark.django_db


PORTAL_PREFIXES = (
    "/publik/",
    "/kegiatan/",
    "/tindak-lanjut/",
    "/bukti/",
    "/unit/",
    "/hasil-survei/",
    "/data/",
    "/statistik-pengaduan/",
    "/statistik-gratifikasi/",
    "/kepatuhan-lhkpn/",
    "/hasil-penilaian/",
)


def _text(response: Any) -> str:
    """An answer's text: a page, a feed or a download (a workbook's sheets and strings)."""
    content_type = response["Content-Type"]
    if content_type.startswith(("text/", "application/json", "application/ld+json")):
        return str(response.content.decode("utf-8-sig"))
    if "spreadsheetml" in content_type:
        with zipfile.ZipFile(io.BytesIO(response.content)) as workbook:
            return " ".join(workbook.read(name).decode() for name in workbook.namelist())
    if "xml" in content_type:
        return str(response.content.decode())
    return str(response.content.decode("latin-1"))


def _walk(client: Client, start: list[str]) -> dict[str, str]:
    """Every portal page reachable by links from ``start``, by address (the public ones only)."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = body = _text(response)
        for link in re.findall(r'href="([^"#?]+)"', body):
            if link.startswith(PORTAL_PREFIXES):
                queue.append(link)
    return seen


API_ROOTS = [
    "/api/v1/profile",
    "/api/v1/units",
    "/api/v1/waves",
    "/api/v1/recommendations",
    "/api/v1/audit-anchors",
    "/api/v1/openapi.json",
]


def _walk_api(client: Client, start: list[str]) -> dict[str, str]:
    """Every API answer reachable from ``start`` by the API paths its answers name (each list's
    every page included), by address; the documentation page too."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = response.content.decode()
        body = response.json()
        if isinstance(body, dict) and "pages" in body and "page=" not in url:
            separator = "&" if "?" in url else "?"
            queue += [f"{url}{separator}page={n}" for n in range(2, body["pages"] + 1)]
        queue += [p for p in _strings(body) if p.startswith("/api/v1/") and "{" not in p]
    docs = client.get("/api/v1/docs")
    seen["/api/v1/docs"] = docs.content.decode()
    return seen


def _numbers(value: object) -> set[float]:
    """Every number in a JSON answer (booleans aside)."""
    if isinstance(value, bool):
        return set()
    if isinstance(value, int | float):
        return {float(value)}
    if isinstance(value, dict):
        return {n for v in value.values() for n in _numbers(v)}
    if isinstance(value, list):
        return {n for v in value for n in _numbers(v)}
    return set()


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_the_anonymous_walk_finds_nothing_unpublished(world: World) -> None:
    s = story(world)
    shown = computed_wave(world, code="skm-terbit", title="SKM yang terbit")
    hidden = computed_wave(world, code="skm-rahasia", title="SKM rahasia belum terbit", shift=1)
    publishing.publish(obj=shown, by=world.inspector)
    taken_down = computed_wave(world, code="skm-ditarik", title="SKM ditarik kembali", shift=2)
    publishing.publish(obj=taken_down, by=world.inspector)
    publishing.unpublish(obj=taken_down, by=world.inspector, reason="Ditinjau ulang")
    start = ["/", reverse("portal-home"), reverse("portal-tracker")]
    start += [
        reverse("portal-unit", args=[code]) for code in Unit.objects.values_list("code", flat=True)
    ]
    start += [
        f"{reverse('portal-tracker')}?{query}"
        for query in ["status=verified", "status=draft", "year=2024", "q=Rahasia", "unit=DINKES"]
    ]
    # The open data: the catalogue (page and JSON-LD), the feed, the statistics, the years,
    # and every download with the filters the pages pass on.
    start += [
        reverse("portal-data"),
        reverse("portal-data-catalog"),
        reverse("portal-feed"),
        reverse("portal-complaint-statistics"),
        reverse("portal-sitemap"),
    ]
    start += [reverse("portal-year", args=[s.rec.year])]
    # Education events: a published one with a participant, an unpublished one.
    shown_event = make_event(world, title="Sosialisasi terbuka")
    person = Person("Nama Peserta Rahasia", "Instansi Rahasia", "press", email="p@example.test")
    registrations.register(event=shown_event, person=person)
    hidden_event = make_event(world, title="Acara belum terbit", public=False)
    # A held event whose press group (one pair) is withheld from the learning gain.
    gain_event = held(world, title="Sosialisasi berpasangan", attended={"staff": 5, "press": 1})
    scored(gain_event, {"staff": [(40, 55)] * 5, "press": [(11, 57.73)]})
    start += [reverse("portal-events")]
    start += [
        f"{reverse('portal-data-file', args=['tindak-lanjut', fmt])}?{query}"
        for fmt in ("csv", "xlsx", "json")
        for query in ["status=draft", "year=2024", "q=Rahasia", "unit=DINKES"]
    ]
    # Gratification: 2026's statistics published (one small unit withheld), 2025's not; no
    # report, reporter, giver or description reaches any page.
    upg_officer = make_user("upg_walk", role=Role.UPG_OFFICER)
    file_reports(upg_officer, 6, reporter_unit=world.dinkes, giver="PT Pemberi Tersembunyi")
    file_reports(
        upg_officer,
        1,
        reporter_unit=world.disdik,
        reporter_name="Pelapor Rahasia Gratifikasi",
        confidential=True,
        description="Jam tangan emas rahasia",
    )
    file_reports(
        upg_officer,
        2,
        received_on=dt.date(2025, 3, 3),
        reported_on=dt.date(2025, 3, 5),
        giver="PT Tahun Belum Terbit",
    )
    gratification_statistics.publish(year=2026, by=world.inspector)
    start += [reverse("portal-gratification-statistics")]
    # LHKPN: 2025's compliance published (Disdik's two officials withheld), 2024's not; no
    # official's name, NIP or NIK reaches any page. The walk finds the page from the home.
    officials = _lhkpn_officials(world)
    lhkpn_publication.publish(year=2025, by=world.inspector)
    pages = _walk(Client(), start)
    lhkpn_page = pages[reverse("portal-lhkpn-compliance")]
    assert "&lt; 5" in lhkpn_page and ">2024<" not in lhkpn_page
    gratification_page = pages[reverse("portal-gratification-statistics")]
    assert "&lt; 5" in gratification_page and 'value="2025"' not in gratification_page
    assert reverse("portal-data-file", args=[f"hasil-survei-{shown.code}", "xlsx"]) in pages
    assert reverse("portal-data-file", args=["unit-DINKES", "json"]) in pages
    assert reverse("portal-recommendation", args=[s.rec.code]) in pages
    assert reverse("portal-event", args=[shown_event.code]) in pages
    gain_page = pages[reverse("portal-event", args=[gain_event.code])]
    assert 'id="gain-title"' in gain_page and "0,30" in gain_page  # the whole event's gain
    assert reverse("portal-evidence", args=[s.evidence.public_id]) in pages
    assert reverse("portal-wave", args=[shown.code]) in pages
    assert _government_score(shown) in pages[reverse("portal-wave", args=[shown.code])]
    stored = EvidenceFile.objects.get(evidence=s.hidden_evidence)
    secrets = [
        s.hidden_rec.code,
        s.hidden_rec.title,
        s.hidden_evidence.title,
        str(s.hidden_evidence.public_id),
        stored.original_name,
        EvidenceFile.objects.get(evidence=s.evidence).original_name,  # even a published file's
        hidden_event.title,
        hidden_event.code,
        person.name,
        person.institution,
        person.email,
        "Peserta press 0",
        "PT Pemberi Tersembunyi",
        "Pelapor Rahasia Gratifikasi",
        "Jam tangan emas rahasia",
        "PT Tahun Belum Terbit",
        "GRT-2026-",
        "GRT-2025-",
        *officials,
        # The press participant's own gain (46.73 ÷ 89 = 0.53) and the staff's (0.25), withheld.
        "0,53",
        "0.53",
        ">0,25",
    ]
    for wave in (hidden, taken_down):
        secrets += [wave.code, wave.title, _government_score(wave)]
    assert len({_government_score(w) for w in (shown, hidden, taken_down)}) == 3
    api = _walk_api(
        Client(),
        API_ROOTS
        + [
            f"/api/v1/recommendations?{query}"
            for query in ["status=verified", "status=draft", "year=2024", "q=Rahasia"]
        ]
        + [f"/api/v1/units/{code}" for code in Unit.objects.values_list("code", flat=True)],
    )
    assert f"/api/v1/recommendations/{s.rec.code}" in api
    assert f"/api/v1/waves/{shown.code}/units" in api
    assert str(s.evidence.public_id) in api[f"/api/v1/recommendations/{s.rec.code}"]
    for url, body in {**pages, **api}.items():
        for secret in secrets:
            assert secret not in body, f"{secret!r} on {url}"
    hidden_scores = {_government_value(wave) for wave in (hidden, taken_down)}
    for url, body in api.items():
        if url != "/api/v1/docs":
            assert hidden_scores.isdisjoint(_numbers(json.loads(body))), url


def _lhkpn_officials(world: World) -> list[str]:
    """Officials who must file: 2025 (Dinkes 6, Disdik 2) and 2024 (5, unpublished); their
    names, NIPs and NIKs, which no public page may show."""
    found = []
    for year, unit, count, first in [
        (2025, world.dinkes, 6, 0),
        (2025, world.disdik, 2, 10),
        (2024, world.dinkes, 5, 20),
    ]:
        for n in range(first, first + count):
            nip, nik = f"19750505200001{n:04d}", f"3171010505750{n:03d}"
            name = f"Pejabat Wajib Lapor {year}-{n}"
            LhkpnObligation.objects.create(
                year=year,
                report_type=LhkpnReportType.PERIODIC,
                nip=nip if n % 2 else "",
                nik="" if n % 2 else nik,
                name=name,
                position="Kepala Bidang Rahasia",
                unit=unit,
                due_on=lhkpn.periodic_due(year),
                source=LhkpnSource.DECREE,
                status=n % 8,
            )
            found += [name, nip if n % 2 else nik]
    return found + ["Kepala Bidang Rahasia"]


def _government_value(wave: Wave) -> float:
    """The wave's overall government result as the API writes it (to the wave's precision)."""
    cell = IndexResult.objects.get(
        run__wave=wave, node="ALL", dimension="ALL", respondent_type="all"
    )
    assert cell.score is not None
    return round(cell.score, 2)


def _government_score(wave: Wave) -> str:
    """The wave's overall result for the whole government, as the portal writes it."""
    cell = IndexResult.objects.get(
        run__wave=wave, node="ALL", dimension="ALL", respondent_type="all"
    )
    assert cell.score is not None and not cell.suppressed
    return format_number(cell.score, 2, "id")


def test_the_anonymous_walk_finds_no_unpublished_assessment_result(world: World) -> None:
    # Imported here: the assessments' test helpers are needed by this walk only.
    from integritas.assessments.services import publication as results
    from integritas.assessments.tests.desk_fixtures import open_desk
    from integritas.assessments.tests.test_result_publication import reviewed_lke

    shown = reviewed_lke(world)  # DINKES, 95,15
    results.publish(obj=shown, by=world.inspector)
    hidden = reviewed_lke(world, unit=world.disdik)
    hidden.answers.filter(node__code="H.IPAK").update(answer="3.2", reviewed_answer="")
    taken_down = open_desk(2025)
    results.publish(obj=taken_down, by=world.inspector)
    results.unpublish(obj=taken_down, by=world.inspector, reason="Ditinjau ulang")
    evidence_title = "Bukti rahasia LKE"
    shown.evidence.create(
        node=shown.answers.first().node, title=evidence_title, link="https://x.test/r"
    )
    start = ["/", reverse("portal-home"), reverse("portal-sitemap"), reverse("portal-assessments")]
    start += [
        reverse("portal-unit", args=[code]) for code in Unit.objects.values_list("code", flat=True)
    ]
    pages = _walk(Client(), start)
    assert "95,15" in pages[reverse("portal-assessments")]
    assert "95,15" in pages[reverse("portal-unit", args=["DINKES"])]
    # DISDIK's LKE (IPAK 3,20: 14,00 + 15,75 + 4,00 + 60 = 93,75) and the 2025 MCSP are not public.
    secrets = [
        "93,75",
        "3,20",
        "MCSP 2025",
        "Dinas Pendidikan</a>",
        evidence_title,
        "https://x.test/r",
    ]
    for url, body in pages.items():
        for secret in secrets:
            assert secret not in body, f"{secret!r} on {url}"


def test_unpublishing_takes_the_recommendation_off_every_page(world: World) -> None:
    s = story(world)
    publishing.unpublish(obj=s.rec, by=world.inspector, reason="Ditinjau ulang")
    client = Client()
    assert client.get(reverse("portal-recommendation", args=[s.rec.code])).status_code == 404
    assert client.get(reverse("portal-evidence", args=[s.evidence.public_id])).status_code == 404
    for url in ["/", reverse("portal-tracker"), reverse("portal-unit", args=["DINKES"])]:
        assert s.rec.title not in client.get(url).content.decode()


def test_an_anonymous_visitor_gets_the_portal_at_the_root(world: World) -> None:
    response = Client().get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="respond portal"' in page
    assert reverse("core-login") in page  # "Masuk"
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    assert not response.cookies.get("sessionid")


def test_a_signed_in_officer_keeps_the_staff_home_and_gets_a_link_to_the_portal(
    world: World,
) -> None:
    page = client_for(world.officer_a).get("/").content.decode()
    assert 'class="respond portal"' not in page
    assert reverse("portal-home") in page


def test_the_portal_is_the_same_for_a_signed_in_officer_as_for_the_public(world: World) -> None:
    s = story(world)
    url = reverse("portal-tracker")
    staff, anonymous = client_for(world.inspector).get(url), Client().get(url)
    assert s.hidden_rec.title not in staff.content.decode()
    assert s.rec.title in staff.content.decode() and s.rec.title in anonymous.content.decode()


def test_the_tracker_filters_by_unit_source_status_year_and_search(world: World) -> None:
    s = story(world)
    url = reverse("portal-tracker")
    client = Client()

    def shows(**query: str) -> bool:
        return s.rec.title in client.get(url, query).content.decode()

    assert shows(unit="DINKES") and not shows(unit="DISDIK")
    assert shows(source="kpk_letter") and not shows(source="bpk")
    assert shows(status="in_progress") or shows(status=s.plan.status)
    assert not shows(status="cancelled")
    assert shows(year="2024") and not shows(q="tidak ada yang cocok")
    assert shows(q="terbuka") and shows(year="abc")  # a bad filter is ignored


def test_unknown_unit_or_recommendation_gives_the_portal_404(world: World) -> None:
    story(world)
    client = Client()
    for url in [
        reverse("portal-unit", args=["TIDAKADA"]),
        reverse("portal-recommendation", args=["REK-9999-999"]),
        "/bukti/00000000-0000-0000-0000-000000000000/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert 'class="respond portal"' in response.content.decode()


def test_a_unit_page_shows_its_published_actions(world: World) -> None:
    s = story(world)
    page = Client().get(reverse("portal-unit", args=["DINKES"])).content.decode()
    assert s.rec.title in page and s.hidden_rec.title not in page
    assert "Perwal yang terbit" in page


def test_the_evidence_download_is_cleaned_of_metadata(world: World) -> None:
    s: Story = story(world)
    response = Client().get(reverse("portal-evidence", args=[s.evidence.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "perwal.pdf" not in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert AUTHOR.encode() not in response.content


def test_a_photo_evidence_loses_its_exif(world: World) -> None:
    s = story(world)
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    stored = EvidenceFile.objects.get(evidence=s.evidence)
    with stored.file.open("wb") as handle:
        handle.write(buffer.getvalue())
    response = Client().get(reverse("portal-evidence", args=[s.evidence.public_id]))
    assert response["Content-Type"] == "image/jpeg"
    assert b"KameraRahasia" not in response.content


def test_the_portal_switches_to_english_by_a_plain_link(world: World) -> None:
    s = story(world)
    client = Client()
    switched = client.get(reverse("portal-tracker"), {"lang": "en"})
    assert switched.status_code == 302
    page = client.get(reverse("portal-tracker")).content.decode()
    assert '<html lang="en">' in page and "Follow-up tracker" in page
    assert "Verified steps" in page and s.plan.activities.get().title in page
