"""Follow-up services end to end: issue → plan → approve → evidence → verify, with the rules
the table alone cannot express (weights, evidence present, segregation of duties)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from integritas.audit.models import Event
from integritas.core import policy
from integritas.core.models import Role, RoleAssignment
from integritas.core.testing import World, make_user
from integritas.followup.models import ActionPlan, Activity, Evidence, EvidenceFile, Recommendation
from integritas.followup.services import plans as plan_services
from integritas.followup.services import recommendations as recommendation_services
from integritas.followup.testing import PDF, PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def issue(world: World, *units) -> Recommendation:  # type: ignore[no-untyped-def]
    rec = recommendation_services.recommendation_save(
        recommendation=Recommendation(),
        values={
            "source": Recommendation.Source.KPK_LETTER,
            "title": "Tegakkan aturan benturan kepentingan",
            "reference_number": "B/1838/KSP.007/70-73/04/2024",
            "reference_date": dt.date(2024, 4, 4),
            "year": 2024,
        },
        units=units or [world.dinkes],
        by=world.inspector,
    )
    recommendation_services.recommendation_issue(recommendation=rec, by=world.inspector)
    return rec


def planned(world: World) -> ActionPlan:
    plan = issue(world).plans.get()
    for title, weight in (("Susun perwal", "60"), ("Sosialisasi", "40")):
        plan_services.activity_save(
            plan=plan,
            activity=Activity(),
            values={
                "title": title,
                "output": "Dokumen",
                "due_on": dt.date(2024, 9, 30),
                "weight": Decimal(weight),
            },
            by=world.officer_a,
        )
    return plan


def approved(world: World) -> ActionPlan:
    plan = planned(world)
    plan_services.plan_transition(plan=plan, name="submit", by=world.head_a)
    plan_services.plan_transition(plan=plan, name="approve", by=world.inspector)
    return ActionPlan.objects.get(pk=plan.pk)


def with_evidence(world: World, uploader) -> ActionPlan:  # type: ignore[no-untyped-def]
    plan = approved(world)
    plan_services.plan_transition(plan=plan, name="start", by=world.officer_a)
    for activity in plan.activities.all():
        plan_services.evidence_add(
            activity=activity,
            values={"title": "Bukti", "kind": "file", "effective_from": dt.date(2024, 6, 1)},
            upload=io.BytesIO(PDF),
            upload_name="bukti.pdf",
            by=uploader,
        )
    plan_services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    return ActionPlan.objects.get(pk=plan.pk)


def test_issuing_gives_each_target_unit_a_draft_plan_and_numbers_per_year(world: World) -> None:
    first = issue(world, world.dinkes, world.disdik)
    second = issue(world)
    assert first.code == "REK-2024-001" and second.code == "REK-2024-002"
    assert sorted(first.plans.values_list("unit__code", "status")) == [
        ("DINKES", "draft"),
        ("DISDIK", "draft"),
    ]
    assert Event.objects.filter(action="recommendation.issued").count() == 2


def test_a_recommendation_needs_a_target_unit(world: World) -> None:
    with pytest.raises(ValidationError):
        recommendation_services.recommendation_save(
            recommendation=Recommendation(),
            values={"source": "bpk", "title": "X", "year": 2024},
            units=[],
            by=world.inspector,
        )
    assert not Recommendation.objects.exists()


def test_a_plan_whose_weights_do_not_add_up_to_100_cannot_be_submitted(world: World) -> None:
    plan = planned(world)
    activity = plan.activities.get(title="Sosialisasi")
    activity.weight = Decimal("30")
    activity.save()
    with pytest.raises(ValidationError, match="90"):
        plan_services.plan_transition(plan=plan, name="submit", by=world.head_a)
    plan.refresh_from_db()
    assert plan.status == "draft"
    assert not Event.objects.filter(action="plan.submit").exists()


def test_the_full_journey_ends_verified_with_verified_progress(world: World) -> None:
    plan = with_evidence(world, world.officer_a)
    for activity in plan.activities.all():
        activity.progress_claimed = Decimal("100")
        activity.status = "done"
        activity.save()
        plan_services.activity_step(activity=activity, name="verify", by=world.inspector)
    plan_services.plan_transition(plan=plan, name="verify", by=world.inspector)
    plan.refresh_from_db()
    assert plan.status == "verified" and plan.verified_by == world.inspector
    assert plan.progress() == (Decimal("100.0"), Decimal("100.0"))
    actions = list(
        Event.objects.filter(object_id=str(plan.pk), action__startswith="plan.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "plan.submit",
        "plan.approve",
        "plan.start",
        "plan.submit_evidence",
        "plan.verify",
    ]


def test_whoever_uploaded_evidence_cannot_verify_it(world: World) -> None:
    # An inspector who also holds the unit officer role of DINKES uploads evidence himself.
    RoleAssignment.objects.create(user=world.inspector, role=Role.UNIT_OFFICER, unit=world.dinkes)
    policy.forget(world.inspector)
    plan = with_evidence(world, world.inspector)
    with pytest.raises(ValidationError, match="someone else"):
        plan_services.plan_transition(plan=plan, name="verify", by=world.inspector)
    assert ActionPlan.objects.get(pk=plan.pk).status == "evidence_submitted"
    plan_services.plan_transition(
        plan=plan, name="verify", by=world.inspector_general, confirm=True, reason="Cukup"
    )
    assert ActionPlan.objects.get(pk=plan.pk).status == "verified"


def test_whoever_submitted_evidence_cannot_verify_it(world: World) -> None:
    submitter = make_user("dual", unit=world.dinkes, role=Role.INSPECTOR)
    RoleAssignment.objects.create(user=submitter, role=Role.UNIT_OFFICER, unit=world.dinkes)
    plan = approved(world)
    plan_services.plan_transition(plan=plan, name="start", by=world.officer_a)
    for activity in plan.activities.all():
        plan_services.evidence_add(
            activity=activity,
            values={
                "title": "Tautan",
                "kind": "url",
                "url": "https://example.org/bukti",
                "effective_from": dt.date(2024, 6, 1),
            },
            by=world.officer_a,
        )
    plan_services.plan_transition(plan=plan, name="submit_evidence", by=submitter)
    with pytest.raises(ValidationError):
        plan_services.plan_transition(plan=plan, name="verify", by=submitter)


def test_returning_evidence_needs_a_reason_and_goes_back_to_in_progress(world: World) -> None:
    plan = with_evidence(world, world.officer_a)
    with pytest.raises(ValidationError):
        plan_services.plan_transition(plan=plan, name="return", by=world.inspector, reason=" ")
    plan_services.plan_transition(
        plan=plan, name="return", by=world.inspector, reason="Foto kegiatan tidak terbaca"
    )
    plan.refresh_from_db()
    assert plan.status == "in_progress" and plan.last_reason == "Foto kegiatan tidak terbaca"
    event = Event.objects.get(action="plan.return")
    assert event.reason == "Foto kegiatan tidak terbaca"


def test_a_unit_officer_of_another_unit_cannot_act_on_the_plan(world: World) -> None:
    plan = approved(world)
    with pytest.raises(ValidationError, match="role"):
        plan_services.plan_transition(plan=plan, name="start", by=world.officer_b)
    with pytest.raises(PermissionDenied):
        plan_services.activity_report_progress(
            activity=plan.activities.first(), progress=Decimal("50"), by=world.officer_b
        )


def test_unit_staff_see_only_their_own_units_plans(world: World) -> None:
    issue(world, world.dinkes, world.disdik)
    assert list(policy.scope(world.officer_a, ActionPlan).values_list("unit__code", flat=True)) == [
        "DINKES"
    ]
    assert list(policy.scope(world.officer_b, ActionPlan).values_list("unit__code", flat=True)) == [
        "DISDIK"
    ]
    assert policy.scope(world.leader, ActionPlan).count() == 2


def test_unit_staff_do_not_see_draft_recommendations(world: World) -> None:
    recommendation_services.recommendation_save(
        recommendation=Recommendation(),
        values={"source": "bpk", "title": "Draf", "year": 2024},
        units=[world.dinkes],
        by=world.inspector,
    )
    assert not policy.scope(world.officer_a, Recommendation).exists()
    assert policy.scope(world.inspector, Recommendation).count() == 1


def test_evidence_is_stored_with_its_sha256_and_versions_are_kept(world: World, media) -> None:  # type: ignore[no-untyped-def]
    plan = approved(world)
    activity = plan.activities.first()
    evidence = plan_services.evidence_add(
        activity=activity,
        values={"title": "Perwal", "kind": "file", "effective_from": dt.date(2024, 6, 1)},
        upload=io.BytesIO(PDF),
        upload_name="perwal.pdf",
        by=world.officer_a,
    )
    second = plan_services.evidence_add_version(
        evidence=evidence, upload=io.BytesIO(PNG), upload_name="foto.png", by=world.officer_a
    )
    versions = list(evidence.files.order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].sha256 == hashlib.sha256(PDF).hexdigest()
    assert versions[0].content_type == "application/pdf"
    assert second.content_type == "image/png"
    assert versions[0].file.read() == PDF  # the first version is untouched
    assert versions[0].file.name != versions[1].file.name


def test_a_file_pretending_to_be_a_pdf_is_refused_and_nothing_is_saved(world: World, media) -> None:  # type: ignore[no-untyped-def]
    plan = approved(world)
    with pytest.raises(ValidationError, match="PDF"):
        plan_services.evidence_add(
            activity=plan.activities.first(),
            values={"title": "Bukti", "kind": "file", "effective_from": dt.date(2024, 6, 1)},
            upload=io.BytesIO(b"MZ\x90\x00 this is really a program"),
            upload_name="bukti.pdf",
            by=world.officer_a,
        )
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()
    assert not any(media.rglob("*.*"))


def test_an_oversized_file_is_refused(world: World, media, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 100
    plan = approved(world)
    with pytest.raises(ValidationError, match="limit"):
        plan_services.evidence_add(
            activity=plan.activities.first(),
            values={"title": "Bukti", "kind": "file", "effective_from": dt.date(2024, 6, 1)},
            upload=io.BytesIO(PDF + b"0" * 200),
            upload_name="bukti.pdf",
            by=world.officer_a,
        )
    assert not Evidence.objects.exists()


def test_evidence_needs_a_period_in_order(world: World) -> None:
    plan = approved(world)
    with pytest.raises(ValidationError):
        plan_services.evidence_add(
            activity=plan.activities.first(),
            values={
                "title": "Tautan",
                "kind": "url",
                "url": "https://example.org/x",
                "effective_from": dt.date(2024, 6, 1),
                "effective_to": dt.date(2024, 5, 1),
            },
            by=world.officer_a,
        )
    assert not Evidence.objects.exists()


def test_evidence_cannot_be_submitted_while_an_activity_has_none(world: World) -> None:
    plan = approved(world)
    plan_services.plan_transition(plan=plan, name="start", by=world.officer_a)
    with pytest.raises(ValidationError, match="Sosialisasi"):
        plan_services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)


def test_activities_are_frozen_once_the_plan_is_submitted(world: World) -> None:
    plan = planned(world)
    plan_services.plan_transition(plan=plan, name="submit", by=world.head_a)
    with pytest.raises(ValidationError):
        plan_services.activity_save(
            plan=ActionPlan.objects.get(pk=plan.pk),
            activity=plan.activities.first(),
            values={"title": "Diubah"},
            by=world.officer_a,
        )


def test_tlhp_cannot_be_followed_up_needs_a_reason(world: World) -> None:
    rec = issue(world)
    with pytest.raises(ValidationError):
        recommendation_services.recommendation_set_tlhp(
            recommendation=rec, category="tidak_dapat", by=None
        )
    recommendation_services.recommendation_set_tlhp(
        recommendation=rec,
        category="tidak_dapat",
        reason="Pihak ketiga telah pailit",
        amount_recovered=Decimal("1500000"),
        by=None,
    )
    rec.refresh_from_db()
    assert rec.tlhp == "tidak_dapat" and rec.amount_recovered == Decimal("1500000")
    assert rec.amount_outstanding == Decimal("0")


def test_overdue_is_derived_from_the_last_activity(world: World) -> None:
    plan = planned(world)
    assert not plan.is_overdue(dt.date(2024, 9, 30))
    assert plan.is_overdue(dt.date(2024, 10, 1))


def test_a_png_named_like_a_pdf_is_refused_by_the_service_too(world: World, media) -> None:  # type: ignore[no-untyped-def]
    plan = approved(world)
    with pytest.raises(ValidationError, match=r"named “\.pdf” but its content is a PNG"):
        plan_services.evidence_add(
            activity=plan.activities.first(),
            values={"title": "Bukti", "kind": "file", "effective_from": dt.date(2024, 6, 1)},
            upload=io.BytesIO(PNG),
            upload_name="laporan.pdf",
            by=world.officer_a,
        )
    assert not Evidence.objects.exists()
