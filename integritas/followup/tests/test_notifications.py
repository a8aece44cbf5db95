"""Notifications at each hand-over of the follow-up workflow
(``followup/services/notifications.py``): exactly the people who act next are told, once the step
has committed, in their language and by email as they chose; a failed step tells nobody."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from integritas.core.models import Notification, Role, User
from integritas.core.testing import World, make_user
from integritas.followup.models import ActionPlan, Activity, Evidence
from integritas.followup.services import plans as services
from integritas.followup.testing import (
    draft_plan,
    finish_activities,
    recommendation,
    running_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Run the body, then its on-commit callbacks, as a real commit would."""

    @contextmanager
    def run() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


def told() -> dict[str, list[str]]:
    """Who was told what: username -> titles."""
    result: dict[str, list[str]] = {}
    for n in Notification.objects.select_related("user").order_by("user__username", "pk"):
        result.setdefault(n.user.username, []).append(n.title)
    return result


def step(plan: ActionPlan, name: str, by: User, **kwargs: Any) -> ActionPlan:
    services.plan_transition(plan=plan, name=name, by=by, **kwargs)
    return ActionPlan.objects.get(pk=plan.pk)


def test_issuing_tells_each_target_units_heads_and_officers(world: World, committed: Any) -> None:
    with committed():
        rec = recommendation(world, world.dinkes, world.disdik)
    title_a = f"Rekomendasi baru untuk DINKES: {rec.code}"
    title_b = f"Rekomendasi baru untuk DISDIK: {rec.code}"
    assert told() == {"head_a": [title_a], "officer_a": [title_a], "officer_b": [title_b]}
    body = Notification.objects.filter(user=world.officer_a).get().body
    assert "Susun rencana aksi" in body
    assert "Batas waktunya" in body


def test_a_submitted_plan_goes_to_the_whole_inspectorate_when_nobody_is_assigned(
    world: World, committed: Any
) -> None:
    plan = draft_plan(world)
    with committed():
        step(plan, "submit", world.head_a)
    title = f"Rencana aksi diajukan: {plan.recommendation.code} (DINKES)"
    assert told() == {"inspector": [title], "inspector_general": [title]}


def test_a_submitted_plan_goes_only_to_the_inspectors_assigned_to_the_unit(
    world: World, committed: Any
) -> None:
    make_user("irban_dinkes", role=Role.INSPECTOR, role_unit=world.dinkes)
    make_user("irban_disdik", role=Role.INSPECTOR, role_unit=world.disdik)
    plan = draft_plan(world)
    with committed():
        step(plan, "submit", world.head_a)
    assert list(told()) == ["irban_dinkes"]


def test_returning_the_plan_tells_the_unit_with_the_reason(world: World, committed: Any) -> None:
    plan = step(draft_plan(world), "submit", world.head_a)
    with committed():
        step(plan, "return_plan", world.inspector, reason="Bobot belum 100%")
    title = f"Rencana aksi dikembalikan: {plan.recommendation.code} (DINKES)"
    assert told() == {"head_a": [title], "officer_a": [title]}
    assert "Alasan: Bobot belum 100%" in Notification.objects.filter(user=world.head_a).get().body


def test_a_plan_submitted_again_after_a_return_notifies_again(world: World, committed: Any) -> None:
    plan = step(draft_plan(world), "submit", world.head_a)
    plan = step(plan, "return_plan", world.inspector, reason="Bobot")
    with committed():
        plan = step(plan, "submit", world.head_a)
    with committed():
        plan = step(plan, "return_plan", world.inspector, reason="Lagi")
        plan = step(plan, "submit", world.head_a)
    assert len(told()["inspector_general"]) == 2
    assert len(told()["head_a"]) == 1  # the second return; the first was not committed here


def test_approval_tells_the_unit_but_not_the_approver(world: World, committed: Any) -> None:
    plan = step(draft_plan(world), "submit", world.head_a)
    with committed():
        step(plan, "approve", world.inspector)
    title = f"Rencana aksi disetujui: {plan.recommendation.code} (DINKES)"
    assert told() == {"head_a": [title], "officer_a": [title]}


def test_submitted_evidence_goes_to_the_inspectorate(world: World, committed: Any) -> None:
    plan = running_plan(world)
    with committed():
        step(plan, "submit_evidence", world.officer_a)
    title = f"Bukti dukung diajukan: {plan.recommendation.code} (DINKES)"
    assert told() == {"inspector": [title], "inspector_general": [title]}


