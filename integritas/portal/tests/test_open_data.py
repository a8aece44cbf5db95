"""The portal's open data: every public table downloads as CSV, XLSX and JSON with exactly the
rows and withheld cells its page shows; the catalogue (a page and DCAT JSON-LD) describes each
dataset and gives each file's true size and SHA-256; nothing unpublished has a download."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from integritas.audit.models import Anchor
from integritas.core.testing import World
from integritas.followup.services import feedback
from integritas.indices.models.official import Institution, NationalFigure, SpiResult
from integritas.indices.tests.test_dashboards_withheld_counts import leaks, withheld_wave
from integritas.portal.services import datasets, publishing
from integritas.portal.tests.stories import computed_wave, story

pytestmark = pytest.mark.django_db

FORMATS = ("csv", "xlsx", "json")


def rows_of(fmt: str, body: bytes) -> list[list[str]]:
    """A download's rows (header row first), every cell as text."""
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        cells = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        width = len(cells[0])
        return [row + [""] * (width - len(row)) for row in cells]  # trailing blanks are not stored
    document = json.loads(body)
    names = [c["name"] for c in document["columns"]]
    header = [c["title"] for c in document["columns"]]
    return [header] + [
        ["" if row[n] is None else str(row[n]) for n in names] for row in document["rows"]
    ]


def download(client: Client, slug: str, fmt: str, **params: str) -> bytes:
    response = client.get(reverse("portal-data-file", args=[slug, fmt]), params)
    assert response.status_code == 200, (slug, fmt)
    assert response["Content-Type"].startswith(
        {"csv": "text/csv", "xlsx": "application/vnd.openxml", "json": "application/json"}[fmt]
    )
    return response.content


def test_the_tracker_downloads_with_the_rows_its_page_shows(world: World) -> None:
    s = story(world)
    client = Client()
    page = client.get(reverse("portal-tracker")).content.decode()
    assert s.rec.code in page and s.hidden_rec.code not in page
    for fmt in FORMATS:
        rows = rows_of(fmt, download(client, "tindak-lanjut", fmt))
        assert [row[0] for row in rows[1:]] == [s.rec.code]  # one plan of one recommendation
        assert rows[1][5] == s.plan.unit.code
        assert s.hidden_rec.code not in str(rows) and s.hidden_rec.title not in str(rows)
    # The page's filters are the download's.
    assert rows_of("csv", download(client, "tindak-lanjut", "csv", q="tak ada"))[1:] == []
    found = rows_of("csv", download(client, "tindak-lanjut", "csv", year=str(s.rec.year)))
    assert [row[0] for row in found[1:]] == [s.rec.code]
    dataset_rows = datasets.tracker().table({}).rows
    assert [r[0] for r in dataset_rows] == [s.rec.code]


def test_a_waves_download_keeps_every_withheld_cell_in_every_format(world: World) -> None:
    wave = withheld_wave(world)
    publishing.publish(obj=wave, by=world.inspector)
    client = Client()
    page = client.get(reverse("portal-wave", args=[wave.code])).content.decode()
    for fmt in FORMATS:
        body = download(client, datasets.wave_slug(wave), fmt)
        rows = rows_of(fmt, body)
        by_code = {row[0]: row for row in rows[1:]}
        # The rows the page lists: the whole government, then the top-level units.
        assert [row[1] for row in rows[2:]] == [
            name
            for name in ("Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan")
            if name in page
        ]
        n = rows[0].index(rows[0][6])  # the respondents column
        assert by_code["DISHUB"][n] == "< 40" and by_code["DISHUB"][2] == ""
        assert by_code["DINKES"][n] == "≥ 40" and by_code["DINKES"][2] == ""
        text = body.decode("utf-8-sig") if fmt != "xlsx" else str(rows)
        assert leaks(text) == [], fmt
    level2 = rows_of("csv", download(client, datasets.wave_slug(wave), "csv", level="2"))
    assert "DINKES.LAB" in {row[0] for row in level2}
    lab = next(row for row in level2 if row[0] == "DINKES.LAB")
    assert lab[6] == "< 40"


