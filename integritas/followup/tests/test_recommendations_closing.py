"""Closing a recommendation (``services.recommendations.recommendation_close``): the Inspectorate
closes it once it has confirmed the follow-up category as *sesuai* with every plan done, or as
*tidak dapat ditindaklanjuti* with a written reason; every other close is refused with a clear
message and changes nothing. The inspector general may reopen a recommendation closed by
mistake, with a reason. Both are audited, and the units are told."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.core.models import Notification
from integritas.core.testing import World
from integritas.followup.models import ActionPlan, Recommendation
from integritas.followup.services import plans as plan_services
from integritas.followup.services import recommendations as services
from integritas.followup.testing import (
    closable_recommendation,
    closed_recommendation,
    recommendation,
    running_plan,
    verified_plan,
)
from integritas.followup.tests.test_recommendations_from_weak_points import requested, waves
from integritas.indices.models import WeakPoint

pytestmark = pytest.mark.django_db

Tlhp = Recommendation.Tlhp


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Run the body, then its on-commit callbacks, as a real commit would."""

    @contextmanager
    def run() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


def refused(rec: Recommendation, by: Any, message: str, **kwargs: Any) -> None:
    """Closing ``rec`` as ``by`` is refused with ``message`` and changes nothing."""
    before = Recommendation.objects.values().get(pk=rec.pk)
    events = Event.objects.count()
    with pytest.raises(ValidationError) as error:
        services.recommendation_close(recommendation=rec, by=by, **kwargs)
    assert message in " ".join(error.value.messages)
    assert Recommendation.objects.values().get(pk=rec.pk) == before
    assert Event.objects.count() == events


def cannot_follow_up(world: World, *, reason: str = "Kendaraan hilang; diproses TGR.") -> Any:
    """A recommendation to DINKES whose plan was cancelled and whose category is *tidak dapat*."""
    rec = recommendation(world)
    plan = rec.plans.get()
    plan_services.plan_transition(
        plan=plan, name="cancel", by=world.inspector, reason="Diserahkan ke Majelis TGR."
    )
    return services.recommendation_set_tlhp(
        recommendation=rec, category=Tlhp.TIDAK_DAPAT, reason=reason, by=world.inspector
    )


# --- Allowed ------------------------------------------------------------------------------------


def test_the_inspector_closes_a_recommendation_done_as_recommended(world: World) -> None:
    rec = closable_recommendation(world)
    services.recommendation_close(
        recommendation=rec, by=world.inspector, note="Semua rencana aksi terverifikasi."
    )
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.CLOSED
    assert rec.closed_by == world.inspector and rec.closed_at is not None
    assert rec.closing_note == "Semua rencana aksi terverifikasi."
    event = Event.objects.get(action="recommendation.closed")
    assert event.actor == world.inspector
    assert event.object_id == str(rec.pk)
    assert event.changes["status"] == ["issued", "closed"]
    assert event.changes["tlhp"] == [None, "sesuai"]
    assert event.reason == "Semua rencana aksi terverifikasi."


def test_a_recommendation_that_cannot_be_followed_up_closes_with_its_reason(
    world: World,
) -> None:
    rec = cannot_follow_up(world)
    services.recommendation_close(recommendation=rec, by=world.inspector_general)
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.CLOSED
    assert rec.closed_by == world.inspector_general
    event = Event.objects.get(action="recommendation.closed")
    assert event.changes["tlhp"] == [None, "tidak_dapat"]
    assert event.changes["tlhp_reason"] == [None, "Kendaraan hilang; diproses TGR."]


def test_cancelled_plans_beside_verified_ones_do_not_keep_a_recommendation_open(
    world: World,
) -> None:
    rec = recommendation(world, world.dinkes, world.disdik)
    verified_plan(world, rec)
    plan_services.plan_transition(
        plan=rec.plans.get(unit=world.disdik), name="cancel", by=world.inspector, reason="Dilebur."
    )
    services.recommendation_set_tlhp(recommendation=rec, category=Tlhp.SESUAI, by=world.inspector)
    services.recommendation_close(recommendation=rec, by=world.inspector)
    assert Recommendation.objects.get(pk=rec.pk).status == Recommendation.Status.CLOSED


