"""Creating and changing events (the Inspectorate's staff pages), and their materials: links,
or uploaded files judged by their content (``lib.files``, ``lib.uploads``)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas import audit
from integritas.audit.services import changes_between, snapshot
from integritas.core.models import User
from integritas.education.models import AuditAction, Event, Material
from integritas.lib import documents, files, uploads

MATERIAL_KINDS = files.DOCUMENTS | files.IMAGES

EVENT_FIELDS = [
    "kind",
    "title",
    "theme",
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "organiser",
    "audience",
    "capacity",
    "speakers",
    "registration_open",
]


def _next_code(year: int) -> str:
    """EDU-2026-001, -002, … numbered per year of the event's start."""
    prefix = f"EDU-{year}-"
    codes = Event.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def event_save(*, event: Event, values: Mapping[str, Any], by: User | None) -> Event:
    """Create or change an event; writes ``education.event_created`` or ``…_updated``."""
    creating = event.pk is None
    # The stored row, not ``event``: a model form has already set its new values on it.
    before = {} if creating else snapshot(Event.objects.get(pk=event.pk), EVENT_FIELDS)
    for name, value in values.items():
        setattr(event, name, value)
    if creating:
        event.code = _next_code(event.starts_at.year)
        event.created_by = by
    event.full_clean()
    event.save()
    changes = changes_between(before, snapshot(event, EVENT_FIELDS))
    if creating or changes:
        audit.record(
            AuditAction.EVENT_CREATED if creating else AuditAction.EVENT_UPDATED,
            obj=event,
            changes=changes,
        )
    return event


@transaction.atomic
def event_publish(*, event: Event, by: User | None) -> Event:
    """Make the event's registration page public; writes ``education.event_published``.
    Publishing a public event again changes nothing."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.published_at is None:
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at"])
        audit.record(
            AuditAction.EVENT_PUBLISHED,
            obj=locked,
            changes={"published_at": [None, locked.published_at.isoformat()]},
            actor=by,
        )
    event.published_at = locked.published_at
    return event


@transaction.atomic
def event_unpublish(*, event: Event, by: User | None, reason: str) -> Event:
    """Take the registration page off the public, with a reason (kept in the audit trail);
    writes ``education.event_unpublished``. Issued tickets and their cancel links keep working."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the page is withdrawn from the public.")})
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.published_at is not None:
        before = locked.published_at
        locked.published_at = None
        locked.save(update_fields=["published_at"])
        audit.record(
            AuditAction.EVENT_UNPUBLISHED,
            obj=locked,
            changes={"published_at": [before.isoformat(), None]},
            reason=reason,
            actor=by,
        )
    event.published_at = None
    return event


@transaction.atomic
def material_add(
    *,
    event: Event,
    title: str,
    url: str = "",
    by: User | None,
    upload: CleanFile | None = None,
) -> Material:
    """Add a link, or a file cleaned by ``clean_material_file``, to the event's materials
    (shown on its public pages while the event is public)."""
    if not url and upload is None:
        raise ValidationError({"url": _("Give a link or choose a file.")})
    material = Material(event=event, title=title, url="" if upload else url, added_by=by)
    if upload is not None:
        material.file_name = upload.name
        material.content_type = upload.content_type
        material.size = len(upload.content)
        material.file.save(f"material.{upload.extension}", ContentFile(upload.content), save=False)
    stored = material.file.name if upload is not None else ""
    try:
        material.full_clean(exclude=["added_by"])  # None: added by the system (the demo)
        material.save()
        audit.record(
            AuditAction.MATERIAL_ADDED,
            obj=material,
            changes={
                "event": event.code,
                "title": [None, title],
                **({"file": [None, upload.name]} if upload else {"url": [None, url]}),
            },
        )
    except Exception:
        if stored:
            material.file.storage.delete(stored)  # no file without its row
        raise
    return material


@dataclass(frozen=True)
class CleanFile:
    name: str
    content: bytes
    content_type: str
    extension: str


def material_max_bytes() -> int:
    return int(settings.EDUCATION_MATERIAL_MAX_MB) * 1024 * 1024


def clean_material_file(content: bytes, name: str) -> CleanFile:
    """An uploaded material judged by its content: a PDF, an office document or an image,
    within ``EDUCATION_MATERIAL_MAX_MB``, whose name does not contradict its content, read to
    its end (``lib.uploads.check_structure``), and cleaned (``lib.documents.clean``): an image is
    re-drawn from its pixels only, so its metadata (camera, GPS position, time) is not kept; a
    PDF, Office or OpenDocument file loses its properties (author, company, dates), XMP, macros,
    scripts and links to outside files. A legacy Office file (.doc, .xls, .ppt), which cannot be
    cleaned, is refused. ``ValidationError`` ("file") otherwise."""
    if not content:
        raise ValidationError({"file": _("Choose a file to upload.")})
    if len(content) > material_max_bytes():
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB.")
                % {"mb": int(settings.EDUCATION_MATERIAL_MAX_MB)}
            }
        )
    stream = io.BytesIO(content)
    sniffed = uploads.sniff_document(stream, name, MATERIAL_KINDS)
    damaged = ValidationError(
        {
            "file": _(
                "This file is damaged or is not really a %(kind)s file: it cannot be opened. "
                "Choose the right file, or save it again and upload that."
            )
            % {"kind": sniffed.kind.upper()}
        }
    )
    try:
        uploads.check_structure(stream, sniffed)
        cleaned = documents.clean(content, sniffed)
    except uploads.PasswordProtected as exc:
        raise ValidationError(
            {"file": _("This PDF needs a password to be opened. Upload a version without one.")}
        ) from exc
    except ValueError as exc:  # damaged, disguised, or far larger unpacked
        raise damaged from exc
    clean_name = name.replace("/", "_").replace("\\", "_").strip()[:200] or "material"
    if cleaned.content is None:
        if sniffed.kind != files.OLE.kind:
            raise damaged  # a document whose parts do not parse
        # A legacy Office file (.doc, .xls, .ppt): its properties cannot be removed, and a
        # material is public.
        raise ValidationError(
            {
                "file": _(
                    "An old Office file (.doc, .xls, .ppt) keeps its author and other "
                    "properties, which cannot be removed. Save it as PDF or as a newer format "
                    "(.docx, .xlsx, .pptx) and upload that."
                )
            }
        )
    if sniffed.kind in files.IMAGES:  # written again as JPEG or PNG
        base = clean_name.rsplit(".", 1)[0] if "." in clean_name else clean_name
        clean_name = f"{base}.{cleaned.extension}"
    return CleanFile(clean_name, cleaned.content, cleaned.content_type, cleaned.extension)


@transaction.atomic
def material_remove(*, material: Material) -> None:
    """Remove a material, and its file once the removal is committed."""
    audit.record(
        AuditAction.MATERIAL_REMOVED,
        obj=material,
        changes={"event": material.event.code, "title": [material.title, None]},
    )
    name, storage = material.file.name, material.file.storage
    material.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
