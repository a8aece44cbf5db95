"""Bad evidence uploads through the real pages: files over the limit,
of a type that is not allowed, or whose content does not match their name, and incomplete forms.
Each gives a clear error on the form and changes nothing: no row, no stored file, no audit event.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.followup.models import ActionPlan, Activity, Evidence, EvidenceFile
from integritas.followup.testing import PDF, PNG, jpeg, running_plan

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
JPEG = jpeg()


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.txt", "bukan dokumen")
    return buffer.getvalue()


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def state() -> dict[str, Any]:
    """Everything an evidence upload could change."""
    return {
        "plans": list(ActionPlan.objects.order_by("pk").values()),
        "activities": list(Activity.objects.order_by("pk").values()),
        "evidence": list(Evidence.objects.order_by("pk").values()),
        "files": list(EvidenceFile.objects.order_by("pk").values()),
        "events": list(Event.objects.order_by("seq").values_list("seq", "action")),
        "stored": stored_files(Path(settings.MEDIA_ROOT)),
    }


@contextmanager
def nothing_changes() -> Iterator[None]:
    before = state()
    yield
    assert state() == before


def add_url(plan: ActionPlan) -> str:
    return f"/followup/activities/{plan.activities.get().public_id}/evidence/new/"


def version_url(evidence: Evidence) -> str:
    return f"/followup/evidence/{evidence.public_id}/versions/new/"


def evidence_data(**overrides: object) -> dict[str, object]:
    return {
        "title": "Notulen rapat",
        "kind": "file",
        "effective_from": "2026-01-01",
        "effective_to": "2026-06-30",
        **overrides,
    }


def errors(response: Any, field: str) -> str:
    assert response.status_code == 400
    return " ".join(response.context["form"].errors.get(field, []))


# Files over the limit --------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_with_its_size_and_the_limit(
    world: World, settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 2 * MB
    plan = running_plan(world)
    big = PDF + b"0" * (2 * MB + 50_000 - len(PDF))
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            add_url(plan), evidence_data(file=SimpleUploadedFile("laporan.pdf", big))
        )
    message = errors(response, "file")
    assert "2.1 MB" in message and "limit is 2 MB" in message


def test_the_error_names_the_same_limit_as_the_help_text(world: World) -> None:
    plan = running_plan(world)
    limit = settings.UPLOAD_MAX_BYTES // MB
    client = client_for(world.officer_a, language="en")
    assert f"at most {limit} MB" in client.get(add_url(plan)).content.decode()
    with nothing_changes():
        response = client.post(
            add_url(plan),
            evidence_data(file=SimpleUploadedFile("laporan.pdf", PDF.ljust(limit * MB + 1, b"0"))),
        )
    assert f"the limit is {limit} MB" in errors(response, "file")


def test_a_file_exactly_at_the_limit_is_accepted(world: World, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1 * MB
    plan = running_plan(world)
    exact = PDF + b"0" * (MB - len(PDF))
    response = client_for(world.officer_a, language="en").post(
        add_url(plan), evidence_data(file=SimpleUploadedFile("laporan.pdf", exact))
    )
    assert response.status_code == 302
    assert EvidenceFile.objects.filter(size=MB).count() == 1


def test_a_new_version_over_the_limit_is_refused_and_the_old_one_stays(
    world: World, settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 1 * MB
    running_plan(world)
    evidence = Evidence.objects.get()
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            version_url(evidence),
            {"file": SimpleUploadedFile("laporan.pdf", PDF + b"0" * MB)},
        )
    assert "limit is 1 MB" in errors(response, "file")
    assert list(evidence.files.values_list("version", flat=True)) == [1]


# Types that are not allowed --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("halaman.html", b"<!doctype html><script>alert(1)</script>"),
        ("catatan.txt", b"catatan rapat"),
        ("arsip.zip", plain_zip()),
        ("gambar.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ],
)
def test_a_file_of_a_type_that_is_not_allowed_is_refused(
    world: World, name: str, content: bytes
) -> None:
    plan = running_plan(world)
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            add_url(plan), evidence_data(file=SimpleUploadedFile(name, content))
        )
    assert "is not a PDF, an image" in errors(response, "file")


def test_a_new_version_of_a_type_that_is_not_allowed_is_refused(world: World) -> None:
    running_plan(world)
    evidence = Evidence.objects.get()
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            version_url(evidence), {"file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00")}
        )
    assert "is not a PDF, an image" in errors(response, "file")


def test_an_empty_file_is_refused(world: World) -> None:
    plan = running_plan(world)
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            add_url(plan), evidence_data(file=SimpleUploadedFile("kosong.pdf", b""))
        )
    assert "empty" in errors(response, "file")


# Content that does not match the name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("laporan.pdf", b"MZ\x90\x00 not a pdf", "is not a PDF, an image"),
        ("laporan.pdf", PNG, "PNG"),
        ("foto.jpg", PDF, "PDF"),
        ("foto.png", JPEG, "JPEG"),
        ("notulen.xlsx", docx(), "DOCX"),
        ("notulen.docx", PDF, "PDF"),
    ],
)
def test_a_file_whose_content_does_not_match_its_name_is_refused(
    world: World, name: str, content: bytes, found: str
) -> None:
    plan = running_plan(world)
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            add_url(plan), evidence_data(file=SimpleUploadedFile(name, content))
        )
    assert found in errors(response, "file")


def test_a_new_version_whose_content_does_not_match_its_name_is_refused(world: World) -> None:
    running_plan(world)
    evidence = Evidence.objects.get()
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            version_url(evidence), {"file": SimpleUploadedFile("perwal.pdf", PNG)}
        )
    message = errors(response, "file")
    assert ".pdf" in message and "PNG" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Foto Kegiatan.JPEG", JPEG),
        ("foto.jpg", JPEG),
        ("notulen.docx", docx()),
        ("pindaian", PDF),  # no extension: nothing to contradict the content
    ],
)
def test_a_file_whose_name_matches_its_content_is_accepted(
    world: World, name: str, content: bytes
) -> None:
    plan = running_plan(world)
    response = client_for(world.officer_a, language="en").post(
        add_url(plan), evidence_data(file=SimpleUploadedFile(name, content))
    )
    assert response.status_code == 302
    assert EvidenceFile.objects.filter(original_name=name).count() == 1


# Incomplete or inconsistent forms --------------------------------------------------------------


def test_a_period_that_ends_before_it_starts_is_refused(world: World) -> None:
    plan = running_plan(world)
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            add_url(plan),
            evidence_data(
                effective_from="2026-06-30",
                effective_to="2026-01-01",
                file=SimpleUploadedFile("notulen.pdf", PDF),
            ),
        )
    assert "comes before its start" in errors(response, "effective_to")


def test_file_evidence_without_a_file_and_link_evidence_without_a_link_are_refused(
    world: World,
) -> None:
    plan = running_plan(world)
    client = client_for(world.officer_a, language="en")
    with nothing_changes():
        no_file = client.post(add_url(plan), evidence_data())
        no_link = client.post(add_url(plan), evidence_data(kind="url"))
        bad_link = client.post(add_url(plan), evidence_data(kind="url", url="javascript:alert(1)"))
    assert "Choose a file" in errors(no_file, "file")
    assert "Give the link" in errors(no_link, "url")
    assert errors(bad_link, "url")


def test_an_unknown_kind_and_a_missing_date_are_refused(world: World) -> None:
    plan = running_plan(world)
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            add_url(plan),
            evidence_data(
                kind="executable", effective_from="", file=SimpleUploadedFile("a.pdf", PDF)
            ),
        )
    assert errors(response, "kind") and errors(response, "effective_from")