def test_closing_resolves_the_survey_weak_point_and_reopening_brings_it_back(
    world: World,
) -> None:
    weak = requested(world, waves(world)[0])
    rec = closable_recommendation(world, source="weak_point", weak_point=weak)
    assert WeakPoint.objects.get(pk=weak.pk).status == WeakPoint.Status.ADDRESSED
    services.recommendation_close(recommendation=rec, by=world.inspector)
    assert WeakPoint.objects.get(pk=weak.pk).status == WeakPoint.Status.RESOLVED
    services.recommendation_reopen(
        recommendation=Recommendation.objects.get(pk=rec.pk),
        by=world.inspector_general,
        reason="Ditutup keliru: bukti setor belum lengkap.",
    )
    assert WeakPoint.objects.get(pk=weak.pk).status == WeakPoint.Status.ADDRESSED
    assert Event.objects.filter(action="indices.weak_point_reopened").count() == 1


# --- Refused ------------------------------------------------------------------------------------


def test_a_recommendation_with_a_plan_still_open_is_not_closed(world: World) -> None:
    rec = recommendation(world, world.dinkes, world.disdik)
    verified_plan(world, rec)
    services.recommendation_set_tlhp(recommendation=rec, category=Tlhp.SESUAI, by=world.inspector)
    refused(rec, world.inspector, "still open")
    assert "DISDIK" in " ".join(services.close_blockers(rec))


def test_a_recommendation_cannot_be_followed_up_while_its_plans_run(world: World) -> None:
    rec = recommendation(world)
    running_plan(world, rec)
    services.recommendation_set_tlhp(
        recommendation=rec,
        category=Tlhp.TIDAK_DAPAT,
        reason="Tidak ada anggaran.",
        by=world.inspector,
    )
    refused(rec, world.inspector, "still open")


def test_a_category_not_confirmed_as_done_or_impossible_keeps_it_open(world: World) -> None:
    rec = recommendation(world)
    verified_plan(world, rec)
    # The plans suggest sesuai, but the inspector has not confirmed it: the stored category
    # is still the one set before.
    services.recommendation_set_tlhp(
        recommendation=rec, category=Tlhp.BELUM_SESUAI, by=world.inspector
    )
    refused(rec, world.inspector, "Confirm the follow-up category")


def test_cannot_be_followed_up_without_a_written_reason_is_not_closed(world: World) -> None:
    rec = cannot_follow_up(world)
    # Written before the category form required the reason.
    Recommendation.objects.filter(pk=rec.pk).update(tlhp_reason="  ")
    refused(Recommendation.objects.get(pk=rec.pk), world.inspector, "reason")


def test_done_as_recommended_needs_at_least_one_verified_plan(world: World) -> None:
    rec = recommendation(world)
    plan_services.plan_transition(
        plan=rec.plans.get(), name="cancel", by=world.inspector, reason="Unit dilebur."
    )
    services.recommendation_set_tlhp(recommendation=rec, category=Tlhp.SESUAI, by=world.inspector)
    refused(rec, world.inspector, "No action plan was verified")


def test_done_as_recommended_with_money_still_to_recover_is_not_closed(world: World) -> None:
    rec = closable_recommendation(world, amount_to_recover=Decimal("1000000"))
    refused(rec, world.inspector, "still to be recovered")
    services.recommendation_set_tlhp(
        recommendation=rec,
        category=Tlhp.SESUAI,
        amount_recovered=Decimal("1000000"),
        by=world.inspector,
    )
    services.recommendation_close(recommendation=rec, by=world.inspector)


@pytest.mark.parametrize("persona", ["leader", "admin", "head_a", "officer_a"])
def test_only_the_inspectorate_closes(world: World, persona: str) -> None:
    refused(closable_recommendation(world), getattr(world, persona), "Only the Inspectorate")


def test_a_closed_recommendation_is_not_closed_again(world: World) -> None:
    rec = closed_recommendation(world)
    refused(rec, world.inspector, "already closed")


def test_a_draft_is_not_closed(world: World) -> None:
    rec = recommendation(world, issue=False)
    refused(rec, world.inspector, "issue it first")


