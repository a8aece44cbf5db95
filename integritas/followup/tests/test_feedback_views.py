"""The staff pages of citizens' feedback: the Inspectorate's moderation list and steps, the
unit's answer, the counts and the flag on the plan and recommendation pages, the flagged
actions, and the home page's work queue (each count equal to the list it links to)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from integritas.audit.models import Event
from integritas.core.testing import World, assert_counts_match_lists, client_for, home_queue
from integritas.followup.models import ActionPlan, Feedback
from integritas.followup.services import feedback as services
from integritas.followup.testing import running_plan
from integritas.followup.tests.feedback_photos import jpeg_with_gps

pytestmark = pytest.mark.django_db


def _send(plan: ActionPlan, comment: str, seen: str = "no", **kw: Any) -> Feedback:
    return services.submit(plan=plan, seen=seen, comment=comment, **kw)


def _step(user: Any, item: Feedback, name: str, **data: str) -> Any:
    url = reverse("followup-feedback-step", args=[item.public_id, name])
    return client_for(user, language="en").post(url, data, follow=True)


def test_the_inspectorate_sees_what_waits_for_moderation_first(world: World) -> None:
    plan = running_plan(world)
    waiting = _send(plan, "Belum terlihat")
    done = services.moderate(
        feedback=_send(plan, "Sudah tampak"), step="approve", by=world.inspector
    )
    page = client_for(world.inspector, language="en").get(reverse("followup-feedback-list"))
    body = page.content.decode()
    assert waiting.comment in body and done.comment not in body
    everything = client_for(world.inspector).get(reverse("followup-feedback-list") + "?status=")
    assert done.comment in everything.content.decode()


def test_approving_from_the_list_shows_it_on_the_portal_and_is_audited(world: World) -> None:
    plan = running_plan(world)
    item = _send(plan, "Papan sudah dipasang", "yes")
    response = _step(world.inspector, item, "approve", next=reverse("followup-feedback-list"))
    assert response.redirect_chain[-1][0] == reverse("followup-feedback-list")
    assert "approved and shown on the portal" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Feedback.Status.APPROVED
    assert Event.objects.filter(action="feedback.approve", actor=world.inspector).count() == 1


def test_hiding_needs_a_reason_and_is_audited(world: World) -> None:
    item = _send(running_plan(world), "Menyebut nama pegawai")
    refused = _step(world.inspector, item, "hide", reason="  ")
    assert "Give the reason" in refused.content.decode()
    item.refresh_from_db()
    assert item.status == Feedback.Status.PENDING
    _step(world.inspector_general, item, "hide", reason="Menyebut nama orang")
    item.refresh_from_db()
    assert item.status == Feedback.Status.HIDDEN and item.hide_reason == "Menyebut nama orang"
    assert Event.objects.get(action="feedback.hide").reason == "Menyebut nama orang"


def test_the_unit_cannot_moderate(world: World) -> None:
    item = _send(running_plan(world), "Komentar")
    url = reverse("followup-feedback-step", args=[item.public_id, "approve"])
    assert client_for(world.head_a).post(url).status_code == 403
    assert client_for(world.officer_b).post(url).status_code == 404
    unknown = reverse("followup-feedback-step", args=[item.public_id, "publish"])
    assert client_for(world.inspector).post(unknown).status_code == 404
    item.refresh_from_db()
    assert item.status == Feedback.Status.PENDING


def test_the_unit_answers_on_the_plan_page_once(world: World) -> None:
    plan = running_plan(world)
    item = services.moderate(
        feedback=_send(plan, "Masih rusak"), step="approve", by=world.inspector
    )
    plan_url = reverse("followup-plan", args=[plan.public_id])
    page = client_for(world.head_a, language="en").get(plan_url).content.decode()
    assert (
        item.comment in page and reverse("followup-feedback-answer", args=[item.public_id]) in page
    )
    url = reverse("followup-feedback-answer", args=[item.public_id])
    response = client_for(world.officer_a, language="en").post(
        url, {"answer": "Diperbaiki bulan depan", "next": plan_url}, follow=True
    )
    assert response.redirect_chain[-1][0] == plan_url
    item.refresh_from_db()
    assert item.answer == "Diperbaiki bulan depan"
    assert Event.objects.filter(action="feedback.answered", actor=world.officer_a).exists()
    again = client_for(world.head_a, language="en").post(url, {"answer": "Lagi"}, follow=True)
    assert "already has the unit&#x27;s answer" in again.content.decode()
    item.refresh_from_db()
    assert item.answer == "Diperbaiki bulan depan"


def test_only_the_owning_unit_answers(world: World) -> None:
    item = services.moderate(
        feedback=_send(running_plan(world), "Masih rusak"), step="approve", by=world.inspector
    )
    url = reverse("followup-feedback-answer", args=[item.public_id])
    assert client_for(world.inspector).post(url, {"answer": "Bukan unit"}).status_code == 403
    assert client_for(world.leader).post(url, {"answer": "Bukan unit"}).status_code == 403
    assert client_for(world.officer_b).post(url, {"answer": "Unit lain"}).status_code == 404
    item.refresh_from_db()
    assert item.answer == ""


def test_a_redirect_after_a_step_stays_on_the_site(world: World) -> None:
    item = _send(running_plan(world), "Komentar")
    url = reverse("followup-feedback-step", args=[item.public_id, "approve"])
    response = client_for(world.inspector).post(url, {"next": "https://evil.example/followup/"})
    assert response["Location"] == reverse("followup-plan", args=[item.plan.public_id])


def test_units_read_only_approved_feedback_and_photos(world: World) -> None:
    plan = running_plan(world)
    waiting = _send(plan, "Menunggu moderasi", photo=jpeg_with_gps())
    shown = services.moderate(
        feedback=_send(plan, "Sudah disetujui", photo=jpeg_with_gps()),
        step="approve",
        by=world.inspector,
    )
    body = client_for(world.head_a).get(reverse("followup-feedback-list")).content.decode()
    assert shown.comment in body and waiting.comment not in body
    plan_page = client_for(world.head_a).get(reverse("followup-plan", args=[plan.public_id]))
    assert waiting.comment not in plan_page.content.decode()
    photo = reverse("followup-feedback-photo", args=[waiting.public_id])
    assert client_for(world.head_a).get(photo).status_code == 404
    assert client_for(world.inspector).get(photo).status_code == 200
    other = client_for(world.officer_b).get(reverse("followup-feedback-list")).content.decode()
    assert shown.comment not in other


def test_counts_and_the_flag_show_on_the_plan_and_recommendation_pages(
    world: World, settings: Any
) -> None:
    settings.FOLLOWUP_FEEDBACK_FLAG_NO_VOTES = 2
    plan = running_plan(world)
    for i, seen in enumerate(["no", "no", "yes"]):
        _send(plan, f"Komentar {i}", seen)
    inspector = client_for(world.inspector, language="en")
    page = inspector.get(reverse("followup-plan", args=[plan.public_id])).content.decode()
    assert "yes 1 · partly 0 · no 2" in page
    assert "Flagged by citizens" in page
    rec = inspector.get(reverse("followup-recommendation", args=[plan.recommendation.code]))
    assert "yes 1 · partly 0 · no 2" in rec.content.decode()
    assert "Flagged by citizens" in rec.content.decode()
    flagged = inspector.get(reverse("followup-feedback-flagged")).content.decode()
    assert plan.recommendation.code in flagged


def test_the_home_queue_counts_feedback_and_flags_and_each_count_matches_its_list(
    world: World, settings: Any
) -> None:
    settings.FOLLOWUP_FEEDBACK_FLAG_NO_VOTES = 2
    plan = running_plan(world)
    _send(plan, "satu")
    _send(plan, "dua")
    services.moderate(feedback=_send(plan, "tiga"), step="approve", by=world.inspector)
    queue = home_queue(world.inspector)
    assert queue["citizen feedback waiting for moderation"].n == 2
    assert queue['actions flagged by citizens\' "no" answers'].n == 1
    assert_counts_match_lists(world.inspector)
    unit = home_queue(world.head_a)
    assert unit["citizen feedback to answer"].n == 1
    assert "citizen feedback waiting for moderation" not in unit
    assert_counts_match_lists(world.head_a)
    assert "citizen feedback to answer" not in home_queue(world.officer_b) or (
        home_queue(world.officer_b)["citizen feedback to answer"].n == 0
    )


def test_the_plan_list_shows_each_actions_votes(world: World) -> None:
    plan = running_plan(world)
    _send(plan, "Sudah", "yes")
    _send(plan, "Belum", "no")
    page = client_for(world.leader, language="en").get(reverse("followup-plan-list"))
    assert "yes 1 · partly 0 · no 1" in page.content.decode()


def test_there_is_no_feedback_panel_before_there_is_feedback_to_read(world: World) -> None:
    plan = running_plan(world)
    assert "citizen feedback waiting for moderation" not in home_queue(world.inspector)
    _send(plan, "Menunggu")
    assert "citizen feedback waiting for moderation" in home_queue(world.inspector)
    assert "citizen feedback to answer" not in home_queue(world.head_a)  # pending: not theirs yet


def test_the_units_dashboard_shows_each_actions_votes_and_flag(world: World, settings: Any) -> None:
    settings.FOLLOWUP_FEEDBACK_FLAG_NO_VOTES = 1
    plan = running_plan(world)
    _send(plan, "Belum", "no")
    url = reverse("followup-dashboard-unit", args=[plan.unit.code])
    page = client_for(world.inspector, language="en").get(url).content.decode()
    assert "yes 0 · partly 0 · no 1" in page and "Flagged by citizens" in page