def test_returned_evidence_tells_the_unit_and_names_the_file(world: World, committed: Any) -> None:
    plan = step(running_plan(world), "submit_evidence", world.officer_a)
    evidence = Evidence.objects.get(activity__plan=plan)
    with committed():
        step(plan, "return", world.inspector, reason="Belum ditandatangani", files=[evidence])
    title = f"Bukti dukung dikembalikan: {plan.recommendation.code} (DINKES)"
    assert told() == {"head_a": [title], "officer_a": [title]}
    body = Notification.objects.filter(user=world.officer_a).get().body
    assert "Alasan: Belum ditandatangani" in body
    assert "perwal.pdf" in body
    assert "Salinan perwal" in body
    message = next(m for m in mail.outbox if m.to == [world.officer_a.email])
    assert "perwal.pdf" in message.body


def test_verification_tells_the_unit(world: World, committed: Any) -> None:
    plan = step(finish_activities(world, running_plan(world)), "submit_evidence", world.officer_a)
    Notification.objects.all().delete()
    with committed():
        step(plan, "verify", world.inspector)
    title = f"Rencana aksi diverifikasi: {plan.recommendation.code} (DINKES)"
    assert told() == {"head_a": [title], "officer_a": [title]}


def test_starting_work_tells_nobody(world: World, committed: Any) -> None:
    plan = step(step(draft_plan(world), "submit", world.head_a), "approve", world.inspector)
    with committed():
        step(plan, "start", world.officer_a)
    assert told() == {}


def test_a_failed_step_tells_nobody(world: World, committed: Any) -> None:
    rec = recommendation(world)
    plan = rec.plans.get()  # no activity yet: submitting is refused
    with committed(), pytest.raises(ValidationError):
        step(plan, "submit", world.head_a)
    with committed(), pytest.raises(ValidationError):
        step(plan, "approve", world.officer_a)  # not allowed in this state or role
    assert told() == {}
    assert mail.outbox == []


def test_each_person_is_emailed_as_they_chose(world: World, committed: Any) -> None:
    world.head_a.notification_delivery = User.Delivery.IN_APP
    world.head_a.save(update_fields=["notification_delivery"])
    world.officer_a.language = "en"
    world.officer_a.save(update_fields=["language"])
    plan = step(draft_plan(world), "submit", world.head_a)
    with committed():
        step(plan, "approve", world.inspector)
    assert set(told()) == {"head_a", "officer_a"}
    assert [m.to for m in mail.outbox] == [[world.officer_a.email]]
    assert mail.outbox[0].subject == f"Action plan approved: {plan.recommendation.code} (DINKES)"


def activity_step(activity: Activity, name: str, by: User, **kwargs: Any) -> Activity:
    services.activity_step(activity=activity, name=name, by=by, **kwargs)
    return Activity.objects.get(pk=activity.pk)


def test_an_activity_marked_done_goes_to_the_inspectorate(world: World, committed: Any) -> None:
    plan = running_plan(world)
    activity = plan.activities.get()
    with committed():
        activity_step(activity, "done", world.officer_a)
    title = f"Kegiatan selesai, bukti menunggu verifikasi: {plan.recommendation.code} (DINKES)"
    assert told() == {"inspector": [title], "inspector_general": [title]}
    assert activity.title in Notification.objects.filter(user=world.inspector).get().body


def test_a_returned_activity_tells_the_unit_and_names_the_file(
    world: World, committed: Any
) -> None:
    plan = running_plan(world)
    activity = activity_step(plan.activities.get(), "done", world.officer_a)
    evidence = Evidence.objects.get(activity=activity)
    Notification.objects.all().delete()
    with committed():
        activity_step(
            activity, "return", world.inspector, reason="Tanda tangan kurang", files=[evidence]
        )
    title = f"Kegiatan dikembalikan: {plan.recommendation.code} (DINKES)"
    assert told() == {"head_a": [title], "officer_a": [title]}
    body = Notification.objects.filter(user=world.officer_a).get().body
    assert "Tanda tangan kurang" in body and "perwal.pdf" in body and activity.title in body


def test_a_verified_activity_tells_the_unit(world: World, committed: Any) -> None:
    plan = running_plan(world)
    activity = activity_step(plan.activities.get(), "done", world.officer_a)
    Notification.objects.all().delete()
    with committed():
        activity_step(activity, "verify", world.inspector)
    title = f"Kegiatan diverifikasi: {plan.recommendation.code} (DINKES)"
    assert told() == {"head_a": [title], "officer_a": [title]}


def test_cancelling_a_plan_tells_the_unit_with_the_reason(world: World, committed: Any) -> None:
    plan = draft_plan(world)
    Notification.objects.all().delete()
    with committed():
        step(plan, "cancel", world.inspector, reason="Unit kerja digabung")
    title = f"Rencana aksi dibatalkan: {plan.recommendation.code} (DINKES)"
    assert told() == {"head_a": [title], "officer_a": [title]}
    assert "Unit kerja digabung" in Notification.objects.filter(user=world.head_a).get().body