def test_a_units_download_lists_its_published_actions(world: World) -> None:
    s = story(world)
    client = Client()
    unit = s.plan.unit
    page = client.get(reverse("portal-unit", args=[unit.code])).content.decode()
    assert reverse("portal-data-file", args=[datasets.unit_slug(unit), "csv"]) in page
    rows = rows_of("json", download(client, datasets.unit_slug(unit), "json"))
    activities = [a.title for a in s.plan.activities.all()]
    assert sorted(row[5] for row in rows[1:]) == sorted(activities)
    assert {row[0] for row in rows[1:]} == {s.rec.code}


def _votes(world: World, plan: Any) -> None:
    """A "no" approved, a "yes" waiting for moderation and a "partly" hidden."""
    approved = feedback.submit(plan=plan, seen="no", comment="Komentar disetujui")
    feedback.moderate(feedback=approved, step="approve", by=world.inspector)
    feedback.submit(plan=plan, seen="yes", comment="Komentar menunggu")
    hidden = feedback.submit(plan=plan, seen="partly", comment="Komentar disembunyikan")
    feedback.moderate(feedback=hidden, step="hide", by=world.inspector, reason="Kasar")


VOTE_COLUMNS = ["feedback_yes", "feedback_partly", "feedback_no"]


def test_the_tracker_download_gives_each_plans_counted_citizen_votes(world: World) -> None:
    s = story(world)
    _votes(world, s.plan)
    client = Client()
    for fmt in FORMATS:
        body = download(client, "tindak-lanjut", fmt)
        rows = rows_of(fmt, body)
        if fmt == "json":
            names = [c["name"] for c in json.loads(body)["columns"]]
            assert names[-3:] == VOTE_COLUMNS
        # Every vote that is not hidden counts, as on the action's page.
        assert rows[1][-3:] == ["1", "0", "1"], fmt
        text = body.decode("utf-8-sig") if fmt != "xlsx" else str(rows)
        for secret in ("Komentar", "Kasar"):
            assert secret not in text, fmt


def test_a_units_download_gives_the_votes_on_each_of_its_actions(world: World) -> None:
    s = story(world)
    _votes(world, s.plan)
    body = download(Client(), datasets.unit_slug(s.plan.unit), "json")
    document = json.loads(body)
    assert [c["name"] for c in document["columns"]][-3:] == VOTE_COLUMNS
    assert {
        (r["feedback_yes"], r["feedback_partly"], r["feedback_no"]) for r in document["rows"]
    } == {(1, 0, 1)}
    assert b"Komentar" not in body and b"Kasar" not in body


def test_a_plan_without_votes_counts_zero_in_the_downloads(world: World) -> None:
    story(world)
    [row] = datasets.tracker().table({}).rows
    assert row[-3:] == [0, 0, 0]


def test_a_new_vote_moves_the_follow_up_datasets_last_change(world: World) -> None:
    s = story(world)
    before = datasets.tracker().modified
    vote = feedback.submit(plan=s.plan, seen="yes", comment="Sudah selesai")
    vote.created_at = timezone.now() + dt.timedelta(days=3)
    vote.save(update_fields=["created_at"])
    for d in (datasets.tracker(), datasets.unit_dataset(s.plan.unit)):
        assert d.modified == vote.created_at != before


def test_the_profile_download_equals_the_homes_table(world: World) -> None:
    own = Institution.objects.create(
        code="kota-uji", name="Kota Uji", kind=Institution.Kind.CITY, is_own=True
    )
    SpiResult.objects.create(institution=own, year=2022, index=Decimal("66.10"))
    SpiResult.objects.create(institution=own, year=2023, index=Decimal("63.26"))
    NationalFigure.objects.update_or_create(
        year=2023, defaults={"index": Decimal("70.97"), "averages_by_kind": {"city": "68.52"}}
    )
    client = Client()
    home = client.get("/").content.decode()
    assert reverse("portal-data-file", args=["profil-spi", "xlsx"]) in home
    rows = rows_of("csv", download(client, "profil-spi", "csv"))
    # KPK's national index of 2022 comes with the product's reference data.
    assert rows[1:] == [
        ["2023", "63.26", "Sangat Rentan", "-2.84", "70.97", "68.52"],
        ["2022", "66.10", "Sangat Rentan", "", "71.94", ""],
    ]
    for value in ("63,26", "-2,84", "70,97", "68,52", "66,10", "71,94"):
        assert value in home
    one_year = rows_of("json", download(client, "profil-spi", "json", year="2022"))
    assert [r[0] for r in one_year[1:]] == ["2022"]


