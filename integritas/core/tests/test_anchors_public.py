"""The published audit anchors: a public page listing every anchor, and JSON and CSV downloads at
stable addresses, open to anyone without signing in; the JSON is what audit_verify reads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from integritas import audit
from integritas.audit.models import Anchor
from integritas.audit.services import publish_anchor
from integritas.core.tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

PAGE = "/data/audit-anchors/"
JSON = "/data/audit-anchors.json"
CSV = "/data/audit-anchors.csv"
DAY_ONE = dt.datetime(2026, 12, 6, 1, 0, tzinfo=dt.UTC)


def two_anchors() -> list[Anchor]:
    anchors = []
    for day in range(2):
        audit.record("test.thing", object_type="test.thing", object_id=str(day))
        with time_machine.travel(DAY_ONE + dt.timedelta(days=day), tick=False):
            anchors.append(publish_anchor()[0])
    return anchors


def test_an_anonymous_visitor_sees_every_anchor_newest_first() -> None:
    older, newer = two_anchors()
    response = Client().get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert newer.hash in html and older.hash in html
    assert html.index(newer.hash) < html.index(older.hash)
    assert "7 Desember 2026" in html and "6 Desember 2026" in html
    assert f'href="{JSON}"' in html and f'href="{CSV}"' in html
    assert "audit_verify --anchors" in html


def test_the_page_speaks_english_on_request() -> None:
    two_anchors()
    client = Client()
    client.get(PAGE + "?lang=en")
    html = client.get(PAGE).content.decode()
    assert "Audit trail anchors" in html and "7 December 2026" in html


def test_before_the_first_anchor_the_page_says_so() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 200
    assert "Belum ada jangkar yang diterbitkan" in response.content.decode()


def test_the_json_download_lists_every_anchor_in_date_order() -> None:
    older, newer = two_anchors()
    response = Client().get(JSON)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["hash_algorithm"] == "sha256"
    assert document["anchors"] == [
        {
            "date": "2026-12-06",
            "seq": older.seq,
            "hash": older.hash,
            "published_at": "2026-12-06T01:00:00+00:00",
        },
        {
            "date": "2026-12-07",
            "seq": newer.seq,
            "hash": newer.hash,
            "published_at": "2026-12-07T01:00:00+00:00",
        },
    ]


def test_the_csv_download_has_fixed_column_names_in_every_language() -> None:
    older, newer = two_anchors()
    client = Client()
    client.get(PAGE + "?lang=en")
    for answer in (Client().get(CSV), client.get(CSV)):
        assert answer.status_code == 200
        assert answer["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="audit-anchors.csv"' in answer["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
        assert rows == [
            ["date", "seq", "hash", "published_at"],
            ["2026-12-06", str(older.seq), older.hash, "2026-12-06T01:00:00+00:00"],
            ["2026-12-07", str(newer.seq), newer.hash, "2026-12-07T01:00:00+00:00"],
        ]


def test_signed_in_staff_see_the_same_public_page_without_their_session(world: World) -> None:
    two_anchors()
    response = client_for(world.admin).get(PAGE)
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("no-cache") or "no-store" in response["Cache-Control"]
    )
    assert "sessionid" not in response.cookies


def test_the_downloads_refuse_posts() -> None:
    assert Client().post(JSON).status_code == 405
    assert Client().post(CSV).status_code == 405


def test_the_downloaded_json_is_what_audit_verify_checks_against(tmp_path: Path) -> None:
    two_anchors()
    path = tmp_path / "audit-anchors.json"
    path.write_bytes(Client().get(JSON).content)
    call_command("audit_verify", "--anchors", str(path))


def test_the_staff_audit_trail_links_to_the_published_anchors(world: World) -> None:
    html = client_for(world.inspector).get("/audit/").content.decode()
    assert f'href="{PAGE}"' in html
