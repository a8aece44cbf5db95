"""A file that is small but unpacks to gigabytes (a zip bomb, a photo of a huge blank page) is
refused from its headers, before anything is decompressed, with a message that names it."""

from __future__ import annotations

import functools
import io
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageFile

from integritas.complaints.models import Attachment, Report
from integritas.complaints.services import attachments
from integritas.complaints.services.attachments import Upload
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import submit
from integritas.lib import files

pytestmark = pytest.mark.django_db

GIB = 1 << 30
BLOCK = 1 << 20
ODT = b"application/vnd.oasis.opendocument.text"


def deflated_zeros(total: int, prefix: bytes = b"") -> tuple[bytes, int]:
    """Raw deflate of ``prefix`` followed by zeros up to ``total`` bytes, and its CRC-32, made
    without compressing the zeros: after a full flush every block of zeros packs to the same
    bytes, so one block is compressed and repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(BLOCK)
    first = prefix + bytes(BLOCK - len(prefix))
    head = compressor.compress(first) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    full, rest = divmod(total, BLOCK)
    tail = compressor.compress(bytes(rest)) + compressor.flush()
    crc = zlib.crc32(first)
    for _ in range(full - 1):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(bytes(rest), crc)
    return head + block * (full - 1) + tail, crc


def crafted_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand from (name, packed bytes, unpacked size, CRC-32, method)."""
    out = io.BytesIO()
    central = []
    for name, packed, size, crc, method in members:
        offset = out.tell()
        encoded = name.encode()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(packed), size,
            len(encoded), 0,
        )  # fmt: skip
        out.write(header + encoded + packed)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(packed),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
            + encoded
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0
        )
    )
    return out.getvalue()


def stored(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    return (name, data, len(data), zlib.crc32(data), zipfile.ZIP_STORED)


@functools.cache
def docx_bomb() -> bytes:
    """About 1 MiB: a Word file with a picture that unpacks to 1 GiB of zeros."""
    packed, crc = deflated_zeros(GIB)
    return crafted_zip(
        [
            stored("[Content_Types].xml", b"<Types/>"),
            stored("word/document.xml", b"<w:document>isi</w:document>"),
            ("word/media/image1.png", packed, GIB, crc, zipfile.ZIP_DEFLATED),
        ]
    )


@functools.cache
def odt_bomb() -> bytes:
    """About 1 MiB: an OpenDocument text whose ``mimetype`` member unpacks to 1 GiB."""
    packed, crc = deflated_zeros(GIB, prefix=ODT)
    return crafted_zip(
        [
            ("mimetype", packed, GIB, crc, zipfile.ZIP_DEFLATED),
            stored("content.xml", b"<office:document-content/>"),
        ]
    )


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def png_bomb(side: int = 9400) -> bytes:
    """A blank RGBA picture of ``side`` x ``side`` pixels (353 MB once decoded) in about
    350 KB: every scanline (filter byte and pixels) is zeros."""
    raw = side * (1 + side * 4)
    packed, _crc = deflated_zeros(raw)
    adler = ((raw % 65521) << 16) | 1  # Adler-32 of zeros
    idat = b"\x78\xda" + packed + struct.pack(">I", adler)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0))
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def peak_bytes(action: Callable[[], Any]) -> int:
    """The most memory Python allocated while ``action`` ran."""
    tracemalloc.start()
    try:
        action()
    except ValidationError:
        pass
    finally:
        _size, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


BOMBS = {"laporan.docx": docx_bomb, "laporan.odt": odt_bomb, "foto.png": png_bomb}


@pytest.mark.parametrize("name", BOMBS)
def test_a_file_that_unpacks_to_a_gigabyte_is_refused_by_name_and_nothing_is_stored(
    desk: Desk, name: str
) -> None:
    content = BOMBS[name]()
    assert len(content) < 2 * BLOCK  # small as uploaded
    with pytest.raises(ValidationError) as error:
        submit(desk.world.disdik, attachments=[Upload(name, content)])
    [message] = error.value.message_dict["attachments"]
    assert message.startswith(f"{name} is too large when unpacked")
    assert not Report.objects.exists() and not Attachment.objects.exists()


@pytest.mark.parametrize("name", BOMBS)
def test_the_refusal_comes_from_the_headers_without_unpacking(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # Pillow decodes into memory that tracemalloc does not see: decoding at all fails the test.
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    content = BOMBS[name]()
    peak = peak_bytes(lambda: attachments.check_uploads([Upload(name, content)]))
    assert peak < 20 * BLOCK, f"{peak / BLOCK:.0f} MiB"


def test_an_office_file_is_refused_before_unpacking_even_when_checked_alone() -> None:
    content = docx_bomb()
    with pytest.raises(files.TooLargeUnpacked):
        attachments.strip_metadata(content, files.sniff(io.BytesIO(content)))  # type: ignore[arg-type]


def test_a_member_is_read_in_chunks_no_further_than_its_cap() -> None:
    """Even when a zip's directory lies about a member's size, reading it never holds more than
    the cap."""
    with zipfile.ZipFile(io.BytesIO(docx_bomb())) as archive:
        info = archive.getinfo("word/media/image1.png")

        def read() -> None:
            with pytest.raises(files.TooLargeUnpacked):
                files.read_member(archive, info, 4 * BLOCK)

        assert peak_bytes(read) < 20 * BLOCK


@pytest.mark.parametrize(
    ("limit", "value"),
    [
        ("ZIP_MAX_MEMBERS", 2),
        ("ZIP_MAX_MEMBER_BYTES", 10),
        ("ZIP_MAX_TOTAL_BYTES", 30),
    ],
)
def test_a_zip_over_any_limit_is_refused(
    monkeypatch: pytest.MonkeyPatch, limit: str, value: int
) -> None:
    content = crafted_zip(
        [stored("[Content_Types].xml", b"<Types/>"), stored("word/document.xml", b"x" * 25)]
        + [stored("word/media/a.png", b"y" * 9)]
    )
    files.check_zip(io.BytesIO(content))  # within the real limits
    monkeypatch.setattr(files, limit, value)
    with pytest.raises(files.TooLargeUnpacked):
        files.check_zip(io.BytesIO(content))


def test_a_zip_of_very_many_members_is_refused_before_its_directory_is_read() -> None:
    content = crafted_zip([stored(f"word/{n:05d}.xml", b"") for n in range(60_000)])
    peak = peak_bytes(
        lambda: pytest.raises(files.TooLargeUnpacked, files.check_zip, io.BytesIO(content))
    )
    assert peak < 4 * BLOCK, f"{peak / BLOCK:.0f} MiB"


def test_a_member_packed_far_tighter_than_any_document_is_refused() -> None:
    packed, crc = deflated_zeros(8 * BLOCK)  # 8 MiB under the size limits, packed about 1000:1
    content = crafted_zip([("word/document.xml", packed, 8 * BLOCK, crc, zipfile.ZIP_DEFLATED)])
    with pytest.raises(files.TooLargeUnpacked):
        files.check_zip(io.BytesIO(content))


def test_a_real_photo_within_the_pixel_limit_is_still_accepted() -> None:
    out = io.BytesIO()
    Image.new("1", (4000, 3000)).save(out, format="PNG")  # a 12 MP phone photo's size
    [(_upload, _sniffed, cleaned)] = attachments.check_uploads([Upload("p.png", out.getvalue())])
    assert cleaned.status == Attachment.Stripping.NOTHING_FOUND