def test_the_catalogue_gives_each_files_true_size_and_checksum(world: World) -> None:
    story(world)
    wave = computed_wave(world, code="skm-terbit", title="SKM yang terbit")
    publishing.publish(obj=wave, by=world.inspector)
    Anchor.objects.create(
        date=timezone.localdate(), seq=1, hash="a" * 64, published_at=timezone.now()
    )
    client = Client()
    catalogue = json.loads(client.get(reverse("portal-data-catalog")).content)
    page = client.get(reverse("portal-data")).content.decode()
    checked = 0
    for node in catalogue["dcat:dataset"]:
        assert node["dct:title"] in page.replace("&#x27;", "'")
        for dist in node["dcat:distribution"]:
            path = urlsplit(dist["dcat:downloadURL"]["@id"]).path
            body = client.get(path).content
            assert dist["dcat:byteSize"]["@value"] == len(body), path
            digest = dist["spdx:checksum"]["spdx:checksumValue"]["@value"]
            assert digest == hashlib.sha256(body).hexdigest(), path
            assert digest in page
            checked += 1
    slugs = {node["dct:identifier"] for node in catalogue["dcat:dataset"]}
    assert {"profil-spi", "tindak-lanjut", "statistik-pengaduan", "audit-anchors"} <= slugs
    assert datasets.wave_slug(wave) in slugs and "unit-DINKES" in slugs
    assert checked == 3 * len(slugs)


