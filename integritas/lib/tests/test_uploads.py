"""Untrusted files judged whole (``lib/uploads.py``): images decode to their end within a pixel
limit read from the header, PDFs parse, office zips read to their end; uploads stay in memory
within their limit."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from PIL import Image, ImageFile

from integritas.lib import files, uploads


def png(size: tuple[int, int] = (30, 20), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def noise() -> bytes:
    out = io.BytesIO()
    Image.frombytes("L", (64, 64), bytes(range(256)) * 16).rotate(10).save(out, format="PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + chunk(b"IEND", b"")
    )


def test_an_image_is_decoded_in_full() -> None:
    image = uploads.decode_image(png())
    assert image.size == (30, 20) and image.getpixel((0, 0)) == (0, 0, 0)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",
        noise()[:-200],  # cut off
        b"\xff\xd8\xff\xe0" + b"\0" * 40,
    ],
)
def test_what_does_not_decode_to_its_end_is_refused(content: bytes) -> None:
    with pytest.raises(ValueError, match="cannot be read"):
        uploads.decode_image(content)


def test_a_cut_off_image_is_refused_even_when_the_process_lets_pillow_load_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # WeasyPrint sets this for the whole process when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ValueError, match="cannot be read"):
        uploads.decode_image(noise()[:-200])
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # put back for whoever set it


def test_too_many_pixels_are_refused_from_the_header_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    for width, height in [(20_000, 20_000), (8_000, 8_000)]:
        with pytest.raises(files.TooLargeUnpacked):
            uploads.decode_image(png_claiming(width, height))
    with pytest.raises(files.TooLargeUnpacked):
        uploads.decode_image(png_claiming(11, 10), max_pixels=100)


def test_a_redrawn_image_keeps_only_its_pixels_turned_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: shown turned a quarter to the right
    exif[0x0110] = "Phone"
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 10, 10)).save(out, format="JPEG", exif=exif.tobytes())
    clean = uploads.pixels_only(uploads.decode_image(out.getvalue()), "RGB", max_side=10)
    assert clean.size == (5, 10)
    assert not clean.info and not clean.getexif()


def test_transparency_is_told() -> None:
    assert uploads.has_alpha(Image.open(io.BytesIO(png(mode="RGBA"))))
    assert not uploads.has_alpha(Image.open(io.BytesIO(png())))


def test_a_pdf_must_parse() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    assert len(uploads.read_pdf(out.getvalue()).pages) == 1
    for broken in (b"%PDF-1.7\n<html></html>", b"%PDF-1.4\ntrailer<<>>\n%%EOF\n"):
        with pytest.raises(ValueError, match="cannot be read"):
            uploads.read_pdf(broken)
    writer.encrypt(user_password="rahasia", owner_password="pemilik")  # noqa: S106
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(uploads.PasswordProtected):
        uploads.read_pdf(locked.getvalue())


def test_the_structure_check_picks_the_parser_by_kind_and_rewinds() -> None:
    stream = io.BytesIO(png())
    stream.read(5)
    uploads.check_structure(stream, files.PNG)
    assert stream.tell() == 0
    with pytest.raises(ValueError):
        uploads.check_structure(
            io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40), files.OLE
        )


class TenBytes(uploads.MemoryUploads):
    def max_bytes(self) -> int:
        return 10


def test_an_upload_keeps_one_byte_more_than_its_limit_and_says_it_was_cut() -> None:
    handler = TenBytes()
    handler.new_file("photo", "a.jpg", "image/jpeg", 0)
    handler.receive_data_chunk(b"x" * 8, 0)
    handler.receive_data_chunk(b"y" * 8, 8)
    upload = handler.file_complete(16)
    assert isinstance(upload, InMemoryUploadedFile)
    assert upload.read() == b"x" * 8 + b"yyy" and upload.size == 16
    assert upload.truncated  # type: ignore[attr-defined]


def test_a_document_is_named_by_its_content_and_other_kinds_or_a_contradicting_name_refused() -> (
    None
):
    assert uploads.sniff_document(io.BytesIO(png()), "foto.png").kind == "png"
    with pytest.raises(ValidationError) as other:
        uploads.sniff_document(io.BytesIO(b"MZ\x90\x00" + bytes(200)), "laporan.pdf")
    assert "PDF" in str(other.value.message_dict["file"])
    with pytest.raises(ValidationError) as named:
        uploads.sniff_document(io.BytesIO(png()), "laporan.pdf")
    assert ".pdf" in str(named.value.message_dict["file"])
    with pytest.raises(ValidationError):
        uploads.sniff_document(io.BytesIO(png()), "foto.png", kinds=files.DOCUMENTS)
