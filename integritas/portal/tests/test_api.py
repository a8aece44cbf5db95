"""The public read-only API at /api/v1/: the portal's published records as JSON, paginated, with
the tracker's filters, ETag/Last-Modified and 304, open CORS, 400 naming a bad parameter, JSON
404s, no session or cookie, and a documentation page drawn by the server."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from integritas.audit.services import publish_anchor
from integritas.core.testing import World, client_for
from integritas.followup.services import feedback
from integritas.indices.models import IndexResult
from integritas.indices.models.official import Institution, NationalFigure, SpiResult
from integritas.indices.tests.test_dashboards_withheld_counts import HIDDEN_COUNTS, withheld_wave
from integritas.portal.services import publishing
from integritas.portal.tests.stories import computed_wave, story

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get(path: str, client: Client | None = None, **headers: str) -> Any:
    response = (client or Client()).get(f"{API}{path}", headers=headers)
    return response


def data(path: str) -> Any:
    response = get(path)
    assert response.status_code == 200, (path, response.content)
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_the_tracker_lists_only_published_recommendations_with_their_plans(world: World) -> None:
    s = story(world)
    body = data("/recommendations")
    assert body["count"] == 1 and body["page"] == 1 and body["pages"] == 1
    [item] = body["items"]
    assert item["code"] == s.rec.code and item["title"] == s.rec.title
    assert item["links"] == {
        "page": reverse("portal-recommendation", args=[s.rec.code]),
        "api": f"{API}/recommendations/{s.rec.code}",
    }
    [plan] = item["plans"]
    assert plan["unit"]["code"] == "DINKES" and plan["progress"] == 100.0
    assert s.hidden_rec.code not in json.dumps(body)


def test_the_tracker_filters_match_the_page(world: World) -> None:
    s = story(world)

    def codes(query: str) -> list[str]:
        return [item["code"] for item in data(f"/recommendations?{query}")["items"]]

    assert codes("unit=DINKES") == [s.rec.code] and codes("unit=DISDIK") == []
    assert codes("unit=TIDAKADA") == []  # an unknown unit matches nothing
    assert codes("source=kpk_letter") == [s.rec.code] and codes("source=bpk") == []
    assert codes(f"status={s.plan.status}") == [s.rec.code] and codes("status=cancelled") == []
    assert codes("year=2024") == [s.rec.code] and codes("year=2020") == []
    assert codes("q=terbuka") == [s.rec.code] and codes("q=Rahasia") == []


def test_lists_are_paginated_with_a_total_count(world: World) -> None:
    first = data("/units?page_size=2")
    assert first["count"] >= 3 and first["page_size"] == 2 and len(first["items"]) == 2
    assert first["pages"] == -(-first["count"] // 2)
    second = data("/units?page_size=2&page=2")
    assert {u["code"] for u in first["items"]}.isdisjoint(u["code"] for u in second["items"])
    past = data(f"/units?page_size=2&page={first['pages'] + 1}")
    assert past["items"] == [] and past["count"] == first["count"]


def test_a_recommendation_has_its_plans_timeline_and_public_evidence(world: World) -> None:
    s = story(world)
    body = data(f"/recommendations/{s.rec.code}")
    assert body["source"] == "kpk_letter" and body["year"] == s.rec.year
    [plan] = body["plans"]
    assert plan["activities_shown"] and plan["recommendation"] == s.rec.code
    [activity] = plan["activities"]
    assert activity["status"] == "verified"
    [evidence] = activity["evidence"]
    assert evidence["title"] == "Perwal yang terbit"
    assert evidence["download_url"] == reverse("portal-evidence", args=[s.evidence.public_id])
    assert Client().get(evidence["download_url"]).status_code == 200
    [step] = plan["timeline"]
    assert step["title"] == activity["title"]
    assert "original_name" not in json.dumps(body) and "perwal.pdf" not in json.dumps(body)


def test_each_plan_gives_the_citizens_counted_votes_and_no_comment(world: World) -> None:
    s = story(world)
    approved = feedback.submit(plan=s.plan, seen="no", comment="Komentar disetujui")
    feedback.moderate(feedback=approved, step="approve", by=world.inspector)
    feedback.submit(plan=s.plan, seen="yes", comment="Komentar menunggu")
    hidden = feedback.submit(plan=s.plan, seen="partly", comment="Komentar disembunyikan")
    feedback.moderate(feedback=hidden, step="hide", by=world.inspector, reason="Kasar")
    body = data(f"/recommendations/{s.rec.code}")
    [plan] = body["plans"]
    # Every vote that is not hidden counts, as on the action's page; the hidden one does not.
    assert plan["feedback"] == {"yes": 1, "partly": 0, "no": 1, "total": 2}
    text = json.dumps(body)
    for secret in ("Komentar menunggu", "Komentar disembunyikan", "Kasar"):
        assert secret not in text
    unit = data(f"/units/{s.plan.unit.code}")
    assert [p["feedback"] for p in unit["plans"]] == [plan["feedback"]]


def test_a_plan_without_votes_gives_zero_counts(world: World) -> None:
    s = story(world)
    [plan] = data(f"/recommendations/{s.rec.code}")["plans"]
    assert plan["feedback"] == {"yes": 0, "partly": 0, "no": 0, "total": 0}


def test_a_unit_has_its_published_plans_and_wave_results(world: World) -> None:
    s = story(world)
    wave = computed_wave(world, code="skm-api", title="SKM API")
    publishing.publish(obj=wave, by=world.inspector)
    body = data("/units/DINKES")
    assert body["name"] == world.dinkes.name and body["links"]["page"] == "/unit/DINKES/"
    assert [p["recommendation"] for p in body["plans"]] == [s.rec.code]
    [result] = body["results"]
    assert result["wave"]["code"] == "skm-api" and result["overall"]["score"] is not None


def test_a_published_wave_gives_the_government_and_unit_results(world: World) -> None:
    wave = computed_wave(world, code="skm-api", title="SKM API")
    publishing.publish(obj=wave, by=world.inspector)
    assert [w["code"] for w in data("/waves")["items"]] == ["skm-api"]
    body = data("/waves/skm-api")
    cell = IndexResult.objects.get(
        run__wave=wave, node="ALL", dimension="ALL", respondent_type="all"
    )
    assert body["government"]["score"] == round(cell.score, 2)
    assert body["government"]["respondents"] == cell.n
    assert body["dimensions"] and body["units"] == f"{API}/waves/skm-api/units"
    units = data("/waves/skm-api/units")
    assert {row["unit"]["code"] for row in units["items"]} == {"DINKES", "DISDIK"}
    assert units["level"] == 1


def test_withheld_results_carry_no_score_nor_exact_count(world: World) -> None:
    wave = withheld_wave(world)
    publishing.publish(obj=wave, by=world.inspector)
    bodies = [
        data(f"/waves/{wave.code}"),
        data(f"/waves/{wave.code}/units"),
        data(f"/waves/{wave.code}/units?level=2"),
        *(data(f"/units/{code}") for code in ("DINKES", "DINKES.LAB", "DISHUB")),
    ]
    withheld = [cell for body in bodies for cell in _cells(body) if cell["suppressed"]]
    assert withheld, "the wave has withheld results"
    for cell in withheld:
        assert cell["score"] is None and cell["respondents"] is None and cell["ci_low"] is None
        assert cell["respondents_withheld"] in ("< 40", "≥ 40")
    for body in bodies:
        numbers = {str(n) for n in _numbers(body)}
        assert numbers.isdisjoint(HIDDEN_COUNTS), body


def _cells(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        found = [value] if "suppressed" in value else []
        return found + [c for v in value.values() for c in _cells(v)]
    if isinstance(value, list):
        return [c for v in value for c in _cells(v)]
    return []


def _numbers(value: Any) -> list[int | float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return []


def test_the_profile_gives_each_spi_year_with_the_averages(world: World) -> None:
    own = Institution.objects.create(
        code="kota-uji", name="Kota Uji", kind=Institution.Kind.CITY, is_own=True
    )
    SpiResult.objects.create(institution=own, year=2022, index=Decimal("66.10"))
    SpiResult.objects.create(institution=own, year=2023, index=Decimal("63.26"))
    NationalFigure.objects.update_or_create(
        year=2023, defaults={"index": Decimal("70.97"), "averages_by_kind": {"city": "68.52"}}
    )
    body = data("/profile")
    assert body["institution"]["name"] == "Kota Uji"
    latest = body["years"][0]
    assert latest["year"] == 2023 and latest["index"] == 63.26
    assert latest["category"] == "Sangat Rentan" and latest["change"] == -2.84
    assert latest["national_index"] == 70.97 and latest["same_type_average"] == 68.52


def test_the_audit_anchors_are_listed_newest_first(world: World) -> None:
    publish_anchor()
    body = data("/audit-anchors")
    assert body["count"] == 1 and len(body["items"][0]["hash"]) == 64


def test_a_repeated_request_with_the_etag_or_date_gets_304_without_a_body(world: World) -> None:
    story(world)
    first = get("/recommendations")
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")
    again = get("/recommendations", **{"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Access-Control-Allow-Origin"] == "*"
    since = get("/recommendations", **{"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304 and since.content == b""
    assert get("/recommendations", **{"If-None-Match": '"other"'}).status_code == 200


def test_a_change_gives_a_new_etag_and_a_full_answer(world: World) -> None:
    s = story(world)
    first = get("/recommendations")
    publishing.unpublish(obj=s.rec, by=world.inspector, reason="Ditinjau ulang")
    after = get("/recommendations", **{"If-None-Match": first["ETag"]})
    assert after.status_code == 200 and after.json()["count"] == 0
    assert after["ETag"] != first["ETag"]


def test_every_answer_has_caching_headers_errors_included(world: World) -> None:
    for path in ["/units", "/units/TIDAKADA", "/units?page=abc", "/openapi.json", "/docs", "/x"]:
        response = get(path)
        assert response.has_header("ETag") and response.has_header("Last-Modified"), path


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("status=unknown", "status"),
        ("source=rumor", "source"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("year=20x", "year"),
        ("page_size=101", "page_size"),
        ("unit=" + "X" * 51, "unit"),
        ("q=" + "x" * 101, "q"),
    ],
)
def test_a_bad_query_parameter_answers_400_naming_it(
    world: World, query: str, parameter: str
) -> None:
    response = get(f"/recommendations?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert [p["name"] for p in body["parameters"]] == [parameter]
    assert parameter in body["message"]


def test_unknown_records_answer_404_json(world: World) -> None:
    s = story(world)
    hidden_wave = computed_wave(world, code="skm-rahasia", title="SKM rahasia")
    for path in [
        "/units/TIDAKADA",
        "/recommendations/REK-9999-999",
        f"/recommendations/{s.hidden_rec.code}",
        "/waves/tidak-ada",
        f"/waves/{hidden_wave.code}",
        f"/waves/{hidden_wave.code}/units",
        "/tidak-ada",
    ]:
        response = get(path)
        assert response.status_code == 404, path
        assert response.json()["error"] == "not_found", path


def test_cors_is_open_for_reading_and_closed_to_credentials(world: World) -> None:
    response = get("/units", Origin="https://data.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.has_header("Access-Control-Allow-Credentials")
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = Client().options(
        f"{API}/units",
        headers={"Origin": "https://data.example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    head = Client().head(f"{API}/units")
    assert head.status_code == 200 and head.content == b"" and head.has_header("ETag")
    assert head["Access-Control-Allow-Origin"] == "*"
    posted = Client().post(f"{API}/units")
    assert posted.status_code == 405 and not posted.has_header("Access-Control-Allow-Origin")
    # The portal's pages are not opened to other sites.
    assert not Client().get(reverse("portal-tracker")).has_header("Access-Control-Allow-Origin")


def test_the_api_needs_no_session_and_sets_no_cookie(world: World) -> None:
    story(world)
    anonymous = get("/recommendations")
    assert not anonymous.cookies
    signed_in = client_for(world.inspector)
    staff = get("/recommendations", signed_in)
    assert staff.content == anonymous.content and not staff.cookies


def test_answers_do_not_depend_on_the_visitors_language(world: World) -> None:
    story(world)
    english = Client()
    english.cookies["django_language"] = "en"
    assert get("/recommendations", english).content == get("/recommendations").content


def test_the_openapi_document_is_3_1_and_generated_from_the_code(world: World) -> None:
    document = data("/openapi.json")
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] and document["info"]["description"]
    paths = set(document["paths"])
    assert {
        f"{API}/profile",
        f"{API}/units",
        f"{API}/units/{{code}}",
        f"{API}/waves",
        f"{API}/waves/{{code}}",
        f"{API}/waves/{{code}}/units",
        f"{API}/recommendations",
        f"{API}/recommendations/{{code}}",
        f"{API}/audit-anchors",
    } <= paths
    for path, methods in document["paths"].items():
        for operation in methods.values():
            assert operation.get("summary") and operation.get("description"), path
            assert "400" in operation["responses"], path


def test_the_docs_page_lists_every_endpoint_from_the_document(world: World) -> None:
    response = get("/docs")
    assert response.status_code == 200
    page = response.content.decode()
    document = data("/openapi.json")
    for path in document["paths"]:
        assert path in page
    assert "page_size" in page and "respondents_withheld" in page
    assert "<script" not in page and "cdn" not in page.lower()
    assert re.findall(r'(?:src|href)="(?:https?:)?//', page) == []  # nothing from other sites
    assert reverse("api-v1:openapi-view") in Client().get(reverse("portal-home")).content.decode()
