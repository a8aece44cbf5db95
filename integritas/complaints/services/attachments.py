"""Reporters' files: checked by content, limited, a copy without metadata made, and both stored
encrypted under random names (docs/security.md, "Attachments").

The clean copy comes from the shared cleaner (``lib/documents.py``): photos are cleaned by
writing their pixels into a new image (nothing else survives); PDF, Office and OpenDocument files
are copied without their properties and without what would run or reach out when opened (scripts,
actions, macros, embedded files, outside links); what cannot be copied is marked
``NOT_SUPPORTED`` and handlers are told so. A file that would unpack far beyond its size
is refused from its headers, before it is unpacked.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.complaints.models import Attachment, Report
from integritas.lib import crypto, documents, files, uploads
from integritas.lib.documents import Cleaned

ACCEPTED_KINDS = files.IMAGES | files.DOCUMENTS

MAX_IMAGE_PIXELS = uploads.MAX_IMAGE_PIXELS


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the reporter's device gave it, and its bytes."""

    name: str
    content: bytes = field(repr=False)


def strip_metadata(content: bytes, sniffed: files.Sniffed) -> Cleaned:
    """The copy handlers open, made by the shared cleaner (``lib.documents.clean``): a photo's
    pixels only; a PDF, Office or OpenDocument file without its properties and without what
    would run or reach out when opened. What cannot be copied (an encrypted or unreadable
    document) is ``NOT_SUPPORTED``: handlers are told so and get the original. Raises
    ``ValueError`` for an image that does not decode, ``files.TooLargeUnpacked`` for one of more
    than ``MAX_IMAGE_PIXELS`` or an office file that would unpack beyond ``files.ZIP_*``."""
    return documents.clean(content, sniffed, max_pixels=MAX_IMAGE_PIXELS)


def _too_large_unpacked(label: str) -> str:
    return _(
        "%(name)s is too large when unpacked (a photo with too many pixels, or a document that "
        "expands far beyond its size) and cannot be checked safely. Attach a smaller version."
    ) % {"name": label}


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
        try:
            files.check_zip(io.BytesIO(upload.content))  # before anything reads a member
        except files.TooLargeUnpacked:
            problems.append(_too_large_unpacked(label))
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
        except files.TooLargeUnpacked:
            problems.append(_too_large_unpacked(label))
            continue
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
