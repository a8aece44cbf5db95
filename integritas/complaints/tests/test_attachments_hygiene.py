"""Handlers see a copy of each photo without its metadata and are told what was removed; the
encrypted original stays available on request."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader, PdfWriter

from integritas.complaints.models import Attachment
from integritas.complaints.services import attachments
from integritas.complaints.services.attachments import Upload
from integritas.complaints.services.handler import handler_attachment, handler_decrypt
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import (
    docx_signed_by,
    pdf_signed_by,
    photo_with_gps,
    submit,
)
from integritas.lib import files

pytestmark = pytest.mark.django_db


def fetch(desk: Desk, attachment: Attachment, *, original: bool = False) -> bytes:
    return handler_attachment(
        attachment=attachment,
        handler=desk.handler,
        private_key=desk.private_key(desk.handler),
        original=original,
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_photo_with_gps_shows_no_gps_to_handlers(desk: Desk, fmt: str) -> None:
    original = photo_with_gps(marker="DESCRIPTION-MARKER", fmt=fmt)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has GPS
    report, _receipt = submit(desk.world.disdik, attachments=[Upload("p.img", original)])
    attachment = Attachment.objects.get(report=report)
    clean = fetch(desk, attachment)
    image = Image.open(io.BytesIO(clean))
    assert not image.getexif()
    assert not image.getexif().get_ifd(0x8825)
    assert b"PhoneMaker" not in clean and b"DESCRIPTION-MARKER" not in clean
    assert image.size == (32, 24)
    [view] = handler_decrypt(
        report=report, handler=desk.handler, private_key=desk.private_key(desk.handler)
    ).attachments
    assert view.stripping == Attachment.Stripping.STRIPPED
    assert "GPS location" in view.stripped
    assert "camera make, model and serial number" in view.stripped
    assert fetch(desk, attachment, original=True) == original


def test_a_photo_without_metadata_says_nothing_was_found(desk: Desk) -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(out, format="PNG")
    report, _receipt = submit(desk.world.disdik, attachments=[Upload("x.png", out.getvalue())])
    assert Attachment.objects.get(report=report).stripping == Attachment.Stripping.NOTHING_FOUND


def test_a_photo_is_turned_upright_before_its_orientation_tag_is_dropped() -> None:
    image = Image.new("RGB", (40, 10), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    cleaned = attachments.strip_metadata(out.getvalue(), files.JPEG)
    assert cleaned.content is not None
    assert Image.open(io.BytesIO(cleaned.content)).size == (10, 40)


def test_a_pdf_reaches_handlers_without_its_author_and_xmp(desk: Desk) -> None:
    original = pdf_signed_by("AUTHOR-MARKER")
    assert b"AUTHOR-MARKER" in original
    report, _receipt = submit(desk.world.disdik, attachments=[Upload("a.pdf", original)])
    attachment = Attachment.objects.get(report=report)
    assert attachment.stripping == Attachment.Stripping.STRIPPED
    copy = fetch(desk, attachment)
    assert b"AUTHOR-MARKER" not in copy
    assert len(PdfReader(io.BytesIO(copy)).pages) == 1  # the page itself is kept
    assert fetch(desk, attachment, original=True) == original  # the original stays, encrypted


def test_an_office_file_reaches_handlers_without_its_document_properties() -> None:
    original = docx_signed_by("AUTHOR-MARKER")
    cleaned = attachments.strip_metadata(original, files.sniff(io.BytesIO(original)))  # type: ignore[arg-type]
    assert cleaned.status == Attachment.Stripping.STRIPPED
    assert cleaned.content is not None and b"AUTHOR-MARKER" not in cleaned.content
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as archive:
        assert archive.read("word/document.xml") == b"<w:document>isi laporan</w:document>"


def test_a_legacy_office_file_is_refused_because_its_details_cannot_be_removed() -> None:
    legacy = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8 + b"AUTHOR-MARKER"
    with pytest.raises(ValidationError) as error:
        attachments.check_uploads([attachments.Upload("laporan.doc", legacy)])
    assert "old Office file" in str(error.value)


def test_a_pdf_that_needs_a_password_to_open_is_passed_on_and_flagged(desk: Desk) -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": "AUTHOR-MARKER"})
    writer.encrypt("rahasia")
    out = io.BytesIO()
    writer.write(out)
    report, _receipt = submit(desk.world.disdik, attachments=[Upload("a.pdf", out.getvalue())])
    attachment = Attachment.objects.get(report=report)
    assert attachment.stripping == Attachment.Stripping.NOT_SUPPORTED
    assert fetch(desk, attachment) == out.getvalue()  # only the original exists


@pytest.mark.parametrize(("fmt", "sniffed"), [("GIF", files.GIF), ("WEBP", files.WEBP)])
def test_gif_and_webp_photos_get_a_clean_png_copy(fmt: str, sniffed: files.Sniffed) -> None:
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (10, 200, 10)).save(out, format=fmt, comment=b"COMMENT-MARKER")
    cleaned = attachments.strip_metadata(out.getvalue(), sniffed)
    assert cleaned.content is not None and b"COMMENT-MARKER" not in cleaned.content
    assert Image.open(io.BytesIO(cleaned.content)).format == "PNG"


def test_an_image_too_large_to_decode_safely_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(ValueError):
        attachments.strip_metadata(photo_with_gps(), files.JPEG)
