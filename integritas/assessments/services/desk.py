"""The MCSP document desk: a year's assessment of an active MCSP framework, its requirements
assigned to units, the documents they upload (versioned, with SHA-256 and an effective period),
the Inspectorate's review and KPK's verdict, recorded by hand.

A document moves through ``TRANSITIONS``::

    submitted ─┬─ return (reason) ──→ returned ── new version ──→ submitted
               └─ ready ──→ ready ── KPK upload (date) ──→ uploaded ─┬─ accepted
                                                                    └─ rejected (KPK's note)
                                                                         └─ new version → submitted

Units upload for the requirements assigned to them; the Inspectorate may upload on a unit's
behalf. Whoever uploaded a document's current version cannot review it (segregation of duties).
After the upload deadline new uploads are refused until an administrator reopens them with a
reason. Every step is written to the audit trail.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from integritas import audit
from integritas.assessments import signals
from integritas.assessments.models import (
    Assessment,
    Assignment,
    AuditAction,
    Document,
    DocumentStatus,
    DocumentVersion,
    Framework,
    FrameworkKind,
    FrameworkStatus,
    Node,
)
from integritas.core import policy
from integritas.core.models import INSPECTORATE_ROLES, UNIT_ROLES, Role, Unit, User
from integritas.lib import files, uploads
from integritas.lib.formatting import format_number

MB = 1024 * 1024
ACCEPTED_KINDS = files.DOCUMENTS | files.IMAGES

S = DocumentStatus
# (from, action) → to; the actor each action needs is checked by the service functions.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, "return"): S.RETURNED,
    (S.SUBMITTED, "ready"): S.READY,
    (S.READY, "kpk_upload"): S.UPLOADED,
    (S.UPLOADED, "accept"): S.ACCEPTED,
    (S.UPLOADED, "reject"): S.REJECTED,
    (S.SUBMITTED, "new_version"): S.SUBMITTED,
    (S.RETURNED, "new_version"): S.SUBMITTED,
    (S.REJECTED, "new_version"): S.SUBMITTED,
}


def _move(document: Document, action: str) -> str:
    target = TRANSITIONS.get((document.status, action))
    if target is None:
        raise ValidationError(
            _("This cannot be done to a document that is “%(status)s”.")
            % {"status": document.get_status_display()}
        )
    return target


# --- Who may act -------------------------------------------------------------------------------


def is_inspectorate(user: Any) -> bool:
    return policy.grants(user).has_global(*INSPECTORATE_ROLES)


def is_administrator(user: Any) -> bool:
    return policy.grants(user).has_global(Role.ADMINISTRATOR)


def unit_ids_of(user: Any) -> frozenset[int]:
    """The units (with their sub-units) ``user`` works for as unit head or officer."""
    g = policy.grants(user)
    ids: set[int] = set()
    for role in UNIT_ROLES:
        ids |= g.unit_roles.get(role, frozenset())
    return frozenset(ids)


def may_upload(user: Any, unit: Unit) -> bool:
    return is_inspectorate(user) or unit.pk in unit_ids_of(user)


def requirements(framework: Framework) -> list[Node]:
    """The framework's items (leaves) in tree order."""
    nodes = list(framework.nodes.all())
    parents = {n.parent_id for n in nodes}
    return [n for n in nodes if n.pk not in parents]


def register_of(node: Node) -> str:
    """The key of the data register whose figures are ``node``'s evidence: its own, or else the
    nearest ancestor's (an indicator pointing at a register covers its requirements)."""
    current: Node | None = node
    while current is not None:
        if current.register:
            return current.register
        current = current.parent
    return ""


# --- Opening a year, assigning units -------------------------------------------------------------


@transaction.atomic
def open_assessment(
    *, framework: Framework, upload_deadline: dt.datetime, by: User | None
) -> Assessment:
    """The document desk of an active MCSP framework, each requirement assigned to the units the
    framework names for it."""
    if framework.kind != FrameworkKind.MCSP or framework.status != FrameworkStatus.ACTIVE:
        raise ValidationError(_("Only an active MCSP framework has a document desk."))
    if Assessment.objects.filter(framework=framework).exists():
        raise ValidationError(_("This framework already has a document desk."))
    assessment = Assessment.objects.create(framework=framework, upload_deadline=upload_deadline)
    rows = [
        Assignment(assessment=assessment, node=node, unit=unit)
        for node in requirements(framework)
        for unit in node.units.all()
    ]
    Assignment.objects.bulk_create(rows)
    audit.record(
        AuditAction.ASSESSMENT_CREATED,
        obj=assessment,
        changes={
            "year": [None, framework.year],
            "upload_deadline": [None, upload_deadline.isoformat()],
        },
        **({"actor": by} if by else {}),
    )
    return assessment


