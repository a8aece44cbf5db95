"""Publishing a year's gratification statistics on the portal: a decision of the Inspectorate or
the UPG's head, audited; unpublishing needs a reason and keeps the record; the portal shows only
published years, with small groups withheld, and never a report's details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from integritas.audit.models import Event
from integritas.core.testing import client_for
from integritas.prevention.models import StatisticsPublication
from integritas.prevention.tests.conftest import file_reports, travel

TODAY = dt.date(2026, 2, 5)
STAFF = "/pencegahan/gratifikasi/statistik/"
PORTAL = "/statistik-gratifikasi/"


def test_the_inspectorate_publishes_a_year_and_the_portal_shows_it(world: Any, upg: Any) -> None:
    with travel(TODAY):
        file_reports(upg, 6, reporter_unit=world.dinkes, giver="PT Pemberi Rahasia")
        file_reports(upg, 1, reporter_unit=world.disdik, reporter_name="Budi Rahasia")
    assert client_for(world.inspector).post(f"{STAFF}2026/terbitkan/").status_code == 302
    publication = StatisticsPublication.objects.get()
    assert publication.year == 2026 and publication.published_by == world.inspector
    assert Event.objects.filter(action="prevention.statistics_published").exists()
    page = client_for(None).get(PORTAL).content.decode()
    assert "Statistik gratifikasi 2026" in page
    assert "&lt; 5" in page  # the one report of DISDIK
    for secret in ("PT Pemberi Rahasia", "Budi Rahasia", "Parsel buah", "GRT-2026"):
        assert secret not in page


def test_only_the_inspectorate_and_the_upg_head_publish(
    world: Any, upg: Any, upg_head: Any
) -> None:
    with travel(TODAY):
        file_reports(upg, 1)
    for user in (world.officer_a, world.leader, world.admin, upg):
        assert client_for(user).post(f"{STAFF}2026/terbitkan/").status_code == 403
    assert not StatisticsPublication.objects.exists()
    assert client_for(upg_head).post(f"{STAFF}2026/terbitkan/").status_code == 302
    assert StatisticsPublication.objects.live().count() == 1


def test_unpublishing_needs_a_reason_and_keeps_the_record(world: Any, upg: Any) -> None:
    with travel(TODAY):
        file_reports(upg, 1)
    client = client_for(world.inspector_general)
    client.post(f"{STAFF}2026/terbitkan/")
    refused = client.post(f"{STAFF}2026/tarik/", {"reason": "  "})
    assert refused.status_code == 400
    assert StatisticsPublication.objects.live().exists()
    assert client.post(f"{STAFF}2026/tarik/", {"reason": "Data dikoreksi"}).status_code == 302
    publication = StatisticsPublication.objects.get()
    assert publication.unpublish_reason == "Data dikoreksi" and publication.unpublished_at
    event = Event.objects.get(action="prevention.statistics_unpublished")
    assert event.reason == "Data dikoreksi"
    assert client_for(None).get(f"{PORTAL}?year=2026").status_code == 404
    assert "Belum ada yang diterbitkan" in client_for(None).get(PORTAL).content.decode()


def test_a_year_without_reports_or_already_published_is_refused(world: Any, upg: Any) -> None:
    client = client_for(world.inspector)
    response = client.post(f"{STAFF}2025/terbitkan/", follow=True)
    assert "Tidak ada laporan gratifikasi pada tahun ini" in response.content.decode()
    with travel(TODAY):
        file_reports(upg, 1)
    client.post(f"{STAFF}2026/terbitkan/")
    again = client.post(f"{STAFF}2026/terbitkan/", follow=True)
    assert "sudah diterbitkan" in again.content.decode()
    assert StatisticsPublication.objects.count() == 1


def test_an_unpublished_year_is_not_on_the_portal(world: Any, upg: Any) -> None:
    with travel(TODAY):
        file_reports(upg, 6)
    assert client_for(None).get(f"{PORTAL}?year=2026").status_code == 404
    page = client_for(None).get(PORTAL).content.decode()
    assert "Belum ada yang diterbitkan" in page and "750.000" not in page
