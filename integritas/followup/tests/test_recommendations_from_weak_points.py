"""From a survey weak point to a recommendation, and back: the "requested from surveys" list,
the prefilled form, the weak point's link, and the unit's score in later waves."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from integritas.audit.models import Event
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


def open_question_weak_point(world: World, wave: Wave) -> WeakPoint:
    return WeakPoint.objects.create(
        wave=wave,
        unit=world.dinkes,
        dimension="U2",
        question=wave.version.questions.get(code="U2"),
        respondent_type="all",
        reason=WeakPoint.Reason.BOTH,
        score=48.25,
        n=90,
        government_score=71.5,
        threshold=60,
        severity=23.25,
    )


def post_from(client: Any, weak: WeakPoint, **extra: Any) -> Any:
    form = client.get(f"/followup/recommendations/new/?weak_point={weak.public_id}").context["form"]
    data = {
        "weak_point": str(weak.public_id),
        "source": form.initial["source"],
        "title": form.initial["title"],
        "description": form.initial["description"],
        "reference_number": form.initial["reference_number"],
        "year": str(form.initial["year"]),
        "priority": "medium",
        "units": [u.pk for u in form.initial["units"]],
        "amount_to_recover": "0",
        **extra,
    }
    return client.post("/followup/recommendations/new/", data)


def test_an_open_weak_point_becomes_a_recommendation_in_one_step_prefilled_from_its_question(
    world: World,
) -> None:
    weak = open_question_weak_point(world, waves(world)[1])
    client = client_for(world.inspector)
    response = client.get(f"/followup/recommendations/new/?weak_point={weak.public_id}")
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["source"] == "weak_point"
    assert initial["units"] == [world.dinkes]
    assert initial["year"] == 2025
    assert initial["reference_number"] == "skm-2025"
    assert "Prosedur" in initial["title"]
    # The description names the question by its text, the dimension by its name, the figures.
    assert "Pertanyaan U2" in initial["description"]
    assert "Prosedur" in initial["description"]
    assert "48,25" in initial["description"] and "71,50" in initial["description"]
    assert "Pertanyaan U2" in response.content.decode()

    assert post_from(client, weak).status_code == 302
    rec = Recommendation.objects.get()
    assert rec.weak_point == weak and rec.source == "weak_point"
    weak.refresh_from_db()
    assert weak.status == WeakPoint.Status.RECOMMENDATION_REQUESTED
    assert weak.recommendation_ref == rec.code
    assert weak.requested_by == world.inspector and weak.requested_at is not None
    event = Event.objects.filter(object_type="indices.weakpoint", object_id=str(weak.pk)).get()
    assert event.action == "indices.weak_point_recommended"
    assert event.changes["recommendation_ref"] == ["", rec.code]
    assert event.actor == world.inspector


def test_the_weak_point_and_its_recommendation_link_to_each_other(world: World) -> None:
    weak = open_question_weak_point(world, waves(world)[1])
    client = client_for(world.inspector)
    weak_page = f"/indices/weak-points/{weak.public_id}/"
    form_url = f"/followup/recommendations/new/?weak_point={weak.public_id}"
    assert form_url in client.get(weak_page).content.decode()
    # Unit staff see the weak point but cannot write recommendations.
    officer_page = client_for(world.officer_a).get(weak_page)
    assert officer_page.status_code == 200
    assert form_url not in officer_page.content.decode()

    post_from(client, weak)
    rec = Recommendation.objects.get()
    page = client.get(weak_page).content.decode()
    assert f'href="/followup/recommendations/{rec.code}/"' in page
    assert form_url not in page
    detail = client.get(f"/followup/recommendations/{rec.code}/").content.decode()
    assert f'href="{weak_page}"' in detail
    assert "Pertanyaan U2" in detail
    # The unit does not see a draft: its weak point page does not link to it yet.
    officer_view = client_for(world.officer_a).get(weak_page).content.decode()
    assert f'href="/followup/recommendations/{rec.code}/"' not in officer_view


def test_the_weak_point_follows_its_recommendation_from_issue_to_close(world: World) -> None:
    weak = open_question_weak_point(world, waves(world)[1])
    client = client_for(world.inspector)
    post_from(client, weak)
    rec = Recommendation.objects.get()
    assert client.post(f"/followup/recommendations/{rec.code}/issue/").status_code == 302
    weak.refresh_from_db()
    assert weak.status == WeakPoint.Status.ADDRESSED
    actions = list(
        Event.objects.filter(object_type="indices.weakpoint", object_id=str(weak.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["indices.weak_point_recommended", "indices.weak_point_addressed"]
    # Issued, the recommendation is visible to the unit, and so is the link.
    page = client_for(world.officer_a).get(f"/indices/weak-points/{weak.public_id}/")
    assert f'href="/followup/recommendations/{rec.code}/"' in page.content.decode()

    rec.refresh_from_db()
    rec.status = Recommendation.Status.CLOSED
    rec.save(update_fields=["status"])
    weak.refresh_from_db()
    assert weak.status == WeakPoint.Status.RESOLVED
    # A later save of the closed recommendation changes nothing more.
    rec.save()
    assert (
        Event.objects.filter(object_type="indices.weakpoint", object_id=str(weak.pk)).count() == 3
    )


def test_a_dismissed_weak_point_cannot_become_a_recommendation(world: World) -> None:
    weak = open_question_weak_point(world, waves(world)[1])
    WeakPoint.objects.filter(pk=weak.pk).update(status=WeakPoint.Status.DISMISSED)
    client = client_for(world.inspector)
    assert (
        client.get(f"/followup/recommendations/new/?weak_point={weak.public_id}").status_code == 404
    )
    assert form_link_absent(client, weak)


def form_link_absent(client: Any, weak: WeakPoint) -> bool:
    page = client.get(f"/indices/weak-points/{weak.public_id}/").content.decode()
    return f"/followup/recommendations/new/?weak_point={weak.public_id}" not in page


def test_requested_questions_are_listed_by_their_text(world: World) -> None:
    weak = open_question_weak_point(world, waves(world)[0])
    WeakPoint.objects.filter(pk=weak.pk).update(status=WeakPoint.Status.RECOMMENDATION_REQUESTED)
    page = client_for(world.inspector).get("/followup/weak-points/")
    assert page.context["rows"][0]["question"] == "Pertanyaan U2"
    assert "Pertanyaan U2" in page.content.decode()


def test_the_migration_brings_earlier_weak_points_to_their_recommendations_state(
    world: World,
) -> None:
    first, second, third = waves(world)
    made = []
    for wave, status in ((first, "issued"), (second, "closed"), (third, "draft")):
        weak = requested(world, wave)
        rec = Recommendation.objects.create(
            code=f"REK-{wave.code}", source="weak_point", title="T", year=2025, weak_point=weak
        )
        # Written as the rows stood before weak points followed their recommendations.
        Recommendation.objects.filter(pk=rec.pk).update(status=status)
        made.append(weak)
    migration = import_module(
        "integritas.followup.migrations.0005_weak_points_follow_recommendations"
    )
    migration.forwards(apps, None)
    assert [WeakPoint.objects.get(pk=w.pk).status for w in made] == [
        "addressed",
        "resolved",
        "requested",
    ]
