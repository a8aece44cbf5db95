"""The pages of closing and reopening a recommendation: who sees the buttons, who may open the
confirmation pages (403 inside their scope, 404 outside it), what a refused close shows, and how
a closed recommendation reads on its page and in the list."""

from __future__ import annotations

import pytest

from integritas.audit.models import Event
from integritas.core.testing import World, client_for, home_queue
from integritas.followup.models import Recommendation
from integritas.followup.testing import (
    closable_recommendation,
    closed_recommendation,
    recommendation,
    running_plan,
)

pytestmark = pytest.mark.django_db

CLOSE_STATUS = {
    "inspector_general": 200,
    "inspector": 200,
    "leader": 403,
    "admin": 403,
    "head_a": 403,
    "officer_a": 403,
    "officer_b": 404,
    "handler": 404,
    "nobody": 404,
}


@pytest.mark.parametrize(("persona", "status"), sorted(CLOSE_STATUS.items()))
def test_only_the_inspectorate_opens_the_close_page(
    world: World, persona: str, status: int
) -> None:
    rec = closable_recommendation(world)
    response = client_for(getattr(world, persona)).get(
        f"/followup/recommendations/{rec.code}/close/"
    )
    assert response.status_code == status


@pytest.mark.parametrize("persona", ["leader", "admin", "head_a", "officer_a"])
def test_a_close_posted_by_someone_else_is_forbidden_and_changes_nothing(
    world: World, persona: str
) -> None:
    rec = closable_recommendation(world)
    response = client_for(getattr(world, persona)).post(
        f"/followup/recommendations/{rec.code}/close/", {"note": "x"}
    )
    assert response.status_code == 403
    assert Recommendation.objects.get(pk=rec.pk).status == Recommendation.Status.ISSUED


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("inspector", True),
        ("inspector_general", True),
        ("leader", False),
        ("admin", False),
        ("head_a", False),
        ("officer_a", False),
    ],
)
def test_the_close_button_is_for_the_inspectorate(world: World, persona: str, shown: bool) -> None:
    rec = closable_recommendation(world)
    page = client_for(getattr(world, persona)).get(f"/followup/recommendations/{rec.code}/")
    assert (f"/followup/recommendations/{rec.code}/close/" in page.content.decode()) is shown


def test_the_inspector_confirms_and_the_page_shows_the_closed_state(world: World) -> None:
    rec = closable_recommendation(world)
    client = client_for(world.inspector)
    confirm = client.get(f"/followup/recommendations/{rec.code}/close/").content.decode()
    assert "Tutup rekomendasi" in confirm and 'method="post"' in confirm
    response = client.post(
        f"/followup/recommendations/{rec.code}/close/", {"note": "Bukti setor lengkap."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/followup/recommendations/{rec.code}/"
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.CLOSED
    page = client.get(f"/followup/recommendations/{rec.code}/").content.decode()
    assert "Ditutup" in page
    assert world.inspector.get_full_name() in page
    assert "Bukti setor lengkap." in page
    # Closed: no more closing, and the category stays as confirmed.
    assert f"/followup/recommendations/{rec.code}/close/" not in page
    assert f"/followup/recommendations/{rec.code}/tlhp/" not in page


def test_the_close_page_says_what_still_blocks_and_offers_no_button(world: World) -> None:
    rec = recommendation(world)
    running_plan(world, rec)
    client = client_for(world.inspector)
    page = client.get(f"/followup/recommendations/{rec.code}/close/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "DINKES" in text and 'name="confirm"' not in text
    response = client.post(f"/followup/recommendations/{rec.code}/close/", {"confirm": "1"})
    assert response.status_code == 400
    assert "masih berjalan" in response.content.decode()
    assert Recommendation.objects.get(pk=rec.pk).status == Recommendation.Status.ISSUED
    assert not Event.objects.filter(action="recommendation.closed").exists()


def test_closing_twice_sends_back_to_the_recommendation_with_a_message(world: World) -> None:
    rec = closed_recommendation(world)
    client = client_for(world.inspector)
    response = client.post(f"/followup/recommendations/{rec.code}/close/", {"confirm": "1"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "sudah ditutup" in page
    assert Event.objects.filter(action="recommendation.closed").count() == 1


def test_the_category_page_of_a_closed_recommendation_sends_back(world: World) -> None:
    rec = closed_recommendation(world)
    response = client_for(world.inspector).get(f"/followup/recommendations/{rec.code}/tlhp/")
    assert response.status_code == 302
    assert response["Location"] == f"/followup/recommendations/{rec.code}/"


REOPEN_STATUS = {**CLOSE_STATUS, "inspector": 403}


@pytest.mark.parametrize(("persona", "status"), sorted(REOPEN_STATUS.items()))
def test_only_the_inspector_general_opens_the_reopen_page(
    world: World, persona: str, status: int
) -> None:
    rec = closed_recommendation(world)
    response = client_for(getattr(world, persona)).get(
        f"/followup/recommendations/{rec.code}/reopen/"
    )
    assert response.status_code == status


def test_the_inspector_general_reopens_with_a_reason(world: World) -> None:
    rec = closed_recommendation(world)
    client = client_for(world.inspector_general)
    detail = client.get(f"/followup/recommendations/{rec.code}/").content.decode()
    assert f"/followup/recommendations/{rec.code}/reopen/" in detail
    inspector_view = client_for(world.inspector).get(f"/followup/recommendations/{rec.code}/")
    assert f"/followup/recommendations/{rec.code}/reopen/" not in inspector_view.content.decode()
    empty = client.post(f"/followup/recommendations/{rec.code}/reopen/", {"reason": " "})
    assert empty.status_code == 400
    assert Recommendation.objects.get(pk=rec.pk).status == Recommendation.Status.CLOSED
    response = client.post(
        f"/followup/recommendations/{rec.code}/reopen/", {"reason": "Ditutup keliru."}
    )
    assert response.status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).status == Recommendation.Status.ISSUED
    assert Event.objects.get(action="recommendation.reopened").reason == "Ditutup keliru."


def test_an_open_recommendation_has_nothing_to_reopen(world: World) -> None:
    rec = closable_recommendation(world)
    response = client_for(world.inspector_general).get(
        f"/followup/recommendations/{rec.code}/reopen/"
    )
    assert response.status_code == 302


def test_the_list_shows_closed_recommendations_and_filters_them(world: World) -> None:
    closed = closed_recommendation(world, title="Sudah ditutup")
    recommendation(world, title="Masih berjalan")
    client = client_for(world.inspector)
    page = client.get("/followup/?status=closed")
    rows = list(page.context["page"].object_list)
    assert [r.code for r in rows] == [closed.code]
    text = page.content.decode()
    assert "badge closed" in text and "Ditutup" in text
    issued = client.get("/followup/?status=issued").context["page"].object_list
    assert [r.title for r in issued] == ["Masih berjalan"]
    # The unit sees its closed recommendation too.
    unit = client_for(world.officer_a).get("/followup/?status=closed").context["page"]
    assert [r.code for r in unit.object_list] == [closed.code]


def test_a_closed_recommendation_leaves_the_work_queues(world: World) -> None:
    closed_recommendation(world)
    for person in (world.inspector, world.head_a):
        counts = {label: line.n for label, line in home_queue(person).items()}
        assert not any(n for label, n in counts.items() if label != "plans verified"), counts
