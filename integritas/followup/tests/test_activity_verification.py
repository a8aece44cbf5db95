"""Activities are verified one by one: the unit marks an activity done and so submits its
evidence as soon as it is done; the Inspectorate verifies it (it then locks) or returns it with a
reason; whoever uploaded its evidence may not verify it. Refused steps change nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from integritas.audit.models import Event
from integritas.core.models import Role, RoleAssignment
from integritas.core.testing import World, make_user
from integritas.followup.models import ActionPlan, Activity, Evidence, PlanReturn
from integritas.followup.services import plans as services
from integritas.followup.testing import PDF, add_pdf, two_activity_plan

pytestmark = pytest.mark.django_db


def perwal(plan: ActionPlan) -> Activity:
    return plan.activities.get(title="Perwal")


def sosialisasi(plan: ActionPlan) -> Activity:
    return plan.activities.get(title="Sosialisasi")


def snapshot() -> tuple[list[dict], list[dict], list[str], int]:  # type: ignore[type-arg]
    return (
        list(ActionPlan.objects.order_by("pk").values()),
        list(Activity.objects.order_by("pk").values()),
        list(Event.objects.order_by("seq").values_list("action", flat=True)),
        PlanReturn.objects.count(),
    )


def test_an_activity_with_evidence_is_marked_done_without_waiting_for_the_others(
    world: World,
) -> None:
    plan = two_activity_plan(world)
    activity = services.activity_step(activity=perwal(plan), name="done", by=world.officer_a)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE
    assert activity.done_by == world.officer_a and activity.done_at is not None
    assert activity.progress_claimed == Decimal("100")
    assert sosialisasi(plan).status == Activity.Status.OPEN
    assert ActionPlan.objects.get(pk=plan.pk).status == "in_progress"
    event = Event.objects.filter(action="activity.done").get()
    assert event.object_id == str(plan.pk)


def test_an_activity_without_evidence_cannot_be_marked_done_and_nothing_changes(
    world: World,
) -> None:
    plan = two_activity_plan(world)
    before = snapshot()
    with pytest.raises(ValidationError, match="evidence"):
        services.activity_step(activity=sosialisasi(plan), name="done", by=world.officer_a)
    assert snapshot() == before


def test_the_inspectorate_verifies_a_done_activity_and_the_plan_counts_its_weight(
    world: World,
) -> None:
    plan = two_activity_plan(world)
    services.activity_step(activity=perwal(plan), name="done", by=world.officer_a)
    services.activity_step(activity=perwal(plan), name="verify", by=world.inspector)
    activity = perwal(plan)
    assert activity.status == Activity.Status.VERIFIED
    assert activity.verified_by == world.inspector and activity.verified_at is not None
    assert activity.progress_verified == Decimal("100")
    # The plan's verified progress is the weighted sum of its verified activities.
    assert ActionPlan.objects.get(pk=plan.pk).progress() == (Decimal("60.0"), Decimal("60.0"))
    assert Event.objects.filter(action="activity.verify").count() == 1


def test_an_activity_not_done_cannot_be_verified(world: World) -> None:
    plan = two_activity_plan(world)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.activity_step(activity=perwal(plan), name="verify", by=world.inspector)
    assert snapshot() == before


def test_unit_staff_cannot_verify_and_the_inspectorate_cannot_mark_done(world: World) -> None:
    plan = two_activity_plan(world)
    before = snapshot()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.activity_step(activity=perwal(plan), name="done", by=world.inspector)
    services.activity_step(activity=perwal(plan), name="done", by=world.officer_a)
    before = snapshot()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.activity_step(activity=perwal(plan), name="verify", by=world.head_a)
    assert snapshot() == before


def test_whoever_uploaded_an_activitys_evidence_cannot_verify_it(world: World) -> None:
    dual = make_user("dual", unit=world.dinkes, role=Role.INSPECTOR)
    RoleAssignment.objects.create(user=dual, role=Role.UNIT_OFFICER, unit=world.dinkes)
    plan = two_activity_plan(world)
    activity = sosialisasi(plan)
    services.evidence_add(
        activity=activity,
        values={"title": "Foto", "kind": Evidence.Kind.FILE, "effective_from": "2024-06-01"},
        by=dual,
        upload=io.BytesIO(PDF),
        upload_name="foto.pdf",
    )
    services.activity_step(activity=activity, name="done", by=world.officer_a)
    before = snapshot()
    with pytest.raises(ValidationError, match="someone else"):
        services.activity_step(activity=sosialisasi(plan), name="verify", by=dual)
    assert snapshot() == before
    services.activity_step(activity=sosialisasi(plan), name="verify", by=world.inspector)
    assert sosialisasi(plan).status == Activity.Status.VERIFIED


def test_whoever_marked_an_activity_done_cannot_verify_it(world: World) -> None:
    dual = make_user("dual", unit=world.dinkes, role=Role.INSPECTOR)
    RoleAssignment.objects.create(user=dual, role=Role.UNIT_OFFICER, unit=world.dinkes)
    plan = two_activity_plan(world)
    services.activity_step(activity=perwal(plan), name="done", by=dual)
    with pytest.raises(ValidationError, match="someone else"):
        services.activity_step(activity=perwal(plan), name="verify", by=dual)
    assert perwal(plan).status == Activity.Status.DONE


def test_a_verified_activity_locks_progress_evidence_and_versions(world: World) -> None:
    plan = two_activity_plan(world)
    evidence = Evidence.objects.get(activity__title="Perwal", activity__plan=plan)
    services.activity_step(activity=perwal(plan), name="done", by=world.officer_a)
    services.activity_step(activity=perwal(plan), name="verify", by=world.inspector)
    before = snapshot()
    with pytest.raises(ValidationError, match="verified"):
        services.activity_report_progress(
            activity=perwal(plan), progress=Decimal("50"), by=world.officer_a
        )
    with pytest.raises(ValidationError, match="verified"):
        add_pdf(world, perwal(plan))
    with pytest.raises(ValidationError, match="verified"):
        services.evidence_add_version(
            evidence=evidence, upload=io.BytesIO(PDF), upload_name="v2.pdf", by=world.officer_a
        )
    assert snapshot() == before
    assert evidence.files.count() == 1


def test_returning_an_activity_needs_a_reason_and_reopens_it_with_the_files_named(
    world: World,
) -> None:
    plan = two_activity_plan(world)
    evidence = Evidence.objects.get(activity__title="Perwal", activity__plan=plan)
    services.activity_step(activity=perwal(plan), name="done", by=world.officer_a)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.activity_step(activity=perwal(plan), name="return", by=world.inspector, reason=" ")
    assert snapshot() == before
    services.activity_step(
        activity=perwal(plan),
        name="return",
        by=world.inspector,
        reason="Perwal belum ditandatangani",
        files=[evidence],
    )
    assert perwal(plan).status == Activity.Status.OPEN
    record = PlanReturn.objects.get()
    assert record.step == PlanReturn.Step.ACTIVITY
    assert record.activity == perwal(plan)
    assert record.reason == "Perwal belum ditandatangani"
    assert list(record.evidence.all()) == [evidence]
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert list(ActionPlan.objects.returned()) == [plan]
    assert plan.status == "in_progress"
    # The unit answers with a new version and marks the activity done again.
    services.evidence_add_version(
        evidence=evidence, upload=io.BytesIO(PDF), upload_name="v2.pdf", by=world.officer_a
    )
    services.activity_step(activity=perwal(plan), name="done", by=world.officer_a)
    assert not ActionPlan.objects.returned().exists()
    assert PlanReturn.objects.get().resolved_at is not None


def test_an_activity_return_names_only_evidence_of_that_activity(world: World) -> None:
    plan = two_activity_plan(world)
    other = add_pdf(world, sosialisasi(plan))
    services.activity_step(activity=perwal(plan), name="done", by=world.officer_a)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.activity_step(
            activity=perwal(plan), name="return", by=world.inspector, reason="x", files=[other]
        )
    assert snapshot() == before


def test_a_done_activity_takes_no_more_progress_until_it_is_returned(world: World) -> None:
    plan = two_activity_plan(world)
    services.activity_step(activity=perwal(plan), name="done", by=world.officer_a)
    with pytest.raises(ValidationError):
        services.activity_report_progress(
            activity=perwal(plan), progress=Decimal("20"), by=world.officer_a
        )
    assert perwal(plan).progress_claimed == Decimal("100")


def test_activities_cannot_be_marked_done_before_the_plan_is_approved(world: World) -> None:
    from integritas.followup.testing import draft_plan

    plan = draft_plan(world)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.activity_step(activity=plan.activities.get(), name="done", by=world.officer_a)
    assert snapshot() == before


def test_an_unknown_activity_step_is_refused(world: World) -> None:
    plan = two_activity_plan(world)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.activity_step(activity=perwal(plan), name="approve", by=world.inspector)
    assert snapshot() == before


def test_plans_verified_before_activities_were_verified_one_by_one_keep_their_figures(
    world: World,
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("integritas.followup.migrations.0006_activity_verification")
    plan = two_activity_plan(world)
    # As the old verification left it: the plan verified, its activities still "open".
    ActionPlan.objects.filter(pk=plan.pk).update(status="verified", verified_by=world.inspector)
    running = two_activity_plan(world, None)
    migration.verified_plans_verified_their_activities(apps, None)
    assert set(plan.activities.values_list("status", "verified_by")) == {
        ("verified", world.inspector.pk)
    }
    assert set(running.activities.values_list("status", flat=True)) == {"open"}
