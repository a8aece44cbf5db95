"""Shared set-ups for the portal's tests: a recommendation with a verified activity whose
evidence the unit marked publishable, and one that stays unpublished."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone
from pypdf import PdfWriter

from integritas.core.models import Unit
from integritas.core.testing import World
from integritas.followup.models import ActionPlan, Evidence, EvidenceFile, Recommendation
from integritas.followup.testing import finish_activities, recommendation, running_plan
from integritas.indices.services.compute import compute_wave
from integritas.portal.services import publishing
from integritas.surveys.models import Response, Wave
from integritas.surveys.testing import build_version, build_wave


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


def computed_wave(world: World, *, code: str, title: str, shift: int = 0) -> Wave:
    """A closed wave of the test questionnaire with results for DINKES and DISDIK (k = 5);
    ``shift`` varies the answers so two waves get different scores."""
    units: list[Unit] = [world.dinkes, world.disdik]
    wave = build_wave(
        build_version(),
        units,
        code=code,
        title=title,
        min_group_size=5,
        status=Wave.Status.CLOSED,
    )
    today = timezone.localdate()
    Response.objects.bulk_create(
        Response(
            wave=wave,
            unit=unit,
            respondent_type="public",
            submitted_on=today,
            answers=Response.pack([0, 1 + (i + shift) % 4, 1 + (i * 3 + shift) % 4, 0]),
        )
        for number, unit in enumerate(units)
        for i in range(12 + 3 * number + shift)
    )
    compute_wave(wave=wave)
    return wave
