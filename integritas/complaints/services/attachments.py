"""Reporters' files: checked by content, limited, a copy without metadata made, and both stored
encrypted under random names (docs/security.md, "Attachments").

Photos are cleaned by writing their pixels into a new image (nothing else survives). PDF and Office
files are not cleaned yet: they are marked ``NOT_SUPPORTED`` and handlers are told so.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import secrets
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from integritas.complaints.models import Attachment, Report
from integritas.lib import crypto, files

ACCEPTED_KINDS = files.IMAGES | files.DOCUMENTS


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the reporter's device gave it, and its bytes."""

    name: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class Cleaned:
    content: bytes | None  # None when we cannot make a clean copy of this type
    status: str
    stripped: list[str]


# What was removed is stored (encrypted) in English and translated when shown, so the labels
# are marked for the catalogue here.
_EXIF_GROUPS = (
    (gettext_noop("GPS location"), {0x8825}),
    (gettext_noop("camera make, model and serial number"), {0x010F, 0x0110, 0xA431, 0xA434}),
    (gettext_noop("date and time"), {0x0132, 0x9003, 0x9004}),
    (gettext_noop("author, copyright and software"), {0x013B, 0x8298, 0x0131, 0x9C9D}),
)


def _described_metadata(image: Image.Image) -> list[str]:
    """What an image carries besides its pixels, in words a handler understands."""
    found: list[str] = []
    exif = image.getexif()
    tags = set(exif) | set(exif.get_ifd(0x8769))
    if exif.get_ifd(0x8825):
        tags.add(0x8825)
    for label, group in _EXIF_GROUPS:
        if tags & group:
            found.append(label)
            tags -= group
    tags -= {0x8769, 0x0112}  # the pointer to the sub-directory; orientation is applied instead
    if tags:
        found.append(gettext_noop("other EXIF data"))
    info = image.info
    if "icc_profile" in info:
        found.append(gettext_noop("colour profile"))
    if any(k in info for k in ("xmp", "XML:com.adobe.xmp")):
        found.append(gettext_noop("XMP metadata"))
    if "comment" in info:
        found.append(gettext_noop("comment"))
    text = getattr(image, "text", None) or {}
    if set(text) - {"XML:com.adobe.xmp"}:
        found.append(gettext_noop("text fields"))
    return found


# Office files keep their document properties in these zip members; the clean copy carries the
# same members emptied (removing them would leave references that make Office complain).
_EMPTY_PARTS = {
    "docProps/core.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:dcterms="http://purl.org/dc/terms/"/>'
    ),
    "docProps/app.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
    ),
    "docProps/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
    ),
    "meta.xml": (  # OpenDocument
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office='
        b'"urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2">'
        b"<office:meta/></office:document-meta>"
    ),
}
_OFFICE = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})


def _strip_office(content: bytes) -> Cleaned:
    """The zip rewritten member by member (order and compression kept, so an OpenDocument's
    uncompressed ``mimetype`` stays first), with the property parts emptied."""
    found: list[str] = []
    out = io.BytesIO()
    try:
        with (
            zipfile.ZipFile(io.BytesIO(content)) as source,
            zipfile.ZipFile(out, "w") as target,
        ):
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename in _EMPTY_PARTS:
                    if data.strip() != _EMPTY_PARTS[info.filename]:
                        found.append(info.filename)
                    data = _EMPTY_PARTS[info.filename]
                copy = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                target.writestr(copy, data)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        return Cleaned(None, Attachment.Stripping.NOT_SUPPORTED, [])
    stripped = (
        [gettext_noop("document properties (author, company, dates, title)")] if found else []
    )
    status = Attachment.Stripping.STRIPPED if found else Attachment.Stripping.NOTHING_FOUND
    return Cleaned(out.getvalue(), status, stripped)


def _strip_pdf(content: bytes) -> Cleaned:
    """The pages copied into a new PDF without its document information and XMP metadata."""
    try:
        with warnings.catch_warnings():
            # What the library would warn about names things inside the reporter's file.
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(content))
            # A PDF locked only against editing opens with the empty password; one that needs a
            # password to be read cannot be copied, and handlers are told so.
            if reader.is_encrypted and not reader.decrypt(""):
                return Cleaned(None, Attachment.Stripping.NOT_SUPPORTED, [])
            info = {key for key, value in (reader.metadata or {}).items() if value}
            has_xmp = "/Metadata" in reader.root_object
            writer = PdfWriter()
            writer.append(reader, import_outline=False)
            writer.metadata = None
            out = io.BytesIO()
            writer.write(out)
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, RecursionError):
        return Cleaned(None, Attachment.Stripping.NOT_SUPPORTED, [])
    stripped = []
    if info:
        stripped.append(gettext_noop("document information (author, creator, dates, title)"))
    if has_xmp:
        stripped.append(gettext_noop("XMP metadata"))
    status = Attachment.Stripping.STRIPPED if stripped else Attachment.Stripping.NOTHING_FOUND
    return Cleaned(out.getvalue(), status, stripped)


