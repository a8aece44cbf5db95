"""Evidence pages: uploads with content sniffing and SHA-256, links, new versions that keep the
old ones, and downloads only through the policy, as attachments."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.followup.models import ActionPlan, Evidence, EvidenceFile
from integritas.followup.testing import PDF, PNG, draft_plan, running_plan

pytestmark = pytest.mark.django_db


def add_url(plan: ActionPlan) -> str:
    return f"/followup/activities/{plan.activities.get().public_id}/evidence/new/"


def evidence_data(**overrides: object) -> dict[str, object]:
    return {
        "title": "Notulen rapat",
        "kind": "file",
        "effective_from": "2026-01-01",
        "effective_to": "2026-06-30",
        "publishable": "on",
        **overrides,
    }


def test_a_unit_officer_uploads_a_pdf_and_sees_its_sha256(world: World) -> None:
    plan = running_plan(world)
    client = client_for(world.officer_a)
    response = client.post(
        add_url(plan),
        evidence_data(file=SimpleUploadedFile("notulen.pdf", PDF + b"x", "application/pdf")),
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(title="Notulen rapat")
    assert evidence.publishable and str(evidence.effective_to) == "2026-06-30"
    stored = evidence.files.get()
    assert stored.sha256 == hashlib.sha256(PDF + b"x").hexdigest()
    assert stored.sha256 in client.get(f"/followup/plans/{plan.public_id}/").content.decode()


def test_a_disguised_file_shows_the_error_and_saves_nothing(world: World) -> None:
    plan = running_plan(world)
    before = (Evidence.objects.count(), EvidenceFile.objects.count(), Event.objects.count())
    response = client_for(world.officer_a, language="en").post(
        add_url(plan),
        evidence_data(
            file=SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
        ),
    )
    assert response.status_code == 400
    assert "whatever its name says" in " ".join(response.context["form"].errors["file"])
    after = (Evidence.objects.count(), EvidenceFile.objects.count(), Event.objects.count())
    assert after == before


def test_link_evidence_needs_a_link(world: World) -> None:
    plan = running_plan(world)
    client = client_for(world.officer_a)
    assert client.post(add_url(plan), evidence_data(kind="url")).status_code == 400
    client.post(add_url(plan), evidence_data(kind="url", url="https://jdih.kota.go.id/perwal/7"))
    assert Evidence.objects.get(kind="url").url == "https://jdih.kota.go.id/perwal/7"


def test_evidence_cannot_be_added_before_the_plan_is_approved(world: World) -> None:
    plan = draft_plan(world)
    response = client_for(world.officer_a).post(
        add_url(plan), evidence_data(file=SimpleUploadedFile("a.pdf", PDF))
    )
    assert response.status_code == 302
    assert not Evidence.objects.exists()


def test_a_new_version_keeps_the_earlier_one(world: World) -> None:
    plan = running_plan(world)
    evidence = Evidence.objects.get()
    first = evidence.files.get()
    response = client_for(world.officer_a).post(
        f"/followup/evidence/{evidence.public_id}/versions/new/",
        {"file": SimpleUploadedFile("foto.png", PNG)},
    )
    assert response.status_code == 302
    versions = list(evidence.files.order_by("version").values_list("version", "sha256"))
    assert versions == [(1, first.sha256), (2, hashlib.sha256(PNG).hexdigest())]
    assert plan.status == "in_progress"


def test_only_unit_staff_upload_versions(world: World) -> None:
    running_plan(world)
    evidence = Evidence.objects.get()
    url = f"/followup/evidence/{evidence.public_id}/versions/new/"
    assert (
        client_for(world.inspector)
        .post(url, {"file": SimpleUploadedFile("a.png", PNG)})
        .status_code
        == 403
    )
    assert client_for(world.officer_b).get(url).status_code == 404
    assert evidence.files.count() == 1


def test_the_download_is_an_attachment_that_is_never_sniffed(world: World) -> None:
    running_plan(world)
    evidence = Evidence.objects.get()
    response = client_for(world.inspector).get(f"/followup/evidence/{evidence.public_id}/v1/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="perwal.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_a_unit_officer_of_another_unit_gets_404_on_the_download(world: World) -> None:
    running_plan(world)
    evidence = Evidence.objects.get()
    url = f"/followup/evidence/{evidence.public_id}/v1/"
    assert client_for(world.officer_b).get(url).status_code == 404
    assert client_for(world.officer_a).get(url).status_code == 200
    assert (
        client_for(world.officer_a).get(f"/followup/evidence/{evidence.public_id}/v9/").status_code
        == 404
    )
