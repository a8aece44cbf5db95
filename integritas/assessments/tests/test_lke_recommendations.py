"""Closing the loop on an LKE: a failing eligibility condition becomes, in one step by the
Inspectorate, a draft follow-up recommendation (source Zona Integritas) with one action for the
unit, shown on the LKE's page with its plan's progress, refused again while the first is open,
and audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from integritas.assessments.models import LkeAssessment, RaisedRecommendation
from integritas.assessments.services import lke as lke_service
from integritas.assessments.services import recommendations
from integritas.assessments.tests.lke_fixtures import answer_all, full_answers, start
from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.followup.models import Recommendation
from integritas.followup.services.recommendations import recommendation_issue
from integritas.followup.testing import verified_plan

pytestmark = pytest.mark.django_db

IPAK = "Indeks Persepsi Anti Korupsi"  # the condition's Indonesian label, kept as its key


def failing_on_ipak(world: World, unit=None) -> LkeAssessment:  # type: ignore[no-untyped-def]
    lke = start(world, unit=unit)
    answers = {"H.IPAK": "3.52", "H.IPKP": "3.60", "H.KIN": "80"}
    answer_all(
        lke,
        world.officer_a if unit is None else world.officer_b,
        {
            **full_answers(lke.framework),
            **answers,
        },
    )
    return lke


def test_the_page_lists_each_failing_condition_with_a_button_for_the_inspectorate(
    world: World,
) -> None:
    lke = failing_on_ipak(world)
    (condition,) = recommendations.failing_conditions(lke)
    assert (condition.key, condition.node, condition.raised) == (IPAK, "", None)
    page = client_for(world.inspector).get(reverse("assessments-lke", args=[lke.public_id]))
    html = page.content.decode()
    assert reverse("assessments-lke-recommendation", args=[lke.public_id]) in html
    assert f'value="{IPAK}"' in html
    unit_page = client_for(world.officer_a).get(reverse("assessments-lke", args=[lke.public_id]))
    assert reverse("assessments-lke-recommendation", args=[lke.public_id]) not in (
        unit_page.content.decode()
    )


def test_one_click_drafts_a_recommendation_with_one_action_for_the_unit(world: World) -> None:
    lke = failing_on_ipak(world)
    url = reverse("assessments-lke-recommendation", args=[lke.public_id])
    response = client_for(world.inspector).post(url, {"condition": IPAK, "node": ""})
    made = Recommendation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "followup-recommendation", args=[made.code]
    )
    assert made.status == Recommendation.Status.DRAFT
    assert made.source == Recommendation.Source.ZONA_INTEGRITAS
    assert made.year == 2026
    assert list(made.units.all()) == [world.dinkes]  # one action, for the LKE's unit
    assert "3,52" in made.finding and "3,60" in made.finding and "0,08" in made.finding
    assert "WBK" in made.title and IPAK in made.title
    origin = RaisedRecommendation.objects.get()
    assert (origin.lke, origin.condition, origin.node) == (lke, IPAK, None)
    event = Event.objects.get(action="assessments.recommendation_raised")
    assert event.changes["recommendation"] == [None, made.code]
    assert event.changes["condition"] == [None, IPAK]
    # The LKE's page shows it, and once issued its plan with the progress the Inspectorate
    # verified.
    page = reverse("assessments-lke", args=[lke.public_id])
    text = client_for(world.inspector, language="en").get(page).content.decode()
    assert made.code in text and reverse("followup-recommendation", args=[made.code]) in text
    (plan,) = recommendation_issue(recommendation=made, by=world.inspector)
    text = client_for(world.inspector, language="en").get(page).content.decode()
    assert reverse("followup-plan", args=[plan.public_id]) in text and "0% verified" in text
    verified_plan(world, made)
    text = client_for(world.inspector, language="en").get(page).content.decode()
    assert "100% verified" in text


def test_a_second_recommendation_is_refused_while_the_first_is_open(world: World) -> None:
    lke = failing_on_ipak(world)
    first = recommendations.raise_for_condition(
        lke=lke, condition=IPAK, node="", by=world.inspector
    )
    with pytest.raises(ValidationError, match=first.code):
        recommendations.raise_for_condition(lke=lke, condition=IPAK, node="", by=world.inspector)
    url = reverse("assessments-lke-recommendation", args=[lke.public_id])
    response = client_for(world.inspector).post(url, {"condition": IPAK, "node": ""}, follow=True)
    assert first.code in response.content.decode()
    assert Recommendation.objects.count() == 1
    (condition,) = recommendations.failing_conditions(lke)
    assert condition.raised is not None and condition.raised.recommendation == first
    Recommendation.objects.filter(pk=first.pk).update(status=Recommendation.Status.CLOSED)
    again = recommendations.raise_for_condition(
        lke=lke, condition=IPAK, node="", by=world.inspector
    )
    assert again != first


def test_the_same_condition_of_another_units_lke_is_its_own(world: World) -> None:
    one = failing_on_ipak(world)
    other = failing_on_ipak(world, unit=world.disdik)
    recommendations.raise_for_condition(lke=one, condition=IPAK, node="", by=world.inspector)
    made = recommendations.raise_for_condition(
        lke=other, condition=IPAK, node="", by=world.inspector
    )
    assert list(made.units.all()) == [world.disdik]


def test_a_condition_that_is_met_or_unknown_is_refused(world: World) -> None:
    lke = failing_on_ipak(world)
    for condition, node in (("Nilai total", ""), ("nope", ""), (IPAK, "MP")):
        with pytest.raises(ValidationError):
            recommendations.raise_for_condition(
                lke=lke, condition=condition, node=node, by=world.inspector
            )
    assert not Recommendation.objects.exists()


def test_an_each_area_condition_is_raised_per_area(world: World) -> None:
    lke = start(world)
    answers = full_answers(lke.framework)
    for node in lke_service.questions(lke.framework):
        if node.code.startswith("MP.") and node.method == "choice":
            answers[node.code] = "E"
    answer_all(lke, world.officer_a, {**answers, "H.IPAK": "3.60", "H.IPKP": "3.60", "H.KIN": "80"})
    area = next(c for c in recommendations.failing_conditions(lke) if c.node)
    assert area.node == "MP"
    made = recommendations.raise_for_condition(
        lke=lke, condition=area.key, node="MP", by=world.inspector
    )
    assert RaisedRecommendation.objects.get(recommendation=made).node.code == "MP"
    assert "MP" in made.finding


def test_only_the_inspectorate_raises_one(world: World) -> None:
    lke = failing_on_ipak(world)
    with pytest.raises(PermissionDenied):
        recommendations.raise_for_condition(lke=lke, condition=IPAK, node="", by=world.officer_a)
    url = reverse("assessments-lke-recommendation", args=[lke.public_id])
    assert client_for(world.officer_a).post(url, {"condition": IPAK}).status_code == 403
    assert not Recommendation.objects.exists()


def test_after_the_review_the_reviewed_scores_decide_what_fails(world: World) -> None:
    lke = start(world)
    answer_all(
        lke,
        world.officer_a,
        {
            **full_answers(lke.framework),
            "H.IPAK": "3.60",
            "H.IPKP": "3.60",
            "H.KIN": "80",
        },
    )
    assert recommendations.failing_conditions(lke) == []
    lke_service.step(lke=lke, action="submit", by=world.head_a)
    lke_service.review_question(
        lke=lke,
        code="H.IPAK",
        verdict="adjusted",
        adjusted="3.44",
        note="Ulang",
        by=world.inspector,
    )
    assert [c.key for c in recommendations.failing_conditions(lke)] == [IPAK]
