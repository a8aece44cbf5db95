"""Files sent by people we do not trust: kept in memory while a request reads them, and judged by
their whole structure, not only their first bytes.

- ``MemoryUploads`` keeps each uploaded file in memory, never in a temporary file, and no more of
  it than the size limit allows (one byte more, enough to say it is too large).
- ``decode_image`` decodes a photo in full after holding its pixel count against a limit read
  from its header; ``pixels_only`` draws what it shows into a new image that carries nothing else
  (no EXIF, GPS position, comment or colour profile).
- ``read_pdf`` parses a PDF's structure (its cross-reference table and page tree).
- ``check_structure`` applies the right one of these to a sniffed file (``lib/files.py``), and
  reads an office file's zip through to its end within ``files.ZIP_*``.
- ``sniff_document`` names what an uploaded evidence file or material is by its content (a PDF,
  an office document or an image) and refuses, on the form's ``file`` field, any other kind or
  a name that contradicts the content.

Used by whistleblowing attachments, citizens' feedback photos and follow-up evidence;
`lib/documents.py` makes the clean copies of uploaded photos and documents.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from integritas.lib import files

# A photo's pixels are decoded in full (several copies while it is cleaned): 60 million pixels
# (about 180 MB each as RGB) is above the largest phone cameras (50 MP) and refuses images whose
# small file hides a decoding that would exhaust a worker. Checked from the header, before decoding.
MAX_IMAGE_PIXELS = 60_000_000

DOCUMENTS_AND_IMAGES = files.DOCUMENTS | files.IMAGES
"""What evidence files and materials may be: a PDF, an office document or an image."""


def sniff_document(
    stream: BinaryIO, name: str, kinds: frozenset[str] | set[str] = DOCUMENTS_AND_IMAGES
) -> files.Sniffed:
    """What ``stream`` is, judged by its content (``files.sniff``): one of ``kinds``, under a
    ``name`` whose extension does not say otherwise. ``ValidationError`` on ``file`` when it is
    another kind (whatever its name says) or its name contradicts its content."""
    sniffed = files.sniff(stream)
    if sniffed is None or not files.accepted(sniffed, kinds):
        raise ValidationError(
            {
                "file": _(
                    "This file is not a PDF, an image (JPEG, PNG, GIF, WebP) or an office "
                    "document (Word, Excel, PowerPoint, OpenDocument), whatever its name says."
                )
            }
        )
    declared = files.contradiction(name, sniffed)
    if declared is not None:
        raise ValidationError(
            {
                "file": _(
                    "The file is named “.%(declared)s” but its content is a %(kind)s file. "
                    "Choose the right file, or correct its name."
                )
                % {"declared": declared, "kind": sniffed.kind.upper()}
            }
        )
    return sniffed


# What a damaged or disguised file makes the parsers raise.
_PDF_ERRORS = (
    PdfReadError,
    OSError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    RecursionError,
)


class MemoryUploads(FileUploadHandler):
    """Keeps uploaded files in memory, never in a temporary file: a file written to disk, even
    briefly, could be recovered from it. Each file keeps at most one byte more than
    ``max_bytes()`` (enough to say it is too large; ``truncated`` then says so), and all files
    together at most ``max_files() + 1`` times that, so a huge upload cannot fill the memory.

    A view names a subclass that gives the two limits (``core.public.public_page(upload_handler=
    ...)``)."""

    def max_bytes(self) -> int:
        raise NotImplementedError

    def max_files(self) -> int:
        return 1

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = self.max_bytes()
        self.budget = (self.max_files() + 1) * (self.limit + 1)
        self.buffer = io.BytesIO()
        self.size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        room = min(self.limit + 1 - self.buffer.tell(), self.budget)
        if room > 0:
            kept = raw_data[:room]
            self.buffer.write(kept)
            self.budget -= len(kept)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        upload = InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            self.size,
            self.charset,
            self.content_type_extra,
        )
        upload.truncated = self.buffer.getbuffer().nbytes < self.size  # type: ignore[attr-defined]
        return upload


def _stream(content: bytes | BinaryIO) -> BinaryIO:
    if isinstance(content, bytes | bytearray):
        return io.BytesIO(content)
    content.seek(0)
    return content


@contextmanager
def _strict_loading() -> Iterator[None]:
    """Pillow's refusal of cut-off images, whatever the process set: WeasyPrint (``lib/pdf.py``)
    sets ``ImageFile.LOAD_TRUNCATED_IMAGES`` for the whole process when it is imported, and
    Pillow would then fill a cut-off image's missing part with grey. Workers handle one request
    at a time, so the flag is put back at once for whatever renders a PDF next."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def decode_image(content: bytes | BinaryIO, *, max_pixels: int = MAX_IMAGE_PIXELS) -> Image.Image:
    """The image, decoded in full (its first frame).

    Raises ``files.TooLargeUnpacked`` when its header declares more than ``max_pixels`` pixels
    (or more than Pillow's own bomb limit), before anything is decoded, and ``ValueError`` when it
    does not decode to its end: a damaged or cut-off file, or something else (HTML, a script)
    behind an image's signature.
    """
    with warnings.catch_warnings(), _strict_loading():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(_stream(content))  # reads the header only
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise files.TooLargeUnpacked("too many pixels") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ValueError("the image cannot be read") from exc
        width, height = image.size
        if width * height > max_pixels:
            raise files.TooLargeUnpacked(f"{width} x {height} pixels")
        try:
            image.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
            raise ValueError("the image cannot be read") from exc
    return image


