"""Shared set-ups for the portal's tests: a recommendation with a verified activity whose
evidence the unit marked publishable, and one that stays unpublished."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfWriter

from integritas.core.testing import World
from integritas.followup.models import ActionPlan, Evidence, EvidenceFile, Recommendation
from integritas.followup.testing import finish_activities, recommendation, running_plan
from integritas.portal.services import publishing


@dataclass
class Story:
    rec: Recommendation
    plan: ActionPlan
    evidence: Evidence
    hidden_rec: Recommendation
    hidden_plan: ActionPlan
    hidden_evidence: Evidence


AUTHOR = "Pak Penulis Rahasia"


def real_pdf() -> bytes:
    """A one-page PDF whose document information names its author."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": AUTHOR, "/Title": "Dokumen internal"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _verified(world: World, title: str, evidence_title: str) -> tuple[ActionPlan, Evidence]:
    plan = running_plan(world, recommendation(world, title=title))
    item = Evidence.objects.get(activity__plan=plan)
    Evidence.objects.filter(pk=item.pk).update(publishable=True, title=evidence_title)
    finish_activities(world, plan)
    stored = EvidenceFile.objects.get(evidence=item)
    with stored.file.open("wb") as handle:
        handle.write(real_pdf())
    item.refresh_from_db()
    return ActionPlan.objects.get(pk=plan.pk), item


def story(world: World, *, publish: bool = True) -> Story:
    plan, item = _verified(world, "Rekomendasi terbuka", "Perwal yang terbit")
    hidden_plan, hidden_item = _verified(world, "Rahasia belum terbit", "Bukti tersembunyi")
    if publish:
        publishing.publish(obj=plan.recommendation, by=world.inspector)
        publishing.publish(obj=item, by=world.inspector)
    return Story(
        plan.recommendation, plan, item, hidden_plan.recommendation, hidden_plan, hidden_item
    )
