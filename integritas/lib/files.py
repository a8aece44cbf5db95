"""What an uploaded file really is, judged from its bytes (the declared name and type are not
trusted), and its SHA-256. Pure: no Django imports; used by evidence and report attachments."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 1 << 16

# Office Open XML and OpenDocument files are zips, and a zip can unpack to far more than it
# weighs (1 GiB of zeros packs into 1 MiB). Before anything is decompressed, its directory is held
# against these limits; each is far above what a real document needs (a long report with photos
# unpacks to tens of MB, in a few hundred members) and far below what would exhaust a worker.
ZIP_MAX_MEMBERS = 5_000
ZIP_MAX_MEMBER_BYTES = 100 << 20  # one member, unpacked: a worker holds it in memory once
ZIP_MAX_TOTAL_BYTES = 250 << 20  # all members, unpacked
# Packed XML shrinks 10 to 30 times, photos not at all; a zip bomb shrinks about 1,000 times.
# Members under ZIP_RATIO_FROM are not held to the ratio (a small run of spaces packs very well).
ZIP_MAX_RATIO = 200
ZIP_RATIO_FROM = 1 << 20


_EOCD_SEARCH = 22 + 0xFFFF  # the end-of-directory record and the longest comment after it


class TooLargeUnpacked(ValueError):
    """A file that would be too large once unpacked to be handled safely."""


@dataclass(frozen=True)
class Sniffed:
    kind: str  # a short name: pdf, png, jpeg, gif, webp, docx, xlsx, pptx, odt, ods, odp, doc
    content_type: str
    extension: str


PDF = Sniffed("pdf", "application/pdf", "pdf")
PNG = Sniffed("png", "image/png", "png")
JPEG = Sniffed("jpeg", "image/jpeg", "jpg")
GIF = Sniffed("gif", "image/gif", "gif")
WEBP = Sniffed("webp", "image/webp", "webp")
OLE = Sniffed("doc", "application/msword", "doc")  # legacy .doc/.xls/.ppt share one container
OOXML = {
    "word/": Sniffed(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
    ),
    "xl/": Sniffed(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
    "ppt/": Sniffed(
        "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"
    ),
}
ODF = {
    "application/vnd.oasis.opendocument.text": Sniffed(
        "odt", "application/vnd.oasis.opendocument.text", "odt"
    ),
    "application/vnd.oasis.opendocument.spreadsheet": Sniffed(
        "ods", "application/vnd.oasis.opendocument.spreadsheet", "ods"
    ),
    "application/vnd.oasis.opendocument.presentation": Sniffed(
        "odp", "application/vnd.oasis.opendocument.presentation", "odp"
    ),
}
# The file-name extensions each kind may carry: a name with another extension contradicts the
# content (a PNG named report.pdf), which points to the wrong file or a disguised one.
EXTENSIONS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "png": frozenset({"png"}),
    "jpeg": frozenset({"jpg", "jpeg", "jpe", "jfif"}),
    "gif": frozenset({"gif"}),
    "webp": frozenset({"webp"}),
    "doc": frozenset({"doc", "xls", "ppt"}),  # the legacy Office formats share one container
    "docx": frozenset({"docx"}),
    "xlsx": frozenset({"xlsx"}),
    "pptx": frozenset({"pptx"}),
    "odt": frozenset({"odt"}),
    "ods": frozenset({"ods"}),
    "odp": frozenset({"odp"}),
}
DOCUMENTS = frozenset({"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "doc"})
IMAGES = frozenset({"png", "jpeg", "gif", "webp"})


def _zip_kind(stream: BinaryIO) -> Sniffed | None:
    """An Office Open XML or OpenDocument file, told apart by the members of its zip."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                # Read with a cap: the member's declared size is not trusted here.
                with archive.open("mimetype") as member:
                    mimetype = member.read(200).decode("ascii", "replace").strip()
                return ODF.get(mimetype)
            if "[Content_Types].xml" in names:
                for prefix, sniffed in OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return sniffed
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def sniff(stream: BinaryIO) -> Sniffed | None:
    """The file's real type from its content, or None when it is none of the accepted kinds.

    The stream is read from the start and rewound afterwards.
    """
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith((b"GIF87a", b"GIF89a")):
            return GIF
        if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
            return WEBP
        if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            return OLE
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(stream)
        return None
    finally:
        stream.seek(0)


def check_zip(stream: BinaryIO) -> None:
    """Raise ``TooLargeUnpacked`` when the zip in ``stream`` declares more members, or members
    larger or packed tighter, than the ``ZIP_*`` limits allow. Only the directory is read; a
    stream that is not a zip passes (it is not this check's business). Rewound afterwards."""
    # The member count first, from the end-of-directory record: reading the directory itself
    # makes an object per member.
    stream.seek(0, io.SEEK_END)
    stream.seek(max(0, stream.tell() - _EOCD_SEARCH))
    tail = stream.read()
    end = tail.rfind(b"PK\x05\x06")
    if end >= 0 and len(tail) >= end + 12:
        declared = int.from_bytes(tail[end + 10 : end + 12], "little")
        if declared > ZIP_MAX_MEMBERS:
            stream.seek(0)
            raise TooLargeUnpacked(f"{declared} members")
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return
    finally:
        stream.seek(0)
    if len(members) > ZIP_MAX_MEMBERS:
        raise TooLargeUnpacked(f"{len(members)} members")
    total = 0
    for info in members:
        if info.file_size > ZIP_MAX_MEMBER_BYTES:
            raise TooLargeUnpacked(f"a member of {info.file_size} bytes")
        if info.file_size > ZIP_RATIO_FROM and info.file_size > ZIP_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise TooLargeUnpacked(
                f"a member packed {info.file_size // max(info.compress_size, 1)}:1"
            )
        total += info.file_size
        if total > ZIP_MAX_TOTAL_BYTES:
            raise TooLargeUnpacked(f"{total} bytes in all")


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A zip member's bytes, read in chunks and never more than ``limit`` of them (its declared
    size is not trusted): ``TooLargeUnpacked`` when it holds more."""
    parts: list[bytes] = []
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise TooLargeUnpacked(f"{info.filename} holds more than {limit} bytes")
            parts.append(chunk)
    return b"".join(parts)


def sha256_of(stream: BinaryIO) -> str:
    """Hex SHA-256 of the whole stream, read in chunks and rewound afterwards."""
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def size_of(stream: BinaryIO) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def contradiction(name: str, sniffed: Sniffed | None) -> str | None:
    """The extension of ``name`` when it contradicts the sniffed content, else None (a name
    without an extension has nothing to contradict)."""
    declared = name.rpartition(".")[2].lower() if "." in name else ""
    if declared and sniffed is not None and declared not in EXTENSIONS.get(sniffed.kind, ()):
        return declared
    return None


def accepted(sniffed: Sniffed | None, kinds: Iterable[str]) -> bool:
    return sniffed is not None and sniffed.kind in set(kinds)