@transaction.atomic
def set_units(*, assessment: Assessment, node: Node, units: Iterable[Unit], by: User) -> None:
    """Assign the requirement ``node`` to exactly ``units`` (the Inspectorate's)."""
    if not is_inspectorate(by):
        raise PermissionDenied
    if node.framework_id != assessment.framework_id or node not in requirements(
        assessment.framework
    ):
        raise ValidationError(_("This is not an item of the framework."))
    wanted = {u.pk: u for u in units}
    current = set(
        Assignment.objects.filter(assessment=assessment, node=node).values_list(
            "unit_id", flat=True
        )
    )
    before = sorted(Unit.objects.filter(pk__in=current).values_list("code", flat=True))
    Assignment.objects.filter(assessment=assessment, node=node).exclude(unit_id__in=wanted).delete()
    Assignment.objects.bulk_create(
        Assignment(assessment=assessment, node=node, unit=u)
        for pk, u in wanted.items()
        if pk not in current
    )
    after = sorted(u.code for u in wanted.values())
    if before != after:
        audit.record(
            AuditAction.ASSIGNMENTS_CHANGED,
            obj=assessment,
            actor=by,
            changes={"requirement": [None, node.code], "units": [before, after]},
        )


# --- Uploads -----------------------------------------------------------------------------------


def check_upload(upload: BinaryIO, name: str) -> files.Sniffed:
    """The upload's real type; ValidationError ("file") when it is empty, over the size limit,
    not a PDF, image or office document, or named as something it is not."""
    size = files.size_of(upload)
    limit = settings.UPLOAD_MAX_BYTES
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > limit:
        lang = (get_language() or "id")[:2]
        rounded_up = Decimal(math.ceil(size * 10 / MB)) / 10
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": format_number(rounded_up, 1, lang),
                    "limit": format_number(Decimal(limit) / MB, 0, lang),
                }
            }
        )
    try:
        files.check_zip(upload)
    except files.TooLargeUnpacked as exc:
        raise ValidationError(
            {"file": _("The file would be too large once unpacked to be handled safely.")}
        ) from exc
    sniffed = uploads.sniff_document(upload, name, ACCEPTED_KINDS)
    return sniffed


def _require_open(assessment: Assessment, now: dt.datetime) -> None:
    if not assessment.uploads_open(now):
        raise ValidationError(
            _(
                "The upload deadline (%(deadline)s) has passed; new uploads are locked. "
                "An administrator can reopen them."
            )
            % {
                "deadline": timezone.localtime(assessment.upload_deadline).strftime(
                    "%d-%m-%Y %H:%M"
                )
            }
        )


@transaction.atomic
def upload(
    *,
    assessment: Assessment,
    node: Node,
    unit: Unit,
    file: BinaryIO,
    name: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    title: str = "",
    document: Document | None = None,
    by: User,
    now: dt.datetime | None = None,
) -> DocumentVersion:
    """A new document for a requirement assigned to ``unit``, or a new version of ``document``
    (kept beside the old ones)."""
    if document is not None:
        node, unit = document.node, document.unit
    if not may_upload(by, unit):
        raise PermissionDenied
    if not Assignment.objects.filter(assessment=assessment, node=node, unit=unit).exists():
        raise ValidationError(_("This requirement is not assigned to the unit."))
    _require_open(assessment, now or timezone.now())
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end of the period is before its start.")})
    sniffed = check_upload(file, name)
    if document is None:
        if not title.strip():
            raise ValidationError({"title": _("Give the document a title.")})
        number = (assessment.documents.aggregate(m=Max("number"))["m"] or 0) + 1
        document = Document.objects.create(
            assessment=assessment, node=node, unit=unit, number=number, title=title.strip()
        )
        version_no = 1
    else:
        document = Document.objects.select_for_update().get(pk=document.pk)
        document.status = _move(document, "new_version")
        document.return_reason = ""
        document.kpk_note = "" if document.status != S.REJECTED else document.kpk_note
        document.reviewed_by = None
        document.save(update_fields=["status", "return_reason", "kpk_note", "reviewed_by"])
        version_no = (document.versions.aggregate(m=Max("version"))["m"] or 0) + 1
    version = DocumentVersion(
        document=document,
        version=version_no,
        original_name=name[:255],
        content_type=sniffed.content_type,
        size=files.size_of(file),
        sha256=files.sha256_of(file),
        valid_from=valid_from,
        valid_to=valid_to,
        uploaded_by=by,
    )
    version.file.save(f"v{version_no}.{sniffed.extension}", File(file), save=False)
    version.save()
    audit.record(
        AuditAction.DOCUMENT_UPLOADED,
        obj=document,
        actor=by,
        changes={"version": [None, version_no], "sha256": [None, version.sha256]},
    )
    return version