def test_the_category_of_a_closed_recommendation_no_longer_changes(world: World) -> None:
    rec = closed_recommendation(world)
    with pytest.raises(ValidationError, match="reopen"):
        services.recommendation_set_tlhp(
            recommendation=rec, category=Tlhp.BELUM_SESUAI, by=world.inspector
        )
    assert Recommendation.objects.get(pk=rec.pk).tlhp == Tlhp.SESUAI


# --- Reopening ----------------------------------------------------------------------------------


def test_the_inspector_general_reopens_a_recommendation_closed_by_mistake(world: World) -> None:
    rec = closed_recommendation(world)
    services.recommendation_reopen(
        recommendation=rec, by=world.inspector_general, reason="Bukti setor ternyata palsu."
    )
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.ISSUED
    assert (rec.closed_at, rec.closed_by, rec.closing_note) == (None, None, "")
    event = Event.objects.get(action="recommendation.reopened")
    assert event.actor == world.inspector_general
    assert event.changes["status"] == ["closed", "issued"]
    assert event.reason == "Bukti setor ternyata palsu."
    # Reopened, its category can be corrected again.
    services.recommendation_set_tlhp(
        recommendation=rec, category=Tlhp.BELUM_SESUAI, by=world.inspector
    )


@pytest.mark.parametrize(
    ("persona", "reason", "message"),
    [
        ("inspector", "Keliru.", "Only the inspector general"),
        ("leader", "Keliru.", "Only the inspector general"),
        ("inspector_general", "   ", "Say why"),
    ],
)
def test_reopening_needs_the_inspector_general_and_a_reason(
    world: World, persona: str, reason: str, message: str
) -> None:
    rec = closed_recommendation(world)
    before = Recommendation.objects.values().get(pk=rec.pk)
    with pytest.raises(ValidationError, match=message):
        services.recommendation_reopen(
            recommendation=rec, by=getattr(world, persona), reason=reason
        )
    assert Recommendation.objects.values().get(pk=rec.pk) == before
    assert not Event.objects.filter(action="recommendation.reopened").exists()


def test_an_open_recommendation_is_not_reopened(world: World) -> None:
    rec = closable_recommendation(world)
    with pytest.raises(ValidationError, match="not closed"):
        services.recommendation_reopen(
            recommendation=rec, by=world.inspector_general, reason="Keliru."
        )


# --- Who is told --------------------------------------------------------------------------------


def test_closing_tells_the_units_heads_and_officers_that_nothing_more_is_needed(
    world: World, committed: Any
) -> None:
    rec = closable_recommendation(world)
    Notification.objects.all().delete()
    with committed():
        services.recommendation_close(recommendation=rec, by=world.inspector)
    told = Notification.objects.order_by("user__username")
    assert [n.user for n in told] == [world.head_a, world.officer_a]
    note = told.first()
    assert note is not None
    assert rec.code in note.title and note.url == f"/followup/recommendations/{rec.code}/"
    # In the recipient's language (Indonesian by default), with the category confirmed.
    assert "Selesai sesuai rekomendasi" in note.body


def test_a_refused_close_tells_nobody(world: World, committed: Any) -> None:
    rec = recommendation(world)
    Notification.objects.all().delete()
    with committed(), pytest.raises(ValidationError):
        services.recommendation_close(recommendation=rec, by=world.inspector)
    assert not Notification.objects.exists()


def test_reopening_tells_the_units_and_the_inspectorate_with_the_reason(
    world: World, committed: Any
) -> None:
    rec = closed_recommendation(world)
    Notification.objects.all().delete()
    with committed():
        services.recommendation_reopen(
            recommendation=rec, by=world.inspector_general, reason="Bukti setor ternyata palsu."
        )
    told = {n.user for n in Notification.objects.all()}
    # The inspector general who reopened it is not told; the other inspector is.
    assert told == {world.head_a, world.officer_a, world.inspector}
    assert all("Bukti setor ternyata palsu." in n.body for n in Notification.objects.all())


def test_closing_leaves_the_plans_as_they_were(world: World) -> None:
    rec = closable_recommendation(world)
    before = list(ActionPlan.objects.values_list("status", flat=True))
    services.recommendation_close(recommendation=rec, by=world.inspector)
    assert list(ActionPlan.objects.values_list("status", flat=True)) == before