def has_alpha(image: Image.Image) -> bool:
    """Whether the image has transparent parts (an alpha channel, or a transparent colour)."""
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def pixels_only(image: Image.Image, mode: str, *, max_side: int | None = None) -> Image.Image:
    """A new image holding only what ``image`` shows, turned upright (its EXIF orientation
    applied) and in ``mode``, scaled down to fit ``max_side`` when given: no metadata at all
    survives (EXIF, GPS position, comments, colour profile, text fields)."""
    upright = ImageOps.exif_transpose(image)
    pixels = upright.convert(mode)
    if max_side is not None:
        pixels.thumbnail((max_side, max_side))
    return Image.frombytes(mode, pixels.size, pixels.tobytes())


class PasswordProtected(ValueError):
    """A PDF that needs a password to be read."""


def read_pdf(content: bytes | BinaryIO) -> PdfReader:
    """The PDF parsed, its page tree included; one that is locked only against editing is opened
    with the empty password. Raises ``PasswordProtected`` for one that needs a password to be
    read, and ``ValueError`` for anything that does not parse as a PDF."""
    try:
        with warnings.catch_warnings():
            # What the library would warn about names things inside the sender's file.
            warnings.simplefilter("ignore")
            reader = PdfReader(_stream(content))
            if reader.is_encrypted and not reader.decrypt(""):
                raise PasswordProtected("the PDF needs a password")
            len(reader.pages)  # noqa: B018 - reads the page tree
    except PasswordProtected:
        raise
    except _PDF_ERRORS as exc:
        raise ValueError("the PDF cannot be read") from exc
    return reader


# The Compound File Binary header (legacy .doc, .xls, .ppt): signature, byte order, sector sizes.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_ole(stream: BinaryIO) -> None:
    stream.seek(0)
    header = stream.read(512)
    size = files.size_of(stream)
    shift = int.from_bytes(header[30:32], "little") if len(header) == 512 else 0
    if (
        not header.startswith(_OLE_SIGNATURE)
        or header[28:30] != b"\xfe\xff"
        or shift not in (9, 12)
        or size < 512 + (1 << shift)
    ):
        raise ValueError("the legacy Office file cannot be read")


def _check_zip_members(stream: BinaryIO) -> None:
    """Every member of an office file's zip read to its end (which checks its CRC), never more
    than ``files.ZIP_*`` allow."""
    files.check_zip(stream)
    budget = files.ZIP_MAX_TOTAL_BYTES
    try:
        with zipfile.ZipFile(stream) as archive:
            for info in archive.infolist():
                data = files.read_member(archive, info, min(files.ZIP_MAX_MEMBER_BYTES, budget))
                budget -= len(data)
    except files.TooLargeUnpacked:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, EOFError) as exc:
        raise ValueError("the office file cannot be read") from exc
    finally:
        stream.seek(0)


def check_structure(
    stream: BinaryIO, sniffed: files.Sniffed, *, max_pixels: int = MAX_IMAGE_PIXELS
) -> None:
    """Judge the whole file, not its first bytes: an image decodes to its end within
    ``max_pixels``, a PDF parses (``read_pdf``), an office file's zip reads to its end within
    ``files.ZIP_*``, a legacy Office file has a sound header. Raises ``files.TooLargeUnpacked``,
    ``PasswordProtected`` or ``ValueError`` (all ``ValueError``); the stream is rewound."""
    try:
        if sniffed.kind in files.IMAGES:
            decode_image(stream, max_pixels=max_pixels)
        elif sniffed.kind == files.PDF.kind:
            read_pdf(stream)
        elif sniffed.kind == files.OLE.kind:
            _check_ole(stream)
        else:
            _check_zip_members(stream)
    finally:
        stream.seek(0)
