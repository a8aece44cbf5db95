"""Photos and documents of a gratification report, through the shared upload check and cleaner
(``lib/uploads.py``, ``lib/documents.py``): judged by their content, never their name; a photo
decoded in full and only its pixels written again (no EXIF, GPS position, comment or colour
profile survives); a PDF parsed and its pages copied into a new file without its document
information (author, creator, dates), XMP metadata, scripts, actions on opening, outside links
and embedded files. Only the clean copy is stored, under a random name.

Who may add: the reporter and the UPG, while the report is open (a paper report's scans are the
UPG's). Who may see: whoever may see the report's reporter (``reports.shows_reporter``), since a
photo or a letter can name a confidential reporter. Each file added writes one audit event on the
report, carrying its kind, size and SHA-256, never its name.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from integritas import audit
from integritas.core.models import User
from integritas.lib import documents, files, uploads
from integritas.prevention import workflow
from integritas.prevention.models import AuditAction, GratificationReport, ReportAttachment
from integritas.prevention.services import reports
from integritas.prevention.services.reports import is_upg, shows_reporter

ACCEPTED_KINDS = frozenset({"jpeg", "png", "webp", "pdf"})
# Photos are kept at their size (evidence of the object), within the pixel limit of lib/uploads.
MAX_FILES_PER_REPORT = 10


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the sender's device gave it, and its bytes."""

    name: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class Clean:
    content: bytes
    content_type: str
    extension: str


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def _clean_copy(content: bytes, sniffed: files.Sniffed) -> Clean:
    """The shared cleaner's copy (``lib.documents.clean``); a PDF it cannot copy is refused with
    the reason ``uploads.read_pdf`` gives (a password, or damage)."""
    cleaned = documents.clean(content, sniffed)
    if cleaned.content is None:
        uploads.read_pdf(content)  # raises PasswordProtected or ValueError
        raise ValueError("the PDF cannot be copied")
    return Clean(cleaned.content, cleaned.content_type, cleaned.extension)


def clean(upload: Upload) -> Clean:
    """The clean copy of one upload; ``ValidationError`` naming the file when it is empty, too
    large, not a photo or PDF by its content, damaged, locked with a password or too large to
    decode safely."""
    label = upload.name[:80] or _("(no name)")
    if not upload.content:
        raise ValidationError(_("%(name)s is empty.") % {"name": label})
    if len(upload.content) > max_bytes():
        raise ValidationError(
            _("%(name)s is larger than %(mb)d MB.") % {"name": label, "mb": max_bytes() >> 20}
        )
    sniffed = files.sniff(io.BytesIO(upload.content))
    if sniffed is None or sniffed.kind not in ACCEPTED_KINDS:
        raise ValidationError(
            _("%(name)s is not a photo (JPEG, PNG, WebP) or a PDF (judged by its content).")
            % {"name": label}
        )
    try:
        return _clean_copy(upload.content, sniffed)
    except files.TooLargeUnpacked as exc:
        raise ValidationError(
            _("%(name)s has too many pixels to be checked safely. Attach a smaller version.")
            % {"name": label}
        ) from exc
    except uploads.PasswordProtected as exc:
        raise ValidationError(
            _("%(name)s needs a password to be opened. Attach a version without a password.")
            % {"name": label}
        ) from exc
    except (ValueError, OSError) as exc:
        raise ValidationError(
            _("%(name)s is damaged and cannot be opened.") % {"name": label}
        ) from exc


def may_add(user: Any, report: GratificationReport) -> bool:
    """The reporter and the UPG add files while the report is open."""
    if report.status not in workflow.OPEN_STATES:
        return False
    own = user.pk is not None and user.pk == report.reporter_id
    return own or is_upg(user)


def may_see(user: Any, report: GratificationReport) -> bool:
    """Whoever may see the report's reporter sees its files (a file can name the reporter)."""
    return shows_reporter(user, report)


def check(report: GratificationReport | None, uploads_: Sequence[Upload]) -> list[Clean]:
    """Every file checked and cleaned before anything is stored; all problems together
    (``ValidationError`` on ``attachments``)."""
    problems: list[str] = []
    already = report.attachments.count() if report is not None and report.pk else 0
    if already + len(uploads_) > MAX_FILES_PER_REPORT:
        problems.append(_("A report holds at most %(n)d files.") % {"n": MAX_FILES_PER_REPORT})
    cleaned: list[Clean] = []
    for upload in uploads_:
        try:
            cleaned.append(clean(upload))
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError({"attachments": problems})
    return cleaned


def store(
    report: GratificationReport,
    checked: Sequence[tuple[Upload, Clean]],
    by: User | None,
    written: list[str],
) -> list[ReportAttachment]:
    """Write the clean copies and audit each; ``written`` collects the stored names so that the
    caller removes them when its transaction fails."""
    made: list[ReportAttachment] = []
    for upload, copy in checked:
        digest = files.sha256_of(io.BytesIO(copy.content))
        item = ReportAttachment(
            report=report,
            original_name=upload.name[:255] or f"lampiran.{copy.extension}",
            content_type=copy.content_type,
            size=len(copy.content),
            sha256=digest,
            uploaded_by=by,
        )
        item.file.save(f"file.{copy.extension}", ContentFile(copy.content), save=False)
        written.append(item.file.name)
        item.save()
        audit.record(
            AuditAction.ATTACHMENT_ADDED,
            obj=report,
            changes={
                "content_type": [None, copy.content_type],
                "size": [None, item.size],
                "sha256": [None, digest],
            },
        )
        made.append(item)
    return made


def _discard(names: Sequence[str]) -> None:
    for name in names:
        default_storage.delete(name)


def add(
    *, report: GratificationReport, uploads_: Sequence[Upload], by: User
) -> list[ReportAttachment]:
    """Attach files to ``report`` (the reporter or the UPG, while it is open); nothing is kept
    when any file is refused."""
    if not may_add(by, report):
        raise PermissionDenied
    checked = list(zip(uploads_, check(report, uploads_), strict=True))
    written: list[str] = []
    try:
        with transaction.atomic():
            return store(report, checked, by, written)
    except Exception:
        _discard(written)
        raise


def submit_with_files(
    *,
    values: Mapping[str, Any],
    reporter: User | None,
    by: User,
    uploads_: Sequence[Upload],
    today: dt.date | None = None,
) -> GratificationReport:
    """File a report with its first files (``reports.submit``): the files are checked before
    anything is stored, and neither the report nor any file is kept when one is refused."""
    cleaned = check(None, uploads_) if uploads_ else []
    written: list[str] = []
    try:
        with transaction.atomic():
            report = reports.submit(values=values, reporter=reporter, by=by, today=today)
            store(report, list(zip(uploads_, cleaned, strict=True)), by, written)
    except Exception:
        _discard(written)
        raise
    return report
