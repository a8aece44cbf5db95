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
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
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
