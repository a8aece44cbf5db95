"""From a survey weak point to a recommendation, and back: the "requested from surveys" list,
the prefilled form, the weak point's link, and the unit's score in later waves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from integritas.core.testing import World, client_for
from integritas.followup.models import Recommendation
from integritas.indices.models import IndexResult, IndexRun, WeakPoint
from integritas.surveys.models import Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db


def waves(world: World) -> list[Wave]:
    version = build_version()
    return [
        build_wave(
            version,
            [world.dinkes],
            code=f"skm-{year}",
            title=f"SKM {year}",
            opens_on=dt.date(year, 3, 1),
            closes_on=dt.date(year, 4, 30),
            status=Wave.Status.CLOSED,
        )
        for year in (2024, 2025, 2026)
    ]


def requested(world: World, wave: Wave) -> WeakPoint:
    return WeakPoint.objects.create(
        wave=wave,
        unit=world.dinkes,
        dimension="U2",
        respondent_type="all",
        reason=WeakPoint.Reason.THRESHOLD,
        score=61.5,
        n=120,
        status=WeakPoint.Status.RECOMMENDATION_REQUESTED,
        requested_at=timezone.now(),
        requested_by=world.inspector,
        request_note="Prosedur layanan tidak dipahami warga",
    )


def result(wave: Wave, score: float | None, n: int, *, suppressed: bool = False) -> None:
    run = IndexRun.objects.create(wave=wave, method="satisfaction")
    IndexResult.objects.create(
        run=run,
        node="DINKES",
        dimension="U2",
        respondent_type="all",
        score=score,
        n=n,
        suppressed=suppressed,
    )


def test_requested_weak_points_are_listed_for_the_inspectorate(world: World) -> None:
    weak = requested(world, waves(world)[0])
    page = client_for(world.inspector).get("/followup/weak-points/")
    assert [row["wp"] for row in page.context["rows"]] == [weak]
    assert page.context["rows"][0]["dimension"] == "Prosedur"
    assert client_for(world.officer_a).get("/followup/weak-points/").status_code == 403


def test_creating_from_a_weak_point_prefills_and_links_it(world: World) -> None:
    weak = requested(world, waves(world)[0])
    client = client_for(world.inspector)
    form = client.get(f"/followup/recommendations/new/?weak_point={weak.public_id}").context["form"]
    assert form.initial["source"] == "weak_point"
    assert form.initial["units"] == [world.dinkes]
    assert "Prosedur" in form.initial["title"]
    response = client.post(
        "/followup/recommendations/new/",
        {
            "weak_point": str(weak.public_id),
            "source": "other",  # the weak point decides the source
            "title": form.initial["title"],
            "year": "2024",
            "priority": "medium",
            "units": [world.dinkes.pk],
            "amount_to_recover": "0",
        },
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert rec.source == "weak_point" and rec.weak_point == weak
    weak.refresh_from_db()
    assert weak.recommendation_ref == rec.code
    # Answered: it leaves the list and cannot be used twice.
    assert not client.get("/followup/weak-points/").context["rows"]
    again = client.get(f"/followup/recommendations/new/?weak_point={weak.public_id}")
    assert again.status_code == 404


def test_the_recommendation_shows_the_units_score_in_its_wave_and_later_waves(
    world: World,
) -> None:
    first, second, third = waves(world)
    weak = requested(world, second)
    result(first, 55.0, 100)
    result(second, 61.5, 120)
    result(third, None, 4, suppressed=True)
    rec = Recommendation.objects.create(
        code="REK-2025-001",
        source="weak_point",
        title="Perbaiki prosedur",
        year=2025,
        weak_point=weak,
        status="issued",
    )
    rec.units.set([world.dinkes])
    page = client_for(world.inspector).get(f"/followup/recommendations/{rec.code}/")
    rows = page.context["loop"]
    assert [(r.wave.code, r.is_origin, r.score, r.suppressed) for r in rows] == [
        ("skm-2025", True, 61.5, False),
        ("skm-2026", False, None, True),
    ]
    html = page.content.decode()
    assert "61,50" in html and "—" in html
