"""Evidence files are judged by their whole structure, not their first bytes: an image must
decode to its end within a pixel limit, a PDF must parse, an office file's zip must read to its
end. A file that fails is refused beside the file field, and nothing changes."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from integritas.core.testing import World, client_for
from integritas.followup.models import Evidence, EvidenceFile
from integritas.followup.testing import PDF, running_plan
from integritas.followup.tests.test_plans_bad_input_evidence import (
    add_url,
    errors,
    evidence_data,
    nothing_changes,
    version_url,
)

pytestmark = pytest.mark.django_db


def photo(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format=fmt)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(side: int = 20_000) -> bytes:
    """A PNG whose header declares ``side`` x ``side`` pixels, in a few hundred bytes."""
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + png_chunk(b"IEND", b"")
    )


def docx(*, damaged: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "isi " * 200 + "</w:document>")
    content = buffer.getvalue()
    if damaged:  # a byte of the packed document changed: its checksum no longer matches
        at = content.index(b"word/document.xml") + 40
        content = content[:at] + bytes([content[at] ^ 0xFF]) + content[at + 1 :]
    return content


HTML_BEHIND_PNG = b"\x89PNG\r\n\x1a\n<html><body><script>alert(document.cookie)</script></body>"
REFUSED = {
    "HTML behind a PNG signature": ("foto.png", HTML_BEHIND_PNG, "damaged"),
    "HTML behind a JPEG signature": ("foto.jpg", b"\xff\xd8\xff\xe0<html></html>", "damaged"),
    "a cut-off photo": ("foto.jpg", photo("JPEG", (400, 300))[:600], "damaged"),
    "20000 x 20000 pixels": ("foto.png", huge_png(), "too many pixels"),
    "a PDF signature in front of HTML": ("a.pdf", b"%PDF-1.7\n<html></html>", "damaged"),
    "a PDF without its structure": ("a.pdf", b"%PDF-1.4\ntrailer<<>>\n%%EOF\n", "damaged"),
    "a damaged Word file": ("notulen.docx", docx(damaged=True), "damaged"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_whose_structure_is_not_what_its_first_bytes_say_is_refused(
    world: World, case: str
) -> None:
    name, content, words = REFUSED[case]
    plan = running_plan(world)
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            add_url(plan), evidence_data(file=SimpleUploadedFile(name, content))
        )
    assert words in errors(response, "file")


def test_a_new_version_with_too_many_pixels_is_refused_and_the_old_one_stays(
    world: World,
) -> None:
    running_plan(world)
    evidence = Evidence.objects.get()
    with nothing_changes():
        response = client_for(world.officer_a, language="en").post(
            version_url(evidence), {"file": SimpleUploadedFile("foto.png", huge_png())}
        )
    assert "too many pixels" in errors(response, "file")
    assert list(evidence.files.values_list("version", flat=True)) == [1]


def test_the_refusals_are_in_indonesian_by_default(world: World) -> None:
    plan = running_plan(world)
    client = client_for(world.officer_a)
    damaged = client.post(
        add_url(plan), evidence_data(file=SimpleUploadedFile("foto.png", HTML_BEHIND_PNG))
    )
    assert "rusak" in errors(damaged, "file")
    huge = client.post(add_url(plan), evidence_data(file=SimpleUploadedFile("f.png", huge_png())))
    assert "piksel" in errors(huge, "file")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.png", photo("PNG")),
        ("foto.jpg", photo("JPEG")),
        ("foto.webp", photo("WEBP")),
        ("foto.gif", photo("GIF")),
        ("notulen.pdf", PDF),
        ("notulen.docx", docx()),
    ],
)
def test_a_sound_file_is_accepted_as_it_was_sent(world: World, name: str, content: Any) -> None:
    plan = running_plan(world)
    response = client_for(world.officer_a, language="en").post(
        add_url(plan), evidence_data(file=SimpleUploadedFile(name, content))
    )
    assert response.status_code == 302
    stored = EvidenceFile.objects.get(original_name=name)
    with stored.file.open("rb") as handle:
        assert handle.read() == content  # evidence is kept as sent: its SHA-256 stands
