"""Builders for follow-up tests: recommendations and plans in a given workflow state, built
through the services as users would. Not imported by the application."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from PIL import Image

from integritas.core.models import Unit
from integritas.core.services.calendar import calendar_for
from integritas.core.testing import World
from integritas.followup.models import ActionPlan, Activity, Evidence, Recommendation
from integritas.followup.services import plans as plan_services
from integritas.followup.services import recommendations as recommendation_services

# The smallest sound files of each kind evidence takes (its whole structure is checked).
PDF = (
    b"%PDF-1.3\n1 0 obj\n<< /Type /Pages /Count 1 /Kids [ 3 0 R ] >>\nendobj\n"
    b"2 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Resources << >> /MediaBox [ 0 0 595 842 ] /Parent 1 0 R >>\n"
    b"endobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000068 00000 n \n"
    b"0000000117 00000 n \ntrailer\n<< /Size 4 /Root 2 0 R >>\nstartxref\n207\n%%EOF\n"
)


def png(size: tuple[int, int] = (4, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


PNG = png()


def jpeg(size: tuple[int, int] = (4, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def working_day(days_ahead: int = 30) -> dt.date:
    """A working day about ``days_ahead`` days from today (a valid activity due date)."""
    return calendar_for().next_working_day(timezone.localdate() + dt.timedelta(days=days_ahead))


def recommendation(world: World, *units: Unit, issue: bool = True, **values: Any) -> Recommendation:
    rec = recommendation_services.recommendation_save(
        recommendation=Recommendation(),
        values={
            "source": Recommendation.Source.KPK_LETTER,
            "title": "Tegakkan aturan benturan kepentingan",
            "reference_number": "B/1838/KSP.007/70-73/04/2024",
            "reference_date": dt.date(2024, 4, 4),
            "year": 2024,
            **values,
        },
        units=units or [world.dinkes],
        by=world.inspector,
    )
    if issue:
        recommendation_services.recommendation_issue(recommendation=rec, by=world.inspector)
    return rec


def draft_plan(
    world: World, rec: Recommendation | None = None, *, due: dt.date | None = None
) -> ActionPlan:
    """DINKES's plan with one activity of weight 100."""
    rec = rec or recommendation(world)
    plan = rec.plans.get(unit=world.dinkes)
    plan_services.activity_save(
        plan=plan,
        activity=Activity(),
        values={
            "title": "Susun peraturan wali kota",
            "output": "Perwal terbit",
            "due_on": due or working_day(),
            "weight": Decimal("100"),
            "responsible": world.officer_a,
        },
        by=world.officer_a,
    )
    return ActionPlan.objects.get(pk=plan.pk)


def running_plan(world: World, rec: Recommendation | None = None, **kwargs: Any) -> ActionPlan:
    """Submitted, approved and started, with one PDF evidence uploaded by the unit officer."""
    plan = draft_plan(world, rec, **kwargs)
    plan_services.plan_transition(plan=plan, name="submit", by=world.head_a)
    plan_services.plan_transition(plan=plan, name="approve", by=world.inspector)
    plan_services.plan_transition(plan=plan, name="start", by=world.officer_a)
    activity = Activity.objects.get(plan_id=plan.pk)
    plan_services.evidence_add(
        activity=activity,
        values={
            "title": "Salinan perwal",
            "kind": Evidence.Kind.FILE,
            "effective_from": dt.date(2024, 6, 1),
        },
        by=world.officer_a,
        upload=io.BytesIO(PDF),
        upload_name="perwal.pdf",
    )
    return ActionPlan.objects.get(pk=plan.pk)


def two_activity_plan(world: World, rec: Recommendation | None = None) -> ActionPlan:
    """DINKES's running plan with two activities, "Perwal" (weight 60) with a PDF evidence
    uploaded by the unit officer and "Sosialisasi" (weight 40) without evidence."""
    plan = draft_plan(world, rec)
    first = plan.activities.get()
    plan_services.activity_save(
        plan=plan,
        activity=first,
        values={"title": "Perwal", "weight": Decimal("60")},
        by=world.officer_a,
    )
    plan_services.activity_save(
        plan=plan,
        activity=Activity(),
        values={
            "title": "Sosialisasi",
            "output": "Berita acara",
            "due_on": working_day(40),
            "weight": Decimal("40"),
            "order": 1,
        },
        by=world.officer_a,
    )
    plan_services.plan_transition(plan=plan, name="submit", by=world.head_a)
    plan_services.plan_transition(plan=plan, name="approve", by=world.inspector)
    plan_services.plan_transition(plan=plan, name="start", by=world.officer_a)
    add_pdf(world, Activity.objects.get(plan_id=plan.pk, title="Perwal"))
    return ActionPlan.objects.get(pk=plan.pk)


def add_pdf(world: World, activity: Activity, name: str = "bukti.pdf") -> Evidence:
    """A PDF evidence on ``activity``, uploaded by DINKES's officer."""
    return plan_services.evidence_add(
        activity=activity,
        values={
            "title": "Bukti",
            "kind": Evidence.Kind.FILE,
            "effective_from": dt.date(2024, 6, 1),
        },
        by=world.officer_a,
        upload=io.BytesIO(PDF),
        upload_name=name,
    )


def finish_activities(world: World, plan: ActionPlan, verifier: Any = None) -> ActionPlan:
    """The unit officer marks every open activity done (each needs evidence) and ``verifier``
    (the inspector by default) verifies each: what a plan needs before the Inspectorate verifies
    it without a reason. Activities already marked done are only verified."""
    for activity in Activity.objects.filter(plan_id=plan.pk):
        if activity.status == Activity.Status.OPEN:
            plan_services.activity_step(activity=activity, name="done", by=world.officer_a)
        if activity.status != Activity.Status.VERIFIED:
            plan_services.activity_step(
                activity=activity, name="verify", by=verifier or world.inspector
            )
    return ActionPlan.objects.get(pk=plan.pk)


def verified_plan(world: World, rec: Recommendation | None = None) -> ActionPlan:
    """DINKES's plan carried out in full: every activity done and verified, the evidence
    submitted by the unit officer and verified by the inspector general."""
    plan = finish_activities(world, running_plan(world, rec))
    plan_services.plan_transition(plan=plan, name="submit_evidence", by=world.officer_a)
    return plan_services.plan_transition(plan=plan, name="verify", by=world.inspector_general)


def closable_recommendation(world: World, **values: Any) -> Recommendation:
    """A recommendation to DINKES whose only plan is verified and whose follow-up category the
    inspector confirmed as *sesuai*: ready to be closed."""
    rec = recommendation(world, **values)
    verified_plan(world, rec)
    return recommendation_services.recommendation_set_tlhp(
        recommendation=Recommendation.objects.get(pk=rec.pk),
        category=Recommendation.Tlhp.SESUAI,
        by=world.inspector,
    )


def closed_recommendation(world: World, **values: Any) -> Recommendation:
    """A recommendation to DINKES closed as *sesuai* by the inspector."""
    return recommendation_services.recommendation_close(
        recommendation=closable_recommendation(world, **values), by=world.inspector
    )