def current_version(document: Document) -> DocumentVersion | None:
    return document.versions.order_by("-version").first()


# --- Review and KPK ----------------------------------------------------------------------------


@transaction.atomic
def review(*, document: Document, action: str, reason: str = "", by: User) -> Document:
    """The Inspectorate returns a document with a reason, or marks it ready to upload. Whoever
    uploaded the current version cannot review it."""
    if not is_inspectorate(by):
        raise PermissionDenied
    document = Document.objects.select_for_update().get(pk=document.pk)
    if action not in ("return", "ready"):
        raise ValidationError(_("Choose to return the document or mark it ready."))
    latest = current_version(document)
    if latest is not None and latest.uploaded_by_id == by.pk:
        raise ValidationError(
            _("You uploaded this version, so someone else must review it (segregation of duties).")
        )
    target = _move(document, action)
    if action == "return" and not reason.strip():
        raise ValidationError({"reason": _("Say why the document is returned.")})
    before = document.status
    document.status = target
    document.return_reason = reason.strip() if action == "return" else ""
    document.reviewed_by = by
    document.save(update_fields=["status", "return_reason", "reviewed_by"])
    changes: dict[str, Any] = {"status": [before, target]}
    if action == "return":
        changes["reason"] = [None, document.return_reason]
    audit.record(
        AuditAction.DOCUMENT_RETURNED if action == "return" else AuditAction.DOCUMENT_READY,
        obj=document,
        actor=by,
        changes=changes,
    )
    return document


def _require_recorder(by: User) -> None:
    if not is_inspectorate(by):
        raise PermissionDenied


def apply_kpk_upload(document: Document, on: dt.date, by: User) -> None:
    target = _move(document, "kpk_upload")
    before = document.status
    document.status = target
    document.kpk_uploaded_on = on
    document.save(update_fields=["status", "kpk_uploaded_on"])
    audit.record(
        AuditAction.KPK_UPLOAD_RECORDED,
        obj=document,
        actor=by,
        changes={"status": [before, target], "kpk_uploaded_on": [None, on.isoformat()]},
    )


def apply_verdict(document: Document, accepted: bool, note: str, by: User) -> None:
    target = _move(document, "accept" if accepted else "reject")
    if not accepted and not note.strip():
        raise ValidationError({"note": _("Write KPK's note on the rejection.")})
    before = document.status
    document.status = target
    document.kpk_note = note.strip()
    document.save(update_fields=["status", "kpk_note"])
    audit.record(
        AuditAction.KPK_VERDICT_RECORDED,
        obj=document,
        actor=by,
        changes={"status": [before, target], "note": [None, document.kpk_note]},
    )


@transaction.atomic
def record_kpk_upload(*, document: Document, on: dt.date, by: User) -> None:
    """The date a ready document was uploaded to KPK's portal."""
    _require_recorder(by)
    apply_kpk_upload(Document.objects.select_for_update().get(pk=document.pk), on, by)


@transaction.atomic
def record_verdict(*, document: Document, accepted: bool, note: str = "", by: User) -> None:
    """KPK's verdict on an uploaded document: accepted, or rejected with KPK's note."""
    _require_recorder(by)
    apply_verdict(Document.objects.select_for_update().get(pk=document.pk), accepted, note, by)
    signals.verdicts_recorded.send(sender=Assessment, assessment=document.assessment, by=by)


# --- The deadline ------------------------------------------------------------------------------


@transaction.atomic
def reopen_uploads(
    *, assessment: Assessment, until: dt.datetime, reason: str, by: User
) -> Assessment:
    """An administrator reopens uploads after the deadline until ``until``, saying why."""
    if not is_administrator(by):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the uploads are reopened.")})
    if until <= timezone.now():
        raise ValidationError({"until": _("The reopening must end in the future.")})
    before = assessment.reopened_until
    assessment.reopened_until = until
    assessment.reopen_reason = reason.strip()
    assessment.save(update_fields=["reopened_until", "reopen_reason"])
    audit.record(
        AuditAction.UPLOADS_REOPENED,
        obj=assessment,
        actor=by,
        changes={
            "reopened_until": [before.isoformat() if before else None, until.isoformat()],
            "reason": [None, assessment.reopen_reason],
        },
    )
    return assessment
