"""KPK's status of the desk's documents from a CSV or XLSX sheet, through the import kit
(``lib.imports``): one row per document with its number (D-0001), the status KPK shows
(uploaded, accepted or rejected), the date it was uploaded to KPK's portal and KPK's note. The
whole sheet is applied or nothing: every bad row is reported first.

A row may take a document ready to upload to "uploaded", and a ready or uploaded document to
"accepted" or "rejected" (with the upload date when it was not recorded yet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.assessments import signals
from integritas.assessments.models import Assessment, AuditAction, Document, DocumentStatus
from integritas.assessments.services import desk
from integritas.core.models import User
from integritas.lib.imports import Cells, Column, Importer, ImportReport, read_or_report, run_import

UPLOADED, ACCEPTED, REJECTED = "uploaded", "accepted", "rejected"
STATUS_WORDS = {
    "uploaded": UPLOADED,
    "diunggah": UPLOADED,
    "terunggah": UPLOADED,
    "accepted": ACCEPTED,
    "diterima": ACCEPTED,
    "terverifikasi": ACCEPTED,
    "rejected": REJECTED,
    "ditolak": REJECTED,
}

COLUMNS: list[Column] = [
    Column(
        "document",
        required=True,
        help=gettext_lazy("The document's number on the desk, such as D-0001."),
        aliases=("dokumen", "nomor_dokumen", "no_dokumen"),
    ),
    Column(
        "status",
        required=True,
        help=gettext_lazy("uploaded (diunggah), accepted (diterima) or rejected (ditolak)."),
    ),
    Column(
        "uploaded_on",
        help=gettext_lazy("The date of the upload to KPK's portal (YYYY-MM-DD or DD-MM-YYYY)."),
        aliases=("tanggal_unggah", "tanggal"),
    ),
    Column(
        "note",
        help=gettext_lazy("KPK's note; required for a rejected document."),
        aliases=("catatan", "catatan_kpk"),
    ),
]


@dataclass
class StatusReport(ImportReport):
    uploaded: int = 0
    accepted: int = 0
    rejected: int = 0


@dataclass
class _Row:
    document: Document
    status: str
    uploaded_on: dt.date | None
    note: str


def _date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text})


def _number(text: str) -> int | None:
    digits = text.strip().upper().removeprefix("D-").removeprefix("D")
    return int(digits) if digits.isdigit() else None


def import_status_sheet(
    *, assessment: Assessment, data: bytes, filename: str, by: User
) -> StatusReport:
    """Apply KPK's status sheet to the desk's documents, all or nothing (the Inspectorate's)."""
    if not desk.is_inspectorate(by):
        raise PermissionDenied
    report = StatusReport()
    documents = {d.number: d for d in assessment.documents.all()}
    seen: dict[int, int] = {}

    def parse_row(cells: Cells) -> _Row | None:
        text = cells.get("document")
        number = _number(text)
        document = documents.get(number) if number is not None else None
        if document is None:
            cells.fail("document", text, _("No document of this desk has this number."))
        elif document.number in seen:
            cells.fail(
                "document",
                text,
                _("This document is already in row %(row)d.") % {"row": seen[document.number]},
            )
            document = None
        else:
            seen[document.number] = cells.number
        status_text = cells.get("status")
        status = STATUS_WORDS.get(status_text.lower())
        if status is None:
            cells.fail(
                "status",
                status_text,
                _(
                    "The status must be uploaded, accepted or rejected (diunggah, diterima, ditolak)."
                ),
            )
        uploaded_on = None
        if date_text := cells.get("uploaded_on"):
            try:
                uploaded_on = _date(date_text)
            except ValueError as exc:
                cells.fail("uploaded_on", date_text, str(exc))
                return None
        note = cells.get("note")
        if status == REJECTED and not note:
            cells.fail("note", "", _("Write KPK's note on the rejection."))
            return None
        if document is None or status is None:
            return None
        current = document.status
        allowed = {
            UPLOADED: (DocumentStatus.READY,),
            ACCEPTED: (DocumentStatus.READY, DocumentStatus.UPLOADED),
            REJECTED: (DocumentStatus.READY, DocumentStatus.UPLOADED),
        }[status]
        if current not in allowed:
            cells.fail(
                "status",
                status_text,
                _("Document %(code)s is “%(status)s”; it cannot become %(new)s.")
                % {"code": document.code, "status": document.get_status_display(), "new": status},
            )
            return None
        needs_date = current == DocumentStatus.READY
        if needs_date and uploaded_on is None:
            cells.fail("uploaded_on", "", _("The date of the upload to KPK is required."))
            return None
        return _Row(document, status, uploaded_on, note)

    def apply(rows: list[_Row]) -> None:
        for row in rows:
            document = Document.objects.select_for_update().get(pk=row.document.pk)
            if document.status == DocumentStatus.READY:
                assert row.uploaded_on is not None  # checked by parse_row
                desk.apply_kpk_upload(document, row.uploaded_on, by)
                report.uploaded += 1
            if row.status in (ACCEPTED, REJECTED):
                desk.apply_verdict(document, row.status == ACCEPTED, row.note, by)
                if row.status == ACCEPTED:
                    report.accepted += 1
                else:
                    report.rejected += 1
        audit.record(
            AuditAction.STATUS_SHEET_IMPORTED,
            obj=assessment,
            actor=by,
            changes={"file": [None, filename], "rows": [None, len(rows)]},
        )
        if report.accepted or report.rejected:
            signals.verdicts_recorded.send(sender=Assessment, assessment=assessment, by=by)

    importer: Importer[_Row, StatusReport] = Importer(
        columns=COLUMNS,
        parse_row=parse_row,
        apply=apply,
        empty_message=gettext_lazy("The sheet has no documents."),
    )
    return run_import(
        table=read_or_report(data, filename, report), report=report, importer=importer
    )
