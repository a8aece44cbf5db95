"""Whistleblowing statistics on the portal: counts by channel, category, status and month over
the reports counted for everyone, small groups shown only as "< k" or "≥ k" on the page and in
every download, no breakdown by unit, and nothing identifying."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from integritas.complaints.models import Report
from integritas.core.models import Unit
from integritas.core.testing import World
from integritas.portal.tests.test_open_data import FORMATS, download, rows_of

pytestmark = pytest.mark.django_db


def report(unit: Unit | None, **values: Any) -> Report:
    """A report as the statistics read it (routing fields only; nothing to decrypt)."""
    base: dict[str, Any] = {
        "channel": "whistleblowing",
        "category": "bribery",
        "unit": unit,
        "received_on": dt.date(2026, 3, 2),
        "lookup_id": uuid.uuid4().hex,
        "reporter_salt": b"salt",
        "reporter_kdf": "test",
        "content": b"sealed",
    }
    return Report.objects.create(**{**base, **values})


def reports(world: World) -> None:
    for _ in range(6):
        report(world.disdik)
    for _ in range(2):
        report(world.dinkes, channel="complaint", category="poor_service")
    # Kept out of every count: sent to the alternate group, or about the leadership.
    report(world.dinkes, routed_to_alternate=True, category="gratification")
    report(world.dinkes, about_leadership=True, category="gratification")


def test_the_public_statistics_show_small_groups_only_as_bounds(world: World) -> None:
    reports(world)
    response = Client().get(reverse("portal-complaint-statistics"))
    assert response.status_code == 200
    page = response.content.decode()
    channel = page.split('id="b-channel"', 1)[1].split("</table>", 1)[0]
    assert "&lt; 5" in channel and "≥ 5" in channel  # 2, and the 6 that would give it away
    assert ">2<" not in channel and ">6<" not in channel
    assert ">8<" in channel  # the total: the two routed away are not counted
    assert world.disdik.name not in page and world.dinkes.name not in page  # no unit breakdown
    assert "Gratifikasi" not in page  # only the two reports kept out of the counts have it


def test_every_download_withholds_the_same_cells(world: World) -> None:
    reports(world)
    client = Client()
    for fmt in FORMATS:
        rows = rows_of(fmt, download(client, "statistik-pengaduan", fmt))
        channel = [row for row in rows[1:] if row[0] == "Saluran"]
        assert [row[2] for row in channel] == ["≥ 5", "< 5", "8"], fmt
        assert world.disdik.name not in str(rows) and world.dinkes.name not in str(rows)
        medians = [row for row in rows[1:] if row[1] == "Median (hari)"]
        assert len(medians) == 2 and all(row[3] == "" for row in medians)


def test_a_year_without_reports_is_not_offered_and_the_home_links_the_page(world: World) -> None:
    reports(world)
    client = Client()
    page = client.get(reverse("portal-complaint-statistics"), {"year": "2026"}).content.decode()
    assert 'value="2026" selected' in page
    assert 'value="2025"' not in page
    rows = list(
        csv.reader(
            io.StringIO(
                download(client, "statistik-pengaduan", "csv", year="2025").decode("utf-8-sig")
            )
        )
    )
    assert all(row[2] in ("0", "") for row in rows[1:])
    home = client.get(reverse("portal-home")).content.decode()
    assert reverse("portal-complaint-statistics") in home


def test_without_reports_the_page_says_so(world: World) -> None:
    page = Client().get(reverse("portal-complaint-statistics")).content.decode()
    assert "Belum ada laporan." in page