def strip_metadata(content: bytes, sniffed: files.Sniffed) -> Cleaned:
    """A copy without metadata: images are decoded and only their pixels written again; PDFs
    get their pages copied without document information or XMP; Office and OpenDocument files
    get their property parts emptied.

    Legacy Office files (.doc, .xls, .ppt), encrypted or unreadable documents are not cleaned
    (``NOT_SUPPORTED``): handlers are told so and get the original. Raises ``ValueError`` for an
    image that does not decode.
    """
    if sniffed.kind == "pdf":
        return _strip_pdf(content)
    if sniffed.kind in _OFFICE:
        return _strip_office(content)
    if sniffed.kind not in files.IMAGES:
        return Cleaned(None, Attachment.Stripping.NOT_SUPPORTED, [])
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content))
            image.load()
        except (
            OSError,
            SyntaxError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as exc:
            raise ValueError("the image cannot be read") from exc
    stripped = _described_metadata(image)
    upright = ImageOps.exif_transpose(image)  # keep what the photo shows the right way up
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "RGBA" if has_alpha else ("L" if upright.mode in ("L", "1") else "RGB")
    pixels = upright.convert(mode)
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())  # a new image: no info at all
    out = io.BytesIO()
    if sniffed.kind == "jpeg" and mode != "RGBA":
        clean.save(out, format="JPEG", quality=92)
    else:
        clean.save(out, format="PNG")
        if sniffed.kind in ("gif", "webp") and getattr(image, "n_frames", 1) > 1:
            stripped.append(gettext_noop("animation (first frame kept)"))
    status = Attachment.Stripping.STRIPPED if stripped else Attachment.Stripping.NOTHING_FOUND
    return Cleaned(out.getvalue(), status, stripped)


def check_uploads(uploads: Sequence[Upload]) -> list[tuple[Upload, files.Sniffed, Cleaned]]:
    """Every file checked before anything is stored; all problems reported together."""
    max_files = int(settings.COMPLAINTS_MAX_FILES)
    max_bytes = int(settings.COMPLAINTS_MAX_FILE_MB) * 1024 * 1024
    problems: list[str] = []
    if len(uploads) > max_files:
        problems.append(_("Attach at most %(n)d files.") % {"n": max_files})
    checked = []
    for upload in uploads:
        label = upload.name[:80] or _("(no name)")
        if not upload.content:
            problems.append(_("%(name)s is empty.") % {"name": label})
            continue
        if len(upload.content) > max_bytes:
            problems.append(
                _("%(name)s is larger than %(mb)d MB.") % {"name": label, "mb": max_bytes >> 20}
            )
            continue
        sniffed = files.sniff(io.BytesIO(upload.content))
        if not files.accepted(sniffed, ACCEPTED_KINDS):
            problems.append(
                _("%(name)s is not a photo, PDF or office document (judged by its content).")
                % {"name": label}
            )
            continue
        assert sniffed is not None  # noqa: S101 - accepted() checked it
        if sniffed.kind == files.OLE.kind:
            problems.append(
                _(
                    "%(name)s is an old Office file (.doc, .xls or .ppt) whose hidden details, "
                    "such as the author's name, cannot be removed. Save it as PDF or as a newer "
                    "Office file (.docx, .xlsx, .pptx) and attach that instead."
                )
                % {"name": label}
            )
            continue
        try:
            cleaned = strip_metadata(upload.content, sniffed)
        except ValueError:
            problems.append(_("%(name)s is damaged and cannot be opened.") % {"name": label})
            continue
        checked.append((upload, sniffed, cleaned))
    if problems:
        raise ValidationError({"attachments": problems})
    return checked


def store(ciphertext: bytes) -> str:
    """Write a ciphertext under a random name; the name says nothing about the report, and the
    file's times (and its folder's) say only the day, like the database."""
    name = default_storage.save(f"complaints/{secrets.token_hex(16)}.bin", ContentFile(ciphertext))
    _only_the_day(name, file=True)
    return name


def discard(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
            _only_the_day(name, file=False)


def _only_the_day(name: str, *, file: bool) -> None:
    """Set the modification and access times of a stored file (``file``) and of its folder to
    today's local midnight. Storage that is not a local folder keeps its own metadata."""
    try:
        path = Path(default_storage.path(name))
    except NotImplementedError:
        return
    midnight = dt.datetime.combine(
        timezone.localdate(), dt.time(), tzinfo=timezone.get_current_timezone()
    ).timestamp()
    for target in (path, path.parent) if file else (path.parent,):
        if target.exists():
            os.utime(target, (midnight, midnight))


def attach(
    report: Report,
    key: bytes,
    checked: list[tuple[Upload, files.Sniffed, Cleaned]],
    side: str,
    written: list[str],
) -> list[Attachment]:
    """Encrypt and store checked files; ``written`` collects file names for clean-up on failure."""
    made = []
    for upload, sniffed, cleaned in checked:
        attachment = Attachment(
            report=report, side=side, size=len(upload.content), kind=sniffed.kind
        )
        attachment.name = crypto.encrypt(
            key, upload.name[:200].encode(), context=attachment.file_context("name")
        )
        attachment.original_file = store(
            crypto.encrypt(key, upload.content, context=attachment.file_context("original"))
        )
        written.append(attachment.original_file)
        if cleaned.content is not None:
            attachment.clean_file = store(
                crypto.encrypt(key, cleaned.content, context=attachment.file_context("clean"))
            )
            written.append(attachment.clean_file)
        attachment.stripping = cleaned.status
        attachment.stripped = crypto.encrypt(
            key, json.dumps(cleaned.stripped).encode(), context=attachment.file_context("stripped")
        )
        attachment.save()
        made.append(attachment)
    return made