def _between(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_the_catalogue_lists_the_government_wide_datasets_first_and_folds_the_rest(
    world: World,
) -> None:
    story(world)
    wave = computed_wave(world, code="skm-terbit", title="SKM yang terbit")
    publishing.publish(obj=wave, by=world.inspector)
    client = Client()
    page = client.get(reverse("portal-data")).content.decode()
    whole = [d for d in datasets.catalogue() if d.slug in datasets.STATIC]
    folded = [d for d in datasets.catalogue() if d.slug not in datasets.STATIC]
    assert {d.slug for d in folded} == {datasets.wave_slug(wave), "unit-DINKES"}
    # Each government-wide dataset is a section of its own, shown in full, before the rest.
    first_folded = page.index("<details")
    for d in whole:
        assert page.index(f'<section class="card" id="{d.slug}"') < first_folded
    assert page.count("<details") == len(folded)
    # Each per-wave or per-unit dataset is folded behind a summary with its title, its formats
    # and its last change; every piece of its metadata is inside.
    for d in folded:
        block = _between(page, f'<details class="dataset" id="{d.slug}"', "</details>")
        summary = _between(block, "<summary", "</summary>")
        assert d.title in summary.replace("&#x27;", "'")
        assert "CSV" in summary and "XLSX" in summary and "JSON" in summary
        assert "Terakhir diperbarui" in summary
        for f in d.distributions():
            assert f.sha256 in block and f.url in block
        assert d.page in block and d.frequency_label in block
    waves, units = (
        _between(page, 'id="data-waves"', "</section>"),
        page[page.index('id="data-units"') :],
    )
    assert datasets.wave_slug(wave) in waves and "unit-DINKES" in units


def test_the_catalogue_without_waves_or_units_has_no_empty_groups(world: World) -> None:
    page = Client().get(reverse("portal-data")).content.decode()
    assert "<details" not in page
    assert 'id="data-waves"' not in page and 'id="data-units"' not in page


def _required(node: dict[str, Any], *keys: str) -> None:
    missing = [k for k in keys if k not in node]
    assert not missing, (node.get("dct:identifier"), missing)


def test_the_jsonld_catalogue_has_the_dcat_fields(world: World, settings: Any) -> None:
    story(world)
    world.gov.email = "inspektorat@kota-uji.go.id"
    world.gov.save()
    response = Client().get(reverse("portal-data-catalog"))
    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = json.loads(response.content)
    context = catalogue["@context"]
    assert context["dcat"] == "http://www.w3.org/ns/dcat#"
    assert context["dct"] == "http://purl.org/dc/terms/"
    assert context["vcard"] == "http://www.w3.org/2006/vcard/ns#"
    assert catalogue["@type"] == "dcat:Catalog"
    _required(catalogue, "@id", "dct:title", "dct:publisher", "dct:license", "dcat:dataset")
    assert catalogue["dct:publisher"]["foaf:name"] == world.gov.name
    tracker = next(n for n in catalogue["dcat:dataset"] if n["dct:identifier"] == "tindak-lanjut")
    _required(
        tracker,
        "@id",
        "dct:title",
        "dct:description",
        "dct:publisher",
        "dcat:contactPoint",
        "dct:license",
        "dcat:keyword",
        "dct:temporal",
        "dct:accrualPeriodicity",
        "dct:issued",
        "dct:modified",
        "dcat:landingPage",
        "dcat:distribution",
    )
    assert tracker["@type"] == "dcat:Dataset"
    assert tracker["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    contact = tracker["dcat:contactPoint"]
    assert contact["vcard:hasEmail"]["@id"] == "mailto:inspektorat@kota-uji.go.id"
    assert tracker["dct:temporal"]["dcat:startDate"]["@value"].endswith("-01-01")
    assert tracker["dct:accrualPeriodicity"]["@id"].startswith("http://purl.org/cld/freq/")
    formats = set()
    for dist in tracker["dcat:distribution"]:
        assert dist["@type"] == "dcat:Distribution"
        _required(dist, "dcat:downloadURL", "dcat:mediaType", "dct:format", "dcat:byteSize")
        formats.add(dist["dcat:mediaType"]["@id"].rsplit("/", 2)[-2:][1])
    assert formats == {"csv", "json", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    settings.OPEN_DATA_LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
    settings.OPEN_DATA_CONTACT_EMAIL = "data@kota-uji.go.id"
    again = json.loads(Client().get(reverse("portal-data-catalog")).content)
    assert again["dct:license"]["@id"].endswith("/zero/1.0/")
    assert again["dcat:contactPoint"]["vcard:hasEmail"]["@id"] == "mailto:data@kota-uji.go.id"


def test_the_same_table_gives_the_same_bytes(world: World) -> None:
    story(world)
    client = Client()
    for fmt in FORMATS:
        assert download(client, "tindak-lanjut", fmt) == download(client, "tindak-lanjut", fmt)


def test_nothing_unpublished_or_unknown_has_a_download(world: World) -> None:
    s = story(world)
    hidden = computed_wave(world, code="skm-rahasia", title="SKM rahasia")
    client = Client()
    for path in (
        reverse("portal-data-file", args=[datasets.wave_slug(hidden), "csv"]),
        reverse("portal-data-file", args=["unit-DISHUB", "json"]),
        reverse("portal-data-file", args=["nothing-here", "xlsx"]),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Tidak ditemukan" in response.content.decode()
    catalogue = client.get(reverse("portal-data-catalog")).content.decode()
    assert hidden.code not in catalogue and s.hidden_rec.code not in catalogue


def test_the_audit_anchors_download_as_xlsx_too(world: World) -> None:
    Anchor.objects.create(
        date=timezone.localdate(), seq=7, hash="b" * 64, published_at=timezone.now()
    )
    response = Client().get("/data/audit-anchors.xlsx")
    assert response.status_code == 200
    rows = rows_of("xlsx", response.content)
    assert rows[0] == ["date", "seq", "hash", "published_at"]
    assert rows[1][1:3] == ["7", "b" * 64]
    assert "/data/audit-anchors.xlsx" in Client().get("/data/audit-anchors/").content.decode()
